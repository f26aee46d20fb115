//! Messages between the page and the archive worker, as JSON text; the `File` to read, the
//! loaded images (in the binary form of `wire`, an `ArrayBuffer` transferred) and preview bytes
//! travel beside the JSON as JS objects. Pure data.

use super::summary::AnalysisView;
use serde::{Deserialize, Serialize};

/// Page → worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToWorker {
    /// Read the `File` sent alongside. `now` is for the history's `N ago`; `platform`
    /// (`os/arch[/variant]`) picks one of a multi-platform index (by default linux/amd64).
    Load {
        job: u32,
        name: String,
        now: i64,
        #[serde(default)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
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
