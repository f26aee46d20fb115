//! A file's preview, read on demand from the archive: text, or a hex dump for binary content.

use super::super::store::StoreHandle;
use crate::viewmodel::explore::PreviewText;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(PreviewPane)]
pub fn preview_pane(props: &Props) -> Html {
    let Some(p) = props.store.0.explore.preview.as_ref() else {
        return html! {};
    };
    let body = match (&p.text, &p.error) {
        (_, Some(e)) => {
            html! { <p class="load-error" role="alert">{ format!("Could not read {}: {e}", p.path) }</p> }
        }
        (None, None) => html! { <p class="muted">{"Reading…"}</p> },
        (Some(PreviewText::Text(t)), None) => {
            html! { <pre class="preview-text" data-testid="preview">{ t }</pre> }
        }
        (Some(PreviewText::Hex { lines, truncated }), None) => html! {
            <>
                <pre class="preview-hex" data-testid="preview">{ lines.join("\n") }</pre>
                if *truncated { <p class="muted">{"Hex dump cut at 64 KiB."}</p> }
            </>
        },
    };
    html! { <div class="preview" aria-live="polite">{ body }</div> }
}
