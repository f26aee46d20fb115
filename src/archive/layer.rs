//! Reading one layer blob into entries: checks the magic bytes against the declared
//! compression, decodes as a stream, walks the tar headers (seeking past bodies when the blob is
//! uncompressed on a seekable source and nothing needs hashing), and enforces the caps. A fault
//! keeps the entries read before it. It does not know about manifests or images.

use super::decode::{from_magic, Decoder, Pushback};
use super::error::{ArchiveError, ErrorKind};
use super::source::{read_full, Counting, Hashing, Seeking, Source, Streaming, Window};
use super::stats::LayerStats;
use super::tar_walk::{TarHeader, TarWalker};
use crate::image::{Compression, Entry, EntryKind, RawPath};
use sha2::{Digest, Sha256};
use std::io::{Read, Seek};

/// What to compute while reading layers, and the caps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanOptions {
    /// Hash compressed and uncompressed streams (for `--verify`).
    pub hash_streams: bool,
    /// Hash each regular file's body (identical-content detection).
    pub hash_contents: bool,
    /// Keep each entry; when false only the layer's [`LayerStats`] are kept (constant memory).
    pub keep_entries: bool,
}

/// Caps shared by every layer of one read: total uncompressed bytes and total entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub max_bytes: u64,
    pub max_entries: u64,
    pub used_bytes: u64,
    pub used_entries: u64,
}

impl Budget {
    pub fn new(max_bytes: u64, max_entries: u64) -> Self {
        Budget {
            max_bytes,
            max_entries,
            used_bytes: 0,
            used_entries: 0,
        }
    }
    fn bytes_left(&self) -> u64 {
        self.max_bytes.saturating_sub(self.used_bytes)
    }
}

/// The result of reading one layer blob; `error` is set when reading stopped at a fault, and
/// `entries` then holds what came before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerScan {
    pub entries: Vec<Entry>,
    /// Figures of every entry read, kept or not.
    pub stats: LayerStats,
    pub blob_size: u64,
    pub uncompressed_size: u64,
    pub detected: Compression,
    /// `sha256:…` of the blob, when hashed.
    pub blob_digest: Option<String>,
    /// `sha256:…` of the uncompressed tar, when hashed (or equal to the blob's for plain tar).
    pub diff_digest: Option<String>,
    pub error: Option<ArchiveError>,
}

impl LayerScan {
    /// A scan with no entries yet: `blob_size` bytes of blob, `detected` compression, `error`.
    pub fn empty(blob_size: u64, detected: Compression, error: Option<ArchiveError>) -> Self {
        LayerScan {
            entries: Vec::new(),
            stats: LayerStats::default(),
            blob_size,
            uncompressed_size: 0,
            detected,
            blob_digest: None,
            diff_digest: None,
            error,
        }
    }
}

fn kind_of(h: &TarHeader) -> EntryKind {
    match h.typeflag {
        b'1' => EntryKind::Hardlink,
        b'2' => EntryKind::Symlink,
        b'3' => EntryKind::Char,
        b'4' => EntryKind::Block,
        b'5' => EntryKind::Dir,
        b'6' => EntryKind::Fifo,
        b'0' | 0 if h.path.ends_with(b"/") => EntryKind::Dir,
        _ => EntryKind::File,
    }
}

/// Whether a stored path climbs out of the root with `..`.
pub fn escapes_root(path: &[u8]) -> bool {
    path.split(|&b| b == b'/').any(|c| c == b"..")
}

fn to_entry(h: TarHeader, member: &str) -> Result<Entry, ArchiveError> {
    if escapes_root(&h.path) {
        return Err(ArchiveError::new(
            ErrorKind::UnsafePath,
            member,
            h.header_offset,
            "an entry path without `..` components",
            String::from_utf8_lossy(&h.path).into_owned(),
        )
        .in_stream());
    }
    let kind = kind_of(&h);
    Ok(Entry {
        kind,
        mode: h.mode,
        uid: h.uid,
        gid: h.gid,
        uname: h.uname,
        gname: h.gname,
        size: if kind == EntryKind::File { h.size } else { 0 },
        mtime: h.mtime,
        link_target: match kind {
            EntryKind::Symlink | EntryKind::Hardlink => Some(RawPath(h.link)),
            _ => None,
        },
        dev_major: h.dev_major,
        dev_minor: h.dev_minor,
        xattrs: h.xattrs,
        data_offset: h.data_offset,
        content_sha256: None,
        path: RawPath(h.path),
    })
}

fn entry_cap(member: &str, off: u64, budget: &Budget) -> ArchiveError {
    ArchiveError::new(
        ErrorKind::LimitExceeded,
        member,
        off,
        format!(
            "at most {} entries in all layers (raise it with --max-entries)",
            budget.max_entries
        ),
        "more entries",
    )
    .in_stream()
}

/// Walk every entry; stops at the first fault, returning it with the entries before it.
fn walk<S: Source>(
    walker: &mut TarWalker<S>,
    member: &str,
    opts: ScanOptions,
    budget: &mut Budget,
    entries: &mut Vec<Entry>,
    stats: &mut LayerStats,
) -> Result<(), ArchiveError> {
    while let Some(h) = walker.next_entry().map_err(ArchiveError::in_stream)? {
        budget.used_entries += 1;
        if budget.used_entries > budget.max_entries {
            return Err(entry_cap(member, h.header_offset, budget));
        }
        let is_file = h.is_file();
        let data_offset = h.data_offset;
        let mut e = to_entry(h, member)?;
        if opts.hash_contents && is_file && e.kind == EntryKind::File {
            let mut hasher = Sha256::new();
            let mut buf = [0u8; 16 * 1024];
            let mut body = walker.body();
            loop {
                let n = body.read(&mut buf).map_err(|err| {
                    ArchiveError::io(&err, member, data_offset, "a file body").in_stream()
                })?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
            }
            e.content_sha256 = Some(hasher.finalize().into());
        }
        stats.add(&e);
        if opts.keep_entries {
            entries.push(e);
        }
    }
    Ok(())
}

/// Read a layer blob from a stream. `declared` is the compression its media type declares
/// (`None` when the archive has no descriptor: then the magic bytes decide).
pub fn scan_stream<R: Read>(
    blob: R,
    member: &str,
    declared: Option<Compression>,
    opts: ScanOptions,
    budget: &mut Budget,
) -> LayerScan {
    let mut hashed_blob = Hashing::new(blob, opts.hash_streams);
    let mut head = [0u8; 8];
    let mut scan = LayerScan::empty(0, Compression::None, None);
    let got = match read_full(&mut hashed_blob, &mut head) {
        Ok(n) => n,
        Err(e) => {
            scan.error = Some(ArchiveError::io(&e, member, 0, "the start of a layer blob"));
            return scan;
        }
    };
    let detected = from_magic(&head[..got]);
    scan.detected = detected;
    if let Some(d) = declared {
        if d != detected {
            scan.error = Some(ArchiveError::new(
                ErrorKind::BadCompression,
                member,
                0,
                format!("{} data, as the media type declares", d.as_str()),
                format!("magic bytes of {} data", detected.as_str()),
            ));
            return scan;
        }
    }
    let decoder = Decoder::new(detected, Pushback::new(head[..got].to_vec(), hashed_blob));
    let counted = Counting::new(decoder, budget.bytes_left());
    let hashed_diff = Hashing::new(counted, opts.hash_streams);
    let mut walker = TarWalker::new(Streaming::new(hashed_diff), member);
    let mut result = walk(
        &mut walker,
        member,
        opts,
        budget,
        &mut scan.entries,
        &mut scan.stats,
    );
    // Count (and hash) the rest of the uncompressed stream: padding after the end marker.
    let mut stream = walker.into_source().into_inner();
    if result.is_ok() {
        let mut sink = [0u8; 16 * 1024];
        loop {
            match stream.read(&mut sink) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    let off = stream.count;
                    result = Err(if e.to_string() == super::source::LIMIT_MESSAGE {
                        ArchiveError::new(
                            ErrorKind::LimitExceeded,
                            member,
                            off,
                            "at most the uncompressed byte cap (raise it with --max-bytes)",
                            "more data",
                        )
                    } else {
                        ArchiveError::io(&e, member, off, "the end of the layer stream")
                    }
                    .in_stream());
                    break;
                }
            }
        }
    }
    scan.uncompressed_size = stream.count;
    scan.diff_digest = stream.digest();
    budget.used_bytes += stream.count;
    let counted = stream.get_mut();
    if let Some(src) = counted_inner(counted) {
        let blob = src.get_mut();
        if result.is_ok() {
            let mut sink = [0u8; 16 * 1024];
            while let Ok(n) = blob.read(&mut sink) {
                if n == 0 {
                    break;
                }
            }
        }
        scan.blob_size = blob.count;
        scan.blob_digest = blob.digest();
    }
    scan.error = result.err();
    scan
}

fn counted_inner<R: Read>(c: &mut Counting<Decoder<R>>) -> Option<&mut Pushback<R>> {
    c.inner_mut().source()
}

/// Read a layer blob stored at `[start, start + len)` of a seekable source. An uncompressed blob
/// is walked header by header, seeking past bodies, unless hashing is asked for.
pub fn scan_seekable<R: Read + Seek>(
    src: &mut R,
    start: u64,
    len: u64,
    member: &str,
    declared: Option<Compression>,
    opts: ScanOptions,
    budget: &mut Budget,
) -> LayerScan {
    let mut head = [0u8; 8];
    let peek = Window::new(src, start, len).and_then(|mut w| read_full(&mut w, &mut head));
    let got = match peek {
        Ok(n) => n,
        Err(e) => {
            return LayerScan::empty(
                len,
                Compression::None,
                Some(ArchiveError::io(&e, member, 0, "the start of a layer blob")),
            )
        }
    };
    let detected = from_magic(&head[..got]);
    let plain_ok = declared.unwrap_or(detected) == Compression::None;
    if detected != Compression::None || !plain_ok || opts.hash_streams || opts.hash_contents {
        return match Window::new(src, start, len) {
            Ok(w) => scan_stream(
                std::io::BufReader::with_capacity(64 * 1024, w),
                member,
                declared,
                opts,
                budget,
            ),
            Err(e) => LayerScan::empty(
                len,
                detected,
                Some(ArchiveError::io(&e, member, 0, "a layer blob")),
            ),
        };
    }
    let mut scan = LayerScan {
        uncompressed_size: len,
        ..LayerScan::empty(len, detected, None)
    };
    if len > budget.bytes_left() {
        scan.error = Some(
            ArchiveError::new(
                ErrorKind::LimitExceeded,
                member,
                0,
                format!(
                    "at most {} uncompressed bytes in all layers (raise it with --max-bytes)",
                    budget.max_bytes
                ),
                format!("a {len}-byte layer"),
            )
            .in_stream(),
        );
        return scan;
    }
    budget.used_bytes += len;
    let window = match Window::new(src, start, len).and_then(Seeking::new) {
        Ok(w) => w,
        Err(e) => {
            scan.error = Some(ArchiveError::io(&e, member, 0, "a layer blob"));
            return scan;
        }
    };
    let mut walker = TarWalker::new(window, member);
    scan.error = walk(
        &mut walker,
        member,
        opts,
        budget,
        &mut scan.entries,
        &mut scan.stats,
    )
    .err();
    scan
}
