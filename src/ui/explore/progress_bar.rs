//! Loading progress of each archive being read: bytes read of the total, layers read (of how
//! many, once the manifests are read), and a cancel button.

use super::super::store::StoreHandle;
use super::worker_client;
use crate::viewmodel::explore::Job;
use crate::viewmodel::{human_bytes, Key, Lang};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

/// `Reading app.tar — 3.1 MB of 22 MB, layer 2 of 3`.
pub fn progress_text(j: &Job, lang: Lang) -> String {
    let layers = match (j.layers, j.layers_total) {
        (_, Some(t)) => {
            Key::ExProgressLayersOf.f(lang, &[&j.layers.min(t).to_string(), &t.to_string()])
        }
        (0, None) => String::new(),
        (n, None) => Key::ExProgressLayers.f(lang, &[&n.to_string()]),
    };
    Key::ExProgress.f(
        lang,
        &[
            &j.name,
            &human_bytes(j.bytes),
            &human_bytes(j.size),
            &layers,
        ],
    )
}

#[function_component(ProgressBars)]
pub fn progress_bars(props: &Props) -> Html {
    let lang = props.store.0.lab.lang;
    let jobs = props.store.0.explore.jobs.iter().map(|j| {
        let store = props.store.clone();
        let job = j.job;
        let cancel = Callback::from(move |_| worker_client::cancel(&store, job));
        let pct = (j.bytes.min(j.size) * 100).checked_div(j.size).unwrap_or(0) as u32;
        html! {
            <div class="load-progress" data-testid="progress">
                <label>
                    { progress_text(j, lang) }
                    <progress max="100" value={pct.to_string()} aria-valuetext={format!("{pct}%")} />
                </label>
                <button class="cancel" onclick={cancel}>{ Key::ExCancel.t(lang) }</button>
            </div>
        }
    });
    let errors = props.store.0.explore.errors.iter().map(|e| {
        html! { <p class="load-error" role="alert" data-testid="load-error">{ Key::ExLoadError.f(lang, &[e]) }</p> }
    });
    html! { <div class="loads">{ for jobs }{ for errors }</div> }
}
