//! Access to member contents for the resolver, in two flavours: a seekable archive read on
//! demand (JSON members read whole up to a cap, layer blobs scanned in place), and a one-pass
//! stream (whole-archive gzip) where JSON members are kept and layer blobs are scanned as they
//! pass, the magic bytes choosing the decoder and the media type checked afterwards.

use super::decode::Pushback;
use super::error::{ArchiveError, ErrorKind};
use super::layer::{scan_seekable, scan_stream, Budget, LayerScan, ScanOptions};
use super::members::{blame_last, member_of, Member, MemberIndex};
use super::source::{read_full, Seeking, Streaming};
use super::tar_walk::TarWalker;
use crate::image::Compression;
use std::collections::HashMap;
use std::io::{Read, Seek};

/// Cap on a JSON member read into memory.
pub const MAX_JSON_BYTES: u64 = 16 << 20;

/// What the resolver needs from an archive.
pub trait Store {
    fn index(&self) -> &MemberIndex;
    /// The bytes of a small (JSON) member, following links; returns the resolved member too.
    fn small(&mut self, name: &str) -> Result<(Vec<u8>, Member), ArchiveError>;
    /// Scan a layer blob (following links).
    fn layer(
        &mut self,
        name: &str,
        declared: Option<Compression>,
        budget: &mut Budget,
    ) -> Result<(LayerScan, Member), ArchiveError>;
    /// Told how many distinct layer blobs `layer` will be asked for (progress reports).
    fn layers_planned(&mut self, _total: usize) {}
}

fn too_big(m: &Member) -> ArchiveError {
    ArchiveError::new(
        ErrorKind::LimitExceeded,
        &m.name,
        m.offset,
        format!("a JSON member of at most {MAX_JSON_BYTES} bytes"),
        format!("{} bytes", m.size),
    )
}

/// A seekable archive.
pub struct SeekStore<R> {
    pub src: Seeking<R>,
    pub index: MemberIndex,
    pub opts: ScanOptions,
}

impl<R: Read + Seek> Store for SeekStore<R> {
    fn index(&self) -> &MemberIndex {
        &self.index
    }
    fn small(&mut self, name: &str) -> Result<(Vec<u8>, Member), ArchiveError> {
        let m = self.index.resolve(name)?.clone();
        if m.size > MAX_JSON_BYTES {
            return Err(too_big(&m));
        }
        let mut buf = vec![0u8; m.size as usize];
        let res = self
            .src
            .seek_to(m.offset)
            .and_then(|_| read_full(&mut self.src, &mut buf));
        match res {
            Ok(n) if n == buf.len() => Ok((buf, m)),
            Ok(n) => Err(ArchiveError::new(
                ErrorKind::Truncated,
                &m.name,
                m.offset + n as u64,
                format!("{} bytes of member data", m.size),
                "end of data",
            )),
            Err(e) => Err(ArchiveError::io(&e, &m.name, m.offset, "member data")),
        }
    }
    fn layer(
        &mut self,
        name: &str,
        declared: Option<Compression>,
        budget: &mut Budget,
    ) -> Result<(LayerScan, Member), ArchiveError> {
        let m = self.index.resolve(name)?.clone();
        let scan = scan_seekable(
            self.src.get_mut(),
            m.offset,
            m.size,
            &m.name,
            declared,
            self.opts,
            budget,
        );
        Ok((scan, m))
    }
}

/// A stream read once: JSON members kept, layer blobs scanned on the way.
pub struct StreamStore {
    pub index: MemberIndex,
    pub small: HashMap<String, Vec<u8>>,
    pub layers: HashMap<String, LayerScan>,
    /// The fault that stopped the pass, if any.
    pub error: Option<ArchiveError>,
}

fn looks_like_metadata(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    matches!(
        base,
        "manifest.json" | "index.json" | "repositories" | "oci-layout" | "json" | "VERSION"
    ) || base.ends_with(".json")
}

fn looks_like_blob(name: &str) -> bool {
    name.starts_with("blobs/") || name.ends_with(".tar") || name.ends_with(".tar.gz")
}

impl StreamStore {
    /// Read a whole archive stream once.
    pub fn read<R: Read>(r: R, opts: ScanOptions, budget: &mut Budget) -> StreamStore {
        let mut store = StreamStore {
            index: MemberIndex::default(),
            small: HashMap::new(),
            layers: HashMap::new(),
            error: None,
        };
        let mut walker = TarWalker::new(Streaming::new(r), "");
        loop {
            let h = match walker.next_entry() {
                Ok(Some(h)) => h,
                Ok(None) => break,
                Err(e) => {
                    store.error = Some(blame_last(&store.index, e));
                    break;
                }
            };
            let m = match member_of(&h, "") {
                Ok(m) => m,
                Err(e) => {
                    store.error = Some(e);
                    break;
                }
            };
            let name = m.name.clone();
            let (is_file, size, offset) = (m.is_file(), m.size, m.offset);
            store.index.push(m);
            if !is_file || !(looks_like_metadata(&name) || looks_like_blob(&name)) {
                continue;
            }
            let mut head = [0u8; 8];
            let mut body = walker.body();
            let got = match read_full(&mut body, &mut head) {
                Ok(n) => n,
                Err(e) => {
                    store.error = Some(ArchiveError::io(&e, &name, offset, "member data"));
                    break;
                }
            };
            let first = head[..got]
                .iter()
                .find(|b| !b.is_ascii_whitespace())
                .copied();
            let json = looks_like_metadata(&name) || matches!(first, Some(b'{') | Some(b'['));
            if json && size <= MAX_JSON_BYTES {
                let mut buf = head[..got].to_vec();
                if let Err(e) = body.read_to_end(&mut buf) {
                    store.error = Some(ArchiveError::io(&e, &name, offset, "member data"));
                    break;
                }
                store.small.insert(name, buf);
            } else if !json {
                let scan = scan_stream(
                    Pushback::new(head[..got].to_vec(), body),
                    &name,
                    None,
                    opts,
                    budget,
                );
                let stop = scan
                    .error
                    .as_ref()
                    .is_some_and(|e| e.kind == ErrorKind::Truncated || e.kind == ErrorKind::Io);
                store.layers.insert(name, scan);
                if stop {
                    // The outer stream itself ended: nothing more to read.
                    store.error = store.layers.values().find_map(|s| s.error.clone());
                    break;
                }
            }
        }
        store
    }
}

impl Store for StreamStore {
    fn index(&self) -> &MemberIndex {
        &self.index
    }
    fn small(&mut self, name: &str) -> Result<(Vec<u8>, Member), ArchiveError> {
        let m = self.index.resolve(name)?.clone();
        match self.small.get(&m.name) {
            Some(b) => Ok((b.clone(), m)),
            None if m.size > MAX_JSON_BYTES => Err(too_big(&m)),
            None => Err(ArchiveError::new(
                ErrorKind::BadJson,
                &m.name,
                m.offset,
                "a JSON document",
                "data that does not start like JSON",
            )),
        }
    }
    fn layer(
        &mut self,
        name: &str,
        declared: Option<Compression>,
        _budget: &mut Budget,
    ) -> Result<(LayerScan, Member), ArchiveError> {
        let m = self.index.resolve(name)?.clone();
        let mut scan = match self.layers.get(&m.name) {
            Some(s) => s.clone(),
            None => {
                return Err(ArchiveError::new(
                    ErrorKind::BadTar,
                    &m.name,
                    m.offset,
                    "a layer blob (tar, gzip or zstd)",
                    "a member that was not read as a layer",
                ))
            }
        };
        if let Some(d) = declared {
            if d != scan.detected {
                scan.entries.clear();
                scan.error = Some(ArchiveError::new(
                    ErrorKind::BadCompression,
                    &m.name,
                    0,
                    format!("{} data, as the media type declares", d.as_str()),
                    format!("magic bytes of {} data", scan.detected.as_str()),
                ));
            }
        }
        Ok((scan, m))
    }
}
