//! The lab view (default): toolbar, guided lab, Dockerfile and context editors, the images side
//! by side, containers, and the history table. Before the first render the store applies the
//! state of the URL fragment, `?embed=1` and the browser language (`boot_actions`); afterwards
//! the view keeps the fragment in step with the state. `?embed=1` shows a compact layout without
//! the page chrome.

mod browser;
mod container_card;
mod containers_pane;
mod context_pane;
pub(crate) mod dockerfile_pane;
mod guide_pane;
mod history_pane;
mod image_stacks;
mod push_output;
mod toolbar;

use super::store::StoreHandle;
use crate::viewmodel::lab::fragment;
use crate::viewmodel::{Action, Key, LabAction, Lang, Status};
use containers_pane::ContainersPane;
use context_pane::ContextPane;
use dockerfile_pane::DockerfilePane;
use guide_pane::GuidePane;
use history_pane::HistoryPane;
use image_stacks::ImageStacks;
use toolbar::Toolbar;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

/// What the page learns from the browser before its first render — the link's state, `?embed=1`
/// and the language — so that the first render is already the right one (no English flash for a
/// Russian browser, no header flash in an iframe). `Init` counts once, so the view can mount
/// again (after a view switch) without undoing the learner's choices.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn boot_actions() -> Vec<Action> {
    let (_, search, hash) = browser::location();
    let embed = fragment::is_embed_query(&search);
    let lang = Lang::from_tag(&browser::language());
    let mut actions = Vec::new();
    let snapshot = match fragment::decode(&hash) {
        Ok(s) => s,
        Err(e) => {
            actions.push(Action::Status {
                status: Status::LinkUnreadable(e.to_string()),
                error: true,
            });
            None
        }
    };
    actions.push(Action::Lab(LabAction::Init {
        lang,
        embed,
        snapshot,
    }));
    actions
}

#[function_component(LabView)]
pub fn lab_view(props: &Props) -> Html {
    let state = &props.store.0.lab;
    {
        let snap = state.snapshot();
        use_effect_with(snap, move |s| {
            browser::replace_fragment(&fragment::encode(s));
        });
    }
    let lang = state.lang;
    use_effect_with(lang, |l| browser::set_document_lang(l.code()));
    if state.embed {
        let (href, _, hash) = browser::location();
        let full = format!("{}{hash}", href.split(['?', '#']).next().unwrap_or(""));
        return html! {
            <main class="view-lab embed" lang={lang.code()}>
                <div class="embed-bar">
                    <Toolbar store={props.store.clone()} />
                    <a href={full} target="_blank" rel="noopener" class="small-btn">{ Key::OpenFull.t(lang) }</a>
                </div>
                <GuidePane store={props.store.clone()} />
                <div class="embed-grid">
                    <DockerfilePane store={props.store.clone()} />
                    <ImageStacks store={props.store.clone()} />
                </div>
                <ContainersPane store={props.store.clone()} />
            </main>
        };
    }
    html! {
        <main class="view-lab" lang={lang.code()}>
            <Toolbar store={props.store.clone()} />
            <GuidePane store={props.store.clone()} />
            <div class="lab-grid">
                <div class="lab-col">
                    <DockerfilePane store={props.store.clone()} />
                    <ContextPane store={props.store.clone()} />
                    <HistoryPane store={props.store.clone()} />
                </div>
                <div class="lab-col">
                    <ImageStacks store={props.store.clone()} />
                    <ContainersPane store={props.store.clone()} />
                </div>
            </div>
        </main>
    }
}
