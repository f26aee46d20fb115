//! The status bar: the last thing that happened, errors in plain words, in the interface language
//! (messages of the explore view's reader are shown as that view writes them).

use super::store::StoreHandle;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(StatusBar)]
pub fn status_bar(props: &Props) -> Html {
    let state = &props.store.0;
    let lang = state.lab.lang;
    html! {
        <footer class={classes!("status", state.status_is_error.then_some("error"))} lang={lang.code()}
            role="status" aria-live="polite" data-testid="status">
            { state.status.text(lang) }
        </footer>
    }
}
