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

#[derive(Properties, PartialEq, Default)]
pub struct Props {
    /// The lab state of the page's link, read before mounting (`ui::start`); none in tests.
    #[prop_or_default]
    pub link_state: Option<super::lab::LinkState>,
}

#[function_component(App)]
pub fn app(props: &Props) -> Html {
    let link = props.link_state.clone().unwrap_or(Ok(None));
    let store = use_reducer(move || Store::booted(link));
    {
        // The lab worker's answers come back through the store.
        let dispatcher = store.dispatcher();
        use_effect_with((), move |_| {
            #[cfg(target_arch = "wasm32")]
            super::lab::lab_client::connect(Callback::from(move |a| dispatcher.dispatch(a)));
            #[cfg(not(target_arch = "wasm32"))]
            drop(dispatcher);
        });
    }
    // The archive worker is started on a sign that an archive is coming (the Explore view shown,
    // a drag entering the page, the file picker reached), so a drop does not wait for its wasm
    // to load and compile, while a page used only for the lab never downloads it.
    use_effect_with(store.0.view, |v| {
        if *v == View::Explore {
            super::explore::worker_client::prewarm();
        }
    });
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
