//! The build context editor: one tab per file (`app.py`, …), its text, a button to drop it from
//! the context, a field to add a file, and a drop target for text files (read here, up to
//! `MAX_CONTEXT_FILE` each; the page's own drop zone does not see them). Edits are debounced
//! into one rebuild like the Dockerfile's.

use crate::ui::store::StoreHandle;
use crate::viewmodel::lab::MAX_CONTEXT_FILE;
use crate::viewmodel::{Action, Key, LabAction, Status};
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
    let ondragover = Callback::from(|e: DragEvent| {
        e.prevent_default();
        e.stop_propagation();
    });
    let ondrop = {
        let store = props.store.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            e.stop_propagation();
            store.dispatch(Action::DragLeave);
            let Some(files) = e.data_transfer().and_then(|dt| dt.files()) else {
                return;
            };
            for f in (0..files.length()).filter_map(|i| files.get(i)) {
                let name = f.name();
                if f.size() > MAX_CONTEXT_FILE as f64 {
                    let limit = (MAX_CONTEXT_FILE / 1024).to_string();
                    store.dispatch(Action::Status {
                        status: Status::ReadFailed {
                            name,
                            message: Key::TooBig.f(lang, &[&limit]),
                        },
                        error: true,
                    });
                    continue;
                }
                let store = store.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let blob = gloo::file::Blob::from(web_sys::Blob::from(f));
                    match gloo::file::futures::read_as_text(&blob).await {
                        Ok(text) => {
                            store.dispatch(Action::Lab(LabAction::ContextFileRead { name, text }))
                        }
                        Err(e) => store.dispatch(Action::Status {
                            status: Status::ReadFailed {
                                name,
                                message: e.to_string(),
                            },
                            error: true,
                        }),
                    }
                });
            }
        })
    };
    html! {
        <section class="pane pane-context" aria-labelledby="pane-context-title" data-testid="context-pane" {ondragover} {ondrop}>
            <h2 id="pane-context-title">{ Key::ContextFiles.t(lang) }</h2>
            <p class="drop-context-hint">{ Key::DropContextHint.t(lang) }</p>
            <div role="tablist" class="tabs">{ for tabs }</div>
            { editor }
            <form class="add-file" onsubmit={add}>
                <input type="text" placeholder="util.py" aria-label={Key::AddFile.t(lang)} value={(*new_name).clone()} oninput={on_name} />
                <button type="submit" class="small-btn">{ Key::AddFile.t(lang) }</button>
            </form>
        </section>
    }
}
