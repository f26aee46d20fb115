//! The lab view's placeholder panes (layer stack, file tree, history & diff) as they were before
//! the explore view got its own; kept for `ui::lab` until it has its own panes.

use yew::prelude::*;

#[function_component(LayerStackPane)]
pub fn layer_stack_pane() -> Html {
    html! {
        <section class="pane pane-layers" aria-labelledby="pane-layers-title">
            <h2 id="pane-layers-title">{"Layer stack"}</h2>
            <p class="empty">{"The image's layers will appear here, bottom to top: read-only image layers under a thin read-write container layer. Drop an image archive to see its real layers."}</p>
        </section>
    }
}

#[function_component(FileTreePane)]
pub fn file_tree_pane() -> Html {
    html! {
        <section class="pane pane-tree" aria-labelledby="pane-tree-title">
            <h2 id="pane-tree-title">{"File tree"}</h2>
            <p class="empty">{"Select a layer to see what it added, changed and deleted, or the merged file system a container sees."}</p>
        </section>
    }
}

#[function_component(OutputPane)]
pub fn output_pane() -> Html {
    html! {
        <section class="pane pane-output" aria-labelledby="pane-output-title">
            <h2 id="pane-output-title">{"History & diff"}</h2>
            <p class="empty">{"`docker image history` and `docker diff` output will appear here, exactly as Docker prints them."}</p>
        </section>
    }
}
