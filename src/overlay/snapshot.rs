//! The layer that turns one tree into another, the way Docker's snapshotters diff a step's
//! result against its parent: every added or changed path, every parent directory of a change,
//! and a `.wh.` marker for each deleted subtree (only where the parent directory is a directory
//! on both sides). Names of one hard-linked file (nodes whose `link_target` is the same node)
//! that change together become one file and hard links to it. Subtrees the two trees share (the same node) are skipped without a look.
//! Also a simulated layer from such entries (`layer_from_entries`). It applies no layers (that is
//! `apply`).

use super::tree::{Node, Tree};
use crate::image::{Entry, EntryKind, Layer, RawPath};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::rc::Rc;

/// Lower-case hex of bytes.
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn child_path(prefix: &str, name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    if prefix.is_empty() {
        name.into_owned()
    } else {
        format!("{prefix}/{name}")
    }
}

fn parent_of(p: &str) -> &str {
    p.rfind('/').map_or("", |i| &p[..i])
}

/// Paths of `upper` that differ from `lower` (added or changed), and paths of `lower` whose
/// subtree is gone, below the directory `prefix`.
fn walk(
    upper: &Node,
    lower: Option<&Node>,
    prefix: &str,
    changed: &mut Vec<String>,
    deleted: &mut Vec<String>,
) {
    let lower_children = lower.filter(|l| l.is_dir()).map(|l| &l.children);
    for (name, u) in upper.children.iter() {
        let l = lower_children.and_then(|c| c.get(name));
        if l.is_some_and(|l| Rc::ptr_eq(l, u)) {
            continue;
        }
        let p = child_path(prefix, name);
        if !l.is_some_and(|l| l.same(u)) {
            changed.push(p.clone());
        }
        if u.is_dir() {
            walk(u, l.map(|l| &**l), &p, changed, deleted);
        }
    }
    if let Some(lc) = lower_children {
        for name in lc.keys() {
            if upper.children.get(name).is_none() {
                deleted.push(child_path(prefix, name));
            }
        }
    }
}

fn node_entry(path: &str, n: &Node) -> Entry {
    let raw = if n.is_dir() {
        format!("{path}/")
    } else {
        path.to_string()
    };
    let mut e = Entry::new(raw.as_bytes(), n.kind(), n.mode(), n.size());
    e.uid = n.uid();
    e.gid = n.gid();
    e.link_target = n.link().map(|l| RawPath::new(l.as_bytes()));
    e.content_sha256 = n.body().map(|d| d.sha256());
    e
}

/// The entries of the layer that turns `lower` into `upper`, in path order.
pub fn diff_entries(upper: &Tree, lower: &Tree) -> Vec<Entry> {
    let (mut changed, mut deleted) = (Vec::new(), Vec::new());
    if !upper.ptr_eq(lower) {
        walk(
            upper.root(),
            Some(lower.root()),
            "",
            &mut changed,
            &mut deleted,
        );
    }
    // Hard links: names of one file changed in this layer are one file entry (the first name in
    // path order) and hard-link entries to it, as Docker's tar writer emits them.
    let mut groups: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for p in &changed {
        if let Some(n) = upper.get(p).filter(|n| n.kind() == EntryKind::File) {
            let key = match &n.link_target {
                Some(t) => String::from_utf8_lossy(t.entry.path.normalized()).into_owned(),
                None => p.clone(),
            };
            groups.entry(key).or_default().push(p);
        }
    }
    let mut first_name: BTreeMap<&String, &String> = BTreeMap::new();
    for names in groups.values_mut() {
        names.sort();
        for n in &names[1..] {
            first_name.insert(n, names[0]);
        }
    }
    let mut out: BTreeMap<String, Entry> = BTreeMap::new();
    let add_parents = |p: &str, out: &mut BTreeMap<String, Entry>| {
        let mut cur = parent_of(p);
        while !cur.is_empty() && !out.contains_key(cur) {
            if let Some(n) = upper.get(cur) {
                out.insert(cur.to_string(), node_entry(cur, n));
            }
            cur = parent_of(cur);
        }
    };
    for p in &changed {
        if let Some(n) = upper.get(p) {
            let mut e = node_entry(p, n);
            if let Some(first) = first_name.get(p) {
                e.kind = EntryKind::Hardlink;
                e.size = 0;
                e.content_sha256 = None;
                e.link_target = Some(RawPath::new(first.as_bytes()));
            }
            out.insert(p.clone(), e);
        }
        add_parents(p, &mut out);
    }
    for p in &deleted {
        let parent = parent_of(p);
        let name = &p[parent.len() + usize::from(!parent.is_empty())..];
        let wh = if parent.is_empty() {
            format!(".wh.{name}")
        } else {
            format!("{parent}/.wh.{name}")
        };
        out.insert(wh.clone(), Entry::new(wh.as_bytes(), EntryKind::File, 0, 0));
        add_parents(p, &mut out);
    }
    out.into_values().collect()
}

/// A simulated layer's digest and tar size from its entries: the digest is over a canonical
/// listing (not real tar bytes, so it is stable within layerscope but never equals Docker's),
/// the size that of a tar of those entries.
pub fn simulated_digest(entries: &[Entry]) -> (String, u64) {
    let mut h = Sha256::new();
    let mut tar_size: u64 = 1024;
    for e in entries {
        h.update(e.path.as_bytes());
        h.update([0]);
        h.update(e.kind.as_str().as_bytes());
        h.update(format!(" {:o} {} {} {} ", e.mode, e.uid, e.gid, e.size).as_bytes());
        if let Some(l) = &e.link_target {
            h.update(l.as_bytes());
        }
        if let Some(c) = &e.content_sha256 {
            h.update(c);
        }
        h.update([b'\n']);
        tar_size += 512 + e.size.div_ceil(512) * 512;
    }
    (format!("sha256:{}", hex(&h.finalize())), tar_size)
}

/// A simulated layer from entries, named by [`simulated_digest`].
pub fn layer_from_entries(index: usize, entries: Vec<Entry>) -> Layer {
    let (digest, tar_size) = simulated_digest(&entries);
    Layer {
        digest: digest.clone(),
        diff_id: digest,
        media_type: "application/vnd.oci.image.layer.v1.tar".to_string(),
        blob_size: tar_size,
        uncompressed_size: tar_size,
        ..Layer::bare(index, entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::overlay::data::FileData;
    use std::sync::Arc;

    fn bytes(s: &str) -> FileData {
        FileData::Bytes(Arc::new(s.as_bytes().to_vec()))
    }

    fn paths(upper: &Tree, lower: &Tree) -> Vec<String> {
        diff_entries(upper, lower)
            .iter()
            .map(|e| e.path.display().into_owned())
            .collect()
    }

    #[test]
    fn diff_lists_changes_parents_and_whiteouts() {
        let mut lower = Tree::empty();
        lower.put("etc/passwd", Node::file(0o644, bytes("root\n")));
        lower.put("data/old/x", Node::file(0o644, bytes("x")));
        lower.put("data/keep", Node::file(0o644, bytes("k")));
        lower.put("f", Node::file(0o644, bytes("f")));
        let mut upper = lower.clone();
        upper.put("usr/lib/a.py", Node::file(0o644, bytes("abc")));
        upper.delete("data/old");
        upper.update("etc/passwd", |n| *n = n.clone().with(|e| e.mode = 0o600));
        // Put again unchanged: a new node, but the same object, so not in the layer.
        upper.put("f", Node::file(0o644, bytes("f")));
        assert_eq!(
            paths(&upper, &lower),
            vec![
                "data/",
                "data/.wh.old",
                "etc/",
                "etc/passwd",
                "usr/",
                "usr/lib/",
                "usr/lib/a.py"
            ]
        );
        assert!(diff_entries(&upper, &upper).is_empty());
        // A directory replaced by a file: the file, no whiteouts below it.
        let mut t = lower.clone();
        t.put("data", Node::file(0o644, bytes("now a file")));
        assert_eq!(paths(&t, &lower), vec!["data"]);
    }

    #[test]
    fn entries_carry_attributes_and_digests_are_stable() {
        let lower = Tree::empty();
        let mut upper = lower.clone();
        upper.put("bin/sh", Node::symlink("busybox"));
        upper.put("x", Node::file(0o755, bytes("ab")).owned(1, 2));
        let e = diff_entries(&upper, &lower);
        let rows: Vec<String> = e
            .iter()
            .map(|e| {
                format!(
                    "{} {} {:o} {}:{} {} {:?}",
                    e.path.display(),
                    e.kind.as_str(),
                    e.mode,
                    e.uid,
                    e.gid,
                    e.size,
                    e.link_target.as_ref().map(|l| l.display().into_owned())
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                "bin/ dir 755 0:0 0 None",
                "bin/sh symlink 777 0:0 0 Some(\"busybox\")",
                "x file 755 1:2 2 None"
            ]
        );
        assert_eq!(
            e[2].content_sha256.map(|h| hex(&h)[..8].to_string()),
            Some("fb8e20fc".to_string())
        );
        let a = layer_from_entries(0, e.clone());
        let b = layer_from_entries(3, e);
        assert_eq!(
            (a.digest == b.digest, a.blob_size),
            (true, 1024 + 3 * 512 + 512)
        );
    }
}
