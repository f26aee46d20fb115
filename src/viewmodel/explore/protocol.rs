//! Messages between the page and the archive worker, in the binary form of `wire` (a mark, a
//! message number, then the fields; [`decode_to_worker`] and [`decode_from_worker`] check every
//! length and name the byte offset of what is wrong). The `File` to read, the loaded images
//! (`wire`-encoded, an `ArrayBuffer` transferred) and preview bytes travel beside the message as
//! JS objects. Not JSON: the page then needs no JSON reader for these messages. Pure data.

use super::summary::AnalysisView;
use super::wire::{decode_analysis, encode_analysis, WireError};
use crate::codec::{Reader, Writer};

/// First bytes of a page → worker message (format version 1).
const MARK_TO_WORKER: &[u8; 4] = b"LST1";
/// First bytes of a worker → page message (format version 1).
const MARK_FROM_WORKER: &[u8; 4] = b"LSF1";

/// Page → worker.
#[derive(Debug, Clone, PartialEq)]
pub enum ToWorker {
    /// Read the `File` sent alongside. `now` is for the history's `N ago`; `platform`
    /// (`os/arch[/variant]`) picks one of a multi-platform index (by default linux/amd64).
    Load {
        job: u32,
        name: String,
        now: i64,
        platform: Option<String>,
    },
    /// Read up to `max` bytes of `path` (`/`-rooted) in `layer` of image `image_index`.
    Preview {
        job: u32,
        image_index: usize,
        layer: usize,
        path: String,
        max: usize,
    },
}

/// Worker → page.
#[derive(Debug, Clone, PartialEq)]
pub enum FromWorker {
    /// The worker's wasm is running; messages sent before this would be lost.
    Ready,
    Progress {
        job: u32,
        bytes: u64,
        total: u64,
        /// Layer blobs read so far.
        layers: usize,
        /// Layer blobs to read, once the manifests are read.
        layers_total: Option<usize>,
    },
    /// The archive was read; `error` names what stopped reading (what came before it is kept).
    /// The images, `wire`-encoded, travel beside it as an `ArrayBuffer`.
    Loaded {
        job: u32,
        error: Option<String>,
        /// Milliseconds spent reading the archive, summarising and encoding it.
        read_ms: u64,
        summary_ms: u64,
        encode_ms: u64,
        /// Size of the worker's wasm memory after reading, in bytes.
        memory: u64,
    },
    /// The changes of layers `from` and up of image `image_index` (sent after `Loaded`, whose
    /// images then have `pending` set), `wire::encode_changes`-encoded in an `ArrayBuffer` beside.
    Changes {
        job: u32,
        image_index: usize,
        from: usize,
        /// Milliseconds spent working them out and encoding them.
        ms: u64,
    },
    /// The analysis of image `image_index`, sent after `Loaded`.
    Analysis {
        job: u32,
        image_index: usize,
        analysis: AnalysisView,
    },
    /// The preview bytes travel beside this message as a `Uint8Array`.
    Preview {
        job: u32,
        path: String,
        size: u64,
        error: Option<String>,
    },
}

/// The bytes of a page → worker message.
pub fn encode_to_worker(msg: &ToWorker) -> Vec<u8> {
    let mut w = Writer::with_mark(MARK_TO_WORKER);
    match msg {
        ToWorker::Load {
            job,
            name,
            now,
            platform,
        } => {
            w.uint(0);
            w.uint(u64::from(*job));
            w.str(name);
            w.int(*now);
            w.opt_str(platform.as_deref());
        }
        ToWorker::Preview {
            job,
            image_index,
            layer,
            path,
            max,
        } => {
            w.uint(1);
            w.uint(u64::from(*job));
            w.uint(*image_index as u64);
            w.uint(*layer as u64);
            w.str(path);
            w.uint(*max as u64);
        }
    }
    w.out
}

/// Read what [`encode_to_worker`] wrote.
pub fn decode_to_worker(data: &[u8]) -> Result<ToWorker, WireError> {
    let mut r = Reader::after_mark(data, MARK_TO_WORKER, "the LST1 format mark")?;
    let msg = match r.uint()? {
        0 => ToWorker::Load {
            job: r.u32()?,
            name: r.str()?,
            now: r.int()?,
            platform: r.opt_str()?,
        },
        1 => ToWorker::Preview {
            job: r.u32()?,
            image_index: r.usize()?,
            layer: r.usize()?,
            path: r.str()?,
            max: r.usize()?,
        },
        _ => return r.fail("a message number (0 or 1)"),
    };
    r.end()?;
    Ok(msg)
}

/// The bytes of a worker → page message.
pub fn encode_from_worker(msg: &FromWorker) -> Vec<u8> {
    let mut w = Writer::with_mark(MARK_FROM_WORKER);
    match msg {
        FromWorker::Ready => w.uint(0),
        FromWorker::Progress {
            job,
            bytes,
            total,
            layers,
            layers_total,
        } => {
            w.uint(1);
            w.uint(u64::from(*job));
            w.uint(*bytes);
            w.uint(*total);
            w.uint(*layers as u64);
            w.opt_uint(layers_total.map(|n| n as u64));
        }
        FromWorker::Loaded {
            job,
            error,
            read_ms,
            summary_ms,
            encode_ms,
            memory,
        } => {
            w.uint(2);
            w.uint(u64::from(*job));
            w.opt_str(error.as_deref());
            w.uint(*read_ms);
            w.uint(*summary_ms);
            w.uint(*encode_ms);
            w.uint(*memory);
        }
        FromWorker::Changes {
            job,
            image_index,
            from,
            ms,
        } => {
            w.uint(3);
            w.uint(u64::from(*job));
            w.uint(*image_index as u64);
            w.uint(*from as u64);
            w.uint(*ms);
        }
        FromWorker::Analysis {
            job,
            image_index,
            analysis,
        } => {
            w.uint(4);
            w.uint(u64::from(*job));
            w.uint(*image_index as u64);
            encode_analysis(&mut w, analysis);
        }
        FromWorker::Preview {
            job,
            path,
            size,
            error,
        } => {
            w.uint(5);
            w.uint(u64::from(*job));
            w.str(path);
            w.uint(*size);
            w.opt_str(error.as_deref());
        }
    }
    w.out
}

/// Read what [`encode_from_worker`] wrote.
pub fn decode_from_worker(data: &[u8]) -> Result<FromWorker, WireError> {
    let mut r = Reader::after_mark(data, MARK_FROM_WORKER, "the LSF1 format mark")?;
    let msg = match r.uint()? {
        0 => FromWorker::Ready,
        1 => FromWorker::Progress {
            job: r.u32()?,
            bytes: r.uint()?,
            total: r.uint()?,
            layers: r.usize()?,
            layers_total: r.opt_uint()?,
        },
        2 => FromWorker::Loaded {
            job: r.u32()?,
            error: r.opt_str()?,
            read_ms: r.uint()?,
            summary_ms: r.uint()?,
            encode_ms: r.uint()?,
            memory: r.uint()?,
        },
        3 => FromWorker::Changes {
            job: r.u32()?,
            image_index: r.usize()?,
            from: r.usize()?,
            ms: r.uint()?,
        },
        4 => FromWorker::Analysis {
            job: r.u32()?,
            image_index: r.usize()?,
            analysis: decode_analysis(&mut r)?,
        },
        5 => FromWorker::Preview {
            job: r.u32()?,
            path: r.str()?,
            size: r.uint()?,
            error: r.opt_str()?,
        },
        _ => return r.fail("a message number (0 to 5)"),
    };
    r.end()?;
    Ok(msg)
}
