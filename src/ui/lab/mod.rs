//! The lab view (default): toolbar, guided lab, Dockerfile and context editors, the images side
//! by side, containers, and the history table. On mount it reads the state from the URL fragment,
//! `?embed=1` and the browser language; afterwards it keeps the fragment in step with the state.
//! `?embed=1` shows a compact layout without the page chrome.

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

#[function_component(LabView)]
pub fn lab_view(props: &Props) -> Html {
    let state = &props.store.0.lab;
    {
        let store = props.store.clone();
        use_effect_with((), move |_| {
            let (_, search, hash) = browser::location();
            let embed = fragment::is_embed_query(&search);
            let lang = Lang::from_tag(&browser::language());
            let snapshot = match fragment::decode(&hash) {
                Ok(s) => s,
                Err(e) => {
                    store.dispatch(Action::Status {
                        status: Status::LinkUnreadable(e.to_string()),
                        error: true,
                    });
                    None
                }
            };
            // Only the first mount counts: coming back from the explore view keeps the state.
            store.dispatch(Action::Lab(LabAction::Init {
                lang,
                embed,
                snapshot,
            }));
        });
    }
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
