//! The layer stack pane (filled by the archive and build issues).

use yew::prelude::*;

#[function_component(LayerStackPane)]
pub fn layer_stack_pane() -> Html {
    html! {
        <section class="pane pane-layers" aria-labelledby="pane-layers-title">
            <h2 id="pane-layers-title">{"Layer stack"}</h2>
            <p class="empty">{"The image's layers will appear here, bottom to top: read-only image layers under a thin read-write container layer. Drop an image archive to see its real layers."}</p>
        </section>
    }
}
