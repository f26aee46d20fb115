//! Editing a [`Tree`] in place by path strings, for a builder (the build simulator): nodes made
//! from scratch (`Node::dir`, `file`, `symlink`, `special`), put, delete, change attributes,
//! `mkdir -p`, children and subtrees in path order, and the lexical path helpers `clean` and
//! `join`. Every edit replaces the tree with a new value that shares all untouched nodes, so a
//! copy kept before a step stays as it was. It applies no layers (that is `apply`) and computes
//! no layer (that is `snapshot`).

use super::data::FileData;
use super::tree::{Node, Tree};
use crate::image::{Entry, EntryKind, RawPath};
use sha2::{Digest, Sha256};
use std::rc::Rc;

/// Normalise a path to a tree key: no leading `/` or `./`, no trailing `/`, `.` and `..`
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

impl Node {
    fn made(kind: EntryKind, mode: u32, size: u64) -> Node {
        Node::new(Rc::new(Entry::new(Vec::new(), kind, mode, size)), 0)
    }
    /// A directory (root-owned).
    pub fn dir(mode: u32) -> Node {
        Node::made(EntryKind::Dir, mode, 0)
    }
    /// A regular file with its body (root-owned).
    pub fn file(mode: u32, data: FileData) -> Node {
        Node {
            data: Some(data.clone()),
            ..Node::made(EntryKind::File, mode, data.size())
        }
    }
    /// A symbolic link (mode 0777, root-owned).
    pub fn symlink(target: &str) -> Node {
        let mut n = Node::made(EntryKind::Symlink, 0o777, 0);
        Rc::make_mut(&mut n.entry).link_target = Some(RawPath::new(target.as_bytes()));
        n
    }
    /// A FIFO or device node.
    pub fn special(kind: EntryKind, mode: u32) -> Node {
        Node::made(kind, mode, 0)
    }
    /// The same node with other attributes (`mode`, `uid`, `gid`, ...).
    pub fn with(mut self, f: impl FnOnce(&mut Entry)) -> Node {
        f(Rc::make_mut(&mut self.entry));
        self
    }
    /// The same node owned by `uid:gid`.
    pub fn owned(self, uid: u64, gid: u64) -> Node {
        self.with(|e| {
            e.uid = uid;
            e.gid = gid;
        })
    }
    pub fn kind(&self) -> EntryKind {
        self.entry.kind
    }
    pub fn mode(&self) -> u32 {
        self.entry.mode
    }
    pub fn uid(&self) -> u64 {
        self.entry.uid
    }
    pub fn gid(&self) -> u64 {
        self.entry.gid
    }
    /// A symbolic link's target.
    pub fn link(&self) -> Option<String> {
        self.entry
            .link_target
            .as_ref()
            .filter(|_| self.entry.kind == EntryKind::Symlink)
            .map(|t| t.display().into_owned())
    }
    /// Bytes of a regular file (its body's size; the entry's size for a file of an image layer).
    pub fn size(&self) -> u64 {
        match &self.data {
            Some(d) => d.size(),
            None if self.entry.kind == EntryKind::File => self.entry.size,
            None => 0,
        }
    }
    /// A regular file's body; for a file of an image layer, its size and its sha256 (or, when
    /// the layer was read without hashing, a fingerprint of its path and size).
    pub fn body(&self) -> Option<FileData> {
        if let Some(d) = &self.data {
            return Some(d.clone());
        }
        if self.entry.kind != EntryKind::File {
            return None;
        }
        let e = &self.entry;
        let fingerprint = e.content_sha256.unwrap_or_else(|| {
            let path = String::from_utf8_lossy(e.path.normalized()).into_owned();
            Sha256::digest(format!("{path}:{}", e.size).as_bytes()).into()
        });
        Some(FileData::Sized {
            size: e.size,
            fingerprint,
        })
    }
    /// Whether two nodes are the same file-system object for a layer diff: kind, mode, owner,
    /// mtime, link target and body.
    pub fn same(&self, other: &Node) -> bool {
        let (a, b) = (&self.entry, &other.entry);
        a.kind == b.kind
            && a.mode == b.mode
            && a.uid == b.uid
            && a.gid == b.gid
            && a.mtime == b.mtime
            && self.link() == other.link()
            && self.body() == other.body()
    }
}

impl Tree {
    /// Whether `path` is a directory (the root is).
    pub fn is_dir(&self, path: &str) -> bool {
        self.get(clean(path)).is_some_and(|n| n.is_dir())
    }

    /// Put `node` (without any children it has) at `path`: missing parents (and parents that
    /// are not directories) become 0755 root-owned directories; a directory put over a directory
    /// keeps that directory's children, any other node replaces what was there with its subtree.
    pub fn put(&mut self, path: &str, node: Node) {
        let c = clean(path);
        if c.is_empty() {
            return;
        }
        let mut node = node.with(|e| e.path = RawPath::new(c.as_bytes()));
        node.children = match self.get(&c) {
            Some(old) if old.is_dir() && node.is_dir() => old.children.clone(),
            _ => Default::default(),
        };
        *self = self.insert(c.as_bytes(), Rc::new(node), 0);
    }

    /// `mkdir -p`: a directory at `path` (and its parents) unless one is there.
    pub fn mkdir_p(&mut self, path: &str, mode: u32) {
        if !self.is_dir(path) {
            self.put(path, Node::dir(mode));
        }
    }

    /// Remove `path` and everything under it; whether anything was there.
    pub fn delete(&mut self, path: &str) -> bool {
        let c = clean(path);
        if c.is_empty() || self.get(&c).is_none() {
            return false;
        }
        *self = self.remove(c.as_bytes());
        true
    }

    /// Change the node at `path` (its children stay); whether there was one.
    pub fn update(&mut self, path: &str, f: impl FnOnce(&mut Node)) -> bool {
        let c = clean(path);
        let Some(old) = self.get(&c) else {
            return false;
        };
        let mut n = (**old).clone();
        f(&mut n);
        if c.is_empty() {
            *self = self.insert(b"", Rc::new(n), 0);
        } else {
            *self = self.insert(c.as_bytes(), Rc::new(n), 0);
        }
        true
    }

    /// Names in the directory at `path`, in byte order.
    pub fn children(&self, path: &str) -> Vec<String> {
        self.get(clean(path))
            .map(|n| {
                n.children
                    .keys()
                    .map(|k| String::from_utf8_lossy(k).into_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `path` (first) and every path below it, in path-string order.
    pub fn subtree(&self, path: &str) -> Vec<(String, Rc<Node>)> {
        let c = clean(path);
        let Some(top) = self.get(&c) else {
            return Vec::new();
        };
        let mut below = Vec::new();
        collect(top, &c, &mut below);
        below.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = Vec::with_capacity(below.len() + 1);
        if !c.is_empty() {
            out.push((c, top.clone()));
        }
        out.extend(below);
        out
    }

    /// Every path in path-string order, with its node.
    pub fn paths(&self) -> Vec<(String, Rc<Node>)> {
        self.subtree("")
    }
}

fn collect(dir: &Node, prefix: &str, out: &mut Vec<(String, Rc<Node>)>) {
    for (name, child) in dir.children.iter() {
        let name = String::from_utf8_lossy(name);
        let p = if prefix.is_empty() {
            name.into_owned()
        } else {
            format!("{prefix}/{name}")
        };
        collect(child, &p, out);
        out.push((p, child.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn bytes(s: &str) -> FileData {
        FileData::Bytes(Arc::new(s.as_bytes().to_vec()))
    }

    fn listing(t: &Tree) -> Vec<String> {
        t.paths()
            .iter()
            .map(|(p, n)| format!("{} {p} {:o} {}", n.kind().ls_char(), n.mode(), n.size()))
            .collect()
    }

    #[test]
    fn edits_by_path() {
        let mut t = Tree::empty();
        t.put("/a/b/../c.txt", Node::file(0o600, bytes("hi")));
        t.mkdir_p("a/d/e", 0o700);
        t.put("a-b", Node::symlink("a"));
        let before = t.clone();
        t.put("a", Node::dir(0o750));
        t.update("a/c.txt", |n| *n = n.clone().owned(1, 2));
        assert_eq!(
            listing(&t),
            vec![
                "d a 750 0",
                "l a-b 777 0",
                "- a/c.txt 600 2",
                "d a/d 755 0",
                "d a/d/e 700 0"
            ]
        );
        assert_eq!(t.get("a/c.txt").map(|n| (n.uid(), n.gid())), Some((1, 2)));
        assert_eq!(t.children("a"), vec!["c.txt", "d"]);
        assert_eq!(t.subtree("a/d").len(), 2);
        // A file over a directory replaces its subtree; the copy kept before is unchanged.
        t.put("a", Node::file(0o644, bytes("")));
        assert_eq!(listing(&t), vec!["- a 644 0", "l a-b 777 0"]);
        assert_eq!(before.paths().len(), 5);
        assert!(t.delete("a-b") && !t.delete("a-b"));
        assert_eq!(t.get("a").and_then(|n| n.link()), None);
        assert_eq!(
            before.get("a-b").and_then(|n| n.link()).as_deref(),
            Some("a")
        );
        assert_eq!(join("/srv/app", "../x/./y"), "srv/x/y");
        assert_eq!(join("srv", "/etc/"), "etc");
    }
}
