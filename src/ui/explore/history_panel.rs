//! `docker image history` for the selected image, as Docker prints it; `<missing>` rows explained
//! on hover.

use super::super::store::StoreHandle;
use crate::viewmodel::Key;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(HistoryPanel)]
pub fn history_panel(props: &Props) -> Html {
    let lang = props.store.0.lab.lang;
    let missing = Key::ExMissingTip.t(lang);
    let Some(im) = props.store.0.explore.current() else {
        return html! { <p class="empty">{ Key::ExHistoryEmpty.t(lang) }</p> };
    };
    let mut lines = im.history.iter();
    let header = lines.next().cloned().unwrap_or_default();
    let rows = lines.map(|l| {
        if let Some(rest) = l.strip_prefix("<missing>") {
            html! { <div class="history-row missing" title={missing} data-testid="history-row">
            <abbr title={missing}>{"<missing>"}</abbr>{ rest }</div> }
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
