//! Byte sources the readers walk: a seekable source that skips bodies by seeking, a read-only
//! source that skips by reading, a window onto part of a seekable source (one archive member),
//! and small adapters that count or hash what passes through. No parsing here.

use sha2::{Digest, Sha256};
use std::io::{self, Read, Seek, SeekFrom};

/// A byte stream with a position that can skip forward. Skipping past the end is an
/// `UnexpectedEof` error, never a silent success.
pub trait Source: Read {
    /// Bytes consumed (read or skipped) so far.
    fn position(&self) -> u64;
    /// Move forward `n` bytes.
    fn skip(&mut self, n: u64) -> io::Result<()>;
}

/// A seekable source: skips by seeking, checked against its length. It keeps a small read
/// buffer of its own so that short skips (small file bodies) stay inside it instead of costing
/// a seek and a refill each (a `BufReader` discards its buffer on every seek).
pub struct Seeking<R> {
    inner: R,
    /// Logical position (what has been consumed).
    pos: u64,
    len: u64,
    buf: Vec<u8>,
    /// Valid bytes are `buf[head..tail]`, and `buf[tail]` sits at inner offset `inner_pos`.
    head: usize,
    tail: usize,
    inner_pos: u64,
    /// Right after a real seek, fill only a little: the next thing read is usually one header.
    after_seek: bool,
}

const SEEK_BUF: usize = 8 * 1024;
/// Fill size right after a seek: a header plus a PAX record fit.
const AFTER_SEEK_FILL: usize = 1024;

impl<R: Read + Seek> Seeking<R> {
    /// Wrap `inner`, positioned at its start.
    pub fn new(mut inner: R) -> io::Result<Self> {
        let len = inner.seek(SeekFrom::End(0))?;
        inner.seek(SeekFrom::Start(0))?;
        Ok(Seeking {
            inner,
            pos: 0,
            len,
            buf: vec![0; SEEK_BUF],
            head: 0,
            tail: 0,
            inner_pos: 0,
            after_seek: false,
        })
    }
    /// Jump to an absolute offset (must not be past the end).
    pub fn seek_to(&mut self, off: u64) -> io::Result<()> {
        if off > self.len {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "offset past the end of the data",
            ));
        }
        self.reposition(off)
    }
    fn reposition(&mut self, off: u64) -> io::Result<()> {
        let buffered_start = self.inner_pos - (self.tail - self.head) as u64 - self.head as u64;
        if off >= buffered_start && off <= self.inner_pos {
            self.head = (off - buffered_start) as usize;
        } else {
            self.inner.seek(SeekFrom::Start(off))?;
            self.inner_pos = off;
            self.head = 0;
            self.tail = 0;
            self.after_seek = true;
        }
        self.pos = off;
        Ok(())
    }
    /// The underlying reader (its position is unspecified).
    pub fn get_mut(&mut self) -> &mut R {
        self.head = 0;
        self.tail = 0;
        // Force a real seek on the next use.
        self.inner_pos = u64::MAX / 2;
        &mut self.inner
    }
}

impl<R: Read + Seek> Read for Seeking<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.inner_pos == u64::MAX / 2 {
            self.inner.seek(SeekFrom::Start(self.pos))?;
            self.inner_pos = self.pos;
        }
        if self.head == self.tail {
            if out.len() >= self.buf.len() {
                let n = self.inner.read(out)?;
                self.inner_pos += n as u64;
                self.pos += n as u64;
                return Ok(n);
            }
            let fill = if self.after_seek {
                AFTER_SEEK_FILL
            } else {
                self.buf.len()
            };
            self.after_seek = false;
            let n = self.inner.read(&mut self.buf[..fill])?;
            self.head = 0;
            self.tail = n;
            self.inner_pos += n as u64;
            if n == 0 {
                return Ok(0);
            }
        }
        let n = out.len().min(self.tail - self.head);
        out[..n].copy_from_slice(&self.buf[self.head..self.head + n]);
        self.head += n;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: Read + Seek> Source for Seeking<R> {
    fn position(&self) -> u64 {
        self.pos
    }
    fn skip(&mut self, n: u64) -> io::Result<()> {
        let target = self.pos.saturating_add(n);
        if target > self.len {
            self.reposition(self.len)?;
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "data ends inside a member body",
            ));
        }
        if self.inner_pos == u64::MAX / 2 {
            self.inner.seek(SeekFrom::Start(target))?;
            self.inner_pos = target;
            self.pos = target;
            return Ok(());
        }
        self.reposition(target)
    }
}

/// A read-only source: skips by reading into a small buffer.
pub struct Streaming<R> {
    inner: R,
    pos: u64,
}

impl<R: Read> Streaming<R> {
    pub fn new(inner: R) -> Self {
        Streaming { inner, pos: 0 }
    }
    pub fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Read> Read for Streaming<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: Read> Source for Streaming<R> {
    fn position(&self) -> u64 {
        self.pos
    }
    fn skip(&mut self, n: u64) -> io::Result<()> {
        let mut left = n;
        let mut buf = [0u8; 16 * 1024];
        while left > 0 {
            let want = left.min(buf.len() as u64) as usize;
            let got = self.read(&mut buf[..want])?;
            if got == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "data ends inside a member body",
                ));
            }
            left -= got as u64;
        }
        Ok(())
    }
}

/// A window `[start, start + len)` of a seekable reader, itself `Read + Seek` with positions
/// relative to `start`. Reads stop at the window's end (or at the reader's end, if shorter).
pub struct Window<'a, R> {
    inner: &'a mut R,
    start: u64,
    len: u64,
    pos: u64,
}

impl<'a, R: Read + Seek> Window<'a, R> {
    pub fn new(inner: &'a mut R, start: u64, len: u64) -> io::Result<Self> {
        inner.seek(SeekFrom::Start(start))?;
        Ok(Window {
            inner,
            start,
            len,
            pos: 0,
        })
    }
}

impl<R: Read + Seek> Read for Window<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.len.saturating_sub(self.pos);
        let want = (buf.len() as u64).min(left) as usize;
        if want == 0 {
            return Ok(0);
        }
        let n = self.inner.read(&mut buf[..want])?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: Read + Seek> Seek for Window<'_, R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target: i128 = match to {
            SeekFrom::Start(n) => n as i128,
            SeekFrom::End(d) => self.len as i128 + d as i128,
            SeekFrom::Current(d) => self.pos as i128 + d as i128,
        };
        if target < 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the member",
            ));
        }
        let target = target as u64;
        self.inner
            .seek(SeekFrom::Start(self.start.saturating_add(target)))?;
        self.pos = target;
        Ok(target)
    }
}

/// Counts the bytes read through it and refuses to go past `limit` (the decompression cap).
pub struct Counting<R> {
    inner: R,
    pub count: u64,
    limit: u64,
}

/// The message of the io error `Counting` returns when the cap is reached.
pub const LIMIT_MESSAGE: &str = "uncompressed byte cap reached";

impl<R: Read> Counting<R> {
    pub fn new(inner: R, limit: u64) -> Self {
        Counting {
            inner,
            count: 0,
            limit,
        }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.count >= self.limit {
            // Probe one byte: exactly reaching the cap at the end of the data is fine.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(LIMIT_MESSAGE)),
            };
        }
        let room = (self.limit - self.count).min(buf.len() as u64) as usize;
        let n = self.inner.read(&mut buf[..room])?;
        self.count += n as u64;
        Ok(n)
    }
}

/// Hashes (sha256) and counts the bytes read through it, when enabled.
pub struct Hashing<R> {
    inner: R,
    hasher: Option<Sha256>,
    pub count: u64,
}

impl<R: Read> Hashing<R> {
    pub fn new(inner: R, enabled: bool) -> Self {
        Hashing {
            inner,
            hasher: enabled.then(Sha256::new),
            count: 0,
        }
    }
    /// `sha256:<hex>` of everything read so far, if hashing was enabled.
    pub fn digest(&self) -> Option<String> {
        self.hasher
            .as_ref()
            .map(|h| format!("sha256:{}", hex(&h.clone().finalize())))
    }
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(h) = self.hasher.as_mut() {
            h.update(&buf[..n]);
        }
        self.count += n as u64;
        Ok(n)
    }
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// `sha256:<hex>` of a byte slice.
pub fn sha256_digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

/// Read until `buf` is full or the data ends; returns how many bytes were read.
pub fn read_full<R: Read + ?Sized>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

impl<R> Counting<R> {
    pub fn inner_mut(&mut self) -> &mut R {
        &mut self.inner
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn seeking_reads_and_skips_like_a_plain_cursor() {
        let data: Vec<u8> = (0..50_000u32).map(|i| (i * 7 + i / 256) as u8).collect();
        let mut s = Seeking::new(Cursor::new(data.clone())).unwrap();
        let mut pos = 0usize;
        let mut x: u64 = 12345;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let n = (x % 20_000) as usize;
            if x.is_multiple_of(3) {
                let skip = n.min(data.len() - pos);
                s.skip(skip as u64).unwrap();
                pos += skip;
            } else {
                let mut buf = vec![0u8; n % 9000];
                let got = read_full(&mut s, &mut buf).unwrap();
                let want = buf.len().min(data.len() - pos);
                assert_eq!(got, want);
                assert_eq!(&buf[..got], &data[pos..pos + got]);
                pos += got;
            }
            assert_eq!(s.position(), pos as u64);
            if pos == data.len() {
                s.seek_to(0).unwrap();
                pos = 0;
            }
        }
        assert!(
            s.skip(data.len() as u64 + 1).is_err(),
            "skipping past the end is an error"
        );
    }
}
