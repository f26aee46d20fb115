//! The drop zone covering the whole page: drag feedback, and dropped files handed to the store.
//! Dockerfiles are read as text here; image archives go to the explore view's worker.

use super::store::StoreHandle;
use crate::viewmodel::lab::i18n::Key;
use crate::viewmodel::{classify_file, Action, DroppedKind};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub store: StoreHandle,
    pub children: Html,
}

/// Hand a `FileList` to the store and start reading the Dockerfiles in it.
pub fn receive_files(store: &StoreHandle, files: &web_sys::FileList) {
    let mut list = Vec::new();
    for i in 0..files.length() {
        if let Some(f) = files.get(i) {
            list.push(f);
        }
    }
    store.dispatch(Action::FilesReceived(
        list.iter().map(|f| (f.name(), f.size() as u64)).collect(),
    ));
    for f in list {
        let kind = classify_file(&f.name());
        if matches!(kind, DroppedKind::Archive { .. }) {
            super::explore::worker_client::load(store, f);
            continue;
        }
        if kind == DroppedKind::Dockerfile {
            let store = store.clone();
            let name = f.name();
            wasm_bindgen_futures::spawn_local(async move {
                let blob = gloo::file::Blob::from(web_sys::Blob::from(f));
                match gloo::file::futures::read_as_text(&blob).await {
                    Ok(text) => store.dispatch(Action::DockerfileRead { name, text }),
                    Err(e) => store.dispatch(Action::ReadFailed {
                        name,
                        message: e.to_string(),
                    }),
                }
            });
        }
    }
}

#[function_component(DropZone)]
pub fn drop_zone(props: &Props) -> Html {
    let store = props.store.clone();
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondragenter = {
        let store = store.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            super::explore::worker_client::prewarm();
            store.dispatch(Action::DragEnter);
        })
    };
    let ondragleave = {
        let store = store.clone();
        Callback::from(move |e: DragEvent| {
            // Only when the pointer leaves the window, not when it moves between children.
            if e.related_target().is_none() {
                store.dispatch(Action::DragLeave);
            }
        })
    };
    let ondrop = {
        let store = store.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            match e.data_transfer().and_then(|dt| dt.files()) {
                Some(files) => receive_files(&store, &files),
                None => store.dispatch(Action::DragLeave),
            }
        })
    };
    let class = classes!("drop-zone", store.0.dragging.then_some("dragging"));
    let lang = store.0.lab.lang;
    html! {
        <div {class} {ondragover} {ondragenter} {ondragleave} {ondrop}>
            { props.children.clone() }
            <div class="drop-hint" aria-hidden="true">
                <p>{Key::DropHint.t(lang)}</p>
                <p class="small">{Key::DropPrivacy.t(lang)}</p>
            </div>
        </div>
    }
}
