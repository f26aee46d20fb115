//! Our own waste figures, from the OCI-correct merged view (`overlay`), next to dive's:
//!
//! - a copy of a regular file is *kept* when it is what the final image shows at its path, or the
//!   inode a visible hard link resolves to; every other stored copy is *wasted* (shadowed by a later
//!   write, deleted by a whiteout, hidden by an opaque directory, or inside a replaced directory);
//! - `wasted_bytes` counts only the wasted copies (dive also counts the kept one) and
//!   `efficiency = 1 - wasted / stored`;
//! - the user share is measured against all of the base image's layers (dive excludes only layer
//!   0): waste stored in a user layer, or made invisible by a user layer, over the user layers' bytes;
//! - for every path with waste: each copy with its layer, size and fate.
//!
//! It reads no archives and prints nothing.

use crate::image::{EntryKind, HistoryRow, Layer};
use crate::overlay::{hidden_copies, HiddenBy, Stack};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What became of one stored copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "fate", rename_all = "snake_case")]
pub enum Fate {
    Kept,
    Shadowed { by_layer: usize },
    Deleted { by_layer: usize, how: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredCopy {
    pub layer: usize,
    pub size: u64,
    #[serde(flatten)]
    pub fate: Fate,
}

/// One path whose stored copies are not all visible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WastePath {
    /// `/`-rooted.
    pub path: String,
    pub wasted: u64,
    pub copies: Vec<StoredCopy>,
}

impl WastePath {
    /// `layer 1 wrote 16 B (deleted by layer 4, whiteout); layer 11 wrote 9 B (kept)`.
    pub fn reason(&self) -> String {
        self.copies
            .iter()
            .map(|c| {
                let fate = match &c.fate {
                    Fate::Kept => "kept".to_string(),
                    Fate::Shadowed { by_layer } => format!("shadowed by layer {by_layer}"),
                    Fate::Deleted { by_layer, how } => {
                        format!("deleted by layer {by_layer}, {how}")
                    }
                };
                format!("layer {} wrote {} B ({fate})", c.layer, c.size)
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OurFigures {
    /// 1 - wasted / stored (1 when nothing is stored).
    pub efficiency: f64,
    pub wasted_bytes: u64,
    /// Bytes of regular files stored in all layers.
    pub stored_bytes: u64,
    /// Bytes of regular files the final image shows.
    pub visible_bytes: u64,
    /// Layers that belong to the base image.
    pub base_layers: usize,
    pub user_size_bytes: u64,
    pub user_wasted_bytes: u64,
    /// user wasted / user size (0 when the user layers hold nothing).
    pub user_wasted_percent: f64,
    /// Largest waste first, then by path.
    pub paths: Vec<WastePath>,
}

/// A guess of how many layers come from the base image: the layers made before the first
/// `CMD`/`ENTRYPOINT` history row that more layers follow (a base image's history ends with its
/// CMD). Falls back to 1, like dive, when the history says nothing.
pub fn guess_base_layers(history: &[HistoryRow], layer_count: usize) -> usize {
    for (i, row) in history.iter().enumerate() {
        let cb = row.created_by.as_str();
        let is_cmd = cb.contains("CMD [") || cb.contains("ENTRYPOINT [") || cb.starts_with("CMD ");
        if !is_cmd {
            continue;
        }
        let later_layers = history[i + 1..].iter().any(|r| !r.empty_layer);
        if later_layers {
            let before = history[..i].iter().filter(|r| !r.empty_layer).count();
            if before > 0 {
                return before.min(layer_count);
            }
        }
    }
    1.min(layer_count)
}

fn how(cause: &crate::overlay::Cause) -> String {
    use crate::overlay::Cause;
    match cause {
        Cause::Entry => "rewritten".into(),
        Cause::Whiteout => "whiteout".into(),
        Cause::AncestorWhiteout(a) => format!("whiteout of /{a}"),
        Cause::Opaque(d) => format!("opaque directory /{d}"),
        Cause::AncestorReplaced(d) => format!("/{d} replaced by a non-directory"),
    }
}

/// Our figures for an image's layers, with `base_layers` layers from the base image.
pub fn our_figures(layers: &[Layer], base_layers: usize) -> OurFigures {
    let stack = Stack::new(layers);
    let top = stack.top();
    // Kept copies: (layer, path) of visible files and of the inodes visible hard links point to.
    let mut kept: BTreeSet<(usize, Vec<u8>)> = BTreeSet::new();
    let mut visible_bytes = 0u64;
    for (path, node) in top.walk() {
        match &node.link_target {
            Some(t) => {
                kept.insert((t.layer, t.entry.path.normalized().to_vec()));
            }
            None if node.entry.kind == EntryKind::File => {
                kept.insert((node.layer, path.clone()));
                visible_bytes += node.entry.size;
            }
            None => {}
        }
    }
    let mut stored_bytes = 0u64;
    let mut by_path: BTreeMap<Vec<u8>, Vec<(usize, u64)>> = BTreeMap::new();
    for (li, l) in layers.iter().enumerate() {
        for e in &l.entries {
            if e.kind != EntryKind::File || e.whiteout().is_some() {
                continue;
            }
            stored_bytes += e.size;
            by_path
                .entry(e.path.normalized().to_vec())
                .or_default()
                .push((li, e.size));
        }
    }
    let mut paths = Vec::new();
    let mut wasted_bytes = 0u64;
    let mut user_wasted_bytes = 0u64;
    for (path, copies) in by_path {
        if copies
            .iter()
            .all(|(l, _)| kept.contains(&(*l, path.clone())))
        {
            continue;
        }
        // Why each hidden copy is hidden: from the path's history up to the top.
        let provider = top.get(&path).map(|n| n.layer).unwrap_or(layers.len());
        let hidden = hidden_copies(&stack, layers, &path, provider);
        let mut out = Vec::new();
        let mut wasted = 0u64;
        for (l, size) in copies {
            let fate = if kept.contains(&(l, path.clone())) {
                Fate::Kept
            } else {
                match hidden.iter().find(|h| h.layer == l).map(|h| &h.by) {
                    Some(HiddenBy::Shadowed { by_layer }) => Fate::Shadowed {
                        by_layer: *by_layer,
                    },
                    Some(HiddenBy::Deleted { by_layer, cause }) => Fate::Deleted {
                        by_layer: *by_layer,
                        how: how(cause),
                    },
                    None => deleted_after(&stack, &path, l),
                }
            };
            if fate != Fate::Kept {
                wasted += size;
                let by = match &fate {
                    Fate::Shadowed { by_layer } | Fate::Deleted { by_layer, .. } => *by_layer,
                    Fate::Kept => 0,
                };
                if l >= base_layers || by >= base_layers {
                    user_wasted_bytes += size;
                }
            }
            out.push(StoredCopy {
                layer: l,
                size,
                fate,
            });
        }
        wasted_bytes += wasted;
        paths.push(WastePath {
            path: format!("/{}", String::from_utf8_lossy(&path)),
            wasted,
            copies: out,
        });
    }
    paths.sort_by(|a, b| b.wasted.cmp(&a.wasted).then(a.path.cmp(&b.path)));
    let user_size_bytes: u64 = layers
        .iter()
        .skip(base_layers)
        .flat_map(|l| l.entries.iter())
        .filter(|e| e.kind == EntryKind::File && e.whiteout().is_none())
        .map(|e| e.size)
        .sum();
    OurFigures {
        efficiency: if stored_bytes == 0 {
            1.0
        } else {
            1.0 - wasted_bytes as f64 / stored_bytes as f64
        },
        wasted_bytes,
        stored_bytes,
        visible_bytes,
        base_layers,
        user_size_bytes,
        user_wasted_bytes,
        user_wasted_percent: if user_size_bytes == 0 {
            0.0
        } else {
            user_wasted_bytes as f64 / user_size_bytes as f64
        },
        paths,
    }
}

/// The fate of a copy of `path` from `layer` that no later copy replaced: the first removal.
fn deleted_after(stack: &Stack, path: &[u8], layer: usize) -> Fate {
    let events = crate::overlay::path_history(stack, path, stack.trees.len().saturating_sub(1));
    for ev in events {
        if let crate::overlay::PathEvent::Removed { layer: l, cause } = ev {
            if l > layer {
                return Fate::Deleted {
                    by_layer: l,
                    how: how(&cause),
                };
            }
        }
    }
    Fate::Deleted {
        by_layer: layer,
        how: "not visible".into(),
    }
}
