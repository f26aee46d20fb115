//! The explore view: dropped image archives; issue 7 fills the layer stack, file tree, history
//! and analysis panes.

mod file_tree_pane;
mod layer_stack_pane;
mod output_pane;

pub use file_tree_pane::FileTreePane;
pub use layer_stack_pane::LayerStackPane;
pub use output_pane::OutputPane;

use super::store::StoreHandle;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(ExploreView)]
pub fn explore_view(props: &Props) -> Html {
    let archives = props.store.0.explore.archives.iter().map(|(name, size)| {
        html! { <li>{ format!("{name} ({})", crate::viewmodel::human_bytes(*size)) }</li> }
    });
    html! {
        <main class="panes view-explore">
            <section class="pane pane-dockerfile" aria-labelledby="pane-images-title">
                <h2 id="pane-images-title">{"Images"}</h2>
                <ul class="archives">{ for archives }</ul>
            </section>
            <LayerStackPane />
            <FileTreePane />
            <OutputPane />
        </main>
    }
}
