//! Reading one archive's large layer blobs on several Web Workers at once. `FileReaderSync`
//! copies at a few hundred MB/s per worker, so a multi-GB `docker save` is read faster by a pool
//! of scanning workers (started by the archive worker, from the same script) than by one.
//!
//! The archive worker plans the read (`archive::parallel::plan`), hands each sub-worker one
//! blob at a time, largest first (`archive::scan_wire` job: member, offset, size, caps), and the
//! sub-worker sends back the blob's scan in binary, transferred. Once every blob is in, the
//! archive worker assembles the archive (`archive::parallel::read_planned`), which rescans any
//! blob whose scan is missing or did not decode, so a failed sub-worker costs time, never
//! correctness. Sub-worker messages are arrays whose first item names them (`"scanned"`,
//! `"progress"`); anything else from a sub-worker means it is ready. Terminating the archive
//! worker (cancel) terminates its sub-workers. An archive worker starts two sub-workers as soon
//! as it runs (the page starts it only on a sign that an archive is coming), and stops them
//! once a read does not need them or is done.

use super::worker::{js_io, scope, BlobReader, Fetch};
use crate::archive::parallel::{self, JobScan, LayerJob, Plan};
use crate::archive::{scan_wire, ReadOptions};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, MessageEvent, Worker};

/// Trunk's loader shim, beside the archive worker's own script; the query marks a sub-worker.
const WORKER_URL: &str = "./layerscope-worker_loader.js?sub";
/// Sub-workers started ahead, before any archive is known.
const PREWARM: usize = 2;
/// Most sub-workers one archive worker starts.
const MAX_SUBS: usize = 4;

/// A read handed to the pool: what the archive worker needs again to assemble and publish it.
pub struct PooledRead {
    pub job: u32,
    pub name: String,
    pub now: i64,
    pub blob: Blob,
    pub opts: ReadOptions,
    pub plan: Plan,
    /// Milliseconds (`Date.now`) when reading started.
    pub t0: f64,
}

/// A read in progress on the pool.
struct Pending {
    read: PooledRead,
    /// Blobs not handed out yet, smallest first (taken from the end).
    queue: Vec<LayerJob>,
    scans: Vec<JobScan>,
    /// Blobs handed out and not back yet.
    out: usize,
    /// Bytes of the blobs that are back.
    bytes_done: u64,
    /// Blobs back (scanned or failed).
    back: usize,
}

struct Sub {
    worker: Worker,
    ready: bool,
    /// It failed (its script or wasm did not load, or it crashed): it gets no more blobs.
    dead: bool,
    /// The size of the blob it is scanning, and the bytes it has said it fetched.
    busy: Option<(u64, u64)>,
}

thread_local! {
    static SUBS: RefCell<Vec<Sub>> = const { RefCell::new(Vec::new()) };
    static PENDING: RefCell<Option<Pending>> = const { RefCell::new(None) };
}

fn log(text: String) {
    web_sys::console::log_1(&JsValue::from_str(&text));
}

/// Milliseconds since the read started.
fn since_start() -> u64 {
    PENDING.with(|p| {
        p.borrow()
            .as_ref()
            .map_or(0, |p| (js_sys::Date::now() - p.read.t0) as u64)
    })
}

/// How many sub-workers to read `blobs` blobs with: one per blob, up to [`MAX_SUBS`]. More
/// workers than cores still helps: measured on 2 cores (1.54 GB, three 512 MB blobs),
/// `FileReaderSync` fetched everything in 3.0 s with 2 workers and 2.8 s with 3.
fn pool_size(blobs: usize) -> usize {
    blobs.min(MAX_SUBS)
}

/// Start reading the plan's blobs on the pool; once all are back, the archive worker assembles
/// and publishes the read (`worker::pooled_done`).
pub fn start(read: PooledRead) {
    let mut queue = read.plan.jobs.clone();
    queue.sort_by_key(|j| j.member.size);
    let total = queue.len();
    let want = pool_size(queue.len());
    PENDING.with(|p| {
        *p.borrow_mut() = Some(Pending {
            read,
            queue,
            scans: Vec::new(),
            out: 0,
            bytes_done: 0,
            back: 0,
        })
    });
    super::worker::set_layers(0, Some(total));
    grow(want);
    // With no sub-worker at all, `dispatch` finishes at once and the assembly reads every blob.
    dispatch();
}

/// Whether this worker is a sub-worker (started by an archive worker, not by the page).
pub fn is_sub() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"location".into())
        .and_then(|l| js_sys::Reflect::get(&l, &"search".into()))
        .ok()
        .and_then(|s| s.as_string())
        .is_some_and(|s| s == "?sub")
}

/// Start [`PREWARM`] sub-workers ahead of a read, so that a large archive does not wait for
/// their wasm to load and compile.
pub fn prewarm() {
    grow(PREWARM);
}

/// Stop the sub-workers (a read that did not need them, or one that is done).
pub fn release() {
    for sub in SUBS.with(|s| std::mem::take(&mut *s.borrow_mut())) {
        sub.worker.terminate();
    }
}

/// Start sub-workers until there are `want`.
fn grow(want: usize) {
    SUBS.with(|s| {
        let mut subs = s.borrow_mut();
        while subs.len() < want {
            let i = subs.len();
            match spawn(i) {
                Ok(worker) => subs.push(Sub {
                    worker,
                    ready: false,
                    dead: false,
                    busy: None,
                }),
                Err(_) => break,
            }
        }
    });
}

fn spawn(i: usize) -> Result<Worker, JsValue> {
    let worker = Worker::new(WORKER_URL)?;
    let onmessage =
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| on_sub_message(i, e));
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let onerror =
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_e: web_sys::Event| on_sub_error(i));
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    onerror.forget();
    Ok(worker)
}

/// A sub-worker failed: the blob it had is left to the assembly, which scans it itself.
fn on_sub_error(i: usize) {
    log(format!("layerscope: pool: sub-worker {i} failed"));
    let had = SUBS.with(|s| {
        s.borrow_mut().get_mut(i).is_some_and(|sub| {
            sub.dead = true;
            sub.busy.take().is_some()
        })
    });
    if had {
        PENDING.with(|p| {
            if let Some(p) = p.borrow_mut().as_mut() {
                p.out = p.out.saturating_sub(1);
                p.back += 1;
            }
        });
    }
    dispatch();
}

/// Hand the next blob to every ready, idle sub-worker, then finish the read if every blob is
/// back, or if no sub-worker is left to take the others (the assembly scans those).
fn dispatch() {
    SUBS.with(|s| {
        PENDING.with(|p| {
            let mut p = p.borrow_mut();
            let Some(p) = p.as_mut() else { return };
            for sub in s.borrow_mut().iter_mut() {
                if !sub.ready || sub.dead || sub.busy.is_some() {
                    continue;
                }
                let Some(job) = p.queue.pop() else { return };
                let bytes = scan_wire::encode_job(&job, &p.read.opts);
                let msg = js_sys::Array::new();
                msg.push(&JsValue::from_str("scan"));
                msg.push(&js_sys::Uint8Array::from(bytes.as_slice()));
                msg.push(&p.read.blob);
                if sub.worker.post_message(&msg).is_ok() {
                    sub.busy = Some((job.member.size, 0));
                    p.out += 1;
                } else {
                    // The blob goes unscanned: `read_planned` reads it itself.
                    p.back += 1;
                }
            }
        })
    });
    let done = PENDING.with(|p| {
        let mut p = p.borrow_mut();
        let Some(p) = p.as_mut() else { return false };
        if SUBS.with(|s| s.borrow().iter().all(|s| s.dead)) {
            p.queue.clear();
        }
        p.queue.is_empty() && p.out == 0
    });
    if done {
        finish();
    }
}

fn on_sub_message(i: usize, e: MessageEvent) {
    let data = e.data();
    let kind = data
        .dyn_ref::<js_sys::Array>()
        .and_then(|a| a.get(0).as_string());
    let arr: js_sys::Array = data.unchecked_into();
    match kind.as_deref() {
        Some("progress") => {
            let fetched = arr.get(1).as_f64().unwrap_or(0.0) as u64;
            SUBS.with(|s| {
                if let Some((size, got)) = s.borrow_mut().get_mut(i).and_then(|s| s.busy.as_mut()) {
                    *got = fetched.min(*size);
                }
            });
            report(false);
        }
        Some("scanned") => {
            let scan = arr
                .get(1)
                .dyn_into::<js_sys::ArrayBuffer>()
                .ok()
                .map(|b| js_sys::Uint8Array::new(&b).to_vec())
                .and_then(|b| scan_wire::decode(&b).ok());
            let size = SUBS.with(|s| {
                s.borrow_mut()
                    .get_mut(i)
                    .and_then(|s| s.busy.take())
                    .map_or(0, |(size, _)| size)
            });
            PENDING.with(|p| {
                let mut p = p.borrow_mut();
                let Some(p) = p.as_mut() else { return };
                p.out = p.out.saturating_sub(1);
                p.back += 1;
                p.bytes_done += size;
                log(format!(
                    "layerscope: pool: sub-worker {i} sent a {size}-byte blob's scan at {} ms",
                    (js_sys::Date::now() - p.read.t0) as u64
                ));
                if let Some(scan) = scan {
                    p.scans.push(scan);
                }
                super::worker::set_layers(p.back, Some(p.read.plan.jobs.len()));
            });
            report(true);
            dispatch();
        }
        _ => {
            log(format!(
                "layerscope: pool: sub-worker {i} ready at {} ms",
                since_start()
            ));
            SUBS.with(|s| {
                if let Some(sub) = s.borrow_mut().get_mut(i) {
                    sub.ready = true;
                }
            });
            dispatch();
        }
    }
}

/// Post the read's progress: bytes of the blobs back plus what the busy sub-workers fetched.
fn report(force: bool) {
    let busy: u64 = SUBS.with(|s| {
        s.borrow()
            .iter()
            .filter_map(|s| s.busy.map(|(_, got)| got))
            .sum()
    });
    let done = PENDING.with(|p| p.borrow().as_ref().map_or(0, |p| p.bytes_done));
    super::worker::set_bytes(done + busy, force);
}

fn finish() {
    let Some(mut p) = PENDING.with(|p| p.borrow_mut().take()) else {
        return;
    };
    let scans = std::mem::take(&mut p.scans);
    // The sub-workers' memory goes back now; a later read (another platform) starts new ones.
    release();
    let t = js_sys::Date::now();
    let t0 = p.read.t0;
    super::worker::pooled_done(p.read, scans);
    log(format!(
        "layerscope: pool: assembled and published at {} ms (assembly and publishing {} ms)",
        (js_sys::Date::now() - t0) as u64,
        (js_sys::Date::now() - t) as u64
    ));
}

/// In a sub-worker: scan the blob a `"scan"` message names and send the scan back.
pub fn scan(job: &[u8], blob: Blob) {
    let post = |bytes: Vec<u8>| {
        let buffer = js_sys::Uint8Array::from(bytes.as_slice()).buffer();
        let msg = js_sys::Array::new();
        msg.push(&JsValue::from_str("scanned"));
        msg.push(&buffer);
        let transfer = js_sys::Array::new();
        transfer.push(&buffer);
        let _ = scope().post_message_with_transfer(&msg, &transfer);
    };
    let Ok((job, opts)) = scan_wire::decode_job(job) else {
        return post(Vec::new());
    };
    let reader = match BlobReader::new(blob, Fetch::Sub) {
        Ok(r) => r,
        Err(e) => {
            let _ = js_io(e);
            return post(Vec::new());
        }
    };
    let t = js_sys::Date::now();
    let (fill_before, calls_before) = super::worker::fill_stats();
    let scanned = parallel::scan_job(reader, &job, &opts);
    let t1 = js_sys::Date::now();
    let (fill, calls) = super::worker::fill_stats();
    let bytes = scan_wire::encode(&scanned);
    web_sys::console::log_1(&JsValue::from_str(&format!(
        "layerscope: sub-worker: {} entries of {} scanned in {} ms ({} ms in {} FileReaderSync calls), encoded in {} ms ({} bytes)",
        scanned.scan.entries.len(),
        job.member.name,
        (t1 - t) as u64,
        (fill - fill_before) as u64,
        calls - calls_before,
        (js_sys::Date::now() - t1) as u64,
        bytes.len()
    )));
    post(bytes);
}
