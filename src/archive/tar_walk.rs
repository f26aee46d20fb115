//! A tar header walker: reads 512-byte headers one by one, merges PAX (`x`, `g`) records and GNU
//! long names/links (`L`, `K`) into the entry they describe, decodes octal and base-256 numbers,
//! checks header checksums, and skips bodies through the `Source` (a seek when the source can
//! seek). It yields entries as `tar -tv` lists them. It does not interpret paths or whiteouts.

use super::error::{ArchiveError, ErrorKind};
use super::source::{read_full, Source};
use std::io::{self, Read};

/// Cap on a PAX record block or GNU long name body held in memory.
pub const MAX_META_BODY: u64 = 1 << 20;

/// One entry as the tar stream describes it, with extension records applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TarHeader {
    pub path: Vec<u8>,
    pub link: Vec<u8>,
    pub typeflag: u8,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub uname: String,
    pub gname: String,
    /// Body length in the stream (0 for header-only types).
    pub size: u64,
    pub mtime: i64,
    pub dev_major: u32,
    pub dev_minor: u32,
    pub xattrs: Vec<(String, Vec<u8>)>,
    /// Offset of this entry's first header block (its first extension header, if any).
    pub header_offset: u64,
    /// Offset of the body.
    pub data_offset: u64,
}

impl TarHeader {
    /// Regular-file-like typeflags whose body is the file content.
    pub fn is_file(&self) -> bool {
        !matches!(self.typeflag, b'1'..=b'6')
    }
}

/// Walks the headers of one tar stream.
pub struct TarWalker<S> {
    src: S,
    member: String,
    /// Where the current entry's body ends (padded), to skip to on the next call.
    next_header: u64,
    /// Body bytes of the current entry not yet consumed by `body()`.
    body_left: u64,
    global_pax: Vec<(Vec<u8>, Vec<u8>)>,
    finished: bool,
}

fn bad(member: &str, off: u64, expected: &str, found: impl Into<String>) -> ArchiveError {
    ArchiveError::new(ErrorKind::BadTar, member, off, expected, found)
}

fn cut(member: &str, off: u64, expected: &str) -> ArchiveError {
    ArchiveError::new(ErrorKind::Truncated, member, off, expected, "end of data")
}

/// Parse an octal or base-256 numeric field; `None` when malformed.
pub fn parse_number(field: &[u8]) -> Option<i128> {
    if let Some(&first) = field.first() {
        if first & 0x80 != 0 {
            // Base-256: big-endian two's complement over the whole field, marker bit included
            // for negative numbers (GNU and Go write 0xff… for them).
            if field.len() > 15 {
                return None;
            }
            let negative = first & 0x40 != 0;
            let mut v: i128 = 0;
            for (i, &b) in field.iter().enumerate() {
                let b = if i == 0 && !negative { b & 0x7f } else { b };
                v = v * 256 + b as i128;
            }
            if negative {
                v -= 1i128 << (field.len() * 8);
            }
            return Some(v);
        }
    }
    // Octal: skip leading spaces/NULs, read digits up to the next space/NUL, ignore the rest.
    let mut v: i128 = 0;
    let mut seen = false;
    for &b in field {
        match b {
            b' ' | 0 if !seen => {}
            b' ' | 0 => break,
            b'0'..=b'7' => {
                seen = true;
                v = v.checked_mul(8)?.checked_add((b - b'0') as i128)?;
            }
            _ => return None,
        }
    }
    Some(v)
}

fn cstr(field: &[u8]) -> &[u8] {
    match field.iter().position(|&b| b == 0) {
        Some(i) => &field[..i],
        None => field,
    }
}

/// Parse PAX records `"<len> <key>=<value>\n"`.
pub fn parse_pax(body: &[u8]) -> Option<Vec<(Vec<u8>, Vec<u8>)>> {
    let mut out = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        if rest.iter().all(|&b| b == 0) {
            break;
        }
        let sp = rest.iter().position(|&b| b == b' ')?;
        let len: usize = std::str::from_utf8(&rest[..sp]).ok()?.parse().ok()?;
        if len <= sp + 1 || len > rest.len() {
            return None;
        }
        let rec = &rest[sp + 1..len];
        let rec = rec.strip_suffix(b"\n")?;
        let eq = rec.iter().position(|&b| b == b'=')?;
        out.push((rec[..eq].to_vec(), rec[eq + 1..].to_vec()));
        rest = &rest[len..];
    }
    Some(out)
}

/// PAX times are decimal seconds with an optional fraction; keep whole seconds (floor).
fn pax_time(v: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(v).ok()?;
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    let secs: i64 = int.parse().ok()?;
    let has_frac = frac.bytes().any(|b| b != b'0');
    Some(if s.starts_with('-') && has_frac {
        secs - 1
    } else {
        secs
    })
}

fn pax_u64(v: &[u8]) -> Option<u64> {
    std::str::from_utf8(v).ok()?.parse().ok()
}

impl<S: Source> TarWalker<S> {
    pub fn new(src: S, member: impl Into<String>) -> Self {
        let next_header = src.position();
        TarWalker {
            src,
            member: member.into(),
            next_header,
            body_left: 0,
            global_pax: Vec::new(),
            finished: false,
        }
    }

    pub fn into_source(self) -> S {
        self.src
    }

    fn io_err(&self, e: io::Error, expected: &str) -> ArchiveError {
        let off = self.src.position();
        if e.kind() == io::ErrorKind::Other && e.to_string() == super::source::LIMIT_MESSAGE {
            return ArchiveError::new(
                ErrorKind::LimitExceeded,
                &self.member,
                off,
                "at most the uncompressed byte cap (raise it with --max-bytes)",
                "more data",
            );
        }
        ArchiveError::io(&e, &self.member, off, expected)
    }

    fn skip_to(&mut self, target: u64) -> Result<(), ArchiveError> {
        let pos = self.src.position();
        if target > pos {
            self.src
                .skip(target - pos)
                .map_err(|e| self.io_err(e, "the rest of a member body"))?;
        }
        Ok(())
    }

    fn read_block(&mut self, expected: &str) -> Result<Option<[u8; 512]>, ArchiveError> {
        let mut block = [0u8; 512];
        let off = self.src.position();
        let n = read_full(&mut self.src, &mut block).map_err(|e| self.io_err(e, expected))?;
        if n == 0 {
            return Ok(None);
        }
        if n < 512 {
            return Err(cut(&self.member, off + n as u64, expected));
        }
        Ok(Some(block))
    }

    fn read_meta_body(&mut self, size: u64, what: &str) -> Result<Vec<u8>, ArchiveError> {
        let off = self.src.position();
        if size > MAX_META_BODY {
            return Err(ArchiveError::new(
                ErrorKind::LimitExceeded,
                &self.member,
                off,
                format!("a {what} of at most {MAX_META_BODY} bytes"),
                format!("{size} bytes"),
            ));
        }
        let mut buf = vec![0u8; size as usize];
        let n = read_full(&mut self.src, &mut buf).map_err(|e| self.io_err(e, what))?;
        if n < buf.len() {
            return Err(cut(&self.member, off + n as u64, what));
        }
        let padded = size.div_ceil(512) * 512;
        self.skip_to(off + padded)?;
        Ok(buf)
    }

    /// The next entry, or `None` at the end-of-archive marker. A stream that ends without the
    /// marker is reported as truncated.
    pub fn next_entry(&mut self) -> Result<Option<TarHeader>, ArchiveError> {
        if self.finished {
            return Ok(None);
        }
        self.skip_to(self.next_header)?;
        self.body_left = 0;
        let first_header = self.src.position();
        let mut local_pax: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        let mut long_name: Option<Vec<u8>> = None;
        let mut long_link: Option<Vec<u8>> = None;
        loop {
            let off = self.src.position();
            let block = match self.read_block("a tar header")? {
                Some(b) => b,
                None => {
                    return Err(cut(
                        &self.member,
                        off,
                        "a tar header or the end-of-archive marker",
                    ))
                }
            };
            if block.iter().all(|&b| b == 0) {
                if local_pax.is_empty() && long_name.is_none() && long_link.is_none() {
                    // End of archive. A second zero block usually follows; tolerate its absence.
                    let _ = self.read_block("the second end-of-archive block")?;
                    self.finished = true;
                    return Ok(None);
                }
                return Err(bad(
                    &self.member,
                    off,
                    "the header an extension record applies to",
                    "a zero block",
                ));
            }
            // Checksum: sum of all bytes with the checksum field read as spaces.
            let stored = parse_number(&block[148..156]);
            let (unsigned, signed) = header_sums(&block);
            match stored {
                Some(c) if c == unsigned as i128 || c == signed as i128 => {}
                _ => {
                    return Err(bad(
                        &self.member,
                        off,
                        "a tar header with a valid checksum",
                        format!(
                            "checksum field {:?} (computed {unsigned})",
                            String::from_utf8_lossy(cstr(&block[148..156]))
                        ),
                    ))
                }
            }
            let num = |range: std::ops::Range<usize>, what: &str| {
                parse_number(&block[range]).ok_or_else(|| {
                    bad(
                        &self.member,
                        off,
                        &format!("an octal or base-256 {what}"),
                        "malformed digits",
                    )
                })
            };
            let size_raw = num(124..136, "size")?;
            if size_raw < 0 {
                return Err(bad(&self.member, off, "a size ≥ 0", size_raw.to_string()));
            }
            let size = u64::try_from(size_raw)
                .map_err(|_| bad(&self.member, off, "a size below 2^64", "a larger size"))?;
            let typeflag = block[156];
            match typeflag {
                b'x' | b'g' => {
                    let body = self.read_meta_body(size, "PAX extended header")?;
                    let recs = parse_pax(&body).ok_or_else(|| {
                        bad(
                            &self.member,
                            off + 512,
                            "PAX records \"<len> <key>=<value>\\n\"",
                            "malformed records",
                        )
                    })?;
                    if typeflag == b'x' {
                        local_pax.extend(recs);
                    } else {
                        self.global_pax.extend(recs);
                    }
                    continue;
                }
                b'L' | b'K' => {
                    let body = self.read_meta_body(size, "GNU long name")?;
                    let name = cstr(&body).to_vec();
                    if typeflag == b'L' {
                        long_name = Some(name);
                    } else {
                        long_link = Some(name);
                    }
                    continue;
                }
                _ => {}
            }
            let magic = &block[257..265];
            let ustar_posix = &magic[..6] == b"ustar\0";
            let mut path = cstr(&block[0..100]).to_vec();
            if ustar_posix {
                let prefix = cstr(&block[345..500]);
                if !prefix.is_empty() {
                    let mut p = prefix.to_vec();
                    p.push(b'/');
                    p.extend_from_slice(&path);
                    path = p;
                }
            }
            let mut link = cstr(&block[157..257]).to_vec();
            let mode = num(100..108, "mode")?;
            let uid = num(108..116, "uid")?;
            let gid = num(116..124, "gid")?;
            let mtime = num(136..148, "mtime")?;
            let has_ustar = &magic[..5] == b"ustar";
            let (dev_major, dev_minor) = if has_ustar {
                (num(329..337, "devmajor")?, num(337..345, "devminor")?)
            } else {
                (0, 0)
            };
            let mut h = TarHeader {
                path: Vec::new(),
                link: Vec::new(),
                typeflag,
                mode: (mode & 0o7777) as u32,
                uid: uid.clamp(0, u64::MAX as i128) as u64,
                gid: gid.clamp(0, u64::MAX as i128) as u64,
                uname: if has_ustar {
                    String::from_utf8_lossy(cstr(&block[265..297])).into_owned()
                } else {
                    String::new()
                },
                gname: if has_ustar {
                    String::from_utf8_lossy(cstr(&block[297..329])).into_owned()
                } else {
                    String::new()
                },
                size,
                mtime: mtime.clamp(i64::MIN as i128, i64::MAX as i128) as i64,
                dev_major: dev_major.clamp(0, u32::MAX as i128) as u32,
                dev_minor: dev_minor.clamp(0, u32::MAX as i128) as u32,
                xattrs: Vec::new(),
                header_offset: first_header,
                data_offset: 0,
            };
            if let Some(n) = long_name.take() {
                path = n;
            }
            if let Some(l) = long_link.take() {
                link = l;
            }
            let records: Vec<(Vec<u8>, Vec<u8>)> = self
                .global_pax
                .iter()
                .cloned()
                .chain(local_pax.drain(..))
                .collect();
            for (k, v) in records {
                let bad_value = || {
                    bad(
                        &self.member,
                        off,
                        &format!("a valid PAX {}", String::from_utf8_lossy(&k)),
                        String::from_utf8_lossy(&v).into_owned(),
                    )
                };
                match k.as_slice() {
                    b"path" => path = v,
                    b"linkpath" => link = v,
                    b"size" => h.size = pax_u64(&v).ok_or_else(bad_value)?,
                    b"uid" => h.uid = pax_u64(&v).ok_or_else(bad_value)?,
                    b"gid" => h.gid = pax_u64(&v).ok_or_else(bad_value)?,
                    b"uname" => h.uname = String::from_utf8_lossy(&v).into_owned(),
                    b"gname" => h.gname = String::from_utf8_lossy(&v).into_owned(),
                    b"mtime" => h.mtime = pax_time(&v).ok_or_else(bad_value)?,
                    b"SCHILY.devmajor" => {
                        h.dev_major = pax_u64(&v)
                            .and_then(|n| u32::try_from(n).ok())
                            .ok_or_else(bad_value)?
                    }
                    b"SCHILY.devminor" => {
                        h.dev_minor = pax_u64(&v)
                            .and_then(|n| u32::try_from(n).ok())
                            .ok_or_else(bad_value)?
                    }
                    _ => {
                        if let Some(name) = k.strip_prefix(b"SCHILY.xattr.") {
                            h.xattrs
                                .push((String::from_utf8_lossy(name).into_owned(), v));
                        }
                    }
                }
            }
            h.path = path;
            h.link = link;
            if !h.is_file() {
                // Header-only types (links, devices, dirs, fifos) have no body, as in Go's reader.
                h.size = 0;
            }
            h.data_offset = self.src.position();
            let padded = h.size.div_ceil(512).saturating_mul(512);
            self.next_header = h.data_offset.saturating_add(padded);
            self.body_left = h.size;
            return Ok(Some(h));
        }
    }

    /// A reader over the rest of the current entry's body.
    pub fn body(&mut self) -> Body<'_, S> {
        Body { walker: self }
    }
}

/// The body of the current entry; reading past it returns EOF, a short source is an error.
pub struct Body<'a, S> {
    walker: &'a mut TarWalker<S>,
}

impl<S: Source> Read for Body<'_, S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.walker.body_left;
        if left == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = (buf.len() as u64).min(left) as usize;
        let n = self.walker.src.read(&mut buf[..want])?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "data ends inside a member body",
            ));
        }
        self.walker.body_left -= n as u64;
        Ok(n)
    }
}

/// The header checksum both ways tar writers have computed it: the sum of the 512 bytes as
/// unsigned and as signed bytes, with the checksum field (bytes 148..156) counted as spaces.
/// Summed eight bytes at a time (four 16-bit lanes cannot overflow in 64 words); a signed byte
/// is its unsigned value less 256 when its top bit is set, so the signed sum is the unsigned
/// one less 256 per such byte.
fn header_sums(block: &[u8; 512]) -> (i64, i64) {
    const LOW: u64 = 0x00ff_00ff_00ff_00ff;
    const TOP: u64 = 0x8080_8080_8080_8080;
    let mut lanes = 0u64;
    let mut top_bits = 0u32;
    for chunk in block.chunks_exact(8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let x = u64::from_le_bytes(w);
        lanes += (x & LOW) + ((x >> 8) & LOW);
        top_bits += (x & TOP).count_ones();
    }
    let total =
        (lanes & 0xffff) + ((lanes >> 16) & 0xffff) + ((lanes >> 32) & 0xffff) + (lanes >> 48);
    let field = &block[148..156];
    let f_total: u64 = field.iter().map(|&b| u64::from(b)).sum();
    let f_top = field.iter().filter(|&&b| b >= 0x80).count() as i64;
    let unsigned = total as i64 - f_total as i64 + 8 * i64::from(b' ');
    let signed = unsigned - 256 * (i64::from(top_bits) - f_top);
    (unsigned, signed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_checksums() {
        // Zeros: only the eight spaces of the checksum field count.
        assert_eq!(header_sums(&[0; 512]), (256, 256));
        // 0xff everywhere: 504 bytes of 255 (or -1) plus the spaces.
        assert_eq!(header_sums(&[0xff; 512]), (504 * 255 + 256, -504 + 256));
        // Bytes inside the checksum field never count; bytes beside it do.
        let mut b = [0u8; 512];
        b[148..156].copy_from_slice(b"0012345\0");
        b[147] = 0x80;
        b[156] = 1;
        assert_eq!(header_sums(&b), (256 + 128 + 1, 256 - 128 + 1));
        // Pseudo-random blocks against the byte-by-byte definition.
        let mut x: u32 = 12345;
        for _ in 0..200 {
            let mut b = [0u8; 512];
            for v in b.iter_mut() {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                *v = (x >> 16) as u8;
            }
            let (mut u, mut s) = (0i64, 0i64);
            for (i, &v) in b.iter().enumerate() {
                let v = if (148..156).contains(&i) { b' ' } else { v };
                u += i64::from(v);
                s += i64::from(v as i8);
            }
            assert_eq!(header_sums(&b), (u, s));
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number(b"0000644\0"), Some(0o644));
        assert_eq!(parse_number(b"     17 "), Some(0o17));
        assert_eq!(parse_number(b"\0\0\0\0"), Some(0));
        assert_eq!(parse_number(b"0008"), None);
        // base-256 positive: 0x80 marker then big-endian 3_000_000.
        let mut f = [0u8; 8];
        f[0] = 0x80;
        f[5..8].copy_from_slice(&[0x2d, 0xc6, 0xc0]);
        assert_eq!(parse_number(&f), Some(3_000_000));
        // base-256 negative -1 (all 0xff).
        assert_eq!(parse_number(&[0xff; 12]), Some(-1));
        // -256: ff .. ff 00
        let mut g = [0xffu8; 12];
        g[11] = 0;
        assert_eq!(parse_number(&g), Some(-256));
    }

    #[test]
    fn pax_records() {
        let recs = parse_pax(b"20 path=a/b/c/d/e/f\n14 mtime=-1.5\n").unwrap();
        assert_eq!(recs[0], (b"path".to_vec(), b"a/b/c/d/e/f".to_vec()));
        assert_eq!(pax_time(&recs[1].1), Some(-2));
        assert_eq!(pax_time(b"1700000000.25"), Some(1_700_000_000));
        assert!(parse_pax(b"99 path=x\n").is_none());
    }
}
