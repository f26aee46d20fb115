//! A file's preview, read on demand from the archive: text, or a hex dump for binary content.

use super::super::store::StoreHandle;
use crate::viewmodel::explore::PreviewText;
use crate::viewmodel::Key;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(PreviewPane)]
pub fn preview_pane(props: &Props) -> Html {
    let lang = props.store.0.lab.lang;
    let Some(p) = props.store.0.explore.preview.as_ref() else {
        return html! {};
    };
    let body = match (&p.text, &p.error) {
        (_, Some(e)) => {
            html! { <p class="load-error" role="alert">{ Key::StatusReadFailed.f(lang, &[&p.path, e]) }</p> }
        }
        (None, None) => html! { <p class="muted">{ Key::ExReading.t(lang) }</p> },
        (Some(PreviewText::Text(t)), None) => {
            html! { <pre class="preview-text" data-testid="preview">{ t }</pre> }
        }
        (Some(PreviewText::Hex { lines, truncated }), None) => html! {
            <>
                <pre class="preview-hex" data-testid="preview">{ lines.join("\n") }</pre>
                if *truncated { <p class="muted">{ Key::ExHexCut.t(lang) }</p> }
            </>
        },
    };
    html! { <div class="preview" aria-live="polite">{ body }</div> }
}
