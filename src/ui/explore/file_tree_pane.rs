//! The file tree of the selected layer: its changes (Added / Modified / Deleted, coloured and
//! marked like dive) or the merged view up to it; change-type filters, search (substring or glob),
//! sort by size or name; an ARIA tree with keyboard navigation whose rows are virtualised (only
//! the rows in view are in the DOM); the selected path's details and preview below.

use super::super::store::StoreHandle;
use super::path_details::PathDetails;
use crate::viewmodel::explore::text::change_name;
use crate::viewmodel::explore::tree::{window, ROW_HEIGHT};
use crate::viewmodel::explore::{SortBy, TreeMode, TREE_VIEWPORT};
use crate::viewmodel::{human_bytes, Action, ExploreAction, Key};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

/// The CSS class of a change letter (the same in every language).
fn change_class(c: char) -> &'static str {
    match c {
        'A' => "chg-added",
        'M' => "chg-modified",
        'D' => "chg-deleted",
        _ => "chg-unchanged",
    }
}

#[function_component(FileTree)]
pub fn file_tree_pane(props: &Props) -> Html {
    let ex = &props.store.0.explore;
    let lang = props.store.0.lab.lang;
    let dispatch = {
        let store = props.store.clone();
        move |a: ExploreAction| store.dispatch(Action::Explore(a))
    };
    if ex.current().is_none() {
        return html! {
            <section class="pane pane-tree" aria-labelledby="pane-tree-title">
                <h2 id="pane-tree-title">{ Key::ExFileTree.t(lang) }</h2>
                <p class="empty">{ Key::ExTreeEmpty.t(lang) }</p>
            </section>
        };
    }
    let mode_btn = |m: TreeMode, label: Key| {
        let d = dispatch.clone();
        let on = ex.mode == m;
        html! { <button class={classes!("seg", on.then_some("on"))} aria-pressed={on.to_string()}
        onclick={Callback::from(move |_| d(ExploreAction::SetMode(m)))}>{ label.t(lang) }</button> }
    };
    let filter_btn = |c: char| {
        let d = dispatch.clone();
        let f = &ex.filter;
        let on = match c {
            'A' => f.added,
            'M' => f.modified,
            'D' => f.deleted,
            _ => f.unchanged,
        };
        html! { <label class={classes!("chip", change_class(c))}>
        <input type="checkbox" checked={on} onchange={Callback::from(move |_| d(ExploreAction::ToggleChange(c)))} />
        { change_name(c, lang) }</label> }
    };
    let oninput = {
        let d = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            d(ExploreAction::SetSearch(input.value()));
        })
    };
    let onsort = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            d(ExploreAction::SetSort(if input.value() == "name" {
                SortBy::Name
            } else {
                SortBy::Size
            }));
        })
    };
    let onscroll = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::Element = e.target_unchecked_into();
            d(ExploreAction::Scroll(el.scroll_top().max(0) as u32));
        })
    };
    let onkeydown = {
        let d = dispatch.clone();
        let focused = ex.rows.get(ex.focus).map(|r| r.path.clone());
        Callback::from(move |e: KeyboardEvent| {
            let a = match e.key().as_str() {
                "ArrowDown" => ExploreAction::MoveFocus(1),
                "ArrowUp" => ExploreAction::MoveFocus(-1),
                "PageDown" => ExploreAction::MoveFocus(20),
                "PageUp" => ExploreAction::MoveFocus(-20),
                "Home" => ExploreAction::MoveFocus(-1_000_000),
                "End" => ExploreAction::MoveFocus(1_000_000),
                "ArrowRight" => ExploreAction::FocusDir(true),
                "ArrowLeft" => ExploreAction::FocusDir(false),
                "Enter" | " " => match &focused {
                    Some(p) => ExploreAction::SelectPath(p.clone()),
                    None => return,
                },
                _ => return,
            };
            e.prevent_default();
            d(a);
        })
    };
    // The layers above 0 get their changes a moment after the image is shown.
    let waiting = ex.current().is_some_and(|im| im.pending) && ex.layer > 0;
    let rows = ex.rows.clone();
    let (start, end) = window(rows.len(), ex.scroll_top, TREE_VIEWPORT, 10);
    let items = rows[start..end].iter().enumerate().map(|(k, r)| {
        let i = start + k;
        let change = r.row.as_ref().map_or(' ', |x| x.change);
        let d = dispatch.clone();
        let path = r.path.clone();
        let is_dir = r.has_children;
        let onclick = Callback::from(move |_| {
            if is_dir {
                d(ExploreAction::ToggleDir(path.clone()));
            }
            d(ExploreAction::SelectPath(path.clone()));
        });
        let style = format!("top:{}px;padding-left:{}px", i as u32 * ROW_HEIGHT, 6 + r.depth * 16);
        let focused = i == ex.focus;
        let selected = ex.path.as_deref() == Some(r.path.as_str());
        let marker = match change { 'A' => "+", 'M' => "~", 'D' => "−", _ => " " };
        let hides = r.row.as_ref().and_then(|x| x.hides).map(|l| {
            if change == 'D' { Key::ExFromLayer.f(lang, &[&l.to_string()]) } else { Key::ExHidesLayer.f(lang, &[&l.to_string()]) }
        });
        let from = (ex.mode == TreeMode::Merged).then(|| r.row.as_ref().map(|x| Key::ExLayerShort.f(lang, &[&x.layer.to_string()]))).flatten();
        html! {
            <div role="treeitem" id={format!("tree-row-{i}")} class={classes!("tree-row", change_class(change), focused.then_some("focused"), selected.then_some("selected"))}
                {style} aria-level={(r.depth + 1).to_string()} aria-selected={selected.to_string()}
                aria-expanded={r.has_children.then(|| (!r.collapsed).to_string())}
                aria-setsize={rows.len().to_string()} aria-posinset={(i + 1).to_string()}
                data-path={r.path.clone()} data-change={change.to_string()} data-testid="tree-row" {onclick}>
                <span class="marker" aria-label={change_name(change, lang)}>{ marker }</span>
                <span class="twisty" aria-hidden="true">{ if r.has_children { if r.collapsed { "▸" } else { "▾" } } else { " " } }</span>
                <span class="name">{ if r.is_dir { format!("{}/", r.name) } else { r.name.clone() } }</span>
                <span class="size">{ human_bytes(r.size) }</span>
                if let Some(h) = hides { <span class="hides">{ h }</span> }
                if let Some(f) = from { <span class="from" title={Key::ExLayerShortTip.t(lang)}>{ f }</span> }
            </div>
        }
    });
    let sort_value = if ex.sort == SortBy::Name {
        "name"
    } else {
        "size"
    };
    html! {
        <section class="pane pane-tree" aria-labelledby="pane-tree-title">
            <h2 id="pane-tree-title">{ Key::ExFileTreeLayer.f(lang, &[&ex.layer.to_string()]) }</h2>
            <div class="tree-tools">
                <div class="segmented" role="group" aria-label={Key::ExTreeShows.t(lang)}>
                    { mode_btn(TreeMode::Changes, Key::ExModeChanges) }
                    { mode_btn(TreeMode::Merged, Key::ExModeMerged) }
                </div>
                <div class="filters" role="group" aria-label={Key::ExShowChangeTypes.t(lang)}>
                    { filter_btn('A') }{ filter_btn('M') }{ filter_btn('D') }
                    if ex.mode == TreeMode::Merged { { filter_btn(' ') } }
                </div>
                <input type="search" class="tree-search" placeholder={Key::ExSearchPlaceholder.t(lang)} aria-label={Key::ExSearchPaths.t(lang)}
                    value={ex.filter.search.clone()} {oninput} data-testid="tree-search" />
                <label class="sort">{ Key::ExSort.t(lang) }{" "}
                    <select onchange={onsort} aria-label={Key::ExSortBy.t(lang)}>
                        <option value="size" selected={sort_value == "size"}>{ Key::ExSortSize.t(lang) }</option>
                        <option value="name" selected={sort_value == "name"}>{ Key::ExSortName.t(lang) }</option>
                    </select>
                </label>
                <span class="count" data-testid="tree-count">{ lang.rows(rows.len()) }</span>
            </div>
            <div class="tree-scroll" role="tree" tabindex="0" aria-label={Key::ExFiles.t(lang)} {onscroll} {onkeydown}
                aria-activedescendant={(!rows.is_empty()).then(|| format!("tree-row-{}", ex.focus))}
                style={format!("height:{TREE_VIEWPORT}px")}>
                <div class="tree-space" style={format!("height:{}px", rows.len() as u32 * ROW_HEIGHT)}>
                    { for items }
                </div>
                if waiting {
                    <p class="empty" data-testid="tree-pending">{ Key::ExPending.t(lang) }</p>
                } else if rows.is_empty() {
                    <p class="empty">{ Key::ExNoMatch.t(lang) }</p>
                }
            </div>
            <PathDetails store={props.store.clone()} />
        </section>
    }
}
