//! The lab's toolbar: builder switch (BuildKit / classic), Share (copies the link with the state
//! in its fragment) and Embed (copies an iframe snippet); the copied text is also shown,
//! selectable, for browsers that refuse the clipboard. Embedded (no header), it also holds the
//! language switch.

use super::{browser, link_state};
use crate::build::Builder;
use crate::ui::store::StoreHandle;
use crate::viewmodel::lab::fragment::{embed_snippet, share_url};
use crate::viewmodel::{Action, Key, LabAction};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(Toolbar)]
pub fn toolbar(props: &Props) -> Html {
    let state = &props.store.0.lab;
    let lang = state.lang;
    let copied = use_state(|| None::<String>);
    let builder_btn = |b: Builder, label: &str| {
        let store = props.store.clone();
        let on = state.builder == b;
        html! {
            <button role="radio" aria-checked={on.to_string()} class={classes!("seg", on.then_some("on"))}
                data-testid={format!("builder-{}", b.as_str())}
                title={if b == Builder::Classic { Key::ClassicTip.t(lang) } else { Key::BuildKitTip.t(lang) }}
                onclick={Callback::from(move |_| store.dispatch(Action::Lab(LabAction::SetBuilder(b))))}>{ label }</button>
        }
    };
    // The state is deflated by the browser, asynchronously: the copied text shows once ready
    // (within milliseconds; hidden meanwhile, so what is shown is never the previous copy).
    let copy = |make: fn(&str, &str) -> String| {
        let copied = copied.clone();
        let snap = state.snapshot();
        Callback::from(move |_| {
            copied.set(None);
            let (copied, snap) = (copied.clone(), snap.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let (href, _, _) = browser::location();
                let text = make(&href, &link_state::encode(&snap).await);
                browser::copy_text(&text);
                copied.set(Some(text));
            });
        })
    };
    let share = copy(share_url);
    let embed = copy(|href, fragment| embed_snippet(href, fragment, "layerscope lab"));
    html! {
        <div class="lab-toolbar">
            <div role="radiogroup" aria-label={Key::Builder.t(lang)} class="segmented">
                <span class="seg-label">{ Key::Builder.t(lang) }</span>
                { builder_btn(Builder::BuildKit, "BuildKit") }
                { builder_btn(Builder::Classic, Key::Classic.t(lang)) }
            </div>
            if state.embed { { crate::ui::header::lang_switch(&props.store) } }
            <button class="small-btn" data-testid="share" onclick={share}>{ Key::Share.t(lang) }</button>
            <button class="small-btn" data-testid="embed" onclick={embed}>{ Key::Embed.t(lang) }</button>
            if let Some(t) = &*copied {
                <label class="copied">{ Key::Copied.t(lang) }
                    <input readonly=true data-testid="copied-text" value={t.clone()} /></label>
            }
        </div>
    }
}
