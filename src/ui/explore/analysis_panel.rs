//! Efficiency and wasted bytes: dive's figures (as dive computes them) beside ours (only copies
//! nobody sees), the top wasteful paths with the reason, and layer sharing between loaded images.

use super::super::store::StoreHandle;
use crate::viewmodel::human_bytes;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

fn pct(v: Option<f64>) -> String {
    v.map_or("n/a (no user layers)".to_string(), |v| {
        format!("{:.2} %", v * 100.0)
    })
}

#[function_component(AnalysisPanel)]
pub fn analysis_panel(props: &Props) -> Html {
    let ex = &props.store.0.explore;
    let Some(im) = ex.current() else {
        return html! { <p class="empty">{"Load an image to see where space is wasted."}</p> };
    };
    let Some(a) = im.analysis.as_ref() else {
        return html! { <p class="muted">{"Analysing…"}</p> };
    };
    let top = a.top.iter().map(|w| html! {
        <li><code>{ &w.path }</code>{ format!(" — {} wasted", human_bytes(w.wasted)) }<br /><span class="muted">{ &w.reason }</span></li>
    });
    // Sharing: layers of other loaded images with the same diff_id at the same position below.
    let shared: Vec<Html> = ex.images.iter().enumerate()
        .filter(|(i, _)| Some(*i) != ex.image)
        .map(|(_, o)| {
            let n = im.layers.iter().zip(&o.layers).take_while(|(x, y)| x.diff_id == y.diff_id).count();
            let bytes: u64 = im.layers.iter().take(n).map(|l| l.size).sum();
            html! { <li>{ format!("{}: {n} of {} layers shared ({})", o.label(), im.layers.len(), human_bytes(bytes)) }</li> }
        })
        .collect();
    html! {
        <div class="analysis" data-testid="analysis">
            <table class="figures">
                <thead><tr><th></th><th>{"dive"}</th><th>{"layerscope"}</th></tr></thead>
                <tbody>
                    <tr><th>{"Efficiency"}</th><td>{ format!("{:.4} %", a.dive_efficiency * 100.0) }</td><td>{ format!("{:.4} %", a.ours_efficiency * 100.0) }</td></tr>
                    <tr><th>{"Wasted bytes"}</th><td>{ human_bytes(a.dive_wasted) }</td><td>{ human_bytes(a.ours_wasted) }</td></tr>
                    <tr><th>{"User wasted"}</th><td>{ pct(a.dive_user_wasted_percent) }</td><td>{ pct(a.ours_user_wasted_percent) }</td></tr>
                </tbody>
            </table>
            <p class="muted">{ format!("dive counts every copy of a path stored more than once, the visible one too, and treats only layer 0 as the base. layerscope counts only copies nobody sees, and treats the first {} layer(s) as the base image.", a.base_layers) }</p>
            <h3>{"Most wasteful paths"}</h3>
            if a.top.is_empty() { <p class="muted">{"No wasted copies."}</p> } else { <ol class="waste">{ for top }</ol> }
            if !shared.is_empty() { <><h3>{"Layer sharing"}</h3><ul>{ for shared }</ul></> }
        </div>
    }
}
