//! Two loaded images side by side: shared layers joined, unique layers apart, and the paths that
//! differ between their final file systems.

use super::super::store::StoreHandle;
use crate::viewmodel::explore::compare::compare;
use crate::viewmodel::human_bytes;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(CompareView)]
pub fn compare_view(props: &Props) -> Html {
    let ex = &props.store.0.explore;
    let (Some(a), Some(b)) = (ex.current(), ex.compare_with.and_then(|i| ex.images.get(i))) else {
        return html! { <p class="empty">{"Load two images and press “Compare” on the second one in the image list."}</p> };
    };
    if a.pending || b.pending {
        return html! { <p class="empty">{"Working out the layers' changes…"}</p> };
    }
    let c = compare(a, b);
    let col = |im: &crate::viewmodel::explore::LoadedImage, unique: &[usize]| {
        let items = unique.iter().rev().map(|&l| {
            let lv = &im.layers[l];
            html! { <li class="layer-block unique">{ format!("layer {l} · {}", human_bytes(lv.size)) }</li> }
        });
        html! { <div class="cmp-col"><h4>{ im.label() }</h4><ul>{ for items }</ul></div> }
    };
    let diffs = c.diffs.iter().take(500).map(|d| {
        let class = match d.sign { '+' => "chg-added", '-' => "chg-deleted", _ => "chg-modified" };
        html! { <li class={class}><code>{ format!("{} {}", d.sign, d.path) }</code>{ format!(" {} → {}", human_bytes(d.size_a), human_bytes(d.size_b)) }</li> }
    });
    html! {
        <div class="compare" data-testid="compare">
            <div class="cmp-cols">{ col(a, &c.unique_a) }{ col(b, &c.unique_b) }</div>
            <div class="layer-block shared">{ format!("{} shared layer(s)", c.shared) }</div>
            <h3>{ format!("{} paths differ", c.diffs.len()) }</h3>
            <ul class="diff-list">{ for diffs }</ul>
        </div>
    }
}
