//! `docker push` output: per push, which layers were uploaded and which the registry already had
//! (mounted from another repository or already in this one).

use crate::ui::store::StoreHandle;
use crate::viewmodel::Key;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(PushOutput)]
pub fn push_output(props: &Props) -> Html {
    let state = &props.store.0.lab;
    if state.pushes.is_empty() {
        return html! { <p class="empty" data-testid="push-empty">{ Key::PushEmpty.t(state.lang) }</p> };
    }
    html! {
        <div class="push-output" data-testid="push-output" aria-live="polite">
            { for state.pushes.iter().rev().take(2).map(|p| {
                let up = p.layers.iter().filter(|(_, u)| *u).count();
                html! {
                    <div class="push">
                        <p class="push-summary">{ format!("{}: {} ↑ / {} ✓", p.image, up, p.layers.len() - up) }</p>
                        <pre class="out">{ for p.text.lines().map(|l| {
                            let c = if l.ends_with(": Pushed") { "push-up" } else if l.contains(": Mounted from") || l.ends_with(": Layer already exists") { "push-skip" } else { "" };
                            html! { <span class={c}>{ l }{"\n"}</span> }
                        }) }</pre>
                    </div>
                }
            }) }
        </div>
    }
}
