//! The history / diff output pane (filled by later issues).

use yew::prelude::*;

#[function_component(OutputPane)]
pub fn output_pane() -> Html {
    html! {
        <section class="pane pane-output" aria-labelledby="pane-output-title">
            <h2 id="pane-output-title">{"History & diff"}</h2>
            <p class="empty">{"`docker image history` and `docker diff` output will appear here, exactly as Docker prints them."}</p>
        </section>
    }
}
