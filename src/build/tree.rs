//! A small immutable-by-value file tree for simulated builds (path → node), applying layer entries
//! onto it (whiteouts included) and diffing two trees into a layer the way Docker's snapshotters
//! do (changed paths plus their parent directories, `.wh.` markers for deletions).
//!
//! It is the build's own stand-in until the overlay module's tree is wired in; it does not follow
//! symlinks nor model hard-link identity.

use crate::image::{Compression, Entry, EntryKind, Layer, RawPath, Whiteout};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A regular file's content: real bytes, or only a size and a fingerprint (package files,
/// archive bases read without bodies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileData {
    Bytes(Arc<Vec<u8>>),
    Sized { size: u64, fingerprint: [u8; 32] },
}

impl FileData {
    pub fn size(&self) -> u64 {
        match self {
            FileData::Bytes(b) => b.len() as u64,
            FileData::Sized { size, .. } => *size,
        }
    }
    pub fn sha256(&self) -> [u8; 32] {
        match self {
            FileData::Bytes(b) => Sha256::digest(b.as_slice()).into(),
            FileData::Sized { fingerprint, .. } => *fingerprint,
        }
    }
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            FileData::Bytes(b) => Some(b),
            FileData::Sized { .. } => None,
        }
    }
}

/// One file-system object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub kind: EntryKind,
    /// Permission bits plus setuid/setgid/sticky.
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub data: Option<FileData>,
    pub link: Option<String>,
    /// Where the file came from when it is simulated (a package name), shown as a label.
    pub label: Option<Arc<str>>,
}

impl Node {
    pub fn dir(mode: u32) -> Self {
        Node {
            kind: EntryKind::Dir,
            mode,
            uid: 0,
            gid: 0,
            data: None,
            link: None,
            label: None,
        }
    }
    pub fn file(mode: u32, data: FileData) -> Self {
        Node {
            kind: EntryKind::File,
            mode,
            uid: 0,
            gid: 0,
            data: Some(data),
            link: None,
            label: None,
        }
    }
    pub fn symlink(target: &str) -> Self {
        Node {
            kind: EntryKind::Symlink,
            mode: 0o777,
            uid: 0,
            gid: 0,
            data: None,
            link: Some(target.to_string()),
            label: None,
        }
    }
    pub fn size(&self) -> u64 {
        self.data.as_ref().map(|d| d.size()).unwrap_or(0)
    }
}

/// Normalise a path to the tree's key form: no leading `/` or `./`, no trailing `/`, `.` and `..`
/// resolved lexically (never above the root).
pub fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            x => parts.push(x),
        }
    }
    parts.join("/")
}

/// Join `rel` onto the directory `base` (absolute paths win), cleaned.
pub fn join(base: &str, rel: &str) -> String {
    if rel.starts_with('/') {
        clean(rel)
    } else {
        clean(&format!("{base}/{rel}"))
    }
}

fn parent_of(p: &str) -> &str {
    match p.rfind('/') {
        Some(i) => &p[..i],
        None => "",
    }
}

/// The file tree: normalised path → node (the root itself is implicit).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tree {
    nodes: BTreeMap<String, Node>,
}

impl Tree {
    pub fn new() -> Self {
        Tree::default()
    }
    pub fn len(&self) -> usize {
        self.nodes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
    pub fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(&clean(path))
    }
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Node)> {
        self.nodes.iter()
    }
    pub fn is_dir(&self, path: &str) -> bool {
        let c = clean(path);
        c.is_empty() || matches!(self.nodes.get(&c), Some(n) if n.kind == EntryKind::Dir)
    }
    /// Create missing parent directories of `path` (mode 0755, root-owned).
    pub fn ensure_parents(&mut self, path: &str) {
        let c = clean(path);
        let mut cur = String::new();
        let comps: Vec<&str> = c.split('/').collect();
        for comp in comps.iter().take(comps.len().saturating_sub(1)) {
            if !cur.is_empty() {
                cur.push('/');
            }
            cur.push_str(comp);
            match self.nodes.get(&cur) {
                Some(n) if n.kind == EntryKind::Dir => {}
                _ => {
                    self.remove_under(&cur);
                    self.nodes.insert(cur.clone(), Node::dir(0o755));
                }
            }
        }
    }
    /// `mkdir -p`.
    pub fn mkdir_p(&mut self, path: &str, mode: u32) {
        let c = clean(path);
        if c.is_empty() || self.is_dir(&c) {
            return;
        }
        self.ensure_parents(&c);
        self.remove_under(&c);
        self.nodes.insert(c, Node::dir(mode));
    }
    /// Insert or replace a node (parents created); a replaced directory loses its children
    /// unless the new node is a directory too.
    pub fn insert(&mut self, path: &str, node: Node) {
        let c = clean(path);
        if c.is_empty() {
            return;
        }
        self.ensure_parents(&c);
        if node.kind != EntryKind::Dir {
            self.remove_under(&c);
        }
        self.nodes.insert(c, node);
    }
    /// Remove a path and everything under it; returns whether anything was removed.
    pub fn remove(&mut self, path: &str) -> bool {
        let c = clean(path);
        if c.is_empty() {
            return false;
        }
        let had = self.nodes.remove(&c).is_some();
        self.remove_under(&c) || had
    }
    fn remove_under(&mut self, dir: &str) -> bool {
        let prefix = format!("{dir}/");
        let keys: Vec<String> = self
            .nodes
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in &keys {
            self.nodes.remove(k);
        }
        !keys.is_empty()
    }
    pub fn set(&mut self, path: &str, f: impl FnOnce(&mut Node)) -> bool {
        match self.nodes.get_mut(&clean(path)) {
            Some(n) => {
                f(n);
                true
            }
            None => false,
        }
    }
    /// Direct children names of a directory, sorted.
    pub fn children(&self, dir: &str) -> Vec<String> {
        let c = clean(dir);
        let prefix = if c.is_empty() {
            String::new()
        } else {
            format!("{c}/")
        };
        self.nodes
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter(|(k, _)| !k[prefix.len()..].contains('/') && k.len() > prefix.len())
            .map(|(k, _)| k[prefix.len()..].to_string())
            .collect()
    }
    /// Every path at or under `path` (itself first), sorted.
    pub fn subtree(&self, path: &str) -> Vec<(String, Node)> {
        let c = clean(path);
        let mut out = Vec::new();
        if let Some(n) = self.nodes.get(&c) {
            out.push((c.clone(), n.clone()));
        }
        let prefix = if c.is_empty() {
            String::new()
        } else {
            format!("{c}/")
        };
        for (k, n) in self
            .nodes
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
        {
            if k != &c {
                out.push((k.clone(), n.clone()));
            }
        }
        out
    }

    /// Apply one layer's entries (whiteouts first within each directory, as the OCI spec says).
    pub fn apply_entries(&mut self, entries: &[Entry]) {
        for e in entries {
            match e.whiteout() {
                Some(Whiteout::Opaque(dir)) => {
                    let d = String::from_utf8_lossy(&dir).into_owned();
                    for child in self.children(&d) {
                        self.remove(&format!("{d}/{child}"));
                    }
                }
                Some(Whiteout::Deletes(p)) => {
                    self.remove(&String::from_utf8_lossy(&p));
                }
                None => {}
            }
        }
        for e in entries {
            if e.whiteout().is_some() {
                continue;
            }
            let path = String::from_utf8_lossy(e.path.normalized()).into_owned();
            if path.is_empty() {
                continue;
            }
            let mut node = match e.kind {
                EntryKind::Dir => Node::dir(e.mode),
                EntryKind::Symlink => Node::symlink(
                    &e.link_target
                        .as_ref()
                        .map(|l| l.display().into_owned())
                        .unwrap_or_default(),
                ),
                EntryKind::File | EntryKind::Hardlink => {
                    let fp = e.content_sha256.unwrap_or_else(|| {
                        Sha256::digest(format!("{path}:{}", e.size).as_bytes()).into()
                    });
                    Node::file(
                        e.mode,
                        FileData::Sized {
                            size: e.size,
                            fingerprint: fp,
                        },
                    )
                }
                k => Node {
                    kind: k,
                    mode: e.mode,
                    uid: 0,
                    gid: 0,
                    data: None,
                    link: None,
                    label: None,
                },
            };
            node.mode = e.mode;
            node.uid = e.uid;
            node.gid = e.gid;
            self.insert(&path, node);
        }
    }

    /// The layer that turns `lower` into `self`: changed or added paths, every parent directory
    /// of a change, and `.wh.` markers for deleted paths (one per deleted subtree).
    pub fn diff_entries(&self, lower: &Tree) -> Vec<Entry> {
        let mut changed: BTreeMap<String, Option<&Node>> = BTreeMap::new();
        for (p, n) in &self.nodes {
            if lower.nodes.get(p) != Some(n) {
                changed.insert(p.clone(), Some(n));
            }
        }
        let mut whiteouts: Vec<String> = Vec::new();
        for p in lower.nodes.keys() {
            if self.nodes.contains_key(p) {
                continue;
            }
            let parent = parent_of(p);
            if !(parent.is_empty() || self.is_dir(parent) && lower.is_dir(parent)) {
                continue;
            }
            whiteouts.push(p.clone());
        }
        let mut out: BTreeMap<String, Entry> = BTreeMap::new();
        let add_parents = |p: &str, out: &mut BTreeMap<String, Entry>| {
            let mut cur = parent_of(p);
            while !cur.is_empty() {
                if !out.contains_key(cur) {
                    if let Some(n) = self.nodes.get(cur) {
                        out.insert(cur.to_string(), node_entry(cur, n));
                    }
                }
                cur = parent_of(cur);
            }
        };
        for (p, n) in &changed {
            if let Some(n) = n {
                out.insert(p.clone(), node_entry(p, n));
            }
            add_parents(p, &mut out);
        }
        for p in &whiteouts {
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
}

fn node_entry(path: &str, n: &Node) -> Entry {
    let raw = if n.kind == EntryKind::Dir {
        format!("{path}/")
    } else {
        path.to_string()
    };
    let mut e = Entry::new(raw.as_bytes(), n.kind, n.mode, n.size());
    e.uid = n.uid;
    e.gid = n.gid;
    e.link_target = n.link.as_ref().map(|l| RawPath::new(l.as_bytes()));
    e.content_sha256 = n.data.as_ref().map(|d| d.sha256());
    e
}

/// A simulated layer from entries: digests over a canonical listing (not real tar bytes, so they
/// are stable within layerscope but never equal Docker's), size as a tar of those entries.
pub fn layer_from_entries(index: usize, entries: Vec<Entry>) -> Layer {
    let mut h = Sha256::new();
    let mut tar_size: u64 = 1024;
    for e in &entries {
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
    let digest = format!("sha256:{}", hex(&h.finalize()));
    Layer {
        index,
        digest: digest.clone(),
        diff_id: digest,
        media_type: "application/vnd.oci.image.layer.v1.tar".to_string(),
        compression: Compression::None,
        blob_size: tar_size,
        uncompressed_size: tar_size,
        member: String::new(),
        entries,
    }
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(s: &str) -> FileData {
        FileData::Bytes(Arc::new(s.as_bytes().to_vec()))
    }

    #[test]
    fn diff_lists_changes_parents_and_whiteouts() {
        let mut lower = Tree::new();
        lower.insert("etc/passwd", Node::file(0o644, bytes("root\n")));
        lower.insert("data/old/x", Node::file(0o644, bytes("x")));
        lower.insert("data/keep", Node::file(0o644, bytes("k")));
        let mut upper = lower.clone();
        upper.insert("usr/lib/a.py", Node::file(0o644, bytes("abc")));
        upper.remove("data/old");
        let paths: Vec<String> = upper
            .diff_entries(&lower)
            .iter()
            .map(|e| e.path.display().into_owned())
            .collect();
        assert_eq!(
            paths,
            vec!["data/", "data/.wh.old", "usr/", "usr/lib/", "usr/lib/a.py"]
        );
        assert!(upper.diff_entries(&upper).is_empty());
    }

    #[test]
    fn apply_roundtrip() {
        let mut lower = Tree::new();
        lower.insert("a/b", Node::file(0o644, bytes("1")));
        let mut upper = lower.clone();
        upper.remove("a/b");
        upper.insert("c", Node::file(0o600, bytes("22")));
        let entries = upper.diff_entries(&lower);
        let mut applied = lower.clone();
        applied.apply_entries(&entries);
        assert!(applied.get("a/b").is_none());
        assert_eq!(
            applied.get("c").map(|n| (n.mode, n.size())),
            Some((0o600, 2))
        );
    }
}
