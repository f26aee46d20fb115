//! `docker image history` of the open tab's image (or of the selected committed image), as the CLI
//! prints it (`<missing>` included), with CREATED counted from the browser's clock and refreshed
//! every few seconds.

use crate::ui::store::{clock, StoreHandle};
use crate::viewmodel::{Action, Key, LabAction};
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
    {
        // The simulator writes the table at the clock it was last given: tell it the time.
        let store = props.store.clone();
        use_effect_with((), move |_| {
            let timer = Interval::new(REFRESH_MS, move || {
                store.dispatch(Action::Lab(LabAction::Clock(clock())))
            });
            move || drop(timer)
        });
    }
    let shown = match state.selected {
        Some((i, _)) if i >= state.builds => i,
        _ => state.tab.image(),
    };
    let body = match (state.image(shown), state.build_error(shown)) {
        (Some(b), _) => html! { <>
            <p class="cmd">{ format!("$ docker image history {}", b.name) }</p>
            <pre class="out history" data-testid="history" data-image={b.name.clone()}>{ b.history.clone() }</pre>
        </> },
        (None, Some(e)) => html! { <p class="error-text">{ e.to_string() }</p> },
        _ => html! {},
    };
    html! {
        <section class="pane pane-history" aria-labelledby="pane-history-title">
            <h2 id="pane-history-title">{ Key::HistoryTitle.t(state.lang) }</h2>
            { body }
        </section>
    }
}
