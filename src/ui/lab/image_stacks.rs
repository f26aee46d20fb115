//! The images side by side: each image's own top layers in its column, the layers app and app2
//! share drawn once as one joined block below them, with bytes stored once versus twice; a layer
//! is a button that selects it (and highlights its instruction); `docker push` per image.

use crate::ui::store::StoreHandle;
use crate::viewmodel::lab::sim::{shared_prefix, store_bytes, ImageBuild, LayerRow};
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
    let builds: Vec<Option<&ImageBuild>> = state
        .builds
        .images
        .iter()
        .map(|r| r.as_ref().ok())
        .collect();
    let (shared, shared_bytes) = match (
        builds.first().copied().flatten(),
        builds.get(1).copied().flatten(),
    ) {
        (Some(a), Some(b)) => shared_prefix(a, b),
        _ => (0, 0),
    };
    let layer_btn = |img: usize, l: &LayerRow, in_shared: bool| {
        let store = props.store.clone();
        let sel = state.selected == Some((img, l.index))
            || (in_shared && matches!(state.selected, Some((i, x)) if i < 2 && x == l.index));
        let target = (img, l.index);
        let title = format!(
            "{}\nsha256:{}… · {} · {} files{}",
            l.created_by,
            l.short_id,
            human_bytes(l.size),
            l.files,
            if in_shared {
                format!("\n{}", Key::SharedTip.t(lang))
            } else {
                String::new()
            }
        );
        html! {
            <li>
                <button class={classes!("layer", sel.then_some("selected"), l.from_base.then_some("base-layer"))}
                    data-layer={l.index.to_string()} aria-pressed={sel.to_string()} {title}
                    onclick={Callback::from(move |_| store.dispatch(Action::Lab(LabAction::SelectLayer(Some(target)))))}>
                    <span class="layer-n">{ l.index }</span>
                    <span class="layer-by">{ short(&l.created_by, 46) }</span>
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
        match state.builds.images.get(i) {
            Some(Ok(b)) => {
                let from = if i < 2 { shared } else { 0 };
                html! {
                    <div class="stack" data-testid={format!("stack-{}", b.name)} data-layers={b.layers.len().to_string()}>
                        <h3>{ format!("{} · {} {}", b.name, b.layers.len(), Key::Layers.t(lang)) }</h3>
                        <ol class="layers" reversed=true>
                            { for b.layers[from..].iter().rev().map(|l| layer_btn(i, l, false)) }
                        </ol>
                        <button class="small-btn push-btn" onclick={push}>{ format!("docker push lab/{}", b.name) }</button>
                    </div>
                }
            }
            Some(Err(e)) => html! {
                <div class="stack stack-error" data-testid={format!("stack-{name}")}>
                    <h3>{ name }</h3>
                    <p class="error-text">{ format!("{}: {e}", Key::BuildFailed.t(lang)) }</p>
                </div>
            },
            None => html! {},
        }
    };
    let shared_block = match builds.first().copied().flatten() {
        Some(a) if shared > 0 => {
            let (twice, once) =
                store_bytes(&builds.iter().take(2).flatten().copied().collect::<Vec<_>>());
            let img = if state.tab.image() == 1 { 1 } else { 0 };
            html! {
                <div class="shared-block" data-testid="shared-block" data-layers={shared.to_string()} title={Key::SharedTip.t(lang)}>
                    <p class="shared-label">
                        <strong>{ format!("app + app2: {shared} {} · {}", Key::SharedLayers.t(lang), human_bytes(shared_bytes)) }</strong>
                        <span data-testid="store-bytes">{ format!(" — {} {} · {} {}", human_bytes(once), Key::StoredOnce.t(lang), human_bytes(twice), Key::StoredTwice.t(lang)) }</span>
                    </p>
                    <ol class="layers">
                        { for a.layers[..shared].iter().rev().map(|l| layer_btn(img, l, true)) }
                    </ol>
                </div>
            }
        }
        _ => html! {},
    };
    html! {
        <section class="pane pane-layers" aria-labelledby="pane-layers-title">
            <h2 id="pane-layers-title">{ Key::Images.t(lang) }
                if state.dirty { <span class="building" aria-live="polite">{ Key::Building.t(lang) }</span> }
            </h2>
            <p class="hint">{ Key::LayerTip.t(lang) }</p>
            <div class="stacks" data-testid="stacks">
                <div class="stack-tops">{ column(0) }{ column(1) }</div>
                { shared_block }
                if state.builds.images.len() > 2 { <div class="stack-tops">{ column(2) }</div> }
            </div>
            <super::push_output::PushOutput store={props.store.clone()} />
        </section>
    }
}
