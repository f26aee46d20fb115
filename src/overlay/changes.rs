//! What a layer changes against the layers below it, the merged view at any layer with the layer
//! that supplies each path and the copies that path hides, and the history of one path through
//! the layers (used by `analysis` to explain waste).
//!
//! Changes are computed from the merged views before and after the layer (`apply::Stack`), so they
//! follow exactly the OCI application rules. A directory entry whose attributes are identical to
//! the directory below is not a change (layers re-emit the parents of what they change). It reads
//! no archives and prints nothing.

use super::apply::Stack;
use super::tree::{components, Node, Tree};
use crate::image::{Entry, Layer};
use serde::Serialize;
use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
}

impl ChangeKind {
    pub fn letter(self) -> char {
        match self {
            ChangeKind::Added => 'A',
            ChangeKind::Modified => 'M',
            ChangeKind::Deleted => 'D',
        }
    }
}

/// Why a path changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Cause {
    /// An entry of the layer at this path.
    Entry,
    /// A whiteout of this path.
    Whiteout,
    /// A whiteout of an ancestor directory (this path was inside it).
    AncestorWhiteout(String),
    /// An opaque marker on an ancestor directory.
    Opaque(String),
    /// An ancestor directory was replaced by a non-directory.
    AncestorReplaced(String),
}

/// One change of a layer against the merged view below it.
#[derive(Debug, Clone)]
pub struct Change {
    pub path: Vec<u8>,
    pub kind: ChangeKind,
    /// The node after the layer (None when deleted).
    pub now: Option<Rc<Node>>,
    /// The lower copy this change shadows or deletes: its layer and entry.
    pub shadowed: Option<Rc<Node>>,
    pub cause: Cause,
}

impl Change {
    /// `A path`, `M path (shadows layer 2)`, `D path (from layer 0, whiteout)`.
    pub fn to_line(&self) -> String {
        let mut s = format!(
            "{} {}",
            self.kind.letter(),
            String::from_utf8_lossy(&self.path)
        );
        if let Some(n) = &self.shadowed {
            let verb = if self.kind == ChangeKind::Deleted {
                "from"
            } else {
                "shadows"
            };
            s.push_str(&format!(" ({verb} layer {})", n.layer));
            if let (Some(now), old) = (&self.now, &n.entry) {
                if now.entry.kind != old.kind {
                    s.push_str(&format!(
                        " [{} -> {}]",
                        old.kind.as_str(),
                        now.entry.kind.as_str()
                    ));
                }
            }
        }
        match &self.cause {
            Cause::Entry => {}
            Cause::Whiteout => s.push_str(" whiteout"),
            Cause::AncestorWhiteout(a) => s.push_str(&format!(" whiteout of {a}")),
            Cause::Opaque(d) => s.push_str(&format!(" opaque {d}")),
            Cause::AncestorReplaced(d) => s.push_str(&format!(" {d} replaced")),
        }
        s
    }
}

fn same_dir_attrs(a: &Entry, b: &Entry) -> bool {
    a.kind == b.kind
        && a.mode == b.mode
        && a.uid == b.uid
        && a.gid == b.gid
        && a.mtime == b.mtime
        && a.xattrs == b.xattrs
}

/// The changes of layer `n` against the merged view of layers `0..n`, in path order.
pub fn layer_changes(stack: &Stack, layers: &[Layer], n: usize) -> Vec<Change> {
    let Some(layer) = layers.get(n) else {
        return Vec::new();
    };
    let Some(ix) = stack.indexes.get(n) else {
        return Vec::new();
    };
    let before = stack.below(n);
    let after = stack.at(n);
    let mut out: Vec<Change> = Vec::new();
    // Paths this layer wrote.
    for (path, &i) in &ix.entries {
        let now = after.get(path).cloned();
        let old = before.get(path).cloned();
        let Some(entry) = layer.entries.get(i) else {
            continue;
        };
        match (&old, &now) {
            (None, Some(_)) => out.push(Change {
                path: path.clone(),
                kind: ChangeKind::Added,
                now,
                shadowed: None,
                cause: Cause::Entry,
            }),
            (Some(o), Some(nw)) => {
                if o.is_dir() && nw.is_dir() && same_dir_attrs(&o.entry, entry) {
                    continue;
                }
                out.push(Change {
                    path: path.clone(),
                    kind: ChangeKind::Modified,
                    now: now.clone(),
                    shadowed: old.clone(),
                    cause: Cause::Entry,
                });
            }
            _ => {}
        }
    }
    // Lower paths that are gone after the layer: report the top-most gone path of each subtree
    // (a path whose parents are all still there).
    let mut gone = Vec::new();
    gone_paths(before.root(), after.root(), &mut Vec::new(), &mut gone);
    for (path, node) in gone {
        let comps = components(&path).unwrap_or_default();
        let cause = if ix.whiteouts.contains_key(&path) {
            Cause::Whiteout
        } else if let Some(d) = (0..comps.len())
            .rev()
            .map(|k| comps[..k].join(&b'/'))
            .find(|d| ix.opaques.contains_key(d))
        {
            Cause::Opaque(String::from_utf8_lossy(&d).into_owned())
        } else if let Some(d) = (1..comps.len())
            .rev()
            .map(|k| comps[..k].join(&b'/'))
            .find(|d| after.get(d).is_some_and(|n| !n.is_dir()))
        {
            Cause::AncestorReplaced(String::from_utf8_lossy(&d).into_owned())
        } else {
            Cause::Whiteout
        };
        out.push(Change {
            path,
            kind: ChangeKind::Deleted,
            now: None,
            shadowed: Some(node),
            cause,
        });
    }
    // Paths hidden by an opaque dir and re-added by the layer show as Modified above; paths
    // whose ancestor was replaced are not listed separately from the ancestor.
    out.retain(|c| {
        !(c.kind == ChangeKind::Deleted && matches!(c.cause, Cause::AncestorReplaced(_)))
    });
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The paths below `before` (at `prefix`) that `after` (the same path one layer up) lacks while
/// it has all their parents, with their lower nodes. Subtrees both share (the same node, or the
/// same children) are skipped without a look, so this costs what the layer changed, not the
/// size of the tree. Both children maps are in key order: one merged pass over them.
fn gone_paths(
    before: &Node,
    after: &Node,
    prefix: &mut Vec<u8>,
    out: &mut Vec<(Vec<u8>, Rc<Node>)>,
) {
    if before.children.ptr_eq(&after.children) {
        return;
    }
    let mut upper = after.children.iter().peekable();
    for (name, b) in before.children.iter() {
        while upper.next_if(|(k, _)| *k < name).is_some() {}
        let len = prefix.len();
        if !prefix.is_empty() {
            prefix.push(b'/');
        }
        prefix.extend_from_slice(name);
        match upper.peek() {
            Some((k, a)) if *k == name => {
                if !Rc::ptr_eq(b, a) {
                    gone_paths(b, a, prefix, out);
                }
            }
            _ => out.push((prefix.clone(), b.clone())),
        }
        prefix.truncate(len);
    }
}

/// Why an older copy of a path is not the one you see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum HiddenBy {
    /// A later layer wrote the same path.
    Shadowed { by_layer: usize },
    /// A later layer deleted it (whiteout, opaque dir or ancestor replaced), before any rewrite.
    Deleted { by_layer: usize, cause: Cause },
}

/// One older copy of a path, still stored in its layer but not visible.
#[derive(Debug, Clone)]
pub struct HiddenCopy {
    pub layer: usize,
    pub entry: Rc<Entry>,
    pub by: HiddenBy,
}

/// One event in the life of a path across the layers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PathEvent {
    /// The layer has an entry at this path (entry index in the layer).
    Written { layer: usize, entry: usize },
    /// The layer removed it.
    Removed { layer: usize, cause: Cause },
}

/// Every event on `path` (normalised) in layers `0..=upto`, in order.
pub fn path_history(stack: &Stack, path: &[u8], upto: usize) -> Vec<PathEvent> {
    let mut out = Vec::new();
    let Some(comps) = components(path) else {
        return out;
    };
    for (l, ix) in stack
        .indexes
        .iter()
        .enumerate()
        .take(upto.saturating_add(1))
    {
        let before = stack.below(l);
        let existed = before.get(path).is_some();
        // Removal by this layer applies before its entries.
        if existed {
            let cause = if ix.whiteouts.contains_key(path) {
                Some(Cause::Whiteout)
            } else if let Some(a) = (1..comps.len())
                .map(|k| comps[..k].join(&b'/'))
                .find(|a| ix.whiteouts.contains_key(a))
            {
                Some(Cause::AncestorWhiteout(
                    String::from_utf8_lossy(&a).into_owned(),
                ))
            } else if let Some(d) = (0..comps.len())
                .map(|k| comps[..k].join(&b'/'))
                .find(|d| ix.opaques.contains_key(d))
            {
                Some(Cause::Opaque(String::from_utf8_lossy(&d).into_owned()))
            } else {
                (1..comps.len())
                    .map(|k| comps[..k].join(&b'/'))
                    .find(|d| stack.at(l).get(d).is_some_and(|n| !n.is_dir()))
                    .map(|d| Cause::AncestorReplaced(String::from_utf8_lossy(&d).into_owned()))
            };
            if let Some(cause) = cause {
                out.push(PathEvent::Removed { layer: l, cause });
            }
        }
        if let Some(&i) = ix.entries.get(path) {
            out.push(PathEvent::Written { layer: l, entry: i });
        }
    }
    out
}

/// One path of a merged view.
#[derive(Debug, Clone)]
pub struct MergedEntry {
    pub path: Vec<u8>,
    pub node: Rc<Node>,
    /// Older copies of this path stored in lower layers, bottom first.
    pub hidden: Vec<HiddenCopy>,
}

/// The merged view after layer `n`: every path with the layer that supplies it and the copies it
/// hides.
pub fn merged_view(stack: &Stack, layers: &[Layer], n: usize) -> Vec<MergedEntry> {
    let tree: Tree = stack.at(n);
    tree.walk()
        .into_iter()
        .map(|(path, node)| {
            let hidden = hidden_copies(stack, layers, &path, node.layer);
            MergedEntry { path, node, hidden }
        })
        .collect()
}

/// The copies of `path` written by layers below `provider` and why each is not visible.
pub fn hidden_copies(
    stack: &Stack,
    layers: &[Layer],
    path: &[u8],
    provider: usize,
) -> Vec<HiddenCopy> {
    let events = path_history(stack, path, provider);
    let mut out = Vec::new();
    for (k, ev) in events.iter().enumerate() {
        let PathEvent::Written { layer, entry } = ev else {
            continue;
        };
        if *layer >= provider {
            continue;
        }
        let by = match events.get(k + 1) {
            Some(PathEvent::Removed { layer: l, cause }) => HiddenBy::Deleted {
                by_layer: *l,
                cause: cause.clone(),
            },
            Some(PathEvent::Written { layer: l, .. }) => HiddenBy::Shadowed { by_layer: *l },
            None => continue,
        };
        let Some(e) = layers.get(*layer).and_then(|l| l.entries.get(*entry)) else {
            continue;
        };
        out.push(HiddenCopy {
            layer: *layer,
            entry: Rc::new(e.clone()),
            by,
        });
    }
    out
}

/// The merged view as text: `<kind> <path> [-> target] (layer N[, hides L1 L2])`.
pub fn merged_text(view: &[MergedEntry]) -> String {
    let mut s = String::new();
    for m in view {
        s.push(m.node.entry.kind.ls_char());
        s.push(' ');
        s.push_str(&String::from_utf8_lossy(&m.path));
        if let Some(t) = &m.node.entry.link_target {
            s.push_str(if m.node.entry.kind == crate::image::EntryKind::Hardlink {
                " => "
            } else {
                " -> "
            });
            s.push_str(&t.display());
        }
        s.push_str(&format!(" (layer {}", m.node.layer));
        if !m.hidden.is_empty() {
            s.push_str(", hides");
            for h in &m.hidden {
                s.push_str(&format!(" {}", h.layer));
            }
        }
        s.push_str(")\n");
    }
    s
}
