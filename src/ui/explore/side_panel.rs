//! The side panel: tabs for the history table, the analysis and the comparison.

use super::super::store::StoreHandle;
use super::analysis_panel::AnalysisPanel;
use super::compare_view::CompareView;
use super::history_panel::HistoryPanel;
use crate::viewmodel::explore::Panel;
use crate::viewmodel::{Action, ExploreAction, Key};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

#[function_component(SidePanel)]
pub fn side_panel(props: &Props) -> Html {
    let ex = &props.store.0.explore;
    let lang = props.store.0.lab.lang;
    let tab = |p: Panel, label: Key| {
        let store = props.store.clone();
        let on = ex.panel == p;
        html! { <button role="tab" class={classes!("view-tab", on.then_some("selected"))} aria-selected={on.to_string()}
        onclick={Callback::from(move |_| store.dispatch(Action::Explore(ExploreAction::SetPanel(p))))}>{ label.t(lang) }</button> }
    };
    let body = match ex.panel {
        Panel::History => html! { <HistoryPanel store={props.store.clone()} /> },
        Panel::Analysis => html! { <AnalysisPanel store={props.store.clone()} /> },
        Panel::Compare => html! { <CompareView store={props.store.clone()} /> },
    };
    html! {
        <section class="pane pane-output" aria-labelledby="pane-output-title">
            <h2 id="pane-output-title">{ Key::ExHistoryAnalysis.t(lang) }</h2>
            <nav role="tablist" class="panel-tabs">
                { tab(Panel::History, Key::ExTabHistory) }{ tab(Panel::Analysis, Key::ExTabAnalysis) }{ tab(Panel::Compare, Key::ExTabCompare) }
            </nav>
            <div role="tabpanel">{ body }</div>
        </section>
    }
}
