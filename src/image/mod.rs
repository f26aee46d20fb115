//! The image model: images, their config, history rows and layers, and the tar entries of each
//! layer, as read from an archive or produced by a simulated build.
//!
//! It does not read archives (that is `archive`) nor merge layers (that is `overlay`): it only holds
//! the facts, losslessly (raw byte paths, 64-bit ids, signed mtimes, xattrs), so every later stage
//! can be checked against the truth files.

pub mod docker_history;
mod entry;
mod history;
mod tabwriter;

pub use entry::{Entry, EntryKind, RawPath, Whiteout, OPAQUE_MARKER, WHITEOUT_PREFIX};
pub use history::{assign_layers, HistoryRow};

use serde::Serialize;
use std::collections::BTreeMap;

/// How a layer blob is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub fn as_str(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

/// `os/architecture[/variant]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

/// A HEALTHCHECK as stored in the image config.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Healthcheck {
    pub test: Vec<String>,
    /// Durations in nanoseconds, as Docker stores them.
    pub interval: Option<i64>,
    pub timeout: Option<i64>,
    pub start_period: Option<i64>,
    pub start_interval: Option<i64>,
    pub retries: Option<i64>,
}

/// The runtime part of an image config (`config` in OCI, `config`/`container_config` in Docker).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ImageConfig {
    pub env: Vec<String>,
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub working_dir: String,
    pub user: String,
    pub labels: BTreeMap<String, String>,
    pub exposed_ports: Vec<String>,
    pub volumes: Vec<String>,
    pub healthcheck: Option<Healthcheck>,
    pub stop_signal: Option<String>,
    pub shell: Option<Vec<String>>,
    pub on_build: Vec<String>,
    pub args_escaped: bool,
}

/// One layer of an image, bottom (0) to top.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Layer {
    pub index: usize,
    /// Digest of the blob as stored (compressed if compressed); `sha256:…`.
    pub digest: String,
    /// Digest of the uncompressed tar (`rootfs.diff_ids[index]`).
    pub diff_id: String,
    pub media_type: String,
    pub compression: Compression,
    pub blob_size: u64,
    pub uncompressed_size: u64,
    /// Archive member holding the blob (for error messages and on-demand previews).
    pub member: String,
    pub entries: Vec<Entry>,
}

impl Layer {
    /// A layer made of `entries` alone, not read from any blob: diff id `sha256:<index>`, no
    /// blob, sizes 0, no member. For simulated layers and test fixtures; set the other fields
    /// with struct update syntax.
    pub fn bare(index: usize, entries: Vec<Entry>) -> Layer {
        Layer {
            index,
            digest: String::new(),
            diff_id: format!("sha256:{index}"),
            media_type: String::new(),
            compression: Compression::None,
            blob_size: 0,
            uncompressed_size: 0,
            member: String::new(),
            entries,
        }
    }

    /// Sum of the sizes of regular files (hard links and whiteouts excluded).
    pub fn regular_file_bytes(&self) -> u64 {
        self.entries
            .iter()
            .filter(|e| e.kind == EntryKind::File && e.whiteout().is_none())
            .map(|e| e.size)
            .sum()
    }
}

/// One image: a config plus its layers and history.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Image {
    /// Repository tags as the archive names them (`app:latest`, `docker.io/corpus/app:latest`).
    pub tags: Vec<String>,
    /// `sha256:…` of the config blob; the image ID.
    pub config_digest: String,
    /// Digest of the manifest, where the archive has one as a blob (OCI layouts).
    pub manifest_digest: Option<String>,
    pub platform: Platform,
    /// RFC 3339 creation time from the config.
    pub created: Option<String>,
    pub author: Option<String>,
    pub config: ImageConfig,
    pub layers: Vec<Layer>,
    pub history: Vec<HistoryRow>,
}

impl Image {
    /// The short image id Docker prints: 12 hex digits of the config digest.
    pub fn short_id(&self) -> &str {
        let hex = self
            .config_digest
            .strip_prefix("sha256:")
            .unwrap_or(&self.config_digest);
        &hex[..hex.len().min(12)]
    }

    /// Total uncompressed size of all layers (what `docker images` calls SIZE, roughly).
    pub fn size(&self) -> u64 {
        self.layers.iter().map(|l| l.uncompressed_size).sum()
    }
}
