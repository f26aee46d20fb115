//! dive's figures, computed the way dive 0.13 computes them (dive `filetree/efficiency.go`,
//! `filetree/file_tree.go`, `image/analysis.go`), defects included, so the numbers equal dive's on
//! the same image:
//!
//! - each layer becomes a tree by adding every tar entry in order; a name starting `.wh..wh..` is
//!   never added (so opaque directories are ignored), a missing parent is added as a node with
//!   empty info (not a directory, size 0), an existing node just gets the new info;
//! - every *leaf* of every layer tree (file, empty or untouched directory, whiteout) is visited in
//!   layer order, depth first with names in byte order, keyed by its path with the `.wh.` prefix
//!   removed; its size is the entry size, except a whiteout: 0, or for a path that was a directory
//!   in the stack of the layers below (stacked dive's way: replacing a directory by a file keeps
//!   its children), the sum of the sizes in that subtree; a whiteout whose path is not in that
//!   stack aborts the rest of that layer's visit and leaves a path with minimum -1;
//! - `efficiency = Σ min size / Σ cumulative size` over paths (1 when the denominator is 0);
//! - `wasted bytes = Σ cumulative size` of the paths seen at least twice (the kept copy included);
//! - `user wasted percent = wasted / Σ layer sizes but the first` (NaN for a one-layer image);
//!   a layer's size is the sum of its tar entries' sizes.
//!
//! The inefficient paths are sorted by cumulative size with a stable sort, which is what Go's
//! `sort.Sort` does for up to 12 elements; with more, dive may order equal sizes differently.
//! It reads no archives and prints nothing.

use crate::image::Layer;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
struct DNode {
    size: i64,
    is_dir: bool,
    children: BTreeMap<Vec<u8>, DNode>,
}

const WHITEOUT: &[u8] = b".wh.";
const DOUBLE_WHITEOUT: &[u8] = b".wh..wh..";

/// Go's `path.Clean` on the components, as dive keys paths (no leading `/`).
fn clean(path: &[u8]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    let rooted = path.starts_with(b"/");
    for c in path.split(|&b| b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => {
                if out.last().is_some_and(|l| l != b"..") {
                    out.pop();
                } else if !rooted {
                    out.push(c.to_vec());
                }
            }
            c => out.push(c.to_vec()),
        }
    }
    out
}

impl DNode {
    /// dive's `AddPath`.
    fn add_path(&mut self, names: &[Vec<u8>], size: i64, is_dir: bool) {
        let mut node = self;
        for (i, name) in names.iter().enumerate() {
            if !node.children.contains_key(name) {
                if name.starts_with(DOUBLE_WHITEOUT) {
                    return;
                }
                node.children.insert(name.clone(), DNode::default());
            }
            let Some(next) = node.children.get_mut(name) else {
                return;
            };
            node = next;
            if i + 1 == names.len() {
                node.size = size;
                node.is_dir = is_dir;
            }
        }
    }

    fn get(&self, names: &[Vec<u8>]) -> Option<&DNode> {
        let mut node = self;
        for n in names {
            node = node.children.get(n)?;
        }
        Some(node)
    }

    fn remove(&mut self, names: &[Vec<u8>]) {
        let Some((last, parents)) = names.split_last() else {
            return;
        };
        let mut node = self;
        for n in parents {
            match node.children.get_mut(n) {
                Some(c) => node = c,
                None => return,
            }
        }
        node.children.remove(last);
    }

    /// Sum of sizes of the node and everything below it.
    fn subtree_size(&self) -> i64 {
        self.size + self.children.values().map(DNode::subtree_size).sum::<i64>()
    }

    /// Visit every node children-first (names in byte order), with its key path; `leaf_only`
    /// keeps only nodes without children.
    fn visit<'a>(
        &'a self,
        prefix: &mut Vec<Vec<u8>>,
        out: &mut Vec<(Vec<Vec<u8>>, &'a DNode)>,
        leaf_only: bool,
    ) {
        for (name, child) in &self.children {
            prefix.push(name.clone());
            child.visit(prefix, out, leaf_only);
            if !leaf_only || child.children.is_empty() {
                out.push((prefix.clone(), child));
            }
            prefix.pop();
        }
    }

    /// dive's `Stack`: graft `upper` onto this tree.
    fn stack(&mut self, upper: &DNode) {
        let mut nodes = Vec::new();
        upper.visit(&mut Vec::new(), &mut nodes, false);
        for (names, n) in nodes {
            let is_whiteout = names.last().is_some_and(|l| l.starts_with(WHITEOUT));
            if is_whiteout {
                self.remove(&strip_whiteout(&names));
            } else {
                self.add_path(&names, n.size, n.is_dir);
            }
        }
    }
}

fn strip_whiteout(names: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut v = names.to_vec();
    if let Some(l) = v.last_mut() {
        if let Some(rest) = l.strip_prefix(WHITEOUT) {
            *l = rest.to_vec();
        }
    }
    v
}

fn layer_tree(layer: &Layer) -> DNode {
    let mut root = DNode::default();
    for e in &layer.entries {
        let names = clean(e.path.as_bytes());
        if names.is_empty() {
            continue;
        }
        root.add_path(
            &names,
            e.size as i64,
            e.kind == crate::image::EntryKind::Dir,
        );
    }
    root
}

/// One path dive calls inefficient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiveFile {
    /// `/`-rooted, as dive prints it.
    pub path: String,
    /// Number of layers that have a leaf at this path (dive's "Count").
    pub count: usize,
    /// dive's "Wasted Space" / "Total Space": the cumulative size of every copy.
    pub cumulative: i64,
}

/// dive's analysis of one image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiveFigures {
    /// 0..1.
    pub efficiency: f64,
    pub wasted_bytes: u64,
    /// wasted / user size, 0..1 (NaN or infinite when the user size is 0; `None` in JSON then).
    #[serde(serialize_with = "finite_or_null")]
    pub user_wasted_percent: f64,
    pub size_bytes: u64,
    pub user_size_bytes: u64,
    pub layer_sizes: Vec<u64>,
    /// Sorted as dive lists them: largest cumulative size first.
    pub inefficient_files: Vec<DiveFile>,
}

fn finite_or_null<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.is_finite() {
        s.serialize_f64(*v)
    } else {
        s.serialize_none()
    }
}

#[derive(Default)]
struct PathData {
    nodes: usize,
    cumulative: i64,
    min: i64,
}

/// Compute dive's figures for an image's layers (bottom first).
pub fn dive_figures(layers: &[Layer]) -> DiveFigures {
    let trees: Vec<DNode> = layers.iter().map(layer_tree).collect();
    let mut map: BTreeMap<String, PathData> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new(); // paths in the order they reached 2 nodes
    for (idx, tree) in trees.iter().enumerate() {
        let mut leaves = Vec::new();
        tree.visit(&mut Vec::new(), &mut leaves, true);
        // The stack below this layer, built lazily (only whiteouts need it).
        let mut stacked: Option<DNode> = None;
        for (names, node) in leaves {
            let key_names = strip_whiteout(&names);
            let mut raw = Vec::with_capacity(key_names.iter().map(|n| n.len() + 1).sum());
            for n in &key_names {
                raw.push(b'/');
                raw.extend_from_slice(n);
            }
            if raw.is_empty() {
                raw.push(b'/');
            }
            let key = match String::from_utf8(raw) {
                Ok(k) => k,
                Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            };
            if !map.contains_key(&key) {
                map.insert(
                    key.clone(),
                    PathData {
                        nodes: 0,
                        cumulative: 0,
                        min: -1,
                    },
                );
            }
            let Some(data) = map.get_mut(&key) else {
                continue;
            };
            let is_whiteout = names.last().is_some_and(|l| l.starts_with(WHITEOUT));
            let size = if is_whiteout {
                let below = stacked.get_or_insert_with(|| {
                    let mut t = trees[0].clone();
                    for lower in trees.iter().take(idx) {
                        t.stack(lower);
                    }
                    t
                });
                match below.get(&key_names) {
                    // dive returns an error here: the rest of this layer is not visited.
                    None => break,
                    Some(prev) if prev.is_dir => prev.subtree_size(),
                    Some(_) => 0,
                }
            } else {
                node.size
            };
            data.cumulative += size;
            if data.min < 0 || size < data.min {
                data.min = size;
            }
            data.nodes += 1;
            if data.nodes == 2 {
                order.push(key);
            }
        }
    }
    let (mut min_sum, mut cum_sum) = (0i64, 0i64);
    for d in map.values() {
        min_sum += d.min;
        cum_sum += d.cumulative;
    }
    let efficiency = if cum_sum == 0 {
        1.0
    } else {
        min_sum as f64 / cum_sum as f64
    };
    let mut ineff: Vec<DiveFile> = order
        .iter()
        .map(|k| {
            let d = &map[k];
            DiveFile {
                path: k.clone(),
                count: d.nodes,
                cumulative: d.cumulative,
            }
        })
        .collect();
    // Go sorts ascending (stable for ≤ 12 items) and dive lists from the end.
    ineff.sort_by_key(|f| f.cumulative);
    ineff.reverse();
    let wasted_bytes: u64 = ineff.iter().map(|f| f.cumulative as u64).sum();
    let layer_sizes: Vec<u64> = layers
        .iter()
        .map(|l| l.entries.iter().map(|e| e.size).sum())
        .collect();
    let size_bytes = layer_sizes.iter().sum();
    let user_size_bytes: u64 = layer_sizes.iter().skip(1).sum();
    DiveFigures {
        efficiency,
        wasted_bytes,
        user_wasted_percent: wasted_bytes as f64 / user_size_bytes as f64,
        size_bytes,
        user_size_bytes,
        layer_sizes,
        inefficient_files: ineff,
    }
}
