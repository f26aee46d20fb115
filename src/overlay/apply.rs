//! Applying layers by the OCI image-spec rules (layer.md "Applying Changesets").
//!
//! Within one layer, in this order:
//! 1. every opaque marker `dir/.wh..wh..opq` empties `dir` as it was in the layers below (so the
//!    layer's own entries in `dir` survive, whatever their order in the tar);
//! 2. every whiteout `dir/.wh.name` removes `dir/name` (and its subtree) as it was below; a
//!    whiteout never hides an entry of its own layer;
//! 3. every other entry in tar order: a directory over a directory keeps the lower children and
//!    takes the upper attributes; any other combination (file over dir, dir over file, symlink over
//!    file, ...) replaces the lower path and its subtree; a hard link resolves to the node its
//!    target is at that moment (the same inode, so later layers that re-create the target do not
//!    change it). Missing parents become implicit directories.
//!
//! It does not decide what changed (that is `changes`) and reads no archives.

use super::tree::{components, Node, Tree};
use crate::image::{Entry, EntryKind, Layer, Whiteout};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// Something in a layer that could not be applied as written; the layer is applied without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyProblem {
    pub layer: usize,
    /// Index of the entry in `Layer::entries`.
    pub entry: usize,
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for ApplyProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "layer {} entry {} ({}): {}",
            self.layer, self.entry, self.path, self.message
        )
    }
}

/// What one layer says about paths, looked up by normalised path.
#[derive(Debug, Clone, Default)]
pub struct LayerIndex {
    /// Normal entries (not whiteout markers): path → entry index.
    pub entries: BTreeMap<Vec<u8>, usize>,
    /// Whiteouts: deleted path → index of the `.wh.` entry.
    pub whiteouts: BTreeMap<Vec<u8>, usize>,
    /// Opaque directories: dir path → index of the `.wh..wh..opq` entry.
    pub opaques: BTreeMap<Vec<u8>, usize>,
}

impl LayerIndex {
    pub fn new(layer: &Layer) -> LayerIndex {
        let whiteouts: Vec<Option<Whiteout>> = layer.entries.iter().map(Entry::whiteout).collect();
        LayerIndex::with_whiteouts(&layer.entries, &whiteouts).0
    }

    /// The index of `entries`, whose `whiteout()`s are `whiteouts`, and how many entries are not
    /// whiteout markers.
    fn with_whiteouts(entries: &[Entry], whiteouts: &[Option<Whiteout>]) -> (LayerIndex, usize) {
        // Collected, then built in one go (a stable sort, the last of equal paths kept: the same
        // maps as inserting one by one, much faster).
        let (mut normal, mut deletes, mut opaques) = (Vec::new(), Vec::new(), Vec::new());
        for (i, (e, w)) in entries.iter().zip(whiteouts).enumerate() {
            match w {
                Some(Whiteout::Deletes(p)) => deletes.push((p.clone(), i)),
                Some(Whiteout::Opaque(p)) => opaques.push((p.clone(), i)),
                None => normal.push((e.path.normalized().to_vec(), i)),
            }
        }
        let count = normal.len();
        let ix = LayerIndex {
            entries: normal.into_iter().collect(),
            whiteouts: deletes.into_iter().collect(),
            opaques: opaques.into_iter().collect(),
        };
        (ix, count)
    }
}

/// Whether a normalised path has a `..` component (and so would leave the root).
fn has_dotdot(path: &[u8]) -> bool {
    path.split(|&b| b == b'/').any(|c| c == b"..")
}

/// Apply one layer on top of `tree`; returns the new tree (sharing all untouched nodes).
pub fn apply_layer(
    tree: &Tree,
    layer_index: usize,
    entries: &[Entry],
    problems: &mut Vec<ApplyProblem>,
) -> Tree {
    let whiteouts: Vec<Option<Whiteout>> = entries.iter().map(Entry::whiteout).collect();
    apply(tree, layer_index, entries, &whiteouts, true, problems)
}

/// [`apply_layer`] with the entries' `whiteout()`s worked out; `maybe_duplicates` false when
/// the caller knows no two entries share a path (then none is looked for).
fn apply(
    tree: &Tree,
    layer_index: usize,
    entries: &[Entry],
    whiteouts: &[Option<Whiteout>],
    maybe_duplicates: bool,
    problems: &mut Vec<ApplyProblem>,
) -> Tree {
    let mut t = tree.clone();
    let problem = |i: usize, e: &Entry, msg: &str| ApplyProblem {
        layer: layer_index,
        entry: i,
        path: e.path.display().into_owned(),
        message: msg.to_string(),
    };
    // 1. opaque directories, against the lower layers only.
    for w in whiteouts {
        if let Some(Whiteout::Opaque(dir)) = w {
            t.clear_dir_mut(dir);
        }
    }
    // 2. whiteouts, against the lower layers only.
    for (i, (e, w)) in entries.iter().zip(whiteouts).enumerate() {
        if let Some(Whiteout::Deletes(p)) = w {
            if components(p).is_none_or(|c| c.is_empty()) {
                problems.push(problem(i, e, "whiteout of an invalid path ignored"));
                continue;
            }
            t.remove_mut(p);
        }
    }
    // 3. the entries, in tar order.
    let mut seen: BTreeSet<&[u8]> = BTreeSet::new();
    for (i, (e, w)) in entries.iter().zip(whiteouts).enumerate() {
        if w.is_some() {
            continue;
        }
        let path = e.path.normalized();
        if has_dotdot(path) {
            problems.push(problem(i, e, "path with `..` ignored"));
            continue;
        }
        if maybe_duplicates && !seen.insert(path) {
            problems.push(problem(
                i,
                e,
                "duplicate path in one layer (the spec forbids it); the later entry wins",
            ));
        }
        let mut node = Node::new(Rc::new(e.clone()), layer_index);
        match e.kind {
            EntryKind::Dir => {
                if let Some(old) = t.get(path) {
                    if old.is_dir() {
                        node.children = old.children.clone();
                    }
                }
            }
            EntryKind::Hardlink => {
                let target = e
                    .link_target
                    .as_ref()
                    .map(|t| t.normalized())
                    .unwrap_or_default();
                match t.get(target) {
                    Some(n) if !n.is_dir() && !target.is_empty() => {
                        // Link to the inode itself, not to another link's name.
                        node.link_target = Some(match &n.link_target {
                            Some(inner) => inner.clone(),
                            None => n.clone(),
                        });
                    }
                    Some(_) => problems.push(problem(i, e, "hard link to a directory")),
                    None => problems.push(problem(
                        i,
                        e,
                        &format!(
                            "hard link target {} does not exist",
                            String::from_utf8_lossy(target)
                        ),
                    )),
                }
            }
            _ => {}
        }
        t.insert_mut(path, Rc::new(node), layer_index);
    }
    t
}

/// The merged view after every layer of an image, with each layer's index.
#[derive(Debug, Clone)]
pub struct Stack {
    /// `trees[i]` is the merged view after layers `0..=i`.
    pub trees: Vec<Tree>,
    pub indexes: Vec<LayerIndex>,
    pub problems: Vec<ApplyProblem>,
}

impl Stack {
    pub fn new(layers: &[Layer]) -> Stack {
        let mut trees = Vec::with_capacity(layers.len());
        let mut problems = Vec::new();
        let mut t = Tree::empty();
        let mut indexes = Vec::with_capacity(layers.len());
        for (i, l) in layers.iter().enumerate() {
            let whiteouts: Vec<Option<Whiteout>> = l.entries.iter().map(Entry::whiteout).collect();
            let (ix, normal) = LayerIndex::with_whiteouts(&l.entries, &whiteouts);
            // Fewer paths than entries: some path is there twice.
            let duplicates = ix.entries.len() != normal;
            t = apply(&t, i, &l.entries, &whiteouts, duplicates, &mut problems);
            trees.push(t.clone());
            indexes.push(ix);
        }
        Stack {
            trees,
            indexes,
            problems,
        }
    }

    /// The merged view after layer `n` (empty before layer 0 or for an image with no layers).
    pub fn at(&self, n: usize) -> Tree {
        self.trees.get(n).cloned().unwrap_or_default()
    }

    /// The merged view below layer `n` (layers `0..n`).
    pub fn below(&self, n: usize) -> Tree {
        if n == 0 {
            Tree::empty()
        } else {
            self.at(n - 1)
        }
    }

    /// The merged view of the whole image.
    pub fn top(&self) -> Tree {
        self.trees.last().cloned().unwrap_or_default()
    }
}
