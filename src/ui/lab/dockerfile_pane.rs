//! The Dockerfile pane: the seed lab's two Dockerfiles (and a dropped one) with line numbers.

use crate::ui::store::StoreHandle;
use crate::viewmodel::{Action, DockerfileTab, LabAction};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(DockerfilePane)]
pub fn dockerfile_pane(props: &Props) -> Html {
    let state = &props.store.0.lab;
    let tab = |t: DockerfileTab, label: String| {
        let store = props.store.clone();
        let selected = state.tab == t;
        html! {
            <button role="tab" class={classes!("tab", selected.then_some("selected"))}
                aria-selected={selected.to_string()}
                onclick={Callback::from(move |_| store.dispatch(Action::Lab(LabAction::SelectTab(t))))}>
                { label }
            </button>
        }
    };
    let lines = state.active_dockerfile().lines().enumerate().map(|(i, line)| {
        html! { <div class="code-line"><span class="ln">{ i + 1 }</span><span class="src">{ line }</span></div> }
    });
    html! {
        <section class="pane pane-dockerfile" aria-labelledby="pane-dockerfile-title">
            <h2 id="pane-dockerfile-title">{"Dockerfile"}</h2>
            <div role="tablist" class="tabs">
                { tab(DockerfileTab::App, "app".into()) }
                { tab(DockerfileTab::App2, "app2".into()) }
                if let Some((name, _)) = &state.user_dockerfile {
                    { tab(DockerfileTab::User, name.clone()) }
                }
            </div>
            <pre class="code" role="tabpanel" data-testid="dockerfile-text">{ for lines }</pre>
        </section>
    }
}
