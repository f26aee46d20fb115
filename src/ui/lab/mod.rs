//! The lab view (default): toolbar, guided lab, Dockerfile and context editors, the images side
//! by side, containers, and the history table. Before the first render the store applies the
//! state of the URL fragment (read by `ui::start` before it mounts the page), `?embed=1` and the
//! browser language (`boot_actions`); afterwards the view keeps the fragment in step with the
//! state. `?embed=1` shows a compact layout without the page chrome.

pub(crate) mod browser;
mod container_card;
mod containers_pane;
mod context_pane;
pub(crate) mod dockerfile_pane;
mod guide_pane;
mod history_pane;
mod image_stacks;
pub mod lab_client;
pub mod link_state;
mod push_output;
mod toolbar;
pub mod worker;

use super::store::StoreHandle;
use crate::viewmodel::lab::fragment::{self, FragmentError, Snapshot};
use crate::viewmodel::{Action, Key, LabAction, Lang, Status};
use containers_pane::ContainersPane;
use context_pane::ContextPane;
use dockerfile_pane::DockerfilePane;
use guide_pane::GuidePane;
use history_pane::HistoryPane;
use image_stacks::ImageStacks;
use std::cell::Cell;
use std::rc::Rc;
use toolbar::Toolbar;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

/// The state the page's link carries, read (inflated by the browser, so asynchronously) before
/// the page mounts.
pub type LinkState = Result<Option<Snapshot>, FragmentError>;

/// Read the lab state from the page's fragment.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) async fn read_link_state() -> LinkState {
    let (_, _, hash) = browser::location();
    link_state::decode(&hash).await
}

/// What the page learns from the browser before its first render — the link's state (read
/// beforehand by [`read_link_state`]), `?embed=1` and the language — so that the first render is
/// already the right one (no English flash for a Russian browser, no header flash in an
/// iframe). `Init` counts once, so the view can mount again (after a view switch) without
/// undoing the learner's choices.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn boot_actions(link: LinkState) -> Vec<Action> {
    let (_, search, _) = browser::location();
    let embed = fragment::is_embed_query(&search);
    let lang = Lang::from_tag(&browser::language());
    let mut actions = Vec::new();
    if let Some(v) = crate::viewmodel::View::from_query(&search) {
        actions.push(Action::SetView(v));
    }
    let snapshot = match link {
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
        // Deflating is asynchronous: only the latest state's fragment is written, even if an
        // older one finishes later.
        let latest = use_mut_ref(|| Rc::new(Cell::new(0u64)));
        let snap = state.snapshot();
        use_effect_with(snap, move |s| {
            let latest = latest.borrow().clone();
            let generation = latest.get() + 1;
            latest.set(generation);
            let s = s.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let fragment = link_state::encode(&s).await;
                if latest.get() == generation {
                    browser::replace_fragment(&fragment);
                }
            });
        });
    }
    let lang = state.lang;
    // Whether requests wait for the lab worker's answer (the end-to-end tests wait on it).
    let busy = state.busy().to_string();
    // The lab's simulator starts when the lab is first shown (a page opened on the explorer
    // never downloads it).
    use_effect_with((), |_| lab_client::want());
    use_effect_with(lang, |l| browser::set_document_lang(l.code()));
    if state.embed {
        let (href, _, hash) = browser::location();
        let full = format!("{}{hash}", href.split(['?', '#']).next().unwrap_or(""));
        return html! {
            <main class="view-lab embed" lang={lang.code()} data-busy={busy}>
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
        <main class="view-lab" lang={lang.code()} data-busy={busy}>
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
