//! The binary form of a layer blob to scan ([`LayerJob`] with the read's options) and of its
//! scan ([`JobScan`]), for scans done in another Web Worker:
//! every field of every entry kept without loss (raw byte paths, ids, mtimes, links, devices,
//! xattrs, body offsets, content hashes), paths as the prefix shared with the previous path plus
//! the rest, user and group names through a string table. [`decode`] is bounds-checked
//! (`codec`): bad bytes are an error naming the offset, never a panic. No I/O.

use super::error::{ArchiveError, ErrorKind};
use super::layer::LayerScan;
use super::members::Member;
use super::parallel::{JobScan, LayerJob};
use super::stats::LayerStats;
use super::ReadOptions;
use crate::codec::{Reader, WireError, Writer};
use crate::image::{Compression, Entry, EntryKind, RawPath};

/// First bytes of an encoded scan (format version 1).
const MAGIC: &[u8; 4] = b"LSJ1";
/// First bytes of an encoded job (format version 1).
const MAGIC_JOB: &[u8; 4] = b"LSQ1";

const KINDS: [ErrorKind; 11] = [
    ErrorKind::Truncated,
    ErrorKind::BadTar,
    ErrorKind::BadCompression,
    ErrorKind::BadJson,
    ErrorKind::Missing,
    ErrorKind::UnknownLayout,
    ErrorKind::UnsafePath,
    ErrorKind::DigestMismatch,
    ErrorKind::LimitExceeded,
    ErrorKind::NotFound,
    ErrorKind::Io,
];
const COMPRESSIONS: [Compression; 3] = [Compression::None, Compression::Gzip, Compression::Zstd];

/// Position of `v` in `all` (every value is listed, so never past the end).
fn index_of<T: PartialEq>(all: &[T], v: &T) -> u64 {
    all.iter().position(|x| x == v).unwrap_or(0) as u64
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Encode one scan.
pub fn encode(j: &JobScan) -> Vec<u8> {
    let mut w = Writer::with_mark(MAGIC);
    w.str(&j.requested);
    w.uint(j.used_bytes);
    w.uint(j.used_entries);
    let s = &j.scan;
    w.uint(s.blob_size);
    w.uint(s.uncompressed_size);
    w.uint(index_of(&COMPRESSIONS, &s.detected));
    w.opt_str(s.blob_digest.as_deref());
    w.opt_str(s.diff_digest.as_deref());
    match &s.error {
        None => w.out.push(0),
        Some(e) => {
            w.out.push(1);
            w.uint(index_of(&KINDS, &e.kind));
            w.str(&e.member);
            w.uint(e.offset);
            w.out.push(e.in_layer_stream as u8);
            w.str(&e.expected);
            w.str(&e.found);
        }
    }
    let st = &s.stats;
    w.uint(st.entry_count);
    for c in st.counts_by_type {
        w.uint(c);
    }
    w.uint(st.regular_file_bytes);
    for list in [&st.whiteouts, &st.opaque_whiteouts] {
        w.uint(list.len() as u64);
        for p in list {
            w.bytes(p.as_bytes());
        }
    }
    w.uint(s.entries.len() as u64);
    let mut prev: &[u8] = &[];
    for e in &s.entries {
        let path = e.path.as_bytes();
        let shared = common_prefix(prev, path);
        w.uint(shared as u64);
        w.bytes(&path[shared..]);
        prev = path;
        w.uint(index_of(&EntryKind::ALL, &e.kind));
        w.uint(e.mode as u64);
        w.uint(e.uid);
        w.uint(e.gid);
        w.interned(Some(&e.uname));
        w.interned(Some(&e.gname));
        w.uint(e.size);
        w.int(e.mtime);
        match &e.link_target {
            None => w.out.push(0),
            Some(t) => {
                w.out.push(1);
                w.bytes(t.as_bytes());
            }
        }
        w.uint(e.dev_major as u64);
        w.uint(e.dev_minor as u64);
        w.uint(e.xattrs.len() as u64);
        for (k, v) in &e.xattrs {
            w.str(k);
            w.bytes(v);
        }
        w.uint(e.data_offset);
        match &e.content_sha256 {
            None => w.out.push(0),
            Some(h) => {
                w.out.push(1);
                w.out.extend_from_slice(h);
            }
        }
    }
    w.out
}

fn bytes(r: &mut Reader) -> Result<Vec<u8>, WireError> {
    let n = r.usize()?;
    Ok(r.raw(n)?.to_vec())
}

fn pick<T: Copy>(r: &mut Reader, all: &[T], what: &'static str) -> Result<T, WireError> {
    let at = r.pos;
    let i = r.usize()?;
    all.get(i).copied().ok_or(WireError {
        offset: at,
        expected: what,
    })
}

/// Decode what [`encode`] wrote.
pub fn decode(data: &[u8]) -> Result<JobScan, WireError> {
    let mut r = Reader::after_mark(data, MAGIC, "a layer scan (LSJ1)")?;
    let requested = r.str()?;
    let used_bytes = r.uint()?;
    let used_entries = r.uint()?;
    let blob_size = r.uint()?;
    let uncompressed_size = r.uint()?;
    let detected = pick(&mut r, &COMPRESSIONS, "a compression number")?;
    let blob_digest = r.opt_str()?;
    let diff_digest = r.opt_str()?;
    let error = if r.flag()? {
        Some(ArchiveError {
            kind: pick(&mut r, &KINDS, "an error kind number")?,
            member: r.str()?,
            offset: r.uint()?,
            in_layer_stream: r.flag()?,
            expected: r.str()?,
            found: r.str()?,
        })
    } else {
        None
    };
    let mut stats = LayerStats {
        entry_count: r.uint()?,
        ..LayerStats::default()
    };
    for c in stats.counts_by_type.iter_mut() {
        *c = r.uint()?;
    }
    stats.regular_file_bytes = r.uint()?;
    for list in [&mut stats.whiteouts, &mut stats.opaque_whiteouts] {
        let n = r.count()?;
        for _ in 0..n {
            list.push(RawPath(bytes(&mut r)?));
        }
    }
    let n = r.count()?;
    let mut entries: Vec<Entry> = Vec::with_capacity(n);
    for _ in 0..n {
        let at = r.pos;
        let shared = r.usize()?;
        let prev = entries.last().map_or(&[][..], |e| e.path.as_bytes());
        if shared > prev.len() {
            return Err(WireError {
                offset: at,
                expected: "a shared prefix no longer than the previous path",
            });
        }
        let mut path = prev[..shared].to_vec();
        path.extend_from_slice(&bytes(&mut r)?);
        let kind = pick(&mut r, &EntryKind::ALL, "an entry type number")?;
        let mode = r.u32()?;
        let uid = r.uint()?;
        let gid = r.uint()?;
        let uname = r.interned()?.unwrap_or_default();
        let gname = r.interned()?.unwrap_or_default();
        let size = r.uint()?;
        let mtime = r.int()?;
        let link_target = if r.flag()? {
            Some(RawPath(bytes(&mut r)?))
        } else {
            None
        };
        let dev_major = r.u32()?;
        let dev_minor = r.u32()?;
        let nx = r.count()?;
        let mut xattrs = Vec::with_capacity(nx);
        for _ in 0..nx {
            xattrs.push((r.str()?, bytes(&mut r)?));
        }
        let data_offset = r.uint()?;
        let content_sha256 = if r.flag()? {
            let mut h = [0u8; 32];
            h.copy_from_slice(r.raw(32)?);
            Some(h)
        } else {
            None
        };
        entries.push(Entry {
            path: RawPath(path),
            kind,
            mode,
            uid,
            gid,
            uname,
            gname,
            size,
            mtime,
            link_target,
            dev_major,
            dev_minor,
            xattrs,
            data_offset,
            content_sha256,
        });
    }
    if r.pos != data.len() {
        return Err(WireError {
            offset: r.pos,
            expected: "the end of the scan",
        });
    }
    Ok(JobScan {
        requested,
        scan: LayerScan {
            entries,
            stats,
            blob_size,
            uncompressed_size,
            detected,
            blob_digest,
            diff_digest,
            error,
        },
        used_bytes,
        used_entries,
    })
}

/// Encode a blob to scan and the options that matter for scanning it (caps, hashing, whether
/// entries are kept).
pub fn encode_job(j: &LayerJob, opts: &ReadOptions) -> Vec<u8> {
    let mut w = Writer::with_mark(MAGIC_JOB);
    w.str(&j.requested);
    let m = &j.member;
    w.str(&m.name);
    w.uint(m.typeflag as u64);
    w.uint(m.offset);
    w.uint(m.size);
    w.str(&m.link);
    match j.declared {
        None => w.out.push(0),
        Some(c) => {
            w.out.push(1);
            w.uint(index_of(&COMPRESSIONS, &c));
        }
    }
    w.uint(opts.max_bytes);
    w.uint(opts.max_entries);
    for flag in [opts.verify, opts.hash_contents, opts.keep_entries] {
        w.out.push(flag as u8);
    }
    w.out
}

/// Decode what [`encode_job`] wrote.
pub fn decode_job(data: &[u8]) -> Result<(LayerJob, ReadOptions), WireError> {
    let mut r = Reader::after_mark(data, MAGIC_JOB, "a layer job (LSQ1)")?;
    let requested = r.str()?;
    let name = r.str()?;
    let typeflag = r.uint_as::<u8>("a tar type flag byte")?;
    let member = Member {
        name,
        typeflag,
        offset: r.uint()?,
        size: r.uint()?,
        link: r.str()?,
    };
    let declared = if r.flag()? {
        Some(pick(&mut r, &COMPRESSIONS, "a compression number")?)
    } else {
        None
    };
    let opts = ReadOptions {
        max_bytes: r.uint()?,
        max_entries: r.uint()?,
        verify: r.flag()?,
        hash_contents: r.flag()?,
        keep_entries: r.flag()?,
        ..ReadOptions::default()
    };
    if r.pos != data.len() {
        return Err(WireError {
            offset: r.pos,
            expected: "the end of the job",
        });
    }
    Ok((
        LayerJob {
            requested,
            member,
            declared,
        },
        opts,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn odd_entry(path: &[u8]) -> Entry {
        Entry {
            path: RawPath(path.to_vec()),
            kind: EntryKind::Char,
            mode: 0o4755,
            uid: u64::MAX,
            gid: 1 << 40,
            uname: "root".into(),
            gname: "wheel".into(),
            size: 0,
            mtime: -5_000_000_000,
            link_target: Some(RawPath(b"\xff\xfe target".to_vec())),
            dev_major: 4,
            dev_minor: u32::MAX,
            xattrs: vec![
                ("security.capability".into(), vec![0, 1, 2, 255]),
                ("user.x".into(), Vec::new()),
            ],
            data_offset: 1 << 50,
            content_sha256: Some([7u8; 32]),
        }
    }

    fn sample() -> JobScan {
        let mut plain = Entry::new("usr/bin/a", EntryKind::File, 0o644, 12);
        plain.uname = "root".into();
        JobScan {
            requested: "abc/layer.tar".into(),
            scan: LayerScan {
                entries: vec![
                    odd_entry(b"dev/\xc3(bad"),
                    odd_entry(b"dev/\xc3(bad2"),
                    plain,
                    Entry::new("usr/.wh.x", EntryKind::File, 0, 0),
                    Entry::new("", EntryKind::Dir, 0o755, 0),
                ],
                stats: LayerStats {
                    entry_count: 5,
                    counts_by_type: [2, 1, 0, 0, 2, 0, 0],
                    regular_file_bytes: 12,
                    whiteouts: vec![RawPath::new("usr/.wh.x")],
                    opaque_whiteouts: vec![RawPath::new("a/.wh..wh..opq")],
                },
                blob_size: 10240,
                uncompressed_size: 20480,
                detected: Compression::Zstd,
                blob_digest: Some("sha256:aa".into()),
                diff_digest: None,
                error: Some(
                    ArchiveError::new(
                        ErrorKind::LimitExceeded,
                        "blobs/sha256/aa",
                        99,
                        "at most 3 entries",
                        "more",
                    )
                    .in_stream(),
                ),
            },
            used_bytes: 20480,
            used_entries: 5,
        }
    }

    #[test]
    fn every_field_comes_back() {
        let j = sample();
        assert_eq!(decode(&encode(&j)), Ok(j));
        let empty = JobScan {
            requested: String::new(),
            scan: LayerScan::empty(0, Compression::None, None),
            used_bytes: 0,
            used_entries: 0,
        };
        assert_eq!(decode(&encode(&empty)), Ok(empty));
    }

    #[test]
    fn every_truncation_and_every_flipped_byte_is_an_error_or_a_value_never_a_panic() {
        let bytes = encode(&sample());
        for cut in 0..bytes.len() {
            let e = decode(&bytes[..cut]).expect_err("a cut scan is an error");
            assert!(e.offset <= cut, "cut {cut}: offset {}", e.offset);
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert_eq!(
            decode(&extra).map(|_| ()),
            Err(WireError {
                offset: bytes.len(),
                expected: "the end of the scan"
            })
        );
        for i in 0..bytes.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[i] ^= flip;
                let _ = decode(&b);
            }
        }
    }

    #[test]
    fn prefixes_are_shared_between_neighbouring_paths() {
        let mut j = sample();
        j.scan.error = None;
        j.scan.entries = (0..1000)
            .map(|i| {
                Entry::new(
                    format!("usr/share/doc/pkg/file-{i}"),
                    EntryKind::File,
                    0o644,
                    1,
                )
            })
            .collect();
        let size = encode(&j).len();
        // About 4 bytes of path and 14 of fields per entry, not the 29-byte path each time.
        assert!(size < 1000 * 24, "{size} bytes");
        assert_eq!(decode(&encode(&j)), Ok(j));
    }

    #[test]
    fn a_job_and_its_options_come_back() {
        let job = LayerJob {
            requested: "abc/layer.tar".into(),
            member: Member {
                name: "blobs/sha256/ab".into(),
                typeflag: b'0',
                offset: 1 << 33,
                size: 12345,
                link: String::new(),
            },
            declared: Some(Compression::Gzip),
        };
        let opts = ReadOptions {
            verify: true,
            hash_contents: false,
            keep_entries: true,
            max_bytes: 77,
            max_entries: 5,
            ..ReadOptions::default()
        };
        let bytes = encode_job(&job, &opts);
        assert_eq!(decode_job(&bytes), Ok((job.clone(), opts)));
        for cut in 0..bytes.len() {
            assert!(decode_job(&bytes[..cut]).is_err(), "cut {cut}");
        }
        let plain = LayerJob {
            declared: None,
            ..job
        };
        let opts = ReadOptions::default();
        assert_eq!(decode_job(&encode_job(&plain, &opts)), Ok((plain, opts)));
    }
}
