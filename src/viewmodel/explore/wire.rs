//! The compact binary form of the loaded images that the worker sends to the page (an
//! `ArrayBuffer` transferred, not copied, beside a small `protocol` message): LEB128 integers,
//! strings as length + UTF-8, each path written as the length of the prefix it shares with the
//! previous path plus the rest, and the few distinct `kind` / `link` strings through a string
//! table.
//! [`decode`] checks every length against the bytes left and every string's UTF-8, so bad or
//! truncated input is an error naming the byte offset, never a panic or a huge allocation.
//! Its reader and writer (`codec`) also serve the control messages (`protocol`). Pure; it knows
//! nothing of workers.

use super::summary::{AnalysisView, FileRow, LayerView, LoadedImage, StepView, WasteRow};
pub use crate::codec::WireError;
use crate::codec::{Reader, Writer};

/// First bytes of an encoding of images (format version 1).
const MAGIC: &[u8; 4] = b"LSW1";
/// First bytes of an encoding of layers' changes.
const MAGIC_CHANGES: &[u8; 4] = b"LSC1";

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Encode `images` (exactly; `decode` gives them back equal).
pub fn encode(images: &[LoadedImage]) -> Vec<u8> {
    let mut w = Writer::default();
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
    let mut w = Writer::default();
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

/// Decode what [`encode`] wrote.
pub fn decode(data: &[u8]) -> Result<Vec<LoadedImage>, WireError> {
    let mut r = Reader::after_mark(data, MAGIC, "the LSW1 format mark")?;
    let n = r.count()?;
    let mut images = Vec::with_capacity(n);
    for _ in 0..n {
        images.push(decode_image(&mut r)?);
    }
    r.end()?;
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
    let mut r = Reader::after_mark(data, MAGIC_CHANGES, "the LSC1 format mark")?;
    let n = r.count()?;
    let mut layers = Vec::with_capacity(n);
    for _ in 0..n {
        layers.push(decode_rows(&mut r)?);
    }
    r.end()?;
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
