//! The fast union mount against a plain reference: `Stack::new` (which edits trees in place) and
//! `layer_changes` (which skips shared subtrees) must give exactly what applying every layer with
//! the persistent `Tree::insert` / `remove` / `clear_dir` and comparing whole walks gives. The
//! reference below is the straightforward reading of the OCI rules the module documents; the
//! layers are generated (a fixed-seed generator) over few names, so paths collide: directories
//! over files and back, whiteouts and opaque markers of present and absent paths, hard links to
//! files, links and nowhere, duplicates, `./` and `/` prefixes, trailing `/` and `..`.

use layerscope::image::{Entry, EntryKind, Layer, RawPath, Whiteout};
use layerscope::overlay::tree::{components, Node};
use layerscope::overlay::{
    layer_changes, ApplyProblem, Cause, ChangeKind, LayerIndex, Stack, Tree,
};
use std::collections::BTreeSet;
use std::rc::Rc;

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

fn random_path(r: &mut Rng) -> String {
    let depth = 1 + r.below(3);
    let mut parts: Vec<&str> = (0..depth)
        .map(|_| *r.pick(&["a", "b", "c", "a-b", "a.b"]))
        .collect();
    if r.below(40) == 0 {
        parts.insert(r.below(parts.len() + 1), "..");
    }
    if r.below(30) == 0 {
        parts.insert(r.below(parts.len() + 1), ".");
    }
    let mut p = parts.join("/");
    match r.below(12) {
        0 => p = format!("./{p}"),
        1 => p = format!("/{p}"),
        2 => p.push('/'),
        _ => {}
    }
    p
}

fn random_layer(r: &mut Rng, index: usize) -> Layer {
    let n = 1 + r.below(25);
    let entries = (0..n)
        .map(|_| {
            let path = random_path(r);
            let (dir, name) = match path.trim_end_matches('/').rsplit_once('/') {
                Some((d, n)) => (format!("{d}/"), n.to_string()),
                None => (String::new(), path.trim_end_matches('/').to_string()),
            };
            let mut e = match r.below(20) {
                0..=5 => Entry::new(path.as_str(), EntryKind::Dir, 0o755, 0),
                6..=10 => Entry::new(path.as_str(), EntryKind::File, 0o644, r.below(100) as u64),
                11 => Entry::new(format!("{dir}.wh.{name}"), EntryKind::File, 0, 0),
                12 => Entry::new(format!("{dir}.wh..wh..opq"), EntryKind::File, 0, 0),
                13 | 14 => {
                    let mut e = Entry::new(path.as_str(), EntryKind::Hardlink, 0o644, 0);
                    e.link_target = Some(RawPath::new(random_path(r)));
                    e
                }
                15 => {
                    let mut e = Entry::new(path.as_str(), EntryKind::Symlink, 0o777, 0);
                    e.link_target = Some(RawPath::new(random_path(r)));
                    e
                }
                16 => Entry::new(path.as_str(), EntryKind::Dir, 0o700, 0),
                _ => Entry::new(path.as_str(), EntryKind::Char, 0o666, 0),
            };
            e.mtime = r.below(2) as i64;
            e.uid = r.below(2) as u64;
            e
        })
        .collect();
    Layer::bare(index, entries)
}

/// The OCI rules with persistent edits only (one new tree per edit).
fn reference_apply(
    tree: &Tree,
    li: usize,
    entries: &[Entry],
    problems: &mut Vec<ApplyProblem>,
) -> Tree {
    let mut t = tree.clone();
    let problem = |i: usize, e: &Entry, msg: &str| ApplyProblem {
        layer: li,
        entry: i,
        path: e.path.display().into_owned(),
        message: msg.to_string(),
    };
    for e in entries {
        if let Some(Whiteout::Opaque(dir)) = e.whiteout() {
            t = t.clear_dir(&dir);
        }
    }
    for (i, e) in entries.iter().enumerate() {
        if let Some(Whiteout::Deletes(p)) = e.whiteout() {
            if components(&p).is_none_or(|c| c.is_empty()) {
                problems.push(problem(i, e, "whiteout of an invalid path ignored"));
                continue;
            }
            t = t.remove(&p);
        }
    }
    let mut seen: BTreeSet<&[u8]> = BTreeSet::new();
    for (i, e) in entries.iter().enumerate() {
        if e.whiteout().is_some() {
            continue;
        }
        let path = e.path.normalized();
        if components(path).is_none() {
            problems.push(problem(i, e, "path with `..` ignored"));
            continue;
        }
        if !seen.insert(path) {
            problems.push(problem(
                i,
                e,
                "duplicate path in one layer (the spec forbids it); the later entry wins",
            ));
        }
        let mut node = Node::new(Rc::new(e.clone()), li);
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
                    .map(|t| t.normalized().to_vec())
                    .unwrap_or_default();
                match t.get(&target) {
                    Some(n) if !n.is_dir() && !target.is_empty() => {
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
                            String::from_utf8_lossy(&target)
                        ),
                    )),
                }
            }
            _ => {}
        }
        t = t.insert(path, Rc::new(node), li);
    }
    t
}

fn reference_index(layer: &Layer) -> LayerIndex {
    let mut ix = LayerIndex::default();
    for (i, e) in layer.entries.iter().enumerate() {
        match e.whiteout() {
            Some(Whiteout::Deletes(p)) => {
                ix.whiteouts.insert(p, i);
            }
            Some(Whiteout::Opaque(p)) => {
                ix.opaques.insert(p, i);
            }
            None => {
                ix.entries.insert(e.path.normalized().to_vec(), i);
            }
        }
    }
    ix
}

/// A node as text: everything that tells two nodes apart, the hard link's inode included.
fn node_text(n: &Node) -> String {
    format!(
        "{:?} layer={} implicit={} link={:?}",
        n.entry,
        n.layer,
        n.implicit,
        n.link_target
            .as_ref()
            .map(|t| (t.layer, t.entry.path.clone()))
    )
}

fn tree_text(t: &Tree) -> String {
    let root = node_text(t.root());
    t.walk().iter().fold(root, |mut s, (p, n)| {
        s.push_str(&format!(
            "\n{} {}",
            String::from_utf8_lossy(p),
            node_text(n)
        ));
        s
    })
}

/// One change: path, kind, the node after, the node shadowed or deleted, why.
type ChangeRow = (Vec<u8>, ChangeKind, Option<String>, Option<String>, Cause);

/// The changes of layer `n` by walking the whole tree below it (every lower path looked up above).
fn reference_changes(
    before: &Tree,
    after: &Tree,
    ix: &LayerIndex,
    layer: &Layer,
) -> Vec<ChangeRow> {
    let mut out = Vec::new();
    for (path, &i) in &ix.entries {
        let now = after.get(path).cloned();
        let old = before.get(path).cloned();
        let e = &layer.entries[i];
        match (&old, &now) {
            (None, Some(nw)) => out.push((
                path.clone(),
                ChangeKind::Added,
                Some(node_text(nw)),
                None,
                Cause::Entry,
            )),
            (Some(o), Some(nw)) => {
                let same = o.entry.kind == e.kind
                    && o.entry.mode == e.mode
                    && o.entry.uid == e.uid
                    && o.entry.gid == e.gid
                    && o.entry.mtime == e.mtime
                    && o.entry.xattrs == e.xattrs;
                if o.is_dir() && nw.is_dir() && same {
                    continue;
                }
                out.push((
                    path.clone(),
                    ChangeKind::Modified,
                    Some(node_text(nw)),
                    Some(node_text(o)),
                    Cause::Entry,
                ));
            }
            _ => {}
        }
    }
    for (path, node) in before.walk() {
        if after.get(&path).is_some() {
            continue;
        }
        let comps = components(&path).unwrap_or_default();
        if (1..comps.len()).any(|k| after.get(comps[..k].join(&b'/')).is_none()) {
            continue;
        }
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
        if matches!(cause, Cause::AncestorReplaced(_)) {
            continue;
        }
        out.push((
            path,
            ChangeKind::Deleted,
            None,
            Some(node_text(&node)),
            cause,
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn fast_stack_and_changes_match_the_reference() {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut changes_seen, mut deletions_seen, mut problems_seen) = (0, 0, 0);
    for case in 0..400 {
        let layers: Vec<Layer> = (0..1 + r.below(5))
            .map(|i| random_layer(&mut r, i))
            .collect();
        let stack = Stack::new(&layers);
        // The reference stack, and the trees kept after each layer: later layers must not have
        // changed an earlier tree.
        let mut problems = Vec::new();
        let mut t = Tree::empty();
        let mut trees = Vec::new();
        for (i, l) in layers.iter().enumerate() {
            t = reference_apply(&t, i, &l.entries, &mut problems);
            trees.push(t.clone());
        }
        assert_eq!(stack.problems, problems, "case {case}");
        problems_seen += problems.len();
        assert_eq!(stack.trees.len(), trees.len());
        for (i, (fast, slow)) in stack.trees.iter().zip(&trees).enumerate() {
            assert_eq!(tree_text(fast), tree_text(slow), "case {case} tree {i}");
            assert_eq!(fast.len(), slow.len());
        }
        for (i, l) in layers.iter().enumerate() {
            let ix = &stack.indexes[i];
            let want = reference_index(l);
            assert_eq!(
                (&ix.entries, &ix.whiteouts, &ix.opaques),
                (&want.entries, &want.whiteouts, &want.opaques),
                "case {case} index {i}"
            );
            let before = if i == 0 {
                Tree::empty()
            } else {
                trees[i - 1].clone()
            };
            let want = reference_changes(&before, &trees[i], &want, l);
            let got: Vec<_> = layer_changes(&stack, &layers, i)
                .into_iter()
                .map(|c| {
                    (
                        c.path,
                        c.kind,
                        c.now.as_deref().map(node_text),
                        c.shadowed.as_deref().map(node_text),
                        c.cause,
                    )
                })
                .collect();
            assert_eq!(got, want, "case {case} layer {i}");
            changes_seen += got.len();
            deletions_seen += got.iter().filter(|c| c.1 == ChangeKind::Deleted).count();
        }
    }
    // The generator reaches the interesting cases.
    assert!(changes_seen > 2000, "{changes_seen} changes");
    assert!(deletions_seen > 200, "{deletions_seen} deletions");
    assert!(problems_seen > 200, "{problems_seen} problems");
}

#[test]
fn in_place_edits_leave_other_trees_alone() {
    let file = |p: &str, l: usize| {
        Rc::new(Node::new(
            Rc::new(Entry::new(p, EntryKind::File, 0o644, 1)),
            l,
        ))
    };
    let t0 = Tree::empty()
        .insert(b"a/x", file("a/x", 0), 0)
        .insert(b"b/y", file("b/y", 0), 0);
    let before = tree_text(&t0);
    let mut t1 = t0.clone();
    t1.insert_mut(b"a/z", file("a/z", 1), 1);
    t1.insert_mut(b"a/x/deep", file("a/x/deep", 1), 1);
    t1.remove_mut(b"b/y");
    t1.clear_dir_mut(b"a");
    t1.insert_mut(b"c", file("c", 1), 1);
    assert_eq!(tree_text(&t0), before);
    assert_eq!(
        t1.to_text(),
        "d a (layer 0)\nd b (layer 0)\n- c (layer 1)\n"
    );
    // Each in-place edit gives what the persistent one gives.
    let t2 = t0
        .insert(b"a/x/deep", file("a/x/deep", 1), 1)
        .remove(b"b")
        .clear_dir(b"a");
    let mut t3 = t0.clone();
    t3.insert_mut(b"a/x/deep", file("a/x/deep", 1), 1);
    t3.remove_mut(b"b");
    t3.clear_dir_mut(b"a");
    assert_eq!(tree_text(&t2), tree_text(&t3));
    assert_eq!(tree_text(&t0), before);
}
