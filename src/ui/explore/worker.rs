//! The worker side of archive reading (runs in a `DedicatedWorkerGlobalScope`): a `File` is read
//! through `FileReaderSync` over `Blob.slice` windows (1 MiB, never the whole file), parsed by
//! `archive::read_archive`, summarised by `viewmodel::explore::summary`, and the summary posted
//! back as JSON with progress messages on the way; the archive stays here for preview requests.

use crate::archive::{read_archive, read_entry_bytes, Archive, ReadOptions};
use crate::viewmodel::explore::protocol::{FromWorker, ToWorker};
use crate::viewmodel::explore::summary::{analyze, summarize};
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{self, Read, Seek, SeekFrom};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

const CHUNK: u64 = 1 << 20;
const PROGRESS_EVERY: u64 = 4 << 20;

/// `Read + Seek` over a `Blob`, one slice at a time.
struct BlobReader {
    blob: Blob,
    reader: FileReaderSync,
    pos: u64,
    len: u64,
    buf: Vec<u8>,
    buf_start: u64,
    /// (job, last reported position) when progress is wanted.
    progress: Option<(u32, u64)>,
}

impl BlobReader {
    fn new(blob: Blob, progress: Option<u32>) -> Result<BlobReader, JsValue> {
        Ok(BlobReader {
            len: blob.size() as u64,
            blob,
            reader: FileReaderSync::new()?,
            pos: 0,
            buf: Vec::new(),
            buf_start: 0,
            progress: progress.map(|j| (j, 0)),
        })
    }

    fn fill(&mut self) -> io::Result<()> {
        let end = (self.pos + CHUNK).min(self.len);
        let slice = self
            .blob
            .slice_with_f64_and_f64(self.pos as f64, end as f64)
            .map_err(js_io)?;
        let ab = self.reader.read_as_array_buffer(&slice).map_err(js_io)?;
        self.buf = js_sys::Uint8Array::new(&ab).to_vec();
        self.buf_start = self.pos;
        if let Some((job, last)) = self.progress {
            if end >= last + PROGRESS_EVERY || end == self.len {
                self.progress = Some((job, end));
                post(
                    &FromWorker::Progress {
                        job,
                        bytes: end,
                        total: self.len,
                        layers: 0,
                    },
                    None,
                );
            }
        }
        Ok(())
    }
}

fn js_io(e: JsValue) -> io::Error {
    io::Error::other(format!("{e:?}"))
}

impl Read for BlobReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.len || out.is_empty() {
            return Ok(0);
        }
        let in_buf =
            self.pos >= self.buf_start && self.pos < self.buf_start + self.buf.len() as u64;
        if !in_buf {
            self.fill()?;
        }
        let off = (self.pos - self.buf_start) as usize;
        let n = out.len().min(self.buf.len() - off);
        out[..n].copy_from_slice(&self.buf[off..off + n]);
        self.pos += n as u64;
        Ok(n)
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

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(msg: &FromWorker, bytes: Option<&[u8]>) {
    let json = serde_json::to_string(msg).unwrap_or_default();
    let arr = js_sys::Array::new();
    arr.push(&JsValue::from_str(&json));
    if let Some(b) = bytes {
        arr.push(&js_sys::Uint8Array::from(b));
    }
    let _ = scope().post_message(&arr);
}

fn load(job: u32, name: &str, now: i64, blob: Blob) {
    let reader = match BlobReader::new(blob.clone(), Some(job)) {
        Ok(r) => r,
        Err(e) => {
            post(
                &FromWorker::Loaded {
                    job,
                    images: Vec::new(),
                    error: Some(format!("the file could not be read ({e:?})")),
                    read_ms: 0,
                    summary_ms: 0,
                    memory: wasm_memory(),
                },
                None,
            );
            return;
        }
    };
    let t0 = js_sys::Date::now();
    let archive = read_archive(reader, &ReadOptions::default());
    let t1 = js_sys::Date::now();
    let layout = archive.layout.map_or("", |l| l.describe());
    let images: Vec<_> = archive
        .images
        .iter()
        .enumerate()
        .map(|(k, im)| summarize(im, name, job, k, layout, now))
        .collect();
    let error = match (&archive.error, images.is_empty()) {
        (Some(e), _) => Some(e.to_string()),
        (None, true) => Some("no image found in the archive".to_string()),
        (None, false) => None,
    };
    let t2 = js_sys::Date::now();
    post(
        &FromWorker::Loaded {
            job,
            images,
            error,
            read_ms: (t1 - t0) as u64,
            summary_ms: (t2 - t1) as u64,
            memory: wasm_memory(),
        },
        None,
    );
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
        let mut src = BlobReader::new(held.blob.clone(), None).map_err(|e| format!("{e:?}"))?;
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
        let Some(json) = data.get(0).as_string() else {
            return;
        };
        match serde_json::from_str::<ToWorker>(&json) {
            Ok(ToWorker::Load { job, name, now }) => {
                let blob: Blob = data.get(1).unchecked_into();
                load(job, &name, now, blob);
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
}
