//! `docker image history` of the open tab's image (or of the selected committed image), as the CLI
//! prints it (`<missing>` included), with CREATED counted from the browser's clock and refreshed
//! every few seconds.

use crate::ui::store::{clock, StoreHandle};
use crate::viewmodel::Key;
use gloo::timers::callback::Interval;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

/// How often the CREATED column is refreshed.
const REFRESH_MS: u32 = 10_000;

#[function_component(HistoryPane)]
pub fn history_pane(props: &Props) -> Html {
    let state = &props.store.0.lab;
    let refresh = use_force_update();
    use_effect_with((), move |_| {
        let timer = Interval::new(REFRESH_MS, move || refresh.force_update());
        move || drop(timer)
    });
    let builds = state.builds.images.len();
    let shown = match state.selected {
        Some((i, _)) if i >= builds => i,
        _ => state.tab.image(),
    };
    let now = clock().max(state.now);
    let body = match (state.image(shown), state.builds.images.get(shown)) {
        (Some(b), _) => html! { <>
            <p class="cmd">{ format!("$ docker image history {}", b.name) }</p>
            <pre class="out history" data-testid="history" data-image={b.name.clone()}>{ b.history(now) }</pre>
        </> },
        (None, Some(Err(e))) => html! { <p class="error-text">{ e.to_string() }</p> },
        _ => html! {},
    };
    html! {
        <section class="pane pane-history" aria-labelledby="pane-history-title">
            <h2 id="pane-history-title">{ Key::HistoryTitle.t(state.lang) }</h2>
            { body }
        </section>
    }
}
