//! The layer stack: one block per history step, newest on top, heights on a log scale of size,
//! empty steps thin, base-image layers grouped; click or arrow keys select a layer.

use super::super::store::StoreHandle;
use crate::viewmodel::explore::stack::{blocks, Block};
use crate::viewmodel::{human_bytes, Action, ExploreAction, Key};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(LayerStack)]
pub fn layer_stack_pane(props: &Props) -> Html {
    let ex = &props.store.0.explore;
    let Some(im) = ex.current() else {
        return html! {};
    };
    let lang = props.store.0.lab.lang;
    let all = blocks(im, lang);
    let selected = ex.layer;
    let block = |b: &Block| {
        let style = format!("height:{}px", b.height);
        match b.layer {
            Some(l) => {
                let store = props.store.clone();
                let onclick = Callback::from(move |_| {
                    store.dispatch(Action::Explore(ExploreAction::SelectLayer(l)))
                });
                let sel = l == selected;
                html! {
                    <li class={classes!("layer-block", sel.then_some("selected"))} {style}
                        role="option" aria-selected={sel.to_string()} {onclick} data-testid="layer-block"
                        title={Key::ExLayerTitle.f(lang, &[&l.to_string(), &b.label])}>
                        <span class="layer-size">{ human_bytes(b.size) }</span>
                        <span class="layer-label">{ &b.label }</span>
                    </li>
                }
            }
            None => html! {
                <li class="layer-block empty-step" {style} title={Key::ExEmptyStepTip.f(lang, &[&b.label])}
                    data-testid="empty-step" aria-hidden="true"></li>
            },
        }
    };
    // Newest on top: render in reverse, the base group as one box.
    let (base, user): (Vec<&Block>, Vec<&Block>) = all.iter().partition(|b| b.base);
    let store = props.store.clone();
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        let d = match e.key().as_str() {
            "ArrowUp" => 1,
            "ArrowDown" => -1,
            _ => return,
        };
        e.prevent_default();
        store.dispatch(Action::Explore(ExploreAction::MoveLayer(d)));
    });
    html! {
        <div class="layer-stack-wrap">
            <h3 id="stack-title">{ Key::ExLayerStack.t(lang) }</h3>
            <ul class="layer-stack" role="listbox" tabindex="0" aria-labelledby="stack-title" {onkeydown}
                aria-activedescendant={format!("layer-{selected}")}>
                { for user.iter().rev().map(|b| block(b)) }
                if !base.is_empty() {
                    <li class="base-group" aria-label={Key::ExBaseImageLayers.t(lang)}>
                        <span class="base-label">{ Key::ExBaseImage.t(lang) }</span>
                        <ul>{ for base.iter().rev().map(|b| block(b)) }</ul>
                    </li>
                }
            </ul>
        </div>
    }
}
