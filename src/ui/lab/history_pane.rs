//! `docker image history` of the open tab's image, as the CLI prints it (`<missing>` included).

use crate::ui::store::StoreHandle;
use crate::viewmodel::Key;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(HistoryPane)]
pub fn history_pane(props: &Props) -> Html {
    let state = &props.store.0.lab;
    let body = match state.builds.images.get(state.tab.image()) {
        Some(Ok(b)) => html! { <>
            <p class="cmd">{ format!("$ docker image history {}", b.name) }</p>
            <pre class="out history" data-testid="history">{ &b.history }</pre>
        </> },
        Some(Err(e)) => html! { <p class="error-text">{ e.to_string() }</p> },
        None => html! {},
    };
    html! {
        <section class="pane pane-history" aria-labelledby="pane-history-title">
            <h2 id="pane-history-title">{ Key::HistoryTitle.t(state.lang) }</h2>
            { body }
        </section>
    }
}
