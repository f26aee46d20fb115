//! Details of the selected path: type, mode, owner, size, mtime, link target, the layer that
//! supplies it and the copy it hides, and a button that reads a preview from the archive.

use super::super::store::StoreHandle;
use super::preview_pane::PreviewPane;
use super::worker_client;
use crate::image::docker_history::rfc3339;
use crate::viewmodel::explore::text::kind_name;
use crate::viewmodel::explore::PREVIEW_MAX;
use crate::viewmodel::{human_bytes, Action, ExploreAction, Key};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
}

/// `-rwxr-xr-x` from a kind and mode.
pub fn mode_string(kind: &str, mode: u32) -> String {
    let t = match kind {
        "dir" => 'd',
        "symlink" => 'l',
        "hardlink" => 'h',
        "char" => 'c',
        "block" => 'b',
        "fifo" => 'p',
        _ => '-',
    };
    let mut s = String::from(t);
    for shift in [6, 3, 0] {
        let b = (mode >> shift) & 7;
        s.push(if b & 4 != 0 { 'r' } else { '-' });
        s.push(if b & 2 != 0 { 'w' } else { '-' });
        s.push(if b & 1 != 0 { 'x' } else { '-' });
    }
    s
}

#[function_component(PathDetails)]
pub fn path_details(props: &Props) -> Html {
    let ex = &props.store.0.explore;
    let lang = props.store.0.lab.lang;
    let Some(path) = ex.path.as_ref() else {
        return html! { <p class="empty details-hint">{ Key::ExDetailsHint.t(lang) }</p> };
    };
    let Some(tr) = ex.row_of(path) else {
        return html! {};
    };
    let Some(r) = tr.row.as_ref() else {
        return html! { <div class="details" data-testid="details"><code>{ path }</code>{ Key::ExDirBelow.f(lang, &[&human_bytes(tr.size)]) }</div> };
    };
    let can_preview = r.kind == "file" && r.change != 'D';
    let onpreview = {
        let store = props.store.clone();
        let im = ex.current().map(|im| (im.job, im.image_index));
        let (path, layer, size) = (r.path.clone(), r.layer, r.size);
        Callback::from(move |_| {
            if let Some((job, k)) = im {
                store.dispatch(Action::Explore(ExploreAction::PreviewRequested {
                    path: path.clone(),
                    size,
                }));
                worker_client::preview(job, k, layer, &path, PREVIEW_MAX);
            }
        })
    };
    html! {
        <div class="details" data-testid="details">
            <dl>
                <dt>{ Key::ExPath.t(lang) }</dt><dd><code>{ &r.path }</code></dd>
                <dt>{ Key::ExType.t(lang) }</dt><dd>{ kind_name(&r.kind, lang) }</dd>
                <dt>{ Key::ExMode.t(lang) }</dt><dd><code>{ format!("{} ({:04o})", mode_string(&r.kind, r.mode), r.mode) }</code></dd>
                <dt>{ Key::ExOwner.t(lang) }</dt><dd>{ format!("{}:{}", r.uid, r.gid) }</dd>
                <dt>{ Key::ExSize.t(lang) }</dt><dd>{ format!("{} ({})", human_bytes(r.size), lang.bytes(r.size)) }</dd>
                <dt>{ Key::ExModified2.t(lang) }</dt><dd><time>{ rfc3339(r.mtime) }</time></dd>
                if let Some(l) = &r.link { <><dt>{ Key::ExLinkTo.t(lang) }</dt><dd><code>{ l }</code></dd></> }
                <dt>{ Key::ExLayer.t(lang) }</dt><dd>{ match (r.change, r.hides) {
                    ('D', Some(h)) => Key::ExDeletedBy.f(lang, &[&r.layer.to_string(), &h.to_string()]),
                    (_, Some(h)) => Key::ExFromLayerHiding.f(lang, &[&r.layer.to_string(), &h.to_string()]),
                    _ => Key::ExFromLayerPlain.f(lang, &[&r.layer.to_string()]),
                } }</dd>
            </dl>
            if can_preview {
                <button class="preview-btn" onclick={onpreview} data-testid="preview-btn">{ Key::ExPreviewBtn.t(lang) }</button>
            }
            <PreviewPane store={props.store.clone()} />
        </div>
    }
}
