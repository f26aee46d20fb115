//! File contents in a container, kept as segments so that copied-up image files need not be read
//! and `dd if=/dev/zero bs=1M count=100` costs nothing: literal bytes, runs of zeros, and byte
//! ranges of a file stored in an image layer (read on demand through a `ContentSource`); and the
//! body a tree node may carry (`FileData`). It does not know paths or layers' rules.

use crate::image::Entry;
use sha2::{Digest, Sha256};
use std::rc::Rc;
use std::sync::Arc;

/// Reads the body of a file stored in an image layer, when the caller has it (e.g. the archive).
pub trait ContentSource {
    /// The whole body of `entry` from layer `layer`, or `None` when unavailable.
    fn read(&self, layer: usize, entry: &Entry) -> Option<Vec<u8>>;
}

/// The body of a regular file in a tree that carries bodies (the build simulator's): its bytes,
/// or only its size and a fingerprint standing in for its sha256 (package files, files of image
/// layers read without bodies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileData {
    Bytes(Arc<Vec<u8>>),
    Sized { size: u64, fingerprint: [u8; 32] },
}

impl FileData {
    pub fn size(&self) -> u64 {
        match self {
            FileData::Bytes(b) => b.len() as u64,
            FileData::Sized { size, .. } => *size,
        }
    }
    pub fn sha256(&self) -> [u8; 32] {
        match self {
            FileData::Bytes(b) => Sha256::digest(b.as_slice()).into(),
            FileData::Sized { fingerprint, .. } => *fingerprint,
        }
    }
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            FileData::Bytes(b) => Some(b),
            FileData::Sized { .. } => None,
        }
    }
}

/// One run of bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Bytes(Rc<Vec<u8>>),
    Zeros(u64),
    /// `len` bytes from `offset` of the body of `entry` in image layer `layer`.
    Lower {
        layer: usize,
        entry: Rc<Entry>,
        offset: u64,
        len: u64,
    },
}

impl Seg {
    fn len(&self) -> u64 {
        match self {
            Seg::Bytes(b) => b.len() as u64,
            Seg::Zeros(n) => *n,
            Seg::Lower { len, .. } => *len,
        }
    }
}

/// The contents of one regular file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Data {
    segs: Vec<Seg>,
}

/// Why contents could not be produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataError {
    /// The bytes of an image file are not loaded (no content source, or it had none).
    Unavailable { layer: usize, path: String },
    /// More than the limit would be materialised.
    TooLarge { size: u64, limit: u64 },
}

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DataError::Unavailable { layer, path } => {
                write!(f, "contents of {path} (image layer {layer}) are not loaded")
            }
            DataError::TooLarge { size, limit } => write!(
                f,
                "{size} bytes is more than the simulator materialises ({limit})"
            ),
        }
    }
}

impl Data {
    pub fn new() -> Data {
        Data::default()
    }
    pub fn bytes(b: Vec<u8>) -> Data {
        let mut d = Data::new();
        d.push(Seg::Bytes(Rc::new(b)));
        d
    }
    pub fn zeros(n: u64) -> Data {
        let mut d = Data::new();
        d.push(Seg::Zeros(n));
        d
    }
    /// The whole body of an image file.
    pub fn lower(layer: usize, entry: Rc<Entry>) -> Data {
        let len = entry.size;
        let mut d = Data::new();
        d.push(Seg::Lower {
            layer,
            entry,
            offset: 0,
            len,
        });
        d
    }

    pub fn len(&self) -> u64 {
        self.segs.iter().map(Seg::len).sum()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn push(&mut self, s: Seg) {
        if s.len() == 0 {
            return;
        }
        if let (Some(Seg::Zeros(a)), Seg::Zeros(b)) = (self.segs.last_mut(), &s) {
            *a = a.saturating_add(*b);
            return;
        }
        self.segs.push(s);
    }

    pub fn append(&mut self, other: &Data) {
        for s in &other.segs {
            self.push(s.clone());
        }
    }

    /// Cut or extend (with zeros) to `size` bytes.
    pub fn truncate(&mut self, size: u64) {
        let len = self.len();
        if size >= len {
            self.push(Seg::Zeros(size - len));
            return;
        }
        let mut keep = Vec::new();
        let mut left = size;
        for s in &self.segs {
            if left == 0 {
                break;
            }
            let l = s.len();
            if l <= left {
                keep.push(s.clone());
                left -= l;
            } else {
                keep.push(match s {
                    Seg::Bytes(b) => Seg::Bytes(Rc::new(b[..left as usize].to_vec())),
                    Seg::Zeros(_) => Seg::Zeros(left),
                    Seg::Lower {
                        layer,
                        entry,
                        offset,
                        ..
                    } => Seg::Lower {
                        layer: *layer,
                        entry: entry.clone(),
                        offset: *offset,
                        len: left,
                    },
                });
                left = 0;
            }
        }
        self.segs = keep;
    }

    /// The bytes, reading image files through `source`; at most `limit` bytes are materialised.
    pub fn read(
        &self,
        source: Option<&dyn ContentSource>,
        limit: u64,
    ) -> Result<Vec<u8>, DataError> {
        let size = self.len();
        if size > limit {
            return Err(DataError::TooLarge { size, limit });
        }
        let mut out = Vec::with_capacity(size as usize);
        for s in &self.segs {
            match s {
                Seg::Bytes(b) => out.extend_from_slice(b),
                Seg::Zeros(n) => out.resize(out.len() + *n as usize, 0),
                Seg::Lower {
                    layer,
                    entry,
                    offset,
                    len,
                } => {
                    let unavailable = || DataError::Unavailable {
                        layer: *layer,
                        path: format!("/{}", String::from_utf8_lossy(entry.path.normalized())),
                    };
                    let body = source
                        .and_then(|src| src.read(*layer, entry))
                        .ok_or_else(unavailable)?;
                    let start = (*offset as usize).min(body.len());
                    let end = (start + *len as usize).min(body.len());
                    out.extend_from_slice(&body[start..end]);
                    // A short body (should not happen) is padded so sizes stay consistent.
                    out.resize(out.len() + (*len as usize - (end - start)), 0);
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::EntryKind;

    struct Src;
    impl ContentSource for Src {
        fn read(&self, _layer: usize, _e: &Entry) -> Option<Vec<u8>> {
            Some(b"hello".to_vec())
        }
    }

    #[test]
    fn segments() {
        let e = Rc::new(Entry::new("f", EntryKind::File, 0o644, 5));
        let mut d = Data::lower(0, e);
        d.append(&Data::bytes(b"!".to_vec()));
        d.append(&Data::zeros(2));
        assert_eq!(d.len(), 8);
        assert_eq!(d.read(Some(&Src), 100).unwrap(), b"hello!\0\0");
        assert_eq!(
            d.read(None, 100).unwrap_err().to_string(),
            "contents of /f (image layer 0) are not loaded"
        );
        d.truncate(3);
        assert_eq!(d.read(Some(&Src), 100).unwrap(), b"hel");
        d.truncate(5);
        assert_eq!(d.read(Some(&Src), 100).unwrap(), b"hel\0\0");
        let big = Data::zeros(1 << 40);
        assert_eq!(big.len(), 1 << 40);
        assert!(big.read(None, 1 << 20).is_err());
    }
}
