//! `docker image history` for the selected image, as Docker prints it; `<missing>` rows explained
//! on hover.

use super::super::store::StoreHandle;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

const MISSING: &str = "<missing>: Docker shows an IMAGE id only for the image itself. The rows below it are steps of its build whose intermediate images are not on this machine (they came with a pulled base image or were built elsewhere), so there is no local id to print. The layers are all there.";

#[function_component(HistoryPanel)]
pub fn history_panel(props: &Props) -> Html {
    let Some(im) = props.store.0.explore.current() else {
        return html! { <p class="empty">{"`docker image history` of a loaded image appears here, exactly as Docker prints it."}</p> };
    };
    let mut lines = im.history.iter();
    let header = lines.next().cloned().unwrap_or_default();
    let rows = lines.map(|l| {
        if let Some(rest) = l.strip_prefix("<missing>") {
            html! { <div class="history-row missing" title={MISSING} data-testid="history-row">
            <abbr title={MISSING}>{"<missing>"}</abbr>{ rest }</div> }
        } else {
            html! { <div class="history-row" data-testid="history-row">{ l }</div> }
        }
    });
    html! {
        <div class="history">
            <p class="muted"><code>{ format!("$ docker image history {}", im.label()) }</code></p>
            <pre class="history-table" aria-label="docker image history"><div class="history-head">{ header }</div>{ for rows }</pre>
        </div>
    }
}
