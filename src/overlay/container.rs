//! A container: a read-write upper layer over an image's merged view, with the copy-up rules of
//! overlayfs as Docker's overlay2 driver mounts it (no `redirect_dir`, no `metacopy`):
//!
//! - the first write *or metadata change* (chmod, chown, touch) of an image file copies the whole
//!   file up, after copying up its parent directories (parents first, with their attributes);
//! - removing a path that the image has leaves a whiteout; removing an upper-only path leaves nothing;
//! - a directory created where the image had something (a whiteout now) is opaque;
//! - renaming an image directory fails with EXDEV in the kernel, so `mv` copies it whole to the new
//!   name and removes the old one (whiteout); renaming an image file copies it up first;
//! - a hard link to an image file copies the original up (unchanged) and links to it.
//!
//! Several containers can share one image (`Rc<ImageFs>`), each with its own upper layer, and an
//! upper layer can be committed as a new image layer. It does not run commands (that is `shell`)
//! and does not print `docker diff` (that is `diff`).

use super::data::{ContentSource, Data};
use super::shell::fs::{Fs, FsError, FsResult, Meta, SetMeta};
use super::tree::{components, Node, Tree};
use crate::image::{Entry, EntryKind, Image, Layer, RawPath};
use std::collections::BTreeMap;
use std::rc::Rc;

/// Bytes the shell may materialise from one file or stream.
pub const READ_LIMIT: u64 = 64 << 20;

/// The read-only side: an image's merged view, shared by its containers.
pub struct ImageFs {
    pub top: Tree,
    /// Σ over layers of regular-file bytes plus symlink target lengths (what overlay2 counts).
    pub virtual_size: u64,
    pub source: Option<Rc<dyn ContentSource>>,
    /// Seconds since the epoch that the containers' clocks start at.
    pub start_time: i64,
}

impl ImageFs {
    pub fn new(top: Tree, layers: &[Layer], source: Option<Rc<dyn ContentSource>>) -> ImageFs {
        let virtual_size = layers.iter().map(layer_disk_size).sum();
        ImageFs {
            top,
            virtual_size,
            source,
            start_time: 1_700_000_000,
        }
    }

    /// The merged view of a whole image.
    pub fn from_image(image: &Image, source: Option<Rc<dyn ContentSource>>) -> ImageFs {
        let stack = super::apply::Stack::new(&image.layers);
        ImageFs::new(stack.top(), &image.layers, source)
    }
}

/// What overlay2 counts for a layer directory: regular files once per inode plus symlink lengths.
pub fn layer_disk_size(layer: &Layer) -> u64 {
    layer
        .entries
        .iter()
        .filter(|e| e.whiteout().is_none())
        .map(|e| match e.kind {
            EntryKind::File => e.size,
            EntryKind::Symlink => e
                .link_target
                .as_ref()
                .map_or(0, |t| t.as_bytes().len() as u64),
            _ => 0,
        })
        .sum()
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum UKind {
    Whiteout,
    Dir { opaque: bool },
    File { inode: u64 },
    Symlink(Vec<u8>),
    Special(EntryKind, u32, u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct UNode {
    kind: UKind,
    mode: u32,
    uid: u64,
    gid: u64,
    mtime: i64,
    /// False for a copy-up that nothing has changed yet.
    changed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inode {
    data: Data,
    mode: u32,
    uid: u64,
    gid: u64,
    mtime: i64,
    changed: bool,
}

/// The state of one path in the upper layer, as `docker diff` needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpperState {
    Whiteout,
    Dir {
        opaque: bool,
        mode: u32,
    },
    File {
        inode: u64,
        size: u64,
        changed: bool,
    },
    Symlink {
        target_len: u64,
        changed: bool,
    },
    Other {
        changed: bool,
    },
}

enum Found {
    Upper(UNode),
    Lower(Rc<Node>),
}

/// A container's read-write layer over an image.
#[derive(Clone)]
pub struct Container {
    pub name: String,
    image: Rc<ImageFs>,
    upper: BTreeMap<Vec<u8>, UNode>,
    inodes: BTreeMap<u64, Inode>,
    next_inode: u64,
    clock: i64,
}

fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    if dir.is_empty() {
        name.to_vec()
    } else {
        [dir, b"/", name].concat()
    }
}

fn parent_of(path: &[u8]) -> &[u8] {
    match path.iter().rposition(|&b| b == b'/') {
        Some(i) => &path[..i],
        None => b"",
    }
}

fn prefixes(path: &[u8]) -> Vec<Vec<u8>> {
    let comps = components(path).unwrap_or_default();
    (1..=comps.len()).map(|k| comps[..k].join(&b'/')).collect()
}

impl Container {
    pub fn new(name: impl Into<String>, image: Rc<ImageFs>) -> Container {
        let clock = image.start_time;
        Container {
            name: name.into(),
            image,
            upper: BTreeMap::new(),
            inodes: BTreeMap::new(),
            next_inode: 1,
            clock,
        }
    }

    /// An inode of the upper layer (an empty one if the id is unknown, which does not happen:
    /// inodes are dropped only when no name refers to them).
    fn inode(&self, id: u64) -> std::borrow::Cow<'_, Inode> {
        match self.inodes.get(&id) {
            Some(i) => std::borrow::Cow::Borrowed(i),
            None => std::borrow::Cow::Owned(Inode {
                data: Data::new(),
                mode: 0o644,
                uid: 0,
                gid: 0,
                mtime: 0,
                changed: true,
            }),
        }
    }

    pub fn image(&self) -> &Rc<ImageFs> {
        &self.image
    }

    fn tick(&mut self) -> i64 {
        self.clock += 1;
        self.clock
    }

    /// The union view of one path.
    fn find(&self, path: &[u8]) -> Option<Found> {
        if path.is_empty() {
            return self
                .upper
                .get(path)
                .cloned()
                .map(Found::Upper)
                .or_else(|| Some(Found::Lower(self.image.top.root().clone())));
        }
        let ps = prefixes(path);
        let mut lower_blocked = false;
        for (k, p) in ps.iter().enumerate() {
            let last = k + 1 == ps.len();
            match self.upper.get(p) {
                Some(u) => match &u.kind {
                    UKind::Whiteout => return None,
                    UKind::Dir { opaque } => {
                        if last {
                            return Some(Found::Upper(u.clone()));
                        }
                        lower_blocked |= *opaque;
                    }
                    _ => {
                        return if last {
                            Some(Found::Upper(u.clone()))
                        } else {
                            None
                        }
                    }
                },
                None => {
                    if lower_blocked {
                        return None;
                    }
                    let n = self.image.top.get(p)?;
                    if last {
                        return Some(Found::Lower(n.clone()));
                    }
                    if !n.is_dir() {
                        return None;
                    }
                }
            }
        }
        None
    }

    /// The image's copy of `path`, if the container still sees through to it below an upper entry.
    fn lower_visible(&self, path: &[u8]) -> bool {
        let ps = prefixes(path);
        for p in ps.iter().take(ps.len().saturating_sub(1)) {
            if let Some(u) = self.upper.get(p) {
                match u.kind {
                    UKind::Dir { opaque: false } => {}
                    _ => return false,
                }
            }
        }
        // An opaque dir at the path itself hides nothing of its own existence below.
        self.image.top.get(path).is_some()
    }

    fn meta_of(&self, f: &Found) -> Meta {
        match f {
            Found::Lower(n) => {
                let e = n.resolved();
                Meta {
                    kind: if e.kind == EntryKind::Hardlink {
                        EntryKind::File
                    } else {
                        e.kind
                    },
                    mode: e.mode,
                    uid: e.uid,
                    gid: e.gid,
                    size: if e.kind == EntryKind::File { e.size } else { 0 },
                    mtime: e.mtime,
                    link_target: e.link_target.as_ref().map(|t| t.as_bytes().to_vec()),
                }
            }
            Found::Upper(u) => match &u.kind {
                UKind::File { inode } => {
                    let i = self.inode(*inode);
                    Meta {
                        kind: EntryKind::File,
                        mode: i.mode,
                        uid: i.uid,
                        gid: i.gid,
                        size: i.data.len(),
                        mtime: i.mtime,
                        link_target: None,
                    }
                }
                k => Meta {
                    kind: match k {
                        UKind::Dir { .. } => EntryKind::Dir,
                        UKind::Symlink(_) => EntryKind::Symlink,
                        UKind::Special(kind, _, _) => *kind,
                        _ => EntryKind::File,
                    },
                    mode: u.mode,
                    uid: u.uid,
                    gid: u.gid,
                    size: 0,
                    mtime: u.mtime,
                    link_target: match k {
                        UKind::Symlink(t) => Some(t.clone()),
                        _ => None,
                    },
                },
            },
        }
    }

    /// Copy `path` (and its parents) into the upper layer, unchanged. The path must exist.
    fn copy_up(&mut self, path: &[u8]) -> FsResult<()> {
        for p in prefixes(path) {
            if self.upper.contains_key(&p) {
                continue;
            }
            let Some(Found::Lower(n)) = self.find(&p) else {
                return Err(FsError::NotFound);
            };
            let node = self.upper_copy_of(&n);
            self.upper.insert(p, node);
        }
        Ok(())
    }

    fn upper_copy_of(&mut self, n: &Node) -> UNode {
        let target = match &n.link_target {
            Some(t) => t.clone(),
            None => Rc::new(n.clone()),
        };
        let e = target.entry.clone();
        let kind = match e.kind {
            EntryKind::Dir => UKind::Dir { opaque: false },
            EntryKind::File | EntryKind::Hardlink => {
                let inode = self.next_inode;
                self.next_inode += 1;
                self.inodes.insert(
                    inode,
                    Inode {
                        data: Data::lower(target.layer, e.clone()),
                        mode: e.mode,
                        uid: e.uid,
                        gid: e.gid,
                        mtime: e.mtime,
                        changed: false,
                    },
                );
                UKind::File { inode }
            }
            EntryKind::Symlink => UKind::Symlink(
                e.link_target
                    .as_ref()
                    .map(|t| t.as_bytes().to_vec())
                    .unwrap_or_default(),
            ),
            k => UKind::Special(k, e.dev_major, e.dev_minor),
        };
        UNode {
            kind,
            mode: e.mode,
            uid: e.uid,
            gid: e.gid,
            mtime: e.mtime,
            changed: false,
        }
    }

    /// The parent of a path to create must be a directory; copy it up.
    fn prepare_parent(&mut self, path: &[u8]) -> FsResult<()> {
        if path.is_empty() {
            return Err(FsError::Exists);
        }
        let parent = parent_of(path).to_vec();
        match self.find(&parent) {
            None => Err(FsError::NotFound),
            Some(f) if self.meta_of(&f).kind != EntryKind::Dir => Err(FsError::NotDir),
            Some(_) => {
                if !parent.is_empty() {
                    self.copy_up(&parent)?;
                }
                Ok(())
            }
        }
    }

    /// Put a new node at `path` (which must not exist in the union view).
    fn create(&mut self, path: &[u8], mut node: UNode) {
        let over_whiteout = matches!(self.upper.get(path).map(|u| &u.kind), Some(UKind::Whiteout));
        if let UKind::Dir { opaque } = &mut node.kind {
            // A directory made where the image had something must hide the image's copy.
            *opaque = over_whiteout || self.lower_visible(path);
        }
        self.upper.insert(path.to_vec(), node);
    }

    fn new_node(&mut self, kind: UKind, mode: u32) -> UNode {
        let now = self.tick();
        UNode {
            kind,
            mode,
            uid: 0,
            gid: 0,
            mtime: now,
            changed: true,
        }
    }

    fn drop_upper_subtree(&mut self, path: &[u8]) {
        let mut prefix = path.to_vec();
        prefix.push(b'/');
        let doomed: Vec<Vec<u8>> = self
            .upper
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in doomed {
            self.upper.remove(&k);
        }
        self.upper.remove(path);
        self.gc_inodes();
    }

    fn gc_inodes(&mut self) {
        let used: std::collections::BTreeSet<u64> = self
            .upper
            .values()
            .filter_map(|u| match u.kind {
                UKind::File { inode } => Some(inode),
                _ => None,
            })
            .collect();
        self.inodes.retain(|k, _| used.contains(k));
    }

    /// Remove `path` from the union view (no checks).
    fn unlink(&mut self, path: &[u8]) {
        let lower = self.lower_visible(path);
        self.drop_upper_subtree(path);
        if lower {
            self.put_whiteout(path);
        }
    }

    /// A whiteout at `path` in the upper layer.
    fn put_whiteout(&mut self, path: &[u8]) {
        let now = self.clock;
        self.upper.insert(
            path.to_vec(),
            UNode {
                kind: UKind::Whiteout,
                mode: 0,
                uid: 0,
                gid: 0,
                mtime: now,
                changed: true,
            },
        );
    }

    /// Copy the subtree at `from` (union view) to `to` as new, changed upper nodes.
    /// Hard links inside the tree stay hard links (like `mv`'s copy fallback): `links` maps the
    /// identity of each copied inode to its new inode.
    fn copy_tree(
        &mut self,
        from: &[u8],
        to: &[u8],
        links: &mut BTreeMap<(bool, usize, Vec<u8>), u64>,
    ) -> FsResult<()> {
        let f = self.find(from).ok_or(FsError::NotFound)?;
        let m = self.meta_of(&f);
        let identity = match &f {
            Found::Upper(u) => match u.kind {
                UKind::File { inode } => Some((true, inode as usize, Vec::new())),
                _ => None,
            },
            Found::Lower(n) => match &n.link_target {
                Some(t) => Some((false, t.layer, t.entry.path.normalized().to_vec())),
                None => Some((false, n.layer, from.to_vec())),
            },
        };
        let kind = match (&f, m.kind) {
            (_, EntryKind::Dir) => UKind::Dir { opaque: false },
            (_, EntryKind::File) if identity.as_ref().is_some_and(|k| links.contains_key(k)) => {
                UKind::File {
                    inode: identity
                        .as_ref()
                        .and_then(|k| links.get(k))
                        .copied()
                        .unwrap_or(0),
                }
            }
            (_, EntryKind::File) => {
                let data = self.data(from)?;
                let inode = self.next_inode;
                self.next_inode += 1;
                self.inodes.insert(
                    inode,
                    Inode {
                        data,
                        mode: m.mode,
                        uid: m.uid,
                        gid: m.gid,
                        mtime: m.mtime,
                        changed: true,
                    },
                );
                if let Some(k) = identity {
                    links.insert(k, inode);
                }
                UKind::File { inode }
            }
            (_, EntryKind::Symlink) => UKind::Symlink(m.link_target.clone().unwrap_or_default()),
            (Found::Lower(n), k) => UKind::Special(k, n.entry.dev_major, n.entry.dev_minor),
            (Found::Upper(u), _) => u.kind.clone(),
        };
        self.create(
            to,
            UNode {
                kind,
                mode: m.mode,
                uid: m.uid,
                gid: m.gid,
                mtime: m.mtime,
                changed: true,
            },
        );
        if m.kind == EntryKind::Dir {
            for name in self.list(from)? {
                self.copy_tree(&join(from, &name), &join(to, &name), links)?;
            }
        }
        Ok(())
    }

    /// Every path of the upper layer with its state, in path order.
    pub fn upper(&self) -> Vec<(Vec<u8>, UpperState)> {
        self.upper
            .iter()
            .map(|(p, u)| {
                let st = match &u.kind {
                    UKind::Whiteout => UpperState::Whiteout,
                    UKind::Dir { opaque } => UpperState::Dir {
                        opaque: *opaque,
                        mode: u.mode,
                    },
                    UKind::File { inode } => {
                        let i = self.inode(*inode);
                        UpperState::File {
                            inode: *inode,
                            size: i.data.len(),
                            changed: i.changed || u.changed,
                        }
                    }
                    UKind::Symlink(t) => UpperState::Symlink {
                        target_len: t.len() as u64,
                        changed: u.changed,
                    },
                    UKind::Special(..) => UpperState::Other { changed: u.changed },
                };
                (p.clone(), st)
            })
            .collect()
    }

    /// The upper layer as a new image layer (`index`), with the contents of its regular files.
    /// Whiteouts are `.wh.` files with mode 0600 and opaque directories get a `.wh..wh..opq`
    /// marker, as overlay2 commits them; a second name of an inode becomes a hard link.
    pub fn commit(&self, index: usize) -> (Layer, Vec<(usize, Data)>) {
        let mut entries = Vec::new();
        let mut bodies = Vec::new();
        let mut first_name: BTreeMap<u64, Vec<u8>> = BTreeMap::new();
        for (p, u) in &self.upper {
            let mut e = Entry::new(p.clone(), EntryKind::File, u.mode, 0);
            e.uid = u.uid;
            e.gid = u.gid;
            e.mtime = u.mtime;
            match &u.kind {
                UKind::Whiteout => {
                    let parent = parent_of(p);
                    let name = &p[if parent.is_empty() {
                        0
                    } else {
                        parent.len() + 1
                    }..];
                    let mut wh = Entry::new(
                        join(parent, &[b".wh.".as_slice(), name].concat()),
                        EntryKind::File,
                        0o600,
                        0,
                    );
                    wh.mtime = u.mtime;
                    entries.push(wh);
                }
                UKind::Dir { opaque } => {
                    e.kind = EntryKind::Dir;
                    e.path = RawPath::new([p.as_slice(), b"/"].concat());
                    entries.push(e);
                    if *opaque {
                        let mut m = Entry::new(join(p, b".wh..wh..opq"), EntryKind::File, 0o755, 0);
                        m.mtime = 0;
                        entries.push(m);
                    }
                }
                UKind::File { inode } => {
                    let i = self.inode(*inode);
                    e.mode = i.mode;
                    e.uid = i.uid;
                    e.gid = i.gid;
                    e.mtime = i.mtime;
                    if let Some(first) = first_name.get(inode) {
                        e.kind = EntryKind::Hardlink;
                        e.link_target = Some(RawPath::new(first.clone()));
                    } else {
                        first_name.insert(*inode, p.clone());
                        e.size = i.data.len();
                        bodies.push((entries.len(), i.data.clone()));
                    }
                    entries.push(e);
                }
                UKind::Symlink(t) => {
                    e.kind = EntryKind::Symlink;
                    e.mode = 0o777;
                    e.link_target = Some(RawPath::new(t.clone()));
                    entries.push(e);
                }
                UKind::Special(k, ma, mi) => {
                    e.kind = *k;
                    e.dev_major = *ma;
                    e.dev_minor = *mi;
                    entries.push(e);
                }
            }
        }
        let layer = Layer {
            diff_id: String::new(),
            media_type: "application/vnd.oci.image.layer.v1.tar".into(),
            member: format!("container {}", self.name),
            ..Layer::bare(index, entries)
        };
        (layer, bodies)
    }
}

impl Fs for Container {
    fn stat(&self, path: &[u8]) -> FsResult<Meta> {
        self.find(path)
            .map(|f| self.meta_of(&f))
            .ok_or(FsError::NotFound)
    }

    fn list(&self, path: &[u8]) -> FsResult<Vec<Vec<u8>>> {
        let f = self.find(path).ok_or(FsError::NotFound)?;
        if self.meta_of(&f).kind != EntryKind::Dir {
            return Err(FsError::NotDir);
        }
        let mut names: std::collections::BTreeSet<Vec<u8>> = std::collections::BTreeSet::new();
        // Image children, unless the directory is upper-only or opaque.
        let see_lower = match &f {
            Found::Lower(_) => true,
            Found::Upper(u) => {
                matches!(u.kind, UKind::Dir { opaque: false }) && self.lower_visible(path)
            }
        };
        if see_lower {
            if let Some(n) = self.image.top.get(path) {
                names.extend(n.children.keys().cloned());
            }
        }
        let prefix = if path.is_empty() {
            Vec::new()
        } else {
            [path, b"/"].concat()
        };
        for (k, u) in self.upper.range(prefix.clone()..) {
            if !k.starts_with(&prefix) {
                break;
            }
            let rest = &k[prefix.len()..];
            if rest.is_empty() || rest.contains(&b'/') {
                continue;
            }
            if u.kind == UKind::Whiteout {
                names.remove(rest);
            } else {
                names.insert(rest.to_vec());
            }
        }
        Ok(names.into_iter().collect())
    }

    fn data(&self, path: &[u8]) -> FsResult<Data> {
        match self.find(path).ok_or(FsError::NotFound)? {
            Found::Upper(u) => match u.kind {
                UKind::File { inode } => Ok(self.inode(inode).data.clone()),
                UKind::Dir { .. } => Err(FsError::IsDir),
                _ => Err(FsError::Invalid),
            },
            Found::Lower(n) => {
                let e = n.resolved();
                match e.kind {
                    EntryKind::File => {
                        let layer = n.link_target.as_ref().map_or(n.layer, |t| t.layer);
                        Ok(Data::lower(layer, Rc::new(e.clone())))
                    }
                    EntryKind::Dir => Err(FsError::IsDir),
                    _ => Err(FsError::Invalid),
                }
            }
        }
    }

    fn materialise(&self, data: &Data, limit: u64) -> FsResult<Vec<u8>> {
        data.read(self.image.source.as_deref(), limit)
            .map_err(|e| FsError::Other(e.to_string()))
    }

    fn write(&mut self, path: &[u8], data: &Data, append: bool) -> FsResult<()> {
        let now = self.tick();
        match self.find(path) {
            Some(f) => {
                let m = self.meta_of(&f);
                if m.kind == EntryKind::Dir {
                    return Err(FsError::IsDir);
                }
                if m.kind != EntryKind::File {
                    return Err(FsError::Invalid);
                }
                self.copy_up(path)?;
                let Some(UKind::File { inode }) = self.upper.get(path).map(|u| u.kind.clone())
                else {
                    return Err(FsError::Invalid);
                };
                let i = self.inodes.get_mut(&inode).ok_or(FsError::NotFound)?;
                if append {
                    i.data.append(data);
                } else {
                    i.data = data.clone();
                }
                i.mtime = now;
                i.changed = true;
                Ok(())
            }
            None => {
                self.prepare_parent(path)?;
                let inode = self.next_inode;
                self.next_inode += 1;
                self.inodes.insert(
                    inode,
                    Inode {
                        data: data.clone(),
                        mode: 0o644,
                        uid: 0,
                        gid: 0,
                        mtime: now,
                        changed: true,
                    },
                );
                let node = self.new_node(UKind::File { inode }, 0o644);
                self.create(path, node);
                Ok(())
            }
        }
    }

    fn mkdir(&mut self, path: &[u8], mode: u32) -> FsResult<()> {
        if self.find(path).is_some() {
            return Err(FsError::Exists);
        }
        self.prepare_parent(path)?;
        let node = self.new_node(UKind::Dir { opaque: false }, mode);
        self.create(path, node);
        Ok(())
    }

    fn remove(&mut self, path: &[u8]) -> FsResult<()> {
        let f = self.find(path).ok_or(FsError::NotFound)?;
        if path.is_empty() {
            return Err(FsError::Other("Device or resource busy".into()));
        }
        if self.meta_of(&f).kind == EntryKind::Dir && !self.list(path)?.is_empty() {
            return Err(FsError::NotEmpty);
        }
        self.prepare_parent(path)?;
        self.tick();
        self.unlink(path);
        Ok(())
    }

    fn rename(&mut self, from: &[u8], to: &[u8]) -> FsResult<()> {
        let f = self.find(from).ok_or(FsError::NotFound)?;
        if from == to {
            return Ok(());
        }
        if to.starts_with(from) && to.get(from.len()) == Some(&b'/') {
            return Err(FsError::Invalid);
        }
        let src = self.meta_of(&f);
        if let Some(t) = self.find(to) {
            let tm = self.meta_of(&t);
            match (src.kind == EntryKind::Dir, tm.kind == EntryKind::Dir) {
                (true, false) => return Err(FsError::NotDir),
                (false, true) => return Err(FsError::IsDir),
                (true, true) if !self.list(to)?.is_empty() => return Err(FsError::NotEmpty),
                _ => {}
            }
            self.prepare_parent(to)?;
            self.unlink(to);
        } else {
            self.prepare_parent(to)?;
        }
        self.prepare_parent(from)?;
        let lower_dir = src.kind == EntryKind::Dir && self.lower_visible(from);
        if lower_dir {
            // EXDEV: overlay2 has no redirect_dir, so the directory is copied whole.
            self.copy_tree(from, to, &mut BTreeMap::new())?;
        } else {
            self.copy_up(from)?;
            // Move the upper subtree to its new name.
            let mut prefix = from.to_vec();
            prefix.push(b'/');
            let moved: Vec<(Vec<u8>, UNode)> = self
                .upper
                .range(from.to_vec()..)
                .take_while(|(k, _)| k.starts_with(from))
                .filter(|(k, _)| k.as_slice() == from || k.starts_with(&prefix))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            for (k, mut v) in moved {
                let nk = [to, &k[from.len()..]].concat();
                v.changed = true;
                if nk.as_slice() == to {
                    if let UKind::Dir { opaque } = &mut v.kind {
                        *opaque = *opaque || self.lower_visible(to);
                    }
                    if let UKind::File { inode } = v.kind {
                        if let Some(i) = self.inodes.get_mut(&inode) {
                            i.changed = true;
                        }
                    }
                }
                self.upper.insert(nk, v);
            }
        }
        self.tick();
        // The old name: whiteout if the image has it, else nothing. Keep the moved inodes.
        let lower = self.lower_visible(from);
        let mut prefix = from.to_vec();
        prefix.push(b'/');
        let doomed: Vec<Vec<u8>> = self
            .upper
            .range(from.to_vec()..)
            .take_while(|(k, _)| k.starts_with(from))
            .filter(|(k, _)| k.as_slice() == from || k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in doomed {
            self.upper.remove(&k);
        }
        if lower {
            self.put_whiteout(from);
        }
        self.gc_inodes();
        Ok(())
    }

    fn symlink(&mut self, target: &[u8], path: &[u8]) -> FsResult<()> {
        if self.find(path).is_some() {
            return Err(FsError::Exists);
        }
        self.prepare_parent(path)?;
        let node = self.new_node(UKind::Symlink(target.to_vec()), 0o777);
        self.create(path, node);
        Ok(())
    }

    fn hardlink(&mut self, existing: &[u8], new: &[u8]) -> FsResult<()> {
        let f = self.find(existing).ok_or(FsError::NotFound)?;
        if self.meta_of(&f).kind != EntryKind::File {
            return Err(FsError::Other("Operation not permitted".into()));
        }
        if self.find(new).is_some() {
            return Err(FsError::Exists);
        }
        self.prepare_parent(new)?;
        // overlayfs copies the original up (unchanged) so both names share one upper inode.
        self.copy_up(existing)?;
        let Some(UKind::File { inode }) = self.upper.get(existing).map(|u| u.kind.clone()) else {
            return Err(FsError::Invalid);
        };
        let mut node = self.new_node(UKind::File { inode }, 0o644);
        node.changed = true;
        self.create(new, node);
        Ok(())
    }

    fn set_meta(&mut self, path: &[u8], change: SetMeta) -> FsResult<()> {
        self.find(path).ok_or(FsError::NotFound)?;
        let now = self.tick();
        if !path.is_empty() {
            self.copy_up(path)?;
        } else if !self.upper.contains_key(path) {
            let root = self.image.top.root().clone();
            let node = self.upper_copy_of(&root);
            self.upper.insert(Vec::new(), node);
        }
        let Some(u) = self.upper.get_mut(path) else {
            return Err(FsError::NotFound);
        };
        // A regular file's attributes live in its inode (shared by its hard links).
        let (mode, uid, gid, mtime, changed) = match u.kind {
            UKind::File { inode } => {
                let i = self.inodes.get_mut(&inode).ok_or(FsError::NotFound)?;
                (
                    &mut i.mode,
                    &mut i.uid,
                    &mut i.gid,
                    &mut i.mtime,
                    &mut i.changed,
                )
            }
            _ => (
                &mut u.mode,
                &mut u.uid,
                &mut u.gid,
                &mut u.mtime,
                &mut u.changed,
            ),
        };
        if let Some(m) = change.mode {
            *mode = m;
        }
        if let Some(x) = change.uid {
            *uid = x;
        }
        if let Some(x) = change.gid {
            *gid = x;
        }
        if let Some(t) = change.mtime {
            *mtime = t.unwrap_or(now);
        }
        *changed = true;
        Ok(())
    }

    fn truncate(&mut self, path: &[u8], size: u64) -> FsResult<()> {
        let mut d = match self.find(path) {
            Some(_) => self.data(path)?,
            None => Data::new(),
        };
        d.truncate(size);
        self.write(path, &d, false)
    }

    fn mknod(&mut self, path: &[u8], kind: EntryKind, mode: u32, dev: (u32, u32)) -> FsResult<()> {
        if self.find(path).is_some() {
            return Err(FsError::Exists);
        }
        self.prepare_parent(path)?;
        let node = self.new_node(UKind::Special(kind, dev.0, dev.1), mode);
        self.create(path, node);
        Ok(())
    }
}
