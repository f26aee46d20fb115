//! The page side of the archive workers: one Web Worker per dropped archive (so a cancel is a
//! `terminate`), started from Trunk's loader shim, fed the `File` itself (never its bytes), its
//! messages turned into store actions; previews are asked of the worker that read the archive.

use super::super::store::StoreHandle;
use crate::viewmodel::explore::protocol::{FromWorker, ToWorker};
use crate::viewmodel::{Action, ExploreAction};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent, Worker};

/// Trunk writes this shim for `data-type="worker" data-loader-shim`.
const WORKER_URL: &str = "./layerscope-worker_loader.js";

struct Running {
    worker: Worker,
    ready: bool,
    /// Messages waiting for `Ready`.
    queue: Vec<js_sys::Array>,
}

thread_local! {
    static WORKERS: RefCell<HashMap<u32, Running>> = RefCell::new(HashMap::new());
    static NEXT_JOB: Cell<u32> = const { Cell::new(1) };
}

fn send(job: u32, msg: js_sys::Array) {
    WORKERS.with(|w| {
        if let Some(r) = w.borrow_mut().get_mut(&job) {
            if r.ready {
                let _ = r.worker.post_message(&msg);
            } else {
                r.queue.push(msg);
            }
        }
    });
}

fn message(msg: &ToWorker, extra: Option<&JsValue>) -> js_sys::Array {
    let arr = js_sys::Array::new();
    arr.push(&JsValue::from_str(
        &serde_json::to_string(msg).unwrap_or_default(),
    ));
    if let Some(x) = extra {
        arr.push(x);
    }
    arr
}

fn on_message(store: &StoreHandle, job: u32, e: MessageEvent) {
    let data: js_sys::Array = e.data().unchecked_into();
    let Some(json) = data.get(0).as_string() else {
        return;
    };
    let t_parse = js_sys::Date::now();
    let Ok(msg) = serde_json::from_str::<FromWorker>(&json) else {
        return;
    };
    let dispatch = |a: ExploreAction| store.dispatch(Action::Explore(a));
    match msg {
        FromWorker::Ready => WORKERS.with(|w| {
            if let Some(r) = w.borrow_mut().get_mut(&job) {
                r.ready = true;
                for m in r.queue.drain(..) {
                    let _ = r.worker.post_message(&m);
                }
            }
        }),
        FromWorker::Progress {
            job, bytes, layers, ..
        } => dispatch(ExploreAction::Progress { job, bytes, layers }),
        FromWorker::Loaded {
            job,
            images,
            error,
            read_ms,
            summary_ms,
            memory,
        } => {
            if images.is_empty() {
                stop(job);
            }
            let t0 = t_parse;
            dispatch(ExploreAction::Loaded { job, images, error });
            // Timings for the performance budget (read by the end-to-end test).
            web_sys::console::log_1(&JsValue::from_str(&format!(
                "layerscope: job {job}: read {read_ms} ms, summary {summary_ms} ms, message {} bytes, parse+reduce {} ms, worker wasm memory {} MB, page wasm memory {} MB",
                json.len(),
                (js_sys::Date::now() - t0) as u64,
                memory / 1_000_000,
                wasm_bindgen::memory()
                    .unchecked_into::<js_sys::WebAssembly::Memory>()
                    .buffer()
                    .unchecked_into::<js_sys::ArrayBuffer>()
                    .byte_length()
                    / 1_000_000
            )));
        }
        FromWorker::Analysis {
            job,
            image_index,
            analysis,
        } => dispatch(ExploreAction::AnalysisReady {
            job,
            image_index,
            analysis,
        }),
        FromWorker::Preview { path, error, .. } => {
            let bytes = data
                .get(1)
                .dyn_into::<js_sys::Uint8Array>()
                .map(|a| a.to_vec())
                .unwrap_or_default();
            dispatch(ExploreAction::PreviewLoaded { path, bytes, error })
        }
    }
}

/// Start reading `file` in a new worker.
pub fn load(store: &StoreHandle, file: File) {
    let job = NEXT_JOB.with(|n| {
        let j = n.get();
        n.set(j + 1);
        j
    });
    let name = file.name();
    store.dispatch(Action::Explore(ExploreAction::LoadStarted {
        job,
        name: name.clone(),
        size: file.size() as u64,
    }));
    let worker = match Worker::new(WORKER_URL) {
        Ok(w) => w,
        Err(e) => {
            store.dispatch(Action::Explore(ExploreAction::LoadFailed {
                job,
                message: format!("the archive reader could not start ({e:?})"),
            }));
            return;
        }
    };
    let s = store.clone();
    let onmessage =
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| on_message(&s, job, e));
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let s = store.clone();
    let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(move |_e: web_sys::Event| {
        stop(job);
        s.dispatch(Action::Explore(ExploreAction::LoadFailed {
            job,
            message: "the archive reader stopped unexpectedly".to_string(),
        }));
    });
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    onerror.forget();
    WORKERS.with(|w| {
        w.borrow_mut().insert(
            job,
            Running {
                worker,
                ready: false,
                queue: Vec::new(),
            },
        )
    });
    let now = (js_sys::Date::now() / 1000.0) as i64;
    send(
        job,
        message(&ToWorker::Load { job, name, now }, Some(file.as_ref())),
    );
}

/// Stop a job's worker.
pub fn stop(job: u32) {
    WORKERS.with(|w| {
        if let Some(r) = w.borrow_mut().remove(&job) {
            r.worker.terminate();
        }
    });
}

/// Cancel a running load.
pub fn cancel(store: &StoreHandle, job: u32) {
    stop(job);
    store.dispatch(Action::Explore(ExploreAction::Cancel { job }));
}

/// Ask for up to `max` bytes of `path` in `layer` of an image read by `job`.
pub fn preview(job: u32, image_index: usize, layer: usize, path: &str, max: usize) {
    send(
        job,
        message(
            &ToWorker::Preview {
                job,
                image_index,
                layer,
                path: path.to_string(),
                max,
            },
            None,
        ),
    );
}
