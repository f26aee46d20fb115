//! Details of the selected path: type, mode, owner, size, mtime, link target, the layer that
//! supplies it and the copy it hides, and a button that reads a preview from the archive.

use super::super::store::StoreHandle;
use super::preview_pane::PreviewPane;
use super::worker_client;
use crate::image::docker_history::rfc3339;
use crate::viewmodel::explore::PREVIEW_MAX;
use crate::viewmodel::{human_bytes, Action, ExploreAction};
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
    let Some(path) = ex.path.as_ref() else {
        return html! { <p class="empty details-hint">{"Select a path for its details and a preview. Keys: ↑ ↓ move, → ← open and close, Enter select."}</p> };
    };
    let Some(tr) = ex.row_of(path) else {
        return html! {};
    };
    let Some(r) = tr.row.as_ref() else {
        return html! { <div class="details" data-testid="details"><code>{ path }</code>{ format!(" — directory, {} below", human_bytes(tr.size)) }</div> };
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
                <dt>{"Path"}</dt><dd><code>{ &r.path }</code></dd>
                <dt>{"Type"}</dt><dd>{ &r.kind }</dd>
                <dt>{"Mode"}</dt><dd><code>{ format!("{} ({:04o})", mode_string(&r.kind, r.mode), r.mode) }</code></dd>
                <dt>{"Owner"}</dt><dd>{ format!("{}:{}", r.uid, r.gid) }</dd>
                <dt>{"Size"}</dt><dd>{ format!("{} ({} bytes)", human_bytes(r.size), r.size) }</dd>
                <dt>{"Modified"}</dt><dd>{ rfc3339(r.mtime) }</dd>
                if let Some(l) = &r.link { <><dt>{"Link to"}</dt><dd><code>{ l }</code></dd></> }
                <dt>{"Layer"}</dt><dd>{ match (r.change, r.hides) {
                    ('D', Some(h)) => format!("deleted by layer {} (the copy from layer {h} is hidden, still stored)", r.layer),
                    (_, Some(h)) => format!("from layer {}, hiding the copy from layer {h}", r.layer),
                    _ => format!("from layer {}", r.layer),
                } }</dd>
            </dl>
            if can_preview {
                <button class="preview-btn" onclick={onpreview} data-testid="preview-btn">{"Preview (first 1 MB)"}</button>
            }
            <PreviewPane store={props.store.clone()} />
        </div>
    }
}
