//! The explore view: dropped image archives read by a Web Worker, with the image list and
//! loading progress, the layer stack, the file tree (changes or merged view) with the details and
//! preview of a path, and the side panel (history, analysis, compare). One component per file.

mod analysis_panel;
mod compare_view;
mod file_tree_pane;
mod history_panel;
mod image_list;
mod layer_stack_pane;
mod path_details;
mod preview_pane;
mod progress_bar;
mod side_panel;
pub mod worker;
pub mod worker_client;
mod worker_pool;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod ssr_tests;

pub use file_tree_pane::FileTree;
pub use layer_stack_pane::LayerStack;
pub use side_panel::SidePanel;

use super::store::StoreHandle;
use crate::viewmodel::Key;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(ExploreView)]
pub fn explore_view(props: &Props) -> Html {
    let store = props.store.clone();
    let lang = store.0.lab.lang;
    html! {
        <main class="panes view-explore" lang={lang.code()}>
            <section class="pane pane-images" aria-labelledby="pane-images-title">
                <h2 id="pane-images-title">{ Key::Images.t(lang) }</h2>
                <progress_bar::ProgressBars store={store.clone()} />
                <image_list::ImageList store={store.clone()} />
                <LayerStack store={store.clone()} />
            </section>
            <FileTree store={store.clone()} />
            <SidePanel store={store} />
        </main>
    }
}
