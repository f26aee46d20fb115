//! The lab view (default): the seed Dockerfiles; issue 8 adds builds, containers and the guided lab.

mod dockerfile_pane;

use super::store::StoreHandle;
use dockerfile_pane::DockerfilePane;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(LabView)]
pub fn lab_view(props: &Props) -> Html {
    html! {
        <main class="panes view-lab">
            <DockerfilePane store={props.store.clone()} />
            <super::explore::LayerStackPane />
            <super::explore::FileTreePane />
            <super::explore::OutputPane />
        </main>
    }
}
