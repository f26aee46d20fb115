//! The header: product name, tagline and the file picker.

use super::store::StoreHandle;
use crate::viewmodel::{Action, View};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(Header)]
pub fn header(props: &Props) -> Html {
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
    let view = props.store.0.view;
    let switch = |v: View, label: &'static str| {
        let store = props.store.clone();
        let selected = view == v;
        html! {
            <button role="tab" class={classes!("view-tab", selected.then_some("selected"))}
                aria-selected={selected.to_string()}
                onclick={Callback::from(move |_| store.dispatch(Action::SetView(v)))}>{ label }</button>
        }
    };
    html! {
        <header class="header">
            <h1 class="brand"><span class="brand-mark" aria-hidden="true">{"▤"}</span>{"layerscope"}</h1>
            <p class="tagline">{"Container image layers, explained — entirely in your browser."}</p>
            <nav role="tablist" aria-label="View" class="view-switch">
                { switch(View::Lab, "Lab") }
                { switch(View::Explore, "Explore archives") }
            </nav>
            <label class="picker">
                {"Open archive or Dockerfile…"}
                <input id="file-picker" type="file" multiple=true
                    accept=".tar,.tar.gz,.tgz,.dockerfile,Dockerfile,Containerfile,application/x-tar,application/gzip,text/plain"
                    {onchange} />
            </label>
        </header>
    }
}
