//! The images side by side: each image's own top layers in its column, the layers app and app2
//! share drawn once as one joined block below them (committed images and other images on the
//! same bottom layers stand on it too), with bytes stored once versus once per image; a layer
//! that an image shares with an earlier one above the block says so. A layer is a button that
//! selects it (and highlights its instruction); `docker push` per image; committed images can be
//! removed.

use crate::ui::store::StoreHandle;
use crate::viewmodel::lab::sim::LayerRow;
use crate::viewmodel::lab::view::{same_chain, shared_prefix, store_bytes, ImageView};
use crate::viewmodel::{human_bytes, Action, Key, LabAction};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        s.chars().take(n - 1).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

#[function_component(ImageStacks)]
pub fn image_stacks(props: &Props) -> Html {
    let state = &props.store.0.lab;
    let lang = state.lang;
    let images = state.images();
    let (shared, shared_bytes) = match (
        images.first().copied().flatten(),
        images.get(1).copied().flatten(),
    ) {
        (Some(a), Some(b)) => shared_prefix(a, b),
        _ => (0, 0),
    };
    // Images drawn on the joined block: app, app2 and every other image with the same bottom
    // layers (a committed image, a dropped Dockerfile on the same base).
    let joins = |i: usize| -> bool {
        match (
            images.first().copied().flatten(),
            images.get(i).copied().flatten(),
        ) {
            (Some(a), Some(b)) => i < 2 || (shared > 0 && same_chain(a, b, shared - 1)),
            _ => false,
        }
    };
    let joined: Vec<usize> = (0..images.len())
        .filter(|&i| shared > 0 && joins(i))
        .collect();
    let layer_btn = |img: usize, l: &LayerRow, in_shared: bool, same_as: Option<&str>| {
        let store = props.store.clone();
        let sel = state.selected == Some((img, l.index))
            || (in_shared
                && matches!(state.selected, Some((i, x)) if joined.contains(&i) && x == l.index));
        let target = (img, l.index);
        let mut title = format!(
            "{}\nsha256:{}… · {} · {} {}",
            l.created_by,
            l.short_id,
            human_bytes(l.size),
            l.files,
            Key::Files.t(lang)
        );
        if l.from_base {
            title = format!("{title}\n{}", Key::BaseLayerTip.t(lang));
        }
        if in_shared {
            title = format!("{title}\n{}", Key::SharedTip.t(lang));
        }
        if let Some(other) = same_as {
            title = format!("{title}\n{}", Key::SameLayerAs.f(lang, &[other]));
        }
        html! {
            <li>
                <button class={classes!("layer", sel.then_some("selected"), l.from_base.then_some("base-layer"), same_as.map(|_| "same-layer"))}
                    data-layer={l.index.to_string()} aria-pressed={sel.to_string()} {title}
                    onclick={Callback::from(move |_| store.dispatch(Action::Lab(LabAction::SelectLayer(Some(target)))))}>
                    <span class="layer-n">{ l.index }</span>
                    <span class="layer-by">{ short(&l.created_by, 46) }</span>
                    if let Some(other) = same_as { <span class="layer-same">{ format!("= {other}") }</span> }
                    <span class="layer-size">{ human_bytes(l.size) }</span>
                </button>
            </li>
        }
    };
    let column = |i: usize| -> Html {
        let name = ["app", "app2", "user"].get(i).copied().unwrap_or("image");
        let push = {
            let store = props.store.clone();
            Callback::from(move |_| store.dispatch(Action::Lab(LabAction::Push(i))))
        };
        match (images.get(i).copied().flatten(), state.build_error(i)) {
            (Some(b), _) => {
                let from = if joined.contains(&i) { shared } else { 0 };
                // A layer an earlier image already has at the same place of the same chain.
                let same_as = |k: usize| -> Option<String> {
                    (0..i).find_map(|j| {
                        images[j]
                            .filter(|o| same_chain(o, b, k))
                            .map(|o| o.name.clone())
                    })
                };
                let rows: Vec<(LayerRow, Option<String>)> = b.layers[from..]
                    .iter()
                    .rev()
                    .map(|l| (l.clone(), same_as(l.index)))
                    .collect();
                let remove = {
                    let store = props.store.clone();
                    Callback::from(move |_| store.dispatch(Action::Lab(LabAction::RemoveImage(i))))
                };
                html! {
                    <div class={classes!("stack", b.parent.is_some().then_some("stack-commit"))} data-testid={format!("stack-{}", b.name)} data-layers={b.layers.len().to_string()}>
                        <h3>{ format!("{} · {}", b.name, lang.layers(b.layers.len())) }
                            if b.parent.is_some() {
                                <button class="icon-btn" title={Key::RemoveImage.t(lang)} aria-label={Key::RemoveImage.t(lang)} onclick={remove}>{"✕"}</button>
                            }
                        </h3>
                        if let Some(p) = &b.parent { <p class="hint">{ Key::CommittedFrom.f(lang, &[p]) }</p> }
                        <ol class="layers" reversed=true>
                            { for rows.iter().map(|(l, same)| layer_btn(i, l, false, same.as_deref())) }
                        </ol>
                        <button class="small-btn push-btn" onclick={push}>{ format!("docker push lab/{}", b.name) }</button>
                    </div>
                }
            }
            (None, Some(e)) => html! {
                <div class="stack stack-error" data-testid={format!("stack-{name}")}>
                    <h3>{ name }</h3>
                    <p class="error-text">{ format!("{}: {e}", Key::BuildFailed.t(lang)) }</p>
                </div>
            },
            _ => html! {},
        }
    };
    let shared_block = match images.first().copied().flatten() {
        Some(a) if shared > 0 => {
            let members: Vec<&ImageView> = joined.iter().filter_map(|&i| images[i]).collect();
            let (apart, once) = store_bytes(&members);
            let names = members
                .iter()
                .map(|b| b.name.as_str())
                .collect::<Vec<_>>()
                .join(" + ");
            let img = if state.tab.image() == 1 { 1 } else { 0 };
            html! {
                <div class="shared-block" data-testid="shared-block" data-layers={shared.to_string()} title={Key::SharedTip.t(lang)}>
                    <p class="shared-label">
                        <strong>{ format!("{names}: {shared} {} · {}", Key::SharedLayers.t(lang), human_bytes(shared_bytes)) }</strong>
                        <span data-testid="store-bytes">{ format!(" — {} {} · {} {}", human_bytes(once), Key::StoredOnce.t(lang), human_bytes(apart), Key::StoredApart.t(lang)) }</span>
                    </p>
                    <ol class="layers">
                        { for a.layers[..shared].iter().rev().map(|l| layer_btn(img, l, true, None)) }
                    </ol>
                </div>
            }
        }
        _ => html! {},
    };
    let top_row: Vec<usize> = if joined.is_empty() {
        vec![0, 1]
    } else {
        joined.clone()
    };
    let apart: Vec<usize> = (0..images.len()).filter(|i| !top_row.contains(i)).collect();
    html! {
        <section class="pane pane-layers" aria-labelledby="pane-layers-title">
            <h2 id="pane-layers-title">{ Key::Images.t(lang) }
                if state.dirty { <span class="building" aria-live="polite">{ Key::Building.t(lang) }</span> }
            </h2>
            <p class="hint">{ Key::LayerTip.t(lang) }</p>
            <div class="stacks" data-testid="stacks">
                <div class="stack-tops">{ for top_row.iter().map(|&i| column(i)) }</div>
                { shared_block }
                if !apart.is_empty() { <div class="stack-tops">{ for apart.iter().map(|&i| column(i)) }</div> }
            </div>
            <super::push_output::PushOutput store={props.store.clone()} />
        </section>
    }
}
