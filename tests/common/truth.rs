//! Test helper: layers built from a corpus archive's `.truth.json` entry lists (GNU tar's view of
//! the archive), independent of layerscope's archive reader.

use layerscope::image::{Compression, Entry, EntryKind, Layer, RawPath};
use serde_json::Value;
use std::path::{Path, PathBuf};

pub fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/images");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("note: ../shared/corpus/images not found; corpus test skipped");
        None
    }
}

fn kind(t: &str) -> EntryKind {
    match t {
        "file" => EntryKind::File,
        "dir" => EntryKind::Dir,
        "symlink" => EntryKind::Symlink,
        "hardlink" => EntryKind::Hardlink,
        "char" => EntryKind::Char,
        "block" => EntryKind::Block,
        "fifo" => EntryKind::Fifo,
        other => panic!("unknown entry type {other}"),
    }
}

/// The truth JSON of an archive.
pub fn truth(archive: &Path) -> Value {
    let p = PathBuf::from(format!("{}.truth.json", archive.display()));
    serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap()
}

/// The layers of one image of a truth file.
pub fn layers_of(image: &Value) -> Vec<Layer> {
    image["layers"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, l)| Layer {
            index: i,
            digest: l["blob_sha256"].as_str().unwrap_or("").to_string(),
            diff_id: l["config_diff_id"].as_str().unwrap_or("").to_string(),
            media_type: String::new(),
            compression: Compression::None,
            blob_size: l["blob_size"].as_u64().unwrap_or(0),
            uncompressed_size: l["uncompressed_size"].as_u64().unwrap_or(0),
            member: String::new(),
            entries: l["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    let mut en = Entry::new(
                        e["path"].as_str().unwrap().as_bytes(),
                        kind(e["type"].as_str().unwrap()),
                        0,
                        e["size"].as_u64().unwrap_or(0),
                    );
                    if let Some(t) = e["linkname"].as_str() {
                        en.link_target = Some(RawPath::new(t.as_bytes()));
                    }
                    en
                })
                .collect(),
        })
        .collect()
}
