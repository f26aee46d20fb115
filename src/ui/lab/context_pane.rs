//! The build context editor: one tab per file (`app.py`, …), its text, a button to drop it, and
//! a field to add a file. Edits are debounced into one rebuild like the Dockerfile's.

use crate::ui::store::StoreHandle;
use crate::viewmodel::{Action, Key, LabAction};
use gloo::timers::callback::Timeout;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(ContextPane)]
pub fn context_pane(props: &Props) -> Html {
    let state = &props.store.0.lab;
    let lang = state.lang;
    let timer = use_mut_ref(|| None::<Timeout>);
    let new_name = use_state(String::new);
    let tabs = state.context.iter().enumerate().map(|(i, (name, _))| {
        let store = props.store.clone();
        let selected = i == state.context_tab;
        html! {
            <button role="tab" class={classes!("tab", selected.then_some("selected"))} aria-selected={selected.to_string()}
                onclick={Callback::from(move |_| store.dispatch(Action::Lab(LabAction::SelectContextFile(i))))}>{ name }</button>
        }
    });
    let current = state.context.get(state.context_tab).cloned();
    let editor = match current {
        Some((name, text)) => {
            let oninput = {
                let store = props.store.clone();
                let timer = timer.clone();
                let name = name.clone();
                Callback::from(move |e: InputEvent| {
                    let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
                    store.dispatch(Action::Lab(LabAction::EditContext {
                        name: name.clone(),
                        text: area.value(),
                    }));
                    let store = store.clone();
                    *timer.borrow_mut() = Some(Timeout::new(
                        super::dockerfile_pane::DEBOUNCE_MS,
                        move || {
                            super::dockerfile_pane::rebuild(&store);
                        },
                    ));
                })
            };
            let drop = {
                let store = props.store.clone();
                let name = name.clone();
                Callback::from(move |_| {
                    store.dispatch(Action::Lab(LabAction::DropContext(name.clone())))
                })
            };
            html! {
                <>
                    <textarea class="context-input code" spellcheck="false" aria-label={name.clone()} data-testid="context-input"
                        rows={(text.lines().count().max(1) + 1).to_string()} value={text.clone()} {oninput} />
                    <button class="small-btn" onclick={drop} title={Key::DropFile.t(lang)}>{ format!("✕ {name}") }</button>
                </>
            }
        }
        None => html! { <p class="empty">{ Key::EmptyContext.t(lang) }</p> },
    };
    let add = {
        let store = props.store.clone();
        let new_name = new_name.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            store.dispatch(Action::Lab(LabAction::AddContext((*new_name).clone())));
            new_name.set(String::new());
        })
    };
    let on_name = {
        let new_name = new_name.clone();
        Callback::from(move |e: InputEvent| {
            let i: web_sys::HtmlInputElement = e.target_unchecked_into();
            new_name.set(i.value());
        })
    };
    html! {
        <section class="pane pane-context" aria-labelledby="pane-context-title">
            <h2 id="pane-context-title">{ Key::ContextFiles.t(lang) }</h2>
            <div role="tablist" class="tabs">{ for tabs }</div>
            { editor }
            <form class="add-file" onsubmit={add}>
                <input type="text" placeholder="util.py" aria-label={Key::AddFile.t(lang)} value={(*new_name).clone()} oninput={on_name} />
                <button type="submit" class="small-btn">{ Key::AddFile.t(lang) }</button>
            </form>
        </section>
    }
}
