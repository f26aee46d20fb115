//! The header: product name, tagline, the view switch, the language switch and the file picker,
//! in the interface language.

use super::store::StoreHandle;
use crate::viewmodel::{Action, Key, LabAction, Lang, View};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

/// The EN / RU switch (the header's, or the lab toolbar's when embedded without a header).
pub fn lang_switch(store: &StoreHandle) -> Html {
    let lang = store.0.lab.lang;
    let btn = |l: Lang, label: &'static str| {
        let store = store.clone();
        let on = lang == l;
        html! {
            <button role="radio" aria-checked={on.to_string()} class={classes!("seg", on.then_some("on"))} lang={l.code()}
                data-testid={format!("lang-{}", l.code())}
                onclick={Callback::from(move |_| store.dispatch(Action::Lab(LabAction::SetLang(l))))}>{ label }</button>
        }
    };
    html! {
        <div role="radiogroup" aria-label={Key::Language.t(lang)} class="segmented lang-switch">
            { btn(Lang::En, "EN") }
            { btn(Lang::Ru, "RU") }
        </div>
    }
}

#[function_component(Header)]
pub fn header(props: &Props) -> Html {
    let lang = props.store.0.lab.lang;
    let onchange = {
        let store = props.store.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(files) = input.files() {
                super::drop_zone::receive_files(&store, &files);
            }
            input.set_value("");
        })
    };
    // A user reaching for the picker is about to read an archive: start the archive worker now
    // (not at page load, so the lab alone never downloads it).
    let warm_focus = Callback::from(|_: FocusEvent| super::explore::worker_client::prewarm());
    let warm_click = Callback::from(|_: MouseEvent| super::explore::worker_client::prewarm());
    let view = props.store.0.view;
    let switch = |v: View, key: Key| {
        let store = props.store.clone();
        let selected = view == v;
        html! {
            <button role="tab" class={classes!("view-tab", selected.then_some("selected"))}
                aria-selected={selected.to_string()} data-testid={format!("view-{v:?}").to_lowercase()}
                onclick={Callback::from(move |_| store.dispatch(Action::SetView(v)))}>{ key.t(lang) }</button>
        }
    };
    html! {
        <header class="header" lang={lang.code()}>
            <h1 class="brand"><span class="brand-mark" aria-hidden="true">{"▤"}</span>{"layerscope"}</h1>
            <p class="tagline">{ Key::Tagline.t(lang) }</p>
            <nav role="tablist" aria-label={Key::ViewSwitch.t(lang)} class="view-switch">
                { switch(View::Lab, Key::ViewLab) }
                { switch(View::Explore, Key::ViewExplore) }
            </nav>
            { lang_switch(&props.store) }
            <label class="picker">
                { Key::OpenFile.t(lang) }
                <input id="file-picker" type="file" multiple=true
                    accept=".tar,.tar.gz,.tgz,.dockerfile,Dockerfile,Containerfile,application/x-tar,application/gzip,text/plain"
                    {onchange} onfocus={warm_focus} onclick={warm_click} />
            </label>
        </header>
    }
}
