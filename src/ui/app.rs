//! The page layout: header with the view switch, the current view, the status bar, and the
//! page-wide drop zone.

use super::drop_zone::DropZone;
use super::explore::ExploreView;
use super::header::Header;
use super::lab::LabView;
use super::status_bar::StatusBar;
use super::store::Store;
use crate::viewmodel::View;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let store = use_reducer(Store::default);
    // Start the archive worker now, so a dropped archive does not wait for its wasm to compile.
    use_effect_with((), |_| super::explore::worker_client::prewarm());
    let view = match store.0.view {
        View::Lab => html! { <LabView store={store.clone()} /> },
        View::Explore => html! { <ExploreView store={store.clone()} /> },
    };
    // `?embed=1`: the lab alone, without the page chrome.
    let embed = store.0.lab.embed && store.0.view == View::Lab;
    html! {
        <DropZone store={store.clone()}>
            <div class={classes!("app", embed.then_some("app-embed"))}>
                if !embed { <Header store={store.clone()} /> }
                { view }
                if !embed { <StatusBar store={store.clone()} /> }
            </div>
        </DropZone>
    }
}
