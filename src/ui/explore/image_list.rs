//! The loaded images: one entry per image with its tag, platform and archive; choosing one shows
//! it, and a second one can be chosen for comparison.

use super::super::store::StoreHandle;
use crate::viewmodel::{human_bytes, Action, ExploreAction};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(ImageList)]
pub fn image_list(props: &Props) -> Html {
    let ex = &props.store.0.explore;
    if ex.images.is_empty() {
        return html! {
            <p class="empty">{"Drop one or several image archives (docker save, OCI, .tar.gz) anywhere on the page, or use “Open archive…”. They are read here, in your browser; nothing is uploaded."}</p>
        };
    }
    let items = ex.images.iter().enumerate().map(|(i, im)| {
        let selected = ex.image == Some(i);
        let store = props.store.clone();
        let onclick = Callback::from(move |_| store.dispatch(Action::Explore(ExploreAction::SelectImage(i))));
        let store = props.store.clone();
        let compared = ex.compare_with == Some(i);
        let oncompare = Callback::from(move |_| {
            store.dispatch(Action::Explore(ExploreAction::CompareWith(if compared { None } else { Some(i) })))
        });
        html! {
            <li class={classes!("image-item", selected.then_some("selected"))}>
                <button class="image-pick" aria-pressed={selected.to_string()} {onclick} data-testid="image-item">
                    <span class="image-tag">{ im.label() }</span>
                    <span class="image-meta">{ format!("{} · {} layers · {} · {}", im.platform, im.layers.len(), human_bytes(im.size()), im.archive) }</span>
                </button>
                if !selected {
                    <button class="compare-pick" aria-pressed={compared.to_string()} onclick={oncompare}
                        title="Compare with the selected image">{ if compared { "Comparing" } else { "Compare" } }</button>
                }
            </li>
        }
    });
    html! { <ul class="image-list" aria-label="Loaded images">{ for items }</ul> }
}
