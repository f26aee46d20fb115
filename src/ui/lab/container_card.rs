//! One container: its thin read-write layer drawn on top of the image's read-only stack (paths,
//! with the last command's copy-ups and whiteouts animated), a console that runs shell commands,
//! Reset / Commit / Remove, and the `docker diff` and `docker ps -s` panels.

use crate::ui::store::StoreHandle;
use crate::viewmodel::lab::containers::RwEvent;
use crate::viewmodel::{human_bytes, Action, Key, LabAction};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
    pub index: usize,
}

#[function_component(ContainerCard)]
pub fn container_card(props: &Props) -> Html {
    let state = &props.store.0.lab;
    let lang = state.lang;
    let i = props.index;
    let input = use_state(String::new);
    let Some(c) = state.containers.get(i) else {
        return html! {};
    };
    let layers = c.image_layers;
    let act = |a: LabAction| {
        let store = props.store.clone();
        Callback::from(move |_| store.dispatch(Action::Lab(a.clone())))
    };
    let onsubmit = {
        let store = props.store.clone();
        let input = input.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            store.dispatch(Action::Lab(LabAction::Run {
                container: i,
                command: (*input).clone(),
            }));
            input.set(String::new());
        })
    };
    let oninput = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            input.set(el.value());
        })
    };
    let events = c.events.iter().map(|e| match e {
        RwEvent::CopyUp { path, from_layer, size } => html! {
            <li class="ev ev-copyup" data-testid="copy-up" title={Key::CopyUpTip.t(lang)} key={format!("{}-{path}", c.version)}>
                { Key::CopyUpEvent.f(lang, &[path, &from_layer.to_string(), &human_bytes(*size)]) }
            </li>
        },
        RwEvent::Added { path } => html! { <li class="ev ev-added" key={format!("{}-{path}", c.version)}>{ format!("+ {path}") }</li> },
        RwEvent::Whiteout { path, from_layer } => html! {
            <li class="ev ev-whiteout" data-testid="whiteout" title={Key::WhiteoutTip.t(lang)} key={format!("{}-{path}", c.version)}>
                { Key::WhiteoutEvent.f(lang, &[path, &from_layer.to_string()]) }
            </li>
        },
    });
    let rw = &c.rw_paths;
    let diff = c.diff.clone();
    html! {
        <article class="container-card" data-testid={format!("container-{}", c.name)} aria-label={c.name.clone()}>
            <header class="card-head">
                <strong>{ &c.name }</strong>
                <span class="muted">{ format!(" ({})", c.image_name) }</span>
                <span class="card-actions">
                    <button class="small-btn" onclick={act(LabAction::ResetContainer(i))}>{ Key::Reset.t(lang) }</button>
                    <button class="small-btn" data-testid="commit" title={Key::CommitTip.t(lang)} onclick={act(LabAction::CommitContainer(i))}>{ Key::Commit.t(lang) }</button>
                    <button class="small-btn" onclick={act(LabAction::RemoveContainer(i))}>{ Key::Remove.t(lang) }</button>
                </span>
            </header>
            <div class="rw-layer" title={Key::RwLayerTip.t(lang)} data-testid="rw-layer">
                <span class="rw-label">{ Key::RwLabel.f(lang, &[&human_bytes(c.rw_bytes)]) }</span>
                <ul class="events" aria-live="polite">{ for events }</ul>
                <ul class="rw-paths">
                    { for rw.iter().map(|(p, k)| html! { <li class={format!("rw-{k}")} title={if *k == 'w' { Key::WhiteoutTip.t(lang) } else { "" }}>{ if *k == 'w' { Key::WhiteoutMark.f(lang, &[p]) } else { p.clone() } }</li> }) }
                </ul>
            </div>
            <div class="ro-stack">{ Key::RoStack.f(lang, &[&c.image_name, &layers.to_string()]) }</div>
            <pre class="console out" data-testid="console">
                { for c.console.iter().map(|e| html! { <>
                    <span class="prompt">{ format!("/ # {}\n", e.command) }</span>
                    <span class={classes!((e.status != 0).then_some("err"))}>{ &e.output }</span>
                </> }) }
            </pre>
            <form class="console-form" {onsubmit}>
                <span class="prompt" aria-hidden="true">{"/ #"}</span>
                <input type="text" class="console-input" data-testid="console-input" spellcheck="false"
                    aria-label={format!("{} {}", Key::Run.t(lang), c.name)}
                    placeholder={Key::ConsolePlaceholder.t(lang)} value={(*input).clone()} {oninput} />
                <button type="submit" class="small-btn">{ Key::Run.t(lang) }</button>
            </form>
            <div class="diff-panels">
                <div>
                    <h3>{ format!("$ docker diff {}", c.name) }</h3>
                    <pre class="out" data-testid="docker-diff">{ if diff.is_empty() { Key::NoDiff.t(lang).to_string() } else { diff } }</pre>
                </div>
                <div>
                    <h3>{ "$ docker ps -s" }</h3>
                    <pre class="out" data-testid="docker-ps">{ c.ps.clone() }</pre>
                </div>
            </div>
        </article>
    }
}
