//! Layer compression: the kind a descriptor's media type declares, the kind the magic bytes
//! show, and a streaming decoder for each (none, gzip via flate2/zlib-rs, zstd via ruzstd, both
//! multi-member/multi-frame). The decoder is chosen from the media type and checked against the
//! magic bytes; decoders are never tried in turn.

use crate::image::Compression;
use flate2::read::MultiGzDecoder;
use ruzstd::decoding::{FrameDecoder, StreamingDecoder};
use std::io::{self, Read};

/// Compression declared by a layer media type; `None` when the type is not a tar layer.
pub fn from_media_type(media_type: &str) -> Option<Compression> {
    let mt = media_type.trim();
    if mt.ends_with("+gzip") || mt.ends_with(".tar.gzip") || mt.ends_with("tar.gz") {
        Some(Compression::Gzip)
    } else if mt.ends_with("+zstd") || mt.ends_with(".tar.zstd") {
        Some(Compression::Zstd)
    } else if mt.ends_with(".tar") || mt.ends_with("layer.v1.tar") || mt.ends_with("diff.tar") {
        Some(Compression::None)
    } else {
        None
    }
}

/// The media type Docker uses for a layer of this compression, for archives without descriptors.
pub fn docker_media_type(c: Compression) -> &'static str {
    match c {
        Compression::None => "application/vnd.docker.image.rootfs.diff.tar",
        Compression::Gzip => "application/vnd.docker.image.rootfs.diff.tar.gzip",
        Compression::Zstd => "application/vnd.docker.image.rootfs.diff.tar.zstd",
    }
}

/// Compression shown by the first bytes of a blob.
pub fn from_magic(head: &[u8]) -> Compression {
    if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    }
}

/// A reader that first returns some already-read bytes, then the rest of `inner`.
pub struct Pushback<R> {
    head: Vec<u8>,
    pos: usize,
    inner: R,
}

impl<R: Read> Pushback<R> {
    pub fn new(head: Vec<u8>, inner: R) -> Self {
        Pushback {
            head,
            pos: 0,
            inner,
        }
    }
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }
    fn push(&mut self, bytes: &[u8]) {
        let mut head = bytes.to_vec();
        head.extend_from_slice(&self.head[self.pos..]);
        self.head = head;
        self.pos = 0;
    }
}

impl<R: Read> Read for Pushback<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos < self.head.len() {
            let n = buf.len().min(self.head.len() - self.pos);
            buf[..n].copy_from_slice(&self.head[self.pos..self.pos + n]);
            self.pos += n;
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

/// zstd over a sequence of frames.
pub struct ZstdFrames<R: Read> {
    state: ZState<R>,
}

enum ZState<R: Read> {
    Frame(Box<StreamingDecoder<Pushback<R>, FrameDecoder>>),
    Between(Pushback<R>),
    Poisoned,
}

fn zstd_err(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("zstd: {e}"))
}

impl<R: Read> ZstdFrames<R> {
    pub fn new(src: Pushback<R>) -> Self {
        ZstdFrames {
            state: ZState::Between(src),
        }
    }
    pub fn get_mut(&mut self) -> Option<&mut Pushback<R>> {
        match &mut self.state {
            ZState::Frame(d) => Some(d.get_mut()),
            ZState::Between(s) => Some(s),
            ZState::Poisoned => None,
        }
    }
}

impl<R: Read> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match std::mem::replace(&mut self.state, ZState::Poisoned) {
                ZState::Frame(mut d) => {
                    let n = d.read(buf).map_err(|e| {
                        if e.kind() == io::ErrorKind::UnexpectedEof {
                            e
                        } else {
                            zstd_err(e)
                        }
                    })?;
                    if n > 0 {
                        self.state = ZState::Frame(d);
                        return Ok(n);
                    }
                    self.state = ZState::Between(d.into_inner());
                }
                ZState::Between(mut src) => {
                    let mut head = [0u8; 4];
                    let got = super::source::read_full(&mut src, &mut head)?;
                    if got == 0 {
                        self.state = ZState::Between(src);
                        return Ok(0);
                    }
                    if got < 4 || from_magic(&head) != Compression::Zstd {
                        return Err(zstd_err("trailing bytes that are not a zstd frame"));
                    }
                    src.push(&head);
                    let d = StreamingDecoder::new(src).map_err(zstd_err)?;
                    self.state = ZState::Frame(Box::new(d));
                }
                ZState::Poisoned => return Err(zstd_err("decoder failed earlier")),
            }
        }
    }
}

/// A streaming decoder for one of the three layer compressions.
pub enum Decoder<R: Read> {
    Plain(Pushback<R>),
    Gzip(Box<MultiGzDecoder<Pushback<R>>>),
    Zstd(ZstdFrames<R>),
}

impl<R: Read> Decoder<R> {
    pub fn new(c: Compression, src: Pushback<R>) -> Self {
        match c {
            Compression::None => Decoder::Plain(src),
            Compression::Gzip => Decoder::Gzip(Box::new(MultiGzDecoder::new(src))),
            Compression::Zstd => Decoder::Zstd(ZstdFrames::new(src)),
        }
    }
    /// The compressed source (to drain it and finish its hash).
    pub fn source(&mut self) -> Option<&mut Pushback<R>> {
        match self {
            Decoder::Plain(s) => Some(s),
            Decoder::Gzip(g) => Some(g.get_mut()),
            Decoder::Zstd(z) => z.get_mut(),
        }
    }
}

impl<R: Read> Read for Decoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Decoder::Plain(s) => s.read(buf),
            Decoder::Gzip(g) => g.read(buf).map_err(|e| {
                if e.kind() == io::ErrorKind::UnexpectedEof {
                    e
                } else {
                    io::Error::new(io::ErrorKind::InvalidData, format!("gzip: {e}"))
                }
            }),
            Decoder::Zstd(z) => z.read(buf),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        for (mt, want) in [
            (
                "application/vnd.oci.image.layer.v1.tar",
                Some(Compression::None),
            ),
            (
                "application/vnd.oci.image.layer.v1.tar+gzip",
                Some(Compression::Gzip),
            ),
            (
                "application/vnd.oci.image.layer.v1.tar+zstd",
                Some(Compression::Zstd),
            ),
            (
                "application/vnd.docker.image.rootfs.diff.tar.gzip",
                Some(Compression::Gzip),
            ),
            (
                "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
                Some(Compression::Gzip),
            ),
            ("application/vnd.in-toto+json", None),
        ] {
            assert_eq!(from_media_type(mt), want, "{mt}");
        }
    }

    #[test]
    fn magic() {
        assert_eq!(from_magic(&[0x1f, 0x8b, 8]), Compression::Gzip);
        assert_eq!(from_magic(&[0x28, 0xb5, 0x2f, 0xfd]), Compression::Zstd);
        assert_eq!(from_magic(b"bin/"), Compression::None);
    }
}
