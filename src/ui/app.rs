//! The page layout: header, the four panes, the status bar, and the page-wide drop zone.

use super::dockerfile_pane::DockerfilePane;
use super::drop_zone::DropZone;
use super::file_tree_pane::FileTreePane;
use super::header::Header;
use super::layer_stack_pane::LayerStackPane;
use super::output_pane::OutputPane;
use super::status_bar::StatusBar;
use super::store::Store;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let store = use_reducer(Store::default);
    html! {
        <DropZone store={store.clone()}>
            <div class="app">
                <Header store={store.clone()} />
                <main class="panes">
                    <DockerfilePane store={store.clone()} />
                    <LayerStackPane />
                    <FileTreePane />
                    <OutputPane />
                </main>
                <StatusBar store={store.clone()} />
            </div>
        </DropZone>
    }
}
