//! The loaded images: one entry per image with its tags, platform and archive; choosing one shows
//! it, and a second one can be chosen for comparison. The other platforms of a multi-platform
//! archive are listed with a button that reads that platform too.

use super::super::store::StoreHandle;
use super::worker_client;
use crate::viewmodel::{human_bytes, Action, ExploreAction, Key};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(ImageList)]
pub fn image_list(props: &Props) -> Html {
    let ex = &props.store.0.explore;
    let lang = props.store.0.lab.lang;
    if ex.images.is_empty() {
        return html! {
            <p class="empty">{ Key::ExImagesEmpty.f(lang, &[Key::OpenFile.t(lang)]) }</p>
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
        let more_tags = (im.tags.len() > 1).then(|| im.tags[1..].join(", "));
        // Those not read yet (from the same archive).
        let loaded = |p: &String| ex.images.iter().any(|o| o.archive == im.archive && &o.platform == p);
        let platforms = im.other_platforms.iter().filter(|p| !loaded(p)).map(|p| {
            let store = props.store.clone();
            let (job, plat) = (im.job, p.clone());
            let onclick = Callback::from(move |_| worker_client::reread(&store, job, &plat));
            html! { <button class="platform-pick" {onclick} data-testid="platform-pick" title={Key::ExPlatformPickTip.f(lang, &[p])}>{ p }</button> }
        }).collect::<Vec<_>>();
        html! { <>
            <li class={classes!("image-item", selected.then_some("selected"))}>
                <button class="image-pick" aria-pressed={selected.to_string()} {onclick} data-testid="image-item">
                    <span class="image-tag">{ im.label() }</span>
                    if let Some(t) = more_tags { <span class="image-meta image-tags" data-testid="more-tags">{ Key::ExAlsoTagged.t(lang) }<span class="image-name">{ t }</span></span> }
                    <span class="image-meta"><span class="platform">{ &im.platform }</span>{ format!(" · {} · {} · ", lang.layers(im.layers.len()), human_bytes(im.size())) }<span class="archive-name">{ &im.archive }</span></span>
                </button>

                if !selected {
                    <button class="compare-pick" aria-pressed={compared.to_string()} onclick={oncompare}
                        title={Key::ExCompareTip.t(lang)}>{ if compared { Key::ExComparing.t(lang) } else { Key::ExCompare.t(lang) } }</button>
                }
            </li>
            if !platforms.is_empty() {
                <li class="image-meta other-platforms">{ Key::ExOtherPlatforms.t(lang) }{ for platforms }</li>
            }
        </>
        }
    });
    html! { <ul class="image-list" aria-label={Key::ExLoadedImages.t(lang)}>{ for items }</ul> }
}
