//! Reading image archives (docker save in its three layouts, skopeo/podman docker-archives, OCI
//! archives and tarred OCI layouts, whole-archive gzip) into the `image` model, streaming over
//! `Read + Seek` (seeking past bodies) or a one-pass `Read`. It does not merge layers (that is
//! `overlay`) and does no file-system I/O of its own, so it runs the same in the browser.
//!
//! Entry points: [`read_archive`] (any seekable source; detects a gzip wrapper) and
//! [`read_stream`] (a plain tar stream read once). Both return an [`Archive`] whose `error`
//! holds the fault that stopped reading, with everything read before it kept.

mod config;
mod decode;
mod error;
mod json;
mod layer;
mod members;
mod oci;
pub mod parallel;
mod preview;
mod resolve;
pub mod scan_wire;
mod source;
mod stats;
mod store;
mod summary;
mod tar_walk;

pub use decode::{from_magic, from_media_type};
pub use error::{ArchiveError, ErrorKind};
pub use layer::{LayerScan, ScanOptions};
pub use members::{Member, MemberIndex};
pub use oci::parse_platform;
pub use preview::read_entry_bytes;
pub use source::sha256_digest;
pub use stats::LayerStats;
pub use store::MAX_JSON_BYTES;
pub use summary::{image_json, inspect_json, layer_json, layer_stats};

use crate::image::{Image, Platform};
use serde::Serialize;
use std::io::{Read, Seek};

/// Default cap on the uncompressed bytes of all layers read: 64 GiB.
pub const DEFAULT_MAX_BYTES: u64 = 64 << 30;
/// Default cap on the entries of all layers read: 5 million.
pub const DEFAULT_MAX_ENTRIES: u64 = 5_000_000;

/// What to read and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Check blob digests, sizes and diff_ids (hashes every byte).
    pub verify: bool,
    /// Hash each regular file's content.
    pub hash_contents: bool,
    /// Keep every layer's entries (trees, previews, analysis). When false only per-layer
    /// figures are kept ([`Archive::layer_stats`]), so memory does not grow with entries.
    pub keep_entries: bool,
    pub max_bytes: u64,
    pub max_entries: u64,
    /// Read only the image at this position of the listing.
    pub image: Option<usize>,
    /// Read only the first image carrying this tag.
    pub tag: Option<String>,
    /// `os/arch[/variant]` to pick from multi-platform indexes.
    pub platform: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            verify: false,
            hash_contents: false,
            keep_entries: true,
            max_bytes: DEFAULT_MAX_BYTES,
            max_entries: DEFAULT_MAX_ENTRIES,
            image: None,
            tag: None,
            platform: None,
        }
    }
}

impl ReadOptions {
    fn scan(&self) -> ScanOptions {
        ScanOptions {
            hash_streams: self.verify,
            hash_contents: self.hash_contents,
            keep_entries: self.keep_entries,
        }
    }
}

/// Which layout the archive has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// `docker save` up to Docker 24: `<id>/layer.tar`, manifest.json, repositories.
    DockerSaveLegacy,
    /// `docker save` from Docker 25: an OCI layout plus manifest.json.
    DockerSaveOci,
    /// skopeo/podman docker-archive: `<sha>.tar` layers, symlinked legacy `<id>/layer.tar`.
    DockerArchive,
    /// OCI archive or tarred OCI layout directory.
    Oci,
}

impl Layout {
    pub fn describe(self) -> &'static str {
        match self {
            Layout::DockerSaveLegacy => "docker save (legacy layout)",
            Layout::DockerSaveOci => "docker save (OCI layout + manifest.json, Docker 25+)",
            Layout::DockerArchive => "docker-archive (skopeo/podman)",
            Layout::Oci => "OCI layout",
        }
    }
}

/// One image the archive holds (whether or not its layers were read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageSummary {
    pub index: usize,
    pub tags: Vec<String>,
    pub config_digest: String,
    pub manifest_digest: Option<String>,
    pub platform: Platform,
    pub layer_count: usize,
}

/// A non-image manifest (buildx provenance/SBOM attestation), listed but never read as an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attestation {
    pub manifest_digest: String,
    /// The image manifest it describes (`vnd.docker.reference.digest`).
    pub describes: Option<String>,
    pub predicate_types: Vec<String>,
    pub media_types: Vec<String>,
}

/// Everything read from one archive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Archive {
    pub layout: Option<Layout>,
    /// Whether the whole archive was gzip-compressed.
    pub outer_gzip: bool,
    /// Every image found, in archive order.
    pub listing: Vec<ImageSummary>,
    /// The images read (all, or the one selected), with their layers.
    pub images: Vec<Image>,
    /// Positions in `listing` of `images`.
    pub selected: Vec<usize>,
    pub attestations: Vec<Attestation>,
    /// Platforms of multi-platform indexes that were not chosen.
    pub other_platforms: Vec<Platform>,
    /// Digest and size mismatches found by `verify`.
    pub verify_failures: Vec<ArchiveError>,
    /// The fault that stopped or marred reading; what came before it is kept.
    pub error: Option<ArchiveError>,
    /// The outer archive's members (offsets for previews).
    pub members: MemberIndex,
    /// Per layer blob (by archive member), the figures of its entries, kept or not.
    pub layer_stats: std::collections::BTreeMap<String, LayerStats>,
}

fn set_error(a: &mut Archive, e: ArchiveError) {
    if a.error.is_none() {
        a.error = Some(e);
    }
}

/// Layer blobs read so far, and how many will be read (known once the manifests are read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LayerProgress {
    pub read: usize,
    pub total: Option<usize>,
}

/// A store that reports each layer blob it is asked for (read or failed) to `observe`.
struct Observed<'a, S> {
    inner: S,
    progress: LayerProgress,
    observe: &'a mut dyn FnMut(LayerProgress),
}

impl<S: store::Store> store::Store for Observed<'_, S> {
    fn index(&self) -> &MemberIndex {
        self.inner.index()
    }
    fn small(&mut self, name: &str) -> Result<(Vec<u8>, Member), ArchiveError> {
        self.inner.small(name)
    }
    fn layer(
        &mut self,
        name: &str,
        declared: Option<crate::image::Compression>,
        budget: &mut layer::Budget,
    ) -> Result<(layer::LayerScan, Member), ArchiveError> {
        let got = self.inner.layer(name, declared, budget);
        self.progress.read += 1;
        (self.observe)(self.progress);
        got
    }
    fn layers_planned(&mut self, total: usize) {
        self.progress.total = Some(total);
        (self.observe)(self.progress);
    }
}

/// Read an archive from a seekable source. A gzip-compressed archive is decompressed as a stream
/// and read in one pass.
pub fn read_archive<R: Read + Seek>(r: R, opts: &ReadOptions) -> Archive {
    read_archive_observed(r, opts, &mut |_| {})
}

/// [`read_archive`], telling `observe` how many layer blobs will be read once that is known and
/// after each one (for a whole-archive gzip, all at the end: its layers are read in one pass
/// before the manifests are looked at).
pub fn read_archive_observed<R: Read + Seek>(
    mut r: R,
    opts: &ReadOptions,
    observe: &mut dyn FnMut(LayerProgress),
) -> Archive {
    let mut head = [0u8; 2];
    let peek = r
        .seek(std::io::SeekFrom::Start(0))
        .and_then(|_| source::read_full(&mut r, &mut head))
        .and_then(|n| r.seek(std::io::SeekFrom::Start(0)).map(|_| n));
    let n = match peek {
        Ok(n) => n,
        Err(e) => {
            let mut a = Archive::default();
            set_error(&mut a, ArchiveError::io(&e, "", 0, "archive data"));
            return a;
        }
    };
    if decode::from_magic(&head[..n]) == crate::image::Compression::Gzip {
        let mut a = read_stream_observed(flate_reader(r), opts, observe);
        a.outer_gzip = true;
        return a;
    }
    let mut archive = Archive::default();
    let src = match source::Seeking::new(r) {
        Ok(s) => s,
        Err(e) => {
            set_error(&mut archive, ArchiveError::io(&e, "", 0, "archive data"));
            return archive;
        }
    };
    let (index, err, src) = members::index_members(src);
    if let Some(e) = err {
        set_error(&mut archive, e);
    }
    let mut store = Observed {
        inner: store::SeekStore {
            src,
            index,
            opts: opts.scan(),
        },
        progress: LayerProgress::default(),
        observe,
    };
    resolve::resolve(&mut store, opts, &mut archive);
    archive.members = store.inner.index;
    archive
}

/// A gzip-decoding reader over the whole archive (errors keep their kinds).
fn flate_reader<R: Read>(r: R) -> decode::Decoder<R> {
    decode::Decoder::new(
        crate::image::Compression::Gzip,
        decode::Pushback::new(Vec::new(), r),
    )
}

/// Read an archive from a source that cannot seek (a pipe): one pass, gzip wrapper detected
/// from the magic bytes.
pub fn read_unseekable<R: Read>(mut r: R, opts: &ReadOptions) -> Archive {
    let mut head = [0u8; 2];
    let n = match source::read_full(&mut r, &mut head) {
        Ok(n) => n,
        Err(e) => {
            let mut a = Archive::default();
            set_error(&mut a, ArchiveError::io(&e, "", 0, "archive data"));
            return a;
        }
    };
    let src = decode::Pushback::new(head[..n].to_vec(), r);
    if decode::from_magic(&head[..n]) == crate::image::Compression::Gzip {
        let mut a = read_stream(flate_reader(src), opts);
        a.outer_gzip = true;
        a
    } else {
        read_stream(src, opts)
    }
}

/// Read a (decompressed) tar archive stream in one pass.
pub fn read_stream<R: Read>(r: R, opts: &ReadOptions) -> Archive {
    read_stream_observed(r, opts, &mut |_| {})
}

fn read_stream_observed<R: Read>(
    r: R,
    opts: &ReadOptions,
    observe: &mut dyn FnMut(LayerProgress),
) -> Archive {
    let mut archive = Archive::default();
    let mut budget = layer::Budget::new(opts.max_bytes, opts.max_entries);
    let mut inner = store::StreamStore::read(r, opts.scan(), &mut budget);
    if let Some(e) = inner.error.take() {
        set_error(&mut archive, e);
    }
    let mut store = Observed {
        inner,
        progress: LayerProgress::default(),
        observe,
    };
    resolve::resolve(&mut store, opts, &mut archive);
    archive.members = store.inner.index;
    archive
}
