//! The `inspect --json` document: per image its tags, config digest, platform, history and per
//! layer the figures `tar -tv` would give (entry counts by type, regular-file bytes, whiteouts
//! and opaque markers with paths as stored). Pure data shaping; no reading.

use super::{Archive, LayerStats};
use crate::image::{EntryKind, Image, Layer, Platform};
use serde_json::{json, Map, Value};

fn platform_json(p: &Platform) -> Value {
    let mut m = Map::new();
    m.insert("os".into(), json!(p.os));
    m.insert("architecture".into(), json!(p.architecture));
    if let Some(v) = &p.variant {
        m.insert("variant".into(), json!(v));
    }
    Value::Object(m)
}

/// `dir/.wh.name` → `dir/name`, `dir/.wh..wh..opq` → `dir/`, on the path as stored.
fn strip_marker(path: &[u8], marker_len: usize, keep_name: bool) -> String {
    let cut = path.iter().rposition(|&b| b == b'/').map_or(0, |i| i + 1);
    let mut out = path[..cut].to_vec();
    if keep_name {
        out.extend_from_slice(&path[(cut + marker_len).min(path.len())..]);
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One layer's JSON object, from the layer's descriptor fields and its entries' figures.
pub fn layer_json(l: &Layer, stats: &LayerStats) -> Value {
    let mut counts = Map::new();
    for k in EntryKind::ALL {
        counts.insert(k.as_str().into(), json!(stats.count(k)));
    }
    let whiteouts: Vec<Value> = stats
        .whiteouts
        .iter()
        .map(|p| {
            json!({
                "entry": p.display(),
                "deletes": strip_marker(p.as_bytes(), crate::image::WHITEOUT_PREFIX.len(), true),
            })
        })
        .collect();
    let opaque: Vec<Value> = stats
        .opaque_whiteouts
        .iter()
        .map(|p| {
            json!({
                "entry": p.display(),
                "opaque_dir": strip_marker(p.as_bytes(), crate::image::OPAQUE_MARKER.len(), false),
            })
        })
        .collect();
    json!({
        "index": l.index,
        "digest": l.digest,
        "diff_id": l.diff_id,
        "media_type": l.media_type,
        "compression": l.compression.as_str(),
        "blob_size": l.blob_size,
        "uncompressed_size": l.uncompressed_size,
        "entry_count": stats.entry_count,
        "counts_by_type": counts,
        "regular_file_bytes": stats.regular_file_bytes,
        "whiteouts": whiteouts,
        "opaque_whiteouts": opaque,
    })
}

/// The figures of one of the archive's layers: those folded while it was read, or (for a layer
/// not read from this archive) those of its entries.
pub fn layer_stats(a: &Archive, l: &Layer) -> LayerStats {
    a.layer_stats
        .get(&l.member)
        .cloned()
        .unwrap_or_else(|| LayerStats::of(&l.entries))
}

/// One image's JSON object.
pub fn image_json(a: &Archive, im: &Image) -> Value {
    json!({
        "tags": im.tags,
        "config_digest": im.config_digest,
        "manifest_digest": im.manifest_digest,
        "platform": platform_json(&im.platform),
        "layers": im.layers.iter().map(|l| layer_json(l, &layer_stats(a, l))).collect::<Vec<_>>(),
        "history": im.history.iter().map(|h| json!({
            "created": h.created,
            "created_by": h.created_by,
            "comment": h.comment,
            "empty_layer": h.empty_layer,
            "layer_index": h.layer_index,
        })).collect::<Vec<_>>(),
    })
}

/// The whole `inspect --json` document.
pub fn inspect_json(a: &Archive) -> Value {
    json!({
        "layout": a.layout,
        "outer_compression": if a.outer_gzip { "gzip" } else { "none" },
        "images": a.images.iter().map(|im| image_json(a, im)).collect::<Vec<_>>(),
        "listing": a.listing,
        "attestations": a.attestations,
        "other_platforms": a.other_platforms.iter().map(platform_json).collect::<Vec<_>>(),
        "verify_failures": a.verify_failures.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
        "error": a.error.as_ref().map(|e| e.to_string()),
    })
}
