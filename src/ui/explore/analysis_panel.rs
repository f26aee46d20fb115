//! Efficiency and wasted bytes: dive's figures (as dive computes them) beside ours (only copies
//! nobody sees), the top wasteful paths with the reason, and layer sharing between loaded images.

use super::super::store::StoreHandle;
use crate::viewmodel::explore::text::waste_reason;
use crate::viewmodel::{human_bytes, Key, Lang};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

fn pct(v: Option<f64>, lang: Lang) -> String {
    v.map_or(Key::ExNoUserLayers.t(lang).to_string(), |v| {
        format!("{:.2} %", v * 100.0)
    })
}

#[function_component(AnalysisPanel)]
pub fn analysis_panel(props: &Props) -> Html {
    let ex = &props.store.0.explore;
    let lang = props.store.0.lab.lang;
    let Some(im) = ex.current() else {
        return html! { <p class="empty">{ Key::ExAnalysisEmpty.t(lang) }</p> };
    };
    let Some(a) = im.analysis.as_ref() else {
        return html! { <p class="muted">{ Key::ExAnalysing.t(lang) }</p> };
    };
    let top = a.top.iter().map(|w| html! {
        <li><code>{ &w.path }</code>{ Key::ExWasted.f(lang, &[&human_bytes(w.wasted)]) }<br /><span class="muted">{ waste_reason(&w.reason, lang) }</span></li>
    });
    // Sharing: layers of other loaded images with the same diff_id at the same position below.
    let shared: Vec<Html> = ex
        .images
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != ex.image)
        .map(|(_, o)| {
            let n = im
                .layers
                .iter()
                .zip(&o.layers)
                .take_while(|(x, y)| x.diff_id == y.diff_id)
                .count();
            let bytes: u64 = im.layers.iter().take(n).map(|l| l.size).sum();
            let text = Key::ExShared.f(
                lang,
                &[
                    &n.to_string(),
                    &im.layers.len().to_string(),
                    &human_bytes(bytes),
                ],
            );
            html! { <li><span class="image-name">{ o.label() }</span>{ text }</li> }
        })
        .collect();
    html! {
        <div class="analysis" data-testid="analysis">
            <table class="figures">
                <thead><tr><th></th><th>{"dive"}</th><th>{"layerscope"}</th></tr></thead>
                <tbody>
                    <tr><th>{ Key::ExEfficiency.t(lang) }</th><td>{ format!("{:.4} %", a.dive_efficiency * 100.0) }</td><td>{ format!("{:.4} %", a.ours_efficiency * 100.0) }</td></tr>
                    <tr><th>{ Key::ExWastedBytes.t(lang) }</th><td>{ human_bytes(a.dive_wasted) }</td><td>{ human_bytes(a.ours_wasted) }</td></tr>
                    <tr><th>{ Key::ExUserWasted.t(lang) }</th><td>{ pct(a.dive_user_wasted_percent, lang) }</td><td>{ pct(a.ours_user_wasted_percent, lang) }</td></tr>
                </tbody>
            </table>
            <p class="muted">{ Key::ExDiveVsOurs.f(lang, &[&lang.layers(a.base_layers)]) }</p>
            <h3>{ Key::ExMostWasteful.t(lang) }</h3>
            if a.top.is_empty() { <p class="muted">{ Key::ExNoWaste.t(lang) }</p> } else { <ol class="waste">{ for top }</ol> }
            if !shared.is_empty() { <><h3>{ Key::ExLayerSharing.t(lang) }</h3><ul>{ for shared }</ul></> }
        </div>
    }
}
