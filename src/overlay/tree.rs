//! An immutable, structurally shared file tree: the merged view of a stack of layers, and the
//! file system of a simulated build step (whose nodes also carry file bodies).
//!
//! Every directory keeps its children in a persistent ordered map (`rpds::RedBlackTreeMap`) of
//! `Rc` nodes, so an update copies only the path from the root to the changed node (O(depth ×
//! log fanout)) and every older tree stays valid and shares all untouched nodes. The merged views
//! after each of N layers of M files therefore cost O(M + changes × depth × log M), not N×M.
//!
//! It knows nothing of layers' whiteout rules (that is `apply`), has no path-string editing (that
//! is `edit`) and reads no archives.

use super::data::FileData;
use crate::image::{Entry, EntryKind};
use rpds::RedBlackTreeMap;
use std::rc::Rc;

/// The children of a directory, by name (raw bytes, byte order).
pub type Children = RedBlackTreeMap<Vec<u8>, Rc<Node>>;

/// One path of the merged view.
#[derive(Debug, Clone)]
pub struct Node {
    /// The entry that supplies this path (for a directory: the upper-most entry, whose attributes win).
    pub entry: Rc<Entry>,
    /// The layer that supplies `entry`.
    pub layer: usize,
    /// True when no layer had an entry for this directory and it was created as a parent.
    pub implicit: bool,
    /// For a hard link: the node its target was when the link's layer was applied.
    pub link_target: Option<Rc<Node>>,
    /// Children (empty unless `entry.kind` is `Dir`).
    pub children: Children,
    /// The body of a regular file, when the tree carries bodies (a build's tree); `None` in
    /// trees of image layers, whose bodies are read through a `ContentSource`.
    pub data: Option<FileData>,
}

impl Node {
    pub fn new(entry: Rc<Entry>, layer: usize) -> Node {
        Node {
            entry,
            layer,
            implicit: false,
            link_target: None,
            children: Children::new(),
            data: None,
        }
    }

    /// A directory made for a path no layer listed (mode 0755, root-owned, mtime 0).
    pub fn implicit_dir(path: &[u8], layer: usize) -> Node {
        Node {
            implicit: true,
            ..Node::new(Rc::new(Entry::new(path, EntryKind::Dir, 0o755, 0)), layer)
        }
    }

    pub fn is_dir(&self) -> bool {
        self.entry.kind == EntryKind::Dir
    }

    /// The entry a hard link resolves to (itself for everything else, or an unresolved link).
    pub fn resolved(&self) -> &Entry {
        match &self.link_target {
            Some(t) => t.resolved(),
            None => &self.entry,
        }
    }

    /// Bytes this path occupies as a regular file (a resolved hard link counts its target's size).
    pub fn file_size(&self) -> u64 {
        let e = self.resolved();
        if e.kind == EntryKind::File {
            e.size
        } else {
            0
        }
    }

    fn with_children(&self, children: Children) -> Node {
        Node {
            children,
            ..self.clone()
        }
    }
}

/// Split a normalised path into components, dropping empty and `.` components.
/// Returns `None` when a component is `..` (a path that would leave the root).
pub fn components(path: &[u8]) -> Option<Vec<&[u8]>> {
    let mut out = Vec::new();
    for c in path.split(|&b| b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// A whole merged file system: a root directory node. Cloning is O(1).
#[derive(Debug, Clone)]
pub struct Tree {
    root: Rc<Node>,
}

impl Default for Tree {
    fn default() -> Self {
        Tree::empty()
    }
}

impl Tree {
    /// An empty root directory.
    pub fn empty() -> Tree {
        Tree {
            root: Rc::new(Node::implicit_dir(b"", 0)),
        }
    }

    pub fn root(&self) -> &Rc<Node> {
        &self.root
    }

    /// Whether two trees are the very same value (no copy was made).
    pub fn ptr_eq(&self, other: &Tree) -> bool {
        Rc::ptr_eq(&self.root, &other.root)
    }

    /// The node at `path` (normalised, relative); the root for `""`. `None` when a component is
    /// `..` (as [`components`] says).
    pub fn get(&self, path: impl AsRef<[u8]>) -> Option<&Rc<Node>> {
        let mut node = &self.root;
        for c in path.as_ref().split(|&b| b == b'/') {
            match c {
                b"" | b"." => {}
                b".." => return None,
                c => node = node.children.get(c)?,
            }
        }
        Some(node)
    }

    /// A new tree with `node` at `path`. Missing parents (and parents that are not directories)
    /// become implicit directories made by `layer`. Inserting at the root replaces the root's
    /// attributes but keeps its children.
    pub fn insert(&self, path: &[u8], node: Rc<Node>, layer: usize) -> Tree {
        let Some(comps) = components(path) else {
            return self.clone();
        };
        if comps.is_empty() {
            let root = Node {
                children: self.root.children.clone(),
                ..(*node).clone()
            };
            return Tree {
                root: Rc::new(root),
            };
        }
        Tree {
            root: Rc::new(insert_rec(&self.root, &comps, 0, node, layer)),
        }
    }

    /// A new tree without `path` (and its subtree); the same tree when nothing is there.
    pub fn remove(&self, path: &[u8]) -> Tree {
        let Some(comps) = components(path) else {
            return self.clone();
        };
        if comps.is_empty() || self.get(path).is_none() {
            return self.clone();
        }
        Tree {
            root: Rc::new(remove_rec(&self.root, &comps)),
        }
    }

    /// A new tree where the directory at `path` keeps its attributes but loses every child.
    pub fn clear_dir(&self, path: &[u8]) -> Tree {
        match self.get(path) {
            Some(n) if n.is_dir() && !n.children.is_empty() => {
                let emptied = Rc::new(n.with_children(Children::new()));
                let Some(comps) = components(path) else {
                    return self.clone();
                };
                if comps.is_empty() {
                    return Tree { root: emptied };
                }
                Tree {
                    root: Rc::new(replace_rec(&self.root, &comps, emptied)),
                }
            }
            _ => self.clone(),
        }
    }

    /// [`Tree::insert`] in place: the same tree results, but nodes that only this tree holds are
    /// edited rather than copied (a node shared with another tree, or held by a hard link, is
    /// copied first, so every other tree stays as it was). Applying a layer of M entries thus
    /// copies each shared directory once, not once per entry below it.
    pub fn insert_mut(&mut self, path: &[u8], node: Rc<Node>, layer: usize) {
        let mut comps = path
            .split(|&b| b == b'/')
            .filter(|c| !c.is_empty() && *c != b".");
        if comps.clone().any(|c| c == b"..") {
            return;
        }
        let Some(mut name) = comps.next() else {
            let root = Node {
                children: self.root.children.clone(),
                ..(*node).clone()
            };
            self.root = Rc::new(root);
            return;
        };
        let mut dir: &mut Node = Rc::make_mut(&mut self.root);
        for (depth, next) in comps.enumerate() {
            // `name` is a parent of the path.
            if !dir.children.get(name).is_some_and(|c| c.is_dir()) {
                let parent = components(path).unwrap_or_default();
                let made = parent.get(..=depth).unwrap_or(&parent);
                let implicit = Node::implicit_dir(&join(made), layer);
                dir.children.insert_mut(name.to_vec(), Rc::new(implicit));
            }
            let Some(child) = dir.children.get_mut(name) else {
                return; // just made: never happens
            };
            dir = Rc::make_mut(child);
            name = next;
        }
        match dir.children.get_mut(name) {
            Some(slot) => *slot = node,
            None => dir.children.insert_mut(name.to_vec(), node),
        }
    }

    /// The directory node at the path `comps` (all present), for editing in place.
    fn node_mut(&mut self, comps: &[&[u8]]) -> Option<&mut Node> {
        let mut node: &mut Node = Rc::make_mut(&mut self.root);
        for c in comps {
            node = Rc::make_mut(node.children.get_mut(*c)?);
        }
        Some(node)
    }

    /// [`Tree::remove`] in place (see [`Tree::insert_mut`]).
    pub fn remove_mut(&mut self, path: &[u8]) {
        let Some(comps) = components(path) else {
            return;
        };
        let Some((last, parents)) = comps.split_last() else {
            return;
        };
        if self.get(path).is_none() {
            return;
        }
        if let Some(dir) = self.node_mut(parents) {
            dir.children.remove_mut(*last);
        }
    }

    /// [`Tree::clear_dir`] in place (see [`Tree::insert_mut`]).
    pub fn clear_dir_mut(&mut self, path: &[u8]) {
        if !self
            .get(path)
            .is_some_and(|n| n.is_dir() && !n.children.is_empty())
        {
            return;
        }
        let Some(comps) = components(path) else {
            return;
        };
        if let Some(dir) = self.node_mut(&comps) {
            dir.children = Children::new();
        }
    }

    /// Every path below the root in byte order of components (depth first, parents before
    /// children), with its node.
    pub fn walk(&self) -> Vec<(Vec<u8>, Rc<Node>)> {
        let mut out = Vec::new();
        walk_rec(&self.root, &mut Vec::new(), &mut out);
        out
    }

    /// Number of paths below the root.
    pub fn len(&self) -> usize {
        count_rec(&self.root)
    }

    pub fn is_empty(&self) -> bool {
        self.root.children.is_empty()
    }

    /// One line per path: `<kind char> <path>[ -> target] (layer N)`, for tests and plain output.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        for (path, node) in self.walk() {
            s.push(node.entry.kind.ls_char());
            s.push(' ');
            s.push_str(&String::from_utf8_lossy(&path));
            if let Some(t) = &node.entry.link_target {
                s.push_str(if node.entry.kind == EntryKind::Hardlink {
                    " => "
                } else {
                    " -> "
                });
                s.push_str(&t.display());
            }
            s.push_str(&format!(" (layer {})\n", node.layer));
        }
        s
    }
}

fn join(prefix: &[&[u8]]) -> Vec<u8> {
    prefix.join(&b'/')
}

fn insert_rec(dir: &Node, comps: &[&[u8]], depth: usize, node: Rc<Node>, layer: usize) -> Node {
    let name = comps[depth];
    if depth + 1 == comps.len() {
        return dir.with_children(dir.children.insert(name.to_vec(), node));
    }
    let child = match dir.children.get(name) {
        Some(c) if c.is_dir() => insert_rec(c, comps, depth + 1, node, layer),
        _ => insert_rec(
            &Node::implicit_dir(&join(&comps[..=depth]), layer),
            comps,
            depth + 1,
            node,
            layer,
        ),
    };
    dir.with_children(dir.children.insert(name.to_vec(), Rc::new(child)))
}

fn remove_rec(dir: &Node, comps: &[&[u8]]) -> Node {
    let name = comps[0];
    if comps.len() == 1 {
        return dir.with_children(dir.children.remove(name));
    }
    match dir.children.get(name) {
        Some(c) => {
            let c2 = remove_rec(c, &comps[1..]);
            dir.with_children(dir.children.insert(name.to_vec(), Rc::new(c2)))
        }
        None => dir.clone(),
    }
}

fn replace_rec(dir: &Node, comps: &[&[u8]], node: Rc<Node>) -> Node {
    let name = comps[0];
    if comps.len() == 1 {
        return dir.with_children(dir.children.insert(name.to_vec(), node));
    }
    match dir.children.get(name) {
        Some(c) => {
            let c2 = replace_rec(c, &comps[1..], node);
            dir.with_children(dir.children.insert(name.to_vec(), Rc::new(c2)))
        }
        None => dir.clone(),
    }
}

fn walk_rec(node: &Node, prefix: &mut Vec<u8>, out: &mut Vec<(Vec<u8>, Rc<Node>)>) {
    for (name, child) in node.children.iter() {
        let len = prefix.len();
        if !prefix.is_empty() {
            prefix.push(b'/');
        }
        prefix.extend_from_slice(name);
        out.push((prefix.clone(), child.clone()));
        walk_rec(child, prefix, out);
        prefix.truncate(len);
    }
}

fn count_rec(node: &Node) -> usize {
    node.children
        .values()
        .map(|c| 1 + count_rec(c))
        .sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, layer: usize) -> Rc<Node> {
        Rc::new(Node::new(
            Rc::new(Entry::new(path, EntryKind::File, 0o644, 1)),
            layer,
        ))
    }

    #[test]
    fn insert_is_persistent_and_shares_untouched_subtrees() {
        let t0 = Tree::empty().insert(b"a/x", file("a/x", 0), 0);
        let t0 = t0.insert(b"b/y", file("b/y", 0), 0);
        let t1 = t0.insert(b"a/z", file("a/z", 1), 1);
        assert_eq!(
            t0.to_text(),
            "d a (layer 0)\n- a/x (layer 0)\nd b (layer 0)\n- b/y (layer 0)\n"
        );
        assert_eq!(
            t1.to_text(),
            "d a (layer 0)\n- a/x (layer 0)\n- a/z (layer 1)\nd b (layer 0)\n- b/y (layer 0)\n"
        );
        // `b` was not touched: the very same node is shared.
        assert!(Rc::ptr_eq(t0.get(b"b").unwrap(), t1.get(b"b").unwrap()));
        assert!(!Rc::ptr_eq(t0.get(b"a").unwrap(), t1.get(b"a").unwrap()));
    }

    #[test]
    fn remove_and_clear() {
        let t = Tree::empty()
            .insert(b"a/x", file("a/x", 0), 0)
            .insert(b"a/y", file("a/y", 0), 0);
        assert_eq!(
            t.remove(b"a/x").to_text(),
            "d a (layer 0)\n- a/y (layer 0)\n"
        );
        assert_eq!(t.clear_dir(b"a").to_text(), "d a (layer 0)\n");
        assert!(t.remove(b"nope/x").ptr_eq(&t));
        assert_eq!(t.len(), 3);
        assert!(components(b"a/../b").is_none());
    }
}
