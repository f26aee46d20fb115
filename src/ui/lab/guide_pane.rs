//! The guided lab: the open step's title and explanation, "try it", back / next, and leaving the
//! guide; closed, a button that starts it.

use crate::ui::store::StoreHandle;
use crate::viewmodel::lab::guide::steps;
use crate::viewmodel::{Action, Key, LabAction};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(GuidePane)]
pub fn guide_pane(props: &Props) -> Html {
    let state = &props.store.0.lab;
    let lang = state.lang;
    let go = |s: Option<usize>| {
        let store = props.store.clone();
        Callback::from(move |_| store.dispatch(Action::Lab(LabAction::Guide(s))))
    };
    let all = steps();
    let Some(n) = state.guide else {
        return html! {
            <section class="guide guide-closed">
                <button class="primary-btn" data-testid="guide-start" onclick={go(Some(0))}>{ Key::StartGuide.t(lang) }</button>
            </section>
        };
    };
    let step = &all[n];
    let try_it = {
        let store = props.store.clone();
        Callback::from(move |_| store.dispatch(Action::Lab(LabAction::GuideTry)))
    };
    html! {
        <section class="guide" aria-labelledby="guide-title" data-testid="guide" data-step={n.to_string()}>
            <p class="guide-count">{ format!("{} {} {} {}", Key::Step.t(lang), n + 1, Key::Of.t(lang), all.len()) }</p>
            <h2 id="guide-title">{ step.title(lang) }</h2>
            <p class="guide-body">{ step.body(lang) }</p>
            <div class="guide-actions">
                <button class="small-btn" disabled={n == 0} onclick={go(n.checked_sub(1))}>{ Key::Prev.t(lang) }</button>
                <button class="primary-btn" data-testid="guide-try" onclick={try_it}>{ Key::TryIt.t(lang) }</button>
                if n + 1 < all.len() {
                    <button class="small-btn" data-testid="guide-next" onclick={go(Some(n + 1))}>{ Key::Next.t(lang) }</button>
                }
                <button class="small-btn" onclick={go(None)}>{ Key::ExitGuide.t(lang) }</button>
            </div>
        </section>
    }
}
