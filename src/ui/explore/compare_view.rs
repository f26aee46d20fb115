//! Two loaded images side by side: shared layers joined, unique layers apart, and the paths that
//! differ between their final file systems.

use super::super::store::StoreHandle;
use crate::viewmodel::explore::compare::compare;
use crate::viewmodel::{human_bytes, Key};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(CompareView)]
pub fn compare_view(props: &Props) -> Html {
    let ex = &props.store.0.explore;
    let lang = props.store.0.lab.lang;
    let (Some(a), Some(b)) = (ex.current(), ex.compare_with.and_then(|i| ex.images.get(i))) else {
        return html! { <p class="empty">{ Key::ExCompareEmpty.f(lang, &[Key::ExCompare.t(lang)]) }</p> };
    };
    if a.pending || b.pending {
        return html! { <p class="empty">{ Key::ExCompareWaiting.t(lang) }</p> };
    }
    let c = compare(a, b);
    let col = |im: &crate::viewmodel::explore::LoadedImage, unique: &[usize]| {
        let items = unique.iter().rev().map(|&l| {
            let lv = &im.layers[l];
            html! { <li class="layer-block unique">{ Key::ExLayerSize.f(lang, &[&l.to_string(), &human_bytes(lv.size)]) }</li> }
        });
        html! { <div class="cmp-col"><h4 class="image-name">{ im.label() }</h4><ul>{ for items }</ul></div> }
    };
    let diffs = c.diffs.iter().take(500).map(|d| {
        let class = match d.sign { '+' => "chg-added", '-' => "chg-deleted", _ => "chg-modified" };
        html! { <li class={class}><code>{ format!("{} {}", d.sign, d.path) }</code>{ format!(" {} → {}", human_bytes(d.size_a), human_bytes(d.size_b)) }</li> }
    });
    html! {
        <div class="compare" data-testid="compare">
            <div class="cmp-cols">{ col(a, &c.unique_a) }{ col(b, &c.unique_b) }</div>
            <div class="layer-block shared">{ Key::ExSharedLayers.f(lang, &[&c.shared.to_string()]) }</div>
            <h3>{ Key::ExPathsDiffer.f(lang, &[&c.diffs.len().to_string()]) }</h3>
            <ul class="diff-list">{ for diffs }</ul>
        </div>
    }
}
