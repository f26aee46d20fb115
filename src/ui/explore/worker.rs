//! The worker side of archive reading (runs in a `DedicatedWorkerGlobalScope`): a `File` is read
//! through `FileReaderSync` over `Blob.slice` windows (never the whole file), parsed by
//! `archive::read_archive_observed`, summarised by `viewmodel::explore::summary`, and the
//! summary posted back in the binary form of `viewmodel::explore::wire` (an `ArrayBuffer`
//! transferred, not copied), with progress messages (bytes and layers) on the way; the archive
//! stays here for preview requests. When the layer blobs are large (64 MB or more in all, two
//! blobs or more), they are scanned by a pool of sub-workers instead (`worker_pool`) and the
//! archive assembled here from their scans.
//!
//! Each `FileReaderSync` call costs about a millisecond or more whatever its size, so windows
//! grow while reading is sequential (64 KiB doubling up to 32 MiB) and start small again after a
//! jump (a skipped layer body); only the bytes asked for are copied into wasm memory.

use super::worker_pool;
use crate::archive::{
    parallel, read_archive_observed, read_entry_bytes, Archive, LayerProgress, ReadOptions,
};
use crate::overlay::Stack;
use crate::viewmodel::explore::protocol::{
    decode_to_worker, encode_from_worker, FromWorker, ToWorker,
};
use crate::viewmodel::explore::summary::{analyze, changes_above_in, summarize_first, LoadedImage};
use crate::viewmodel::explore::wire;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::io::{self, Read, Seek, SeekFrom};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

const MIN_CHUNK: u64 = 64 << 10;
/// 32 MiB: measured on a 1.03 GB save read by two sub-workers, each 512 MB blob cost
/// 2.45–2.84 s of `FileReaderSync` in 67 calls with 8 MiB windows, 1.88–2.26 s in 24 calls
/// with 32 MiB ones.
const MAX_CHUNK: u64 = 32 << 20;
/// Progress messages at most this often (milliseconds), besides one per layer read.
const PROGRESS_MS: f64 = 50.0;

/// The progress of the current load: bytes fetched of the total, layers, last post time.
struct Reached {
    job: u32,
    total: u64,
    bytes: u64,
    layers: LayerProgress,
    posted_at: f64,
}

thread_local! {
    static REACHED: RefCell<Option<Reached>> = const { RefCell::new(None) };
    /// (milliseconds, calls) spent in `FileReaderSync` for the current load.
    static FILL: Cell<(f64, u32)> = const { Cell::new((0.0, 0)) };
}

/// Post the progress now, or only if the last post is older than `PROGRESS_MS`.
fn report(force: bool) {
    REACHED.with(|r| {
        let mut r = r.borrow_mut();
        let Some(p) = r.as_mut() else { return };
        let now = js_sys::Date::now();
        if !force && now - p.posted_at < PROGRESS_MS {
            return;
        }
        p.posted_at = now;
        post(
            &FromWorker::Progress {
                job: p.job,
                bytes: p.bytes,
                total: p.total,
                layers: p.layers.read,
                layers_total: p.layers.total,
            },
            None,
        );
    });
}

/// `Read + Seek` over a `Blob`, one slice at a time.
pub(super) struct BlobReader {
    blob: Blob,
    reader: FileReaderSync,
    pos: u64,
    len: u64,
    /// The current window, `[buf_start, buf_start + buf_len)` of the blob, still in JS memory.
    buf: Option<js_sys::Uint8Array>,
    buf_start: u64,
    buf_len: u64,
    /// Size of the next window.
    chunk: u64,
    /// Whom to tell about the bytes fetched.
    fetch: Fetch,
    /// Bytes fetched, and when a sub-worker last said so.
    fetched: u64,
    told_at: f64,
}

/// Whom a [`BlobReader`] tells about its progress.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Fetch {
    /// Nobody (a preview, or the final assembly of a pooled read).
    Quiet,
    /// The page: the load's own reader.
    Load,
    /// The archive worker: a sub-worker scanning one blob (`worker_pool`).
    Sub,
}

impl BlobReader {
    pub(super) fn new(blob: Blob, fetch: Fetch) -> Result<BlobReader, JsValue> {
        Ok(BlobReader {
            len: blob.size() as u64,
            blob,
            reader: FileReaderSync::new()?,
            pos: 0,
            buf: None,
            buf_start: 0,
            buf_len: 0,
            chunk: MIN_CHUNK,
            fetch,
            fetched: 0,
            told_at: 0.0,
        })
    }

    fn fill(&mut self) -> io::Result<()> {
        let last_end = self.buf.as_ref().map(|_| self.buf_start + self.buf_len);
        self.chunk = next_chunk(self.pos, last_end, self.chunk);
        let end = (self.pos + self.chunk).min(self.len);
        let t = js_sys::Date::now();
        let slice = self
            .blob
            .slice_with_f64_and_f64(self.pos as f64, end as f64)
            .map_err(js_io)?;
        let ab = self.reader.read_as_array_buffer(&slice).map_err(js_io)?;
        let arr = js_sys::Uint8Array::new(&ab);
        FILL.with(|f| {
            let (ms, n) = f.get();
            f.set((ms + js_sys::Date::now() - t, n + 1));
        });
        self.buf_len = arr.length() as u64;
        self.buf = Some(arr);
        self.buf_start = self.pos;
        self.fetched += self.buf_len;
        match self.fetch {
            Fetch::Quiet => {}
            Fetch::Load => {
                // Bytes fetched so far (monotonic: the reader jumps back and forth between the
                // member headers, the manifests and the layers).
                let done = REACHED.with(|r| {
                    r.borrow_mut().as_mut().is_some_and(|p| {
                        p.bytes = (p.bytes + self.buf_len).min(p.total);
                        p.bytes == p.total
                    })
                });
                report(done);
            }
            Fetch::Sub => {
                let now = js_sys::Date::now();
                if now - self.told_at >= PROGRESS_MS {
                    self.told_at = now;
                    let msg = js_sys::Array::new();
                    msg.push(&JsValue::from_str("progress"));
                    msg.push(&JsValue::from_f64(self.fetched as f64));
                    let _ = scope().post_message(&msg);
                }
            }
        }
        Ok(())
    }
}

/// The size of the next window read at `pos`, after a window of `chunk` bytes that ended at
/// `last_end` (none yet: `None`): twice as big when reading goes on from the last window's end
/// or a little past it, up to `MAX_CHUNK`; `MIN_CHUNK` again after a jump.
fn next_chunk(pos: u64, last_end: Option<u64>, chunk: u64) -> u64 {
    match last_end {
        Some(end) if pos >= end && pos - end <= chunk => (chunk * 2).min(MAX_CHUNK),
        _ => MIN_CHUNK,
    }
}

pub(super) fn js_io(e: JsValue) -> io::Error {
    io::Error::other(format!("{e:?}"))
}

impl Read for BlobReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.len || out.is_empty() {
            return Ok(0);
        }
        let in_buf = self.buf.is_some()
            && self.pos >= self.buf_start
            && self.pos < self.buf_start + self.buf_len;
        if !in_buf {
            self.fill()?;
        }
        let Some(buf) = &self.buf else {
            return Ok(0);
        };
        let off = self.pos - self.buf_start;
        let n = (out.len() as u64).min(self.buf_len - off);
        if n == 0 {
            return Ok(0);
        }
        buf.subarray(off as u32, (off + n) as u32)
            .copy_to(&mut out[..n as usize]);
        self.pos += n;
        Ok(n as usize)
    }
}

impl Seek for BlobReader {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => n as i128,
            SeekFrom::End(d) => self.len as i128 + d as i128,
            SeekFrom::Current(d) => self.pos as i128 + d as i128,
        };
        if target < 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start",
            ));
        }
        self.pos = target as u64;
        Ok(self.pos)
    }
}

struct Held {
    blob: Blob,
    archive: Archive,
}

thread_local! {
    static HELD: RefCell<HashMap<u32, Held>> = RefCell::new(HashMap::new());
}

pub(super) fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(msg: &FromWorker, bytes: Option<&[u8]>) {
    let arr = js_sys::Array::new();
    arr.push(&js_sys::Uint8Array::from(&encode_from_worker(msg)[..]));
    if let Some(b) = bytes {
        arr.push(&js_sys::Uint8Array::from(b));
    }
    let _ = scope().post_message(&arr);
}

/// Post `msg` with `bytes` beside it as an `ArrayBuffer` handed over to the page (not copied).
fn post_transfer(msg: &FromWorker, bytes: &[u8]) {
    let buffer = js_sys::Uint8Array::from(bytes).buffer();
    let arr = js_sys::Array::new();
    arr.push(&js_sys::Uint8Array::from(&encode_from_worker(msg)[..]));
    arr.push(&buffer);
    let transfer = js_sys::Array::new();
    transfer.push(&buffer);
    let _ = scope().post_message_with_transfer(&arr, &transfer);
}

/// Below this many bytes of layer blobs, the archive worker reads them all itself (starting
/// sub-workers would cost more than they save).
const POOL_MIN_BYTES: u64 = 64 << 20;

/// Milliseconds spent in `FileReaderSync` and calls made since `FILL` was last reset.
pub(super) fn fill_stats() -> (f64, u32) {
    FILL.with(|f| f.get())
}

/// Record the layer blobs read (pooled reads), and post the progress.
pub(super) fn set_layers(read: usize, total: Option<usize>) {
    REACHED.with(|r| {
        if let Some(r) = r.borrow_mut().as_mut() {
            r.layers = LayerProgress { read, total };
        }
    });
    report(true);
}

/// Record the bytes fetched (pooled reads), and post the progress now or when due.
pub(super) fn set_bytes(bytes: u64, force: bool) {
    REACHED.with(|r| {
        if let Some(r) = r.borrow_mut().as_mut() {
            r.bytes = bytes.min(r.total);
        }
    });
    report(force);
}

fn failed(job: u32, e: String) {
    post_transfer(
        &FromWorker::Loaded {
            job,
            error: Some(e),
            read_ms: 0,
            summary_ms: 0,
            encode_ms: 0,
            memory: wasm_memory(),
        },
        &wire::encode(&[]),
    )
}

fn load(job: u32, name: &str, now: i64, platform: Option<String>, blob: Blob) {
    let reader = match BlobReader::new(blob.clone(), Fetch::Load) {
        Ok(r) => r,
        Err(e) => return failed(job, format!("the file could not be read ({e:?})")),
    };
    REACHED.with(|r| {
        *r.borrow_mut() = Some(Reached {
            job,
            total: blob.size() as u64,
            bytes: 0,
            layers: LayerProgress::default(),
            posted_at: 0.0,
        })
    });
    FILL.with(|f| f.set((0.0, 0)));
    let t0 = js_sys::Date::now();
    let opts = ReadOptions {
        platform,
        ..ReadOptions::default()
    };
    // Large blobs are read on a pool of sub-workers; the plan costs the member headers and the
    // JSON members, which the assembly reuses or rereads (a few KB).
    let plan = match BlobReader::new(blob.clone(), Fetch::Quiet) {
        Ok(r) => parallel::plan(r, &opts),
        Err(_) => None,
    };
    let observe = &mut |p| {
        REACHED.with(|r| {
            if let Some(r) = r.borrow_mut().as_mut() {
                r.layers = p;
            }
        });
        report(true);
    };
    let archive = match plan {
        Some(plan) if plan.jobs.len() > 1 && plan.bytes() >= POOL_MIN_BYTES => {
            return worker_pool::start(worker_pool::PooledRead {
                job,
                name: name.to_string(),
                now,
                blob,
                opts,
                plan,
                t0,
            });
        }
        // Small blobs: read here, reusing the plan's member index.
        Some(plan) => parallel::read_planned(reader, &opts, plan, Vec::new(), observe),
        None => read_archive_observed(reader, &opts, observe),
    };
    // The sub-workers started ahead are not needed for this archive.
    worker_pool::release();
    publish(job, name, now, blob, archive, t0);
}

/// A pooled read is back: assemble the archive (rescanning any blob whose scan is missing)
/// and publish it.
pub(super) fn pooled_done(p: worker_pool::PooledRead, scans: Vec<parallel::JobScan>) {
    let archive = match BlobReader::new(p.blob.clone(), Fetch::Quiet) {
        Ok(r) => parallel::read_planned(r, &p.opts, p.plan, scans, &mut |_| {}),
        Err(e) => return failed(p.job, format!("the file could not be read ({e:?})")),
    };
    publish(p.job, &p.name, p.now, p.blob, archive, p.t0);
}

/// Post the images read (layer 0's changes first), then the other layers' changes and the
/// analysis, and keep the archive for previews.
fn publish(job: u32, name: &str, now: i64, blob: Blob, archive: Archive, t0: f64) {
    REACHED.with(|r| *r.borrow_mut() = None);
    let t1 = js_sys::Date::now();
    let layout = archive.layout.map_or("", |l| l.describe());
    let images: Vec<_> = archive
        .images
        .iter()
        .enumerate()
        .map(|(k, im)| LoadedImage {
            other_platforms: archive
                .other_platforms
                .iter()
                .map(|p| p.to_string())
                .collect(),
            ..summarize_first(im, name, job, k, layout, now)
        })
        .collect();
    let error = match (&archive.error, images.is_empty()) {
        (Some(e), _) => Some(e.to_string()),
        (None, true) => Some("no image found in the archive".to_string()),
        (None, false) => None,
    };
    let t2 = js_sys::Date::now();
    let bytes = wire::encode(&images);
    drop(images);
    let t3 = js_sys::Date::now();
    let (fill_ms, fills) = FILL.with(|f| f.get());
    web_sys::console::log_1(&JsValue::from_str(&format!(
        "layerscope: worker: FileReaderSync {fill_ms} ms in {fills} calls; message {} bytes",
        bytes.len()
    )));
    post_transfer(
        &FromWorker::Loaded {
            job,
            error,
            read_ms: (t1 - t0) as u64,
            summary_ms: (t2 - t1) as u64,
            encode_ms: (t3 - t2) as u64,
            memory: wasm_memory(),
        },
        &bytes,
    );
    drop(bytes);
    // Then the other layers' changes, and the analysis. The union mounts and rows built for the
    // changes are freed only once everything is posted: freeing the 100,000 nodes of a large
    // image takes longer than building them (natively 200 ms against 145 ms on a 1 GB save).
    let mut keep = Vec::new();
    for (image_index, im) in archive.images.iter().enumerate() {
        if im.layers.len() < 2 {
            continue;
        }
        let t = js_sys::Date::now();
        let stack = Stack::new(&im.layers);
        let rows = changes_above_in(&stack, im);
        let bytes = wire::encode_changes(&rows);
        post_transfer(
            &FromWorker::Changes {
                job,
                image_index,
                from: 1,
                ms: (js_sys::Date::now() - t) as u64,
            },
            &bytes,
        );
        keep.push((stack, rows));
    }
    for (image_index, im) in archive.images.iter().enumerate() {
        post(
            &FromWorker::Analysis {
                job,
                image_index,
                analysis: analyze(im),
            },
            None,
        );
    }
    drop(keep);
    HELD.with(|h| h.borrow_mut().insert(job, Held { blob, archive }));
}

/// Bytes of this worker's wasm linear memory.
fn wasm_memory() -> u64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as u64
}

fn preview(job: u32, image_index: usize, layer: usize, path: &str, max: usize) {
    let result = HELD.with(|h| -> Result<Vec<u8>, String> {
        let h = h.borrow();
        let held = h.get(&job).ok_or("the archive is no longer loaded")?;
        let im = held
            .archive
            .images
            .get(image_index)
            .ok_or("no such image")?;
        let l = im.layers.get(layer).ok_or("no such layer")?;
        let want = path.trim_start_matches('/').as_bytes();
        let entry = l
            .entries
            .iter()
            .rev()
            .find(|e| e.path.normalized() == want)
            .ok_or_else(|| format!("{path} is not stored in layer {layer}"))?;
        let mut src =
            BlobReader::new(held.blob.clone(), Fetch::Quiet).map_err(|e| format!("{e:?}"))?;
        read_entry_bytes(
            &mut src,
            held.archive.outer_gzip,
            &held.archive.members,
            l,
            entry,
            max,
        )
        .map_err(|e| e.to_string())
    });
    match result {
        Ok(bytes) => post(
            &FromWorker::Preview {
                job,
                path: path.to_string(),
                size: bytes.len() as u64,
                error: None,
            },
            Some(&bytes),
        ),
        Err(e) => post(
            &FromWorker::Preview {
                job,
                path: path.to_string(),
                size: 0,
                error: Some(e),
            },
            None,
        ),
    }
}

/// Install the message handler and tell the page the worker is ready.
pub fn start() {
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        let data: js_sys::Array = e.data().unchecked_into();
        if data.get(0).as_string().as_deref() == Some("scan") {
            // This is a sub-worker of a pooled read (`worker_pool`).
            let job = js_sys::Uint8Array::new(&data.get(1)).to_vec();
            return worker_pool::scan(&job, data.get(2).unchecked_into());
        }
        let Ok(head) = data.get(0).dyn_into::<js_sys::Uint8Array>() else {
            return;
        };
        match decode_to_worker(&head.to_vec()) {
            Ok(ToWorker::Load {
                job,
                name,
                now,
                platform,
            }) => {
                let blob: Blob = data.get(1).unchecked_into();
                load(job, &name, now, platform, blob);
            }
            Ok(ToWorker::Preview {
                job,
                image_index,
                layer,
                path,
                max,
            }) => preview(job, image_index, layer, &path, max),
            Err(_) => {}
        }
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    post(&FromWorker::Ready, None);
    if !worker_pool::is_sub() {
        // An archive is coming (the page starts this worker on a sign of one): have sub-workers
        // ready in case its layers are large.
        worker_pool::prewarm();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_grow_while_reading_on_and_shrink_after_a_jump() {
        assert_eq!(next_chunk(0, None, MIN_CHUNK), MIN_CHUNK);
        // Reading on: 64 KiB, 128 KiB, … up to 32 MiB, then 32 MiB.
        let (mut pos, mut chunk, mut sizes) = (0u64, MIN_CHUNK, Vec::new());
        let mut last = None;
        for _ in 0..12 {
            chunk = next_chunk(pos, last, chunk);
            sizes.push(chunk >> 10);
            pos += chunk;
            last = Some(pos);
        }
        assert_eq!(
            sizes,
            [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 32768, 32768]
        );
        // A small gap (a skipped body shorter than the window) still counts as reading on.
        assert_eq!(next_chunk(pos + 9_000, last, chunk), MAX_CHUNK);
        // A jump past a long body, or back to the manifests, starts small again.
        assert_eq!(next_chunk(pos + MAX_CHUNK + 1, last, chunk), MIN_CHUNK);
        assert_eq!(next_chunk(1024, last, chunk), MIN_CHUNK);
    }
}
