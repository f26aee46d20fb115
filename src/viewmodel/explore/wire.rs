//! The compact binary form of the loaded images that the worker sends to the page (an
//! `ArrayBuffer` transferred, not copied, beside a small `protocol` message): LEB128 integers,
//! strings as length + UTF-8, each path written as the length of the prefix it shares with the
//! previous path plus the rest, and the few distinct `kind` / `link` strings through a string
//! table.
//! [`decode`] checks every length against the bytes left and every string's UTF-8, so bad or
//! truncated input is an error naming the byte offset, never a panic or a huge allocation.
//! The reader and writer also serve the control messages (`protocol`). Pure; it knows nothing
//! of workers.

use super::summary::{AnalysisView, FileRow, LayerView, LoadedImage, StepView, WasteRow};
use std::collections::HashMap;

/// First bytes of an encoding of images (format version 1).
const MAGIC: &[u8; 4] = b"LSW1";
/// First bytes of an encoding of layers' changes.
const MAGIC_CHANGES: &[u8; 4] = b"LSC1";

/// Why bytes could not be decoded: where, and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError {
    pub offset: usize,
    pub expected: &'static str,
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the worker's message is malformed at byte {}: expected {}",
            self.offset, self.expected
        )
    }
}

pub(super) struct Writer {
    pub(super) out: Vec<u8>,
    /// String table: each distinct string gets the next number when first written.
    table: HashMap<String, u64>,
}

impl Writer {
    /// A writer whose output starts with `mark`.
    pub(super) fn with_mark(mark: &[u8]) -> Writer {
        Writer {
            out: mark.to_vec(),
            table: HashMap::new(),
        }
    }
    pub(super) fn uint(&mut self, mut v: u64) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.out.push(b);
                return;
            }
            self.out.push(b | 0x80);
        }
    }
    pub(super) fn int(&mut self, v: i64) {
        self.uint(((v << 1) ^ (v >> 63)) as u64);
    }
    pub(super) fn bytes(&mut self, b: &[u8]) {
        self.uint(b.len() as u64);
        self.out.extend_from_slice(b);
    }
    pub(super) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    pub(super) fn opt_uint(&mut self, v: Option<u64>) {
        match v {
            None => self.out.push(0),
            Some(n) => {
                self.out.push(1);
                self.uint(n);
            }
        }
    }
    pub(super) fn f64(&mut self, v: f64) {
        self.out.extend_from_slice(&v.to_bits().to_le_bytes());
    }
    pub(super) fn opt_f64(&mut self, v: Option<f64>) {
        match v {
            None => self.out.push(0),
            Some(x) => {
                self.out.push(1);
                self.f64(x);
            }
        }
    }
    pub(super) fn opt_str(&mut self, v: Option<&str>) {
        match v {
            None => self.out.push(0),
            Some(s) => {
                self.out.push(1);
                self.str(s);
            }
        }
    }
    /// A table string: its number, then (the first time only) its text. Number 0 is "none".
    fn interned(&mut self, s: Option<&str>) {
        let Some(s) = s else {
            self.uint(0);
            return;
        };
        match self.table.get(s) {
            Some(&n) => self.uint(n),
            None => {
                let n = self.table.len() as u64 + 1;
                self.table.insert(s.to_string(), n);
                self.uint(n);
                self.str(s);
            }
        }
    }
    pub(super) fn strings(&mut self, v: &[String]) {
        self.uint(v.len() as u64);
        for s in v {
            self.str(s);
        }
    }
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Encode `images` (exactly; `decode` gives them back equal).
pub fn encode(images: &[LoadedImage]) -> Vec<u8> {
    let mut w = Writer {
        out: Vec::new(),
        table: HashMap::new(),
    };
    w.out.extend_from_slice(MAGIC);
    w.uint(images.len() as u64);
    for im in images {
        w.str(&im.archive);
        w.uint(im.job as u64);
        w.uint(im.image_index as u64);
        w.strings(&im.tags);
        w.str(&im.id);
        w.str(&im.platform);
        w.str(&im.layout);
        w.uint(im.layers.len() as u64);
        for l in &im.layers {
            w.uint(l.index as u64);
            w.str(&l.digest);
            w.str(&l.diff_id);
            w.uint(l.size);
            w.uint(l.entry_count as u64);
            encode_rows(&mut w, &l.changes);
        }
        w.uint(im.steps.len() as u64);
        for s in &im.steps {
            w.str(&s.created_by);
            w.opt_uint(s.layer.map(|n| n as u64));
        }
        w.strings(&im.history);
        match &im.analysis {
            None => w.out.push(0),
            Some(a) => {
                w.out.push(1);
                encode_analysis(&mut w, a);
            }
        }
        w.out.push(im.pending as u8);
        w.strings(&im.other_platforms);
    }
    w.out
}

/// Encode the changes of several layers (exactly; `decode_changes` gives them back equal).
pub fn encode_changes(layers: &[Vec<FileRow>]) -> Vec<u8> {
    let mut w = Writer {
        out: Vec::new(),
        table: HashMap::new(),
    };
    w.out.extend_from_slice(MAGIC_CHANGES);
    w.uint(layers.len() as u64);
    for rows in layers {
        encode_rows(&mut w, rows);
    }
    w.out
}

fn encode_rows(w: &mut Writer, rows: &[FileRow]) {
    w.uint(rows.len() as u64);
    let mut prev: &str = "";
    for r in rows {
        encode_row(w, r, prev);
        prev = &r.path;
    }
}

fn encode_row(w: &mut Writer, r: &FileRow, prev: &str) {
    // The shared prefix is counted in bytes and cut at a char boundary, so both halves stay UTF-8.
    let mut keep = common_prefix(prev.as_bytes(), r.path.as_bytes());
    while !r.path.is_char_boundary(keep) {
        keep -= 1;
    }
    w.uint(keep as u64);
    w.str(&r.path[keep..]);
    w.uint(r.change as u64);
    w.interned(Some(&r.kind));
    w.uint(r.size);
    w.uint(r.mode as u64);
    w.uint(r.uid);
    w.uint(r.gid);
    w.int(r.mtime);
    w.interned(r.link.as_deref());
    w.uint(r.layer as u64);
    w.opt_uint(r.hides.map(|n| n as u64));
}

pub(super) fn encode_analysis(w: &mut Writer, a: &AnalysisView) {
    w.f64(a.dive_efficiency);
    w.uint(a.dive_wasted);
    w.opt_f64(a.dive_user_wasted_percent);
    w.f64(a.ours_efficiency);
    w.uint(a.ours_wasted);
    w.opt_f64(a.ours_user_wasted_percent);
    w.uint(a.base_layers as u64);
    w.uint(a.top.len() as u64);
    for t in &a.top {
        w.str(&t.path);
        w.uint(t.wasted);
        w.str(&t.reason);
    }
}

pub(super) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    table: Vec<String>,
}

impl<'a> Reader<'a> {
    /// A reader of `data`, which must start with `mark` (`expected` names it).
    pub(super) fn after_mark(
        data: &'a [u8],
        mark: &[u8],
        expected: &'static str,
    ) -> Result<Reader<'a>, WireError> {
        let mut r = Reader {
            data,
            pos: 0,
            table: Vec::new(),
        };
        if r.raw(mark.len()).ok() != Some(mark) {
            return Err(WireError {
                offset: 0,
                expected,
            });
        }
        Ok(r)
    }
    /// Ok when every byte was read.
    pub(super) fn end(&self) -> Result<(), WireError> {
        if self.pos != self.data.len() {
            return self.fail("the end of the message");
        }
        Ok(())
    }
    pub(super) fn fail<T>(&self, expected: &'static str) -> Result<T, WireError> {
        Err(WireError {
            offset: self.pos,
            expected,
        })
    }
    pub(super) fn uint(&mut self) -> Result<u64, WireError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let Some(&b) = self.data.get(self.pos) else {
                return self.fail("an integer");
            };
            self.pos += 1;
            let part = (b & 0x7f) as u64;
            if shift == 63 && part > 1 {
                return self.fail("an integer of at most 64 bits");
            }
            v |= part << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        self.fail("an integer of at most 10 bytes")
    }
    pub(super) fn u32(&mut self) -> Result<u32, WireError> {
        let v = self.uint()?;
        u32::try_from(v).or_else(|_| self.fail("an integer of at most 32 bits"))
    }
    pub(super) fn usize(&mut self) -> Result<usize, WireError> {
        let v = self.uint()?;
        usize::try_from(v).or_else(|_| self.fail("a count that fits in memory"))
    }
    pub(super) fn int(&mut self) -> Result<i64, WireError> {
        let v = self.uint()?;
        Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
    }
    /// A count of items each taking at least one byte: never more than the bytes left.
    fn count(&mut self) -> Result<usize, WireError> {
        let n = self.usize()?;
        if n > self.data.len() - self.pos {
            return self.fail("a count no larger than the bytes left");
        }
        Ok(n)
    }
    fn raw(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        if n > self.data.len() - self.pos {
            return self.fail("as many bytes as the length says");
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    pub(super) fn str(&mut self) -> Result<String, WireError> {
        let n = self.usize()?;
        let at = self.pos;
        let b = self.raw(n)?;
        match std::str::from_utf8(b) {
            Ok(s) => Ok(s.to_string()),
            Err(_) => Err(WireError {
                offset: at,
                expected: "UTF-8 text",
            }),
        }
    }
    fn strings(&mut self) -> Result<Vec<String>, WireError> {
        let n = self.count()?;
        (0..n).map(|_| self.str()).collect()
    }
    pub(super) fn opt_uint(&mut self) -> Result<Option<usize>, WireError> {
        if self.flag()? {
            Ok(Some(self.usize()?))
        } else {
            Ok(None)
        }
    }
    pub(super) fn flag(&mut self) -> Result<bool, WireError> {
        match self.raw(1)?[0] {
            0 => Ok(false),
            1 => Ok(true),
            _ => {
                self.pos -= 1;
                self.fail("0 or 1")
            }
        }
    }
    pub(super) fn f64(&mut self) -> Result<f64, WireError> {
        let b = self.raw(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(f64::from_bits(u64::from_le_bytes(a)))
    }
    pub(super) fn opt_f64(&mut self) -> Result<Option<f64>, WireError> {
        if self.flag()? {
            Ok(Some(self.f64()?))
        } else {
            Ok(None)
        }
    }
    pub(super) fn opt_str(&mut self) -> Result<Option<String>, WireError> {
        if self.flag()? {
            Ok(Some(self.str()?))
        } else {
            Ok(None)
        }
    }
    fn interned(&mut self) -> Result<Option<String>, WireError> {
        let n = self.usize()?;
        if n == 0 {
            return Ok(None);
        }
        if n <= self.table.len() {
            return Ok(Some(self.table[n - 1].clone()));
        }
        if n != self.table.len() + 1 {
            return self.fail("a string number already defined, or the next one");
        }
        let s = self.str()?;
        self.table.push(s.clone());
        Ok(Some(s))
    }
}

/// Decode what [`encode`] wrote.
pub fn decode(data: &[u8]) -> Result<Vec<LoadedImage>, WireError> {
    let mut r = Reader {
        data,
        pos: 0,
        table: Vec::new(),
    };
    if r.raw(MAGIC.len()).ok() != Some(&MAGIC[..]) {
        return Err(WireError {
            offset: 0,
            expected: "the LSW1 format mark",
        });
    }
    let n = r.count()?;
    let mut images = Vec::with_capacity(n);
    for _ in 0..n {
        images.push(decode_image(&mut r)?);
    }
    if r.pos != data.len() {
        return r.fail("the end of the message");
    }
    Ok(images)
}

fn decode_image(r: &mut Reader) -> Result<LoadedImage, WireError> {
    let archive = r.str()?;
    let job = r.u32()?;
    let image_index = r.usize()?;
    let tags = r.strings()?;
    let id = r.str()?;
    let platform = r.str()?;
    let layout = r.str()?;
    let nl = r.count()?;
    let mut layers = Vec::with_capacity(nl);
    for _ in 0..nl {
        let index = r.usize()?;
        let digest = r.str()?;
        let diff_id = r.str()?;
        let size = r.uint()?;
        let entry_count = r.usize()?;
        let changes = decode_rows(r)?;
        layers.push(LayerView {
            index,
            digest,
            diff_id,
            size,
            entry_count,
            changes,
        });
    }
    let ns = r.count()?;
    let mut steps = Vec::with_capacity(ns);
    for _ in 0..ns {
        steps.push(StepView {
            created_by: r.str()?,
            layer: r.opt_uint()?,
        });
    }
    let history = r.strings()?;
    let analysis = if r.flag()? {
        Some(decode_analysis(r)?)
    } else {
        None
    };
    let pending = r.flag()?;
    let other_platforms = r.strings()?;
    Ok(LoadedImage {
        archive,
        job,
        image_index,
        tags,
        id,
        platform,
        layout,
        layers,
        steps,
        history,
        analysis,
        pending,
        other_platforms,
    })
}

fn decode_rows(r: &mut Reader) -> Result<Vec<FileRow>, WireError> {
    let nc = r.count()?;
    let mut rows: Vec<FileRow> = Vec::with_capacity(nc);
    for _ in 0..nc {
        let prev = rows.last().map_or("", |p| p.path.as_str());
        let row = decode_row(r, prev)?;
        rows.push(row);
    }
    Ok(rows)
}

/// Decode what [`encode_changes`] wrote.
pub fn decode_changes(data: &[u8]) -> Result<Vec<Vec<FileRow>>, WireError> {
    let mut r = Reader {
        data,
        pos: 0,
        table: Vec::new(),
    };
    if r.raw(MAGIC_CHANGES.len()).ok() != Some(&MAGIC_CHANGES[..]) {
        return Err(WireError {
            offset: 0,
            expected: "the LSC1 format mark",
        });
    }
    let n = r.count()?;
    let mut layers = Vec::with_capacity(n);
    for _ in 0..n {
        layers.push(decode_rows(&mut r)?);
    }
    if r.pos != data.len() {
        return r.fail("the end of the message");
    }
    Ok(layers)
}

fn decode_row(r: &mut Reader, prev: &str) -> Result<FileRow, WireError> {
    let keep = r.usize()?;
    if keep > prev.len() || !prev.is_char_boundary(keep) {
        return r.fail("a shared prefix no longer than the previous path");
    }
    let rest = r.str()?;
    let mut path = String::with_capacity(keep + rest.len());
    path.push_str(&prev[..keep]);
    path.push_str(&rest);
    let change = char::from_u32(r.u32()?).map_or_else(|| r.fail("a character"), Ok)?;
    let Some(kind) = r.interned()? else {
        return r.fail("a file kind");
    };
    let size = r.uint()?;
    let mode = r.u32()?;
    let uid = r.uint()?;
    let gid = r.uint()?;
    let mtime = r.int()?;
    let link = r.interned()?;
    let layer = r.usize()?;
    let hides = r.opt_uint()?;
    Ok(FileRow {
        path,
        change,
        kind,
        size,
        mode,
        uid,
        gid,
        mtime,
        link,
        layer,
        hides,
    })
}

pub(super) fn decode_analysis(r: &mut Reader) -> Result<AnalysisView, WireError> {
    let dive_efficiency = r.f64()?;
    let dive_wasted = r.uint()?;
    let dive_user_wasted_percent = r.opt_f64()?;
    let ours_efficiency = r.f64()?;
    let ours_wasted = r.uint()?;
    let ours_user_wasted_percent = r.opt_f64()?;
    let base_layers = r.usize()?;
    let nt = r.count()?;
    let mut top = Vec::with_capacity(nt);
    for _ in 0..nt {
        top.push(WasteRow {
            path: r.str()?,
            wasted: r.uint()?,
            reason: r.str()?,
        });
    }
    Ok(AnalysisView {
        dive_efficiency,
        dive_wasted,
        dive_user_wasted_percent,
        ours_efficiency,
        ours_wasted,
        ours_user_wasted_percent,
        base_layers,
        top,
    })
}
