//! The file tree pane (filled by the archive and overlay issues).

use yew::prelude::*;

#[function_component(FileTreePane)]
pub fn file_tree_pane() -> Html {
    html! {
        <section class="pane pane-tree" aria-labelledby="pane-tree-title">
            <h2 id="pane-tree-title">{"File tree"}</h2>
            <p class="empty">{"Select a layer to see what it added, changed and deleted, or the merged file system a container sees."}</p>
        </section>
    }
}
