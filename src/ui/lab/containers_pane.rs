//! Containers: start buttons per image, and one card per container (see `container_card`).
//! Empty state says what a container is.

use super::container_card::ContainerCard;
use crate::ui::store::StoreHandle;
use crate::viewmodel::{Action, Key, LabAction};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(ContainersPane)]
pub fn containers_pane(props: &Props) -> Html {
    let state = &props.store.0.lab;
    let lang = state.lang;
    let starts = state.images().into_iter().enumerate().filter_map(|(i, b)| b.map(|b| (i, b.name.clone()))).map(|(i, name)| {
        let store = props.store.clone();
        html! {
            <button class="small-btn" data-testid={format!("start-{name}")}
                onclick={Callback::from(move |_| store.dispatch(Action::Lab(LabAction::StartContainer(i))))}>
                { format!("docker run {name}") }
            </button>
        }
    });
    html! {
        <section class="pane pane-containers" aria-labelledby="pane-containers-title">
            <h2 id="pane-containers-title">{ Key::Containers.t(lang) }</h2>
            <div class="start-row"><span>{ Key::StartContainer.t(lang) }{": "}</span>{ for starts }</div>
            if state.containers.is_empty() {
                <p class="empty">{ Key::NoContainers.t(lang) }</p>
            }
            if let Some(n) = &state.note { <pre class="out note" data-testid="note">{ n }</pre> }
            <div class="cards">{ for state.containers.iter().enumerate().map(|(i, c)| html! { <ContainerCard key={c.name.clone()} store={props.store.clone()} index={i} /> }) }</div>
        </section>
    }
}
