//! The page side of the archive workers: one Web Worker per dropped archive (so a cancel is a
//! `terminate`), started from Trunk's loader shim, fed the `File` itself (never its bytes), its
//! messages turned into store actions; previews are asked of the worker that read the archive.
//! One spare worker is started ahead ([`prewarm`], on a sign that an archive is coming and after each load has
//! finished) so that a drop does not wait for the worker's wasm to load and compile.

use super::super::store::StoreHandle;
use crate::viewmodel::explore::protocol::{
    decode_from_worker, encode_to_worker, FromWorker, ToWorker,
};
use crate::viewmodel::explore::wire;
use crate::viewmodel::{Action, ExploreAction};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
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

/// A worker started ahead of any drop, and whether it has said `Ready`.
struct Spare {
    worker: Worker,
    ready: Rc<Cell<bool>>,
}

thread_local! {
    static WORKERS: RefCell<HashMap<u32, Running>> = RefCell::new(HashMap::new());
    static NEXT_JOB: Cell<u32> = const { Cell::new(1) };
    static SPARE: RefCell<Option<Spare>> = const { RefCell::new(None) };
    /// The archive each job read (a reference to the user's file, not its bytes).
    static FILES: RefCell<HashMap<u32, File>> = RefCell::new(HashMap::new());
}

fn log(text: &str) {
    web_sys::console::log_1(&JsValue::from_str(text));
}

/// Start a spare worker if there is none, so the next archive starts reading at once.
pub fn prewarm() {
    if SPARE.with(|s| s.borrow().is_some()) {
        return;
    }
    let Ok(worker) = Worker::new(WORKER_URL) else {
        return;
    };
    let ready = Rc::new(Cell::new(false));
    let flag = ready.clone();
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |_e: MessageEvent| {
        // The only message an idle worker sends is `Ready`.
        flag.set(true)
    });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    SPARE.with(|s| *s.borrow_mut() = Some(Spare { worker, ready }));
}

/// The spare worker (then no longer spare), or a new one.
fn take_worker() -> Result<(Worker, bool), JsValue> {
    match SPARE.with(|s| s.borrow_mut().take()) {
        Some(s) => Ok((s.worker, s.ready.get())),
        None => Worker::new(WORKER_URL).map(|w| (w, false)),
    }
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
    arr.push(&js_sys::Uint8Array::from(&encode_to_worker(msg)[..]));
    if let Some(x) = extra {
        arr.push(x);
    }
    arr
}

/// The binary part of a worker message (`[header, ArrayBuffer]`), copied into wasm memory;
/// empty when there is none.
fn payload(data: &js_sys::Array) -> Vec<u8> {
    data.get(1)
        .dyn_into::<js_sys::ArrayBuffer>()
        .map(|b| js_sys::Uint8Array::new(&b).to_vec())
        .unwrap_or_default()
}

fn on_message(store: &StoreHandle, job: u32, e: MessageEvent) {
    let t_recv = js_sys::Date::now();
    let data: js_sys::Array = e.data().unchecked_into();
    let Ok(head) = data.get(0).dyn_into::<js_sys::Uint8Array>() else {
        return;
    };
    let Ok(msg) = decode_from_worker(&head.to_vec()) else {
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
            job,
            bytes,
            layers,
            layers_total,
            ..
        } => dispatch(ExploreAction::Progress {
            job,
            bytes,
            layers,
            layers_total,
        }),
        FromWorker::Loaded {
            job,
            error,
            read_ms,
            summary_ms,
            encode_ms,
            memory,
        } => {
            let bytes = payload(&data);
            let t_copy = js_sys::Date::now();
            let decoded = wire::decode(&bytes);
            let t_decode = js_sys::Date::now();
            match decoded {
                Ok(images) => {
                    if images.is_empty() {
                        stop(job);
                        prewarm();
                    }
                    dispatch(ExploreAction::Loaded { job, images, error });
                }
                Err(e) => {
                    stop(job);
                    dispatch(ExploreAction::LoadFailed {
                        job,
                        message: e.to_string(),
                    });
                }
            }
            let t_reduce = js_sys::Date::now();
            // Timings for the performance budget (read by the end-to-end test).
            log(&format!(
                "layerscope: job {job}: read {read_ms} ms, summary {summary_ms} ms, encode {encode_ms} ms, message {} bytes; page: copy {} ms, decode {} ms, reduce {} ms; worker wasm memory {} MB, page wasm memory {} MB",
                bytes.len(),
                (t_copy - t_recv) as u64,
                (t_decode - t_copy) as u64,
                (t_reduce - t_decode) as u64,
                memory / 1_000_000,
                wasm_bindgen::memory()
                    .unchecked_into::<js_sys::WebAssembly::Memory>()
                    .buffer()
                    .unchecked_into::<js_sys::ArrayBuffer>()
                    .byte_length()
                    / 1_000_000
            ));
            let cb = Closure::once_into_js(move || {
                log(&format!(
                    "layerscope: page: received at {t_recv}, next frame at {}",
                    js_sys::Date::now()
                ))
            });
            if let Some(w) = web_sys::window() {
                let _ = w.request_animation_frame(cb.unchecked_ref());
            }
        }
        FromWorker::Changes {
            job,
            image_index,
            from,
            ms,
        } => {
            let bytes = payload(&data);
            let t_copy = js_sys::Date::now();
            match wire::decode_changes(&bytes) {
                Ok(changes) => {
                    let t_decode = js_sys::Date::now();
                    dispatch(ExploreAction::ChangesReady {
                        job,
                        image_index,
                        from,
                        changes,
                    });
                    log(&format!(
                        "layerscope: job {job}: other layers' changes: worker {ms} ms, {} bytes; page: decode {} ms, reduce {} ms; arrived at {t_recv}",
                        bytes.len(),
                        (t_decode - t_copy) as u64,
                        (js_sys::Date::now() - t_decode) as u64,
                    ));
                }
                Err(e) => dispatch(ExploreAction::LoadFailed {
                    job,
                    message: e.to_string(),
                }),
            }
        }
        FromWorker::Analysis {
            job,
            image_index,
            analysis,
        } => {
            dispatch(ExploreAction::AnalysisReady {
                job,
                image_index,
                analysis,
            });
            // The worker's last message: start the next spare now (not while it still works,
            // both would compete for the CPU).
            prewarm();
        }
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
    load_platform(store, file, None)
}

/// Read another platform of the archive a job read (its `File` is kept for this).
pub fn reread(store: &StoreHandle, job: u32, platform: &str) {
    if let Some(f) = FILES.with(|f| f.borrow().get(&job).cloned()) {
        load_platform(store, f, Some(platform.to_string()))
    }
}

fn load_platform(store: &StoreHandle, file: File, platform: Option<String>) {
    let job = NEXT_JOB.with(|n| {
        let j = n.get();
        n.set(j + 1);
        j
    });
    let name = file.name();
    FILES.with(|f| f.borrow_mut().insert(job, file.clone()));
    store.dispatch(Action::Explore(ExploreAction::LoadStarted {
        job,
        name: name.clone(),
        size: file.size() as u64,
    }));
    let (worker, ready) = match take_worker() {
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
                ready,
                queue: Vec::new(),
            },
        )
    });
    let now = (js_sys::Date::now() / 1000.0) as i64;
    send(
        job,
        message(
            &ToWorker::Load {
                job,
                name,
                now,
                platform,
            },
            Some(file.as_ref()),
        ),
    );
}

/// Stop a job's worker.
pub fn stop(job: u32) {
    FILES.with(|f| f.borrow_mut().remove(&job));
    WORKERS.with(|w| {
        if let Some(r) = w.borrow_mut().remove(&job) {
            r.worker.terminate();
        }
    });
}

/// Cancel a running load.
pub fn cancel(store: &StoreHandle, job: u32) {
    stop(job);
    prewarm();
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
