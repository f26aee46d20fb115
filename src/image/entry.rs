//! One tar entry of a layer, kept without loss: raw byte paths (non-UTF-8 allowed), 64-bit ids,
//! signed mtimes, link targets, device numbers and xattrs. Whiteout markers are entries like any
//! other; `Entry::whiteout` says what they mean. It does not read tar (see `archive`).

use serde::{Serialize, Serializer};

/// A path as stored in a layer: raw bytes, no leading `/` added or removed.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct RawPath(pub Vec<u8>);

impl RawPath {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        RawPath(bytes.into())
    }
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
    /// Lossy text for display; invalid UTF-8 bytes become U+FFFD.
    pub fn display(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.0)
    }
    /// The path without `./` prefix, leading `/` or trailing `/`: the key used to merge layers.
    pub fn normalized(&self) -> &[u8] {
        let mut p: &[u8] = &self.0;
        loop {
            if let Some(r) = p.strip_prefix(b"./") {
                p = r;
            } else if let Some(r) = p.strip_prefix(b"/") {
                p = r;
            } else {
                break;
            }
        }
        while let Some(r) = p.strip_suffix(b"/") {
            p = r;
        }
        if p == b"." {
            return b"";
        }
        p
    }
    /// The last path component (after normalisation).
    pub fn file_name(&self) -> &[u8] {
        let n = self.normalized();
        match n.iter().rposition(|&b| b == b'/') {
            Some(i) => &n[i + 1..],
            None => n,
        }
    }
    /// The parent directory (after normalisation); empty for top-level names.
    pub fn parent(&self) -> &[u8] {
        let n = self.normalized();
        match n.iter().rposition(|&b| b == b'/') {
            Some(i) => &n[..i],
            None => b"",
        }
    }
}

impl std::fmt::Debug for RawPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.display())
    }
}

impl std::fmt::Display for RawPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display())
    }
}

impl Serialize for RawPath {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.display())
    }
}

/// Tar entry types that layers use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    Hardlink,
    Char,
    Block,
    Fifo,
}

impl EntryKind {
    pub const ALL: [EntryKind; 7] = [
        EntryKind::File,
        EntryKind::Dir,
        EntryKind::Symlink,
        EntryKind::Hardlink,
        EntryKind::Char,
        EntryKind::Block,
        EntryKind::Fifo,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::File => "file",
            EntryKind::Dir => "dir",
            EntryKind::Symlink => "symlink",
            EntryKind::Hardlink => "hardlink",
            EntryKind::Char => "char",
            EntryKind::Block => "block",
            EntryKind::Fifo => "fifo",
        }
    }
    /// The first letter of `ls -l` / `tar -tv` (`-`, `d`, `l`, `h`, `c`, `b`, `p`).
    pub fn ls_char(self) -> char {
        match self {
            EntryKind::File => '-',
            EntryKind::Dir => 'd',
            EntryKind::Symlink => 'l',
            EntryKind::Hardlink => 'h',
            EntryKind::Char => 'c',
            EntryKind::Block => 'b',
            EntryKind::Fifo => 'p',
        }
    }
}

/// What a whiteout marker means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Whiteout {
    /// `dir/.wh.name` deletes `dir/name` (normalised path).
    Deletes(Vec<u8>),
    /// `dir/.wh..wh..opq` hides every lower child of `dir` (normalised path; empty for the root).
    Opaque(Vec<u8>),
}

/// One tar entry of a layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub path: RawPath,
    pub kind: EntryKind,
    /// Permission bits plus setuid/setgid/sticky (`mode & 0o7777`).
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub uname: String,
    pub gname: String,
    /// Size of the body (0 for everything but regular files).
    pub size: u64,
    /// Seconds since the epoch; may be negative or beyond 2242.
    pub mtime: i64,
    /// Symlink target or hard-link target (raw bytes).
    pub link_target: Option<RawPath>,
    pub dev_major: u32,
    pub dev_minor: u32,
    /// PAX `SCHILY.xattr.*` records, name without the prefix.
    pub xattrs: Vec<(String, Vec<u8>)>,
    /// Offset of the body in the uncompressed layer stream (for previews).
    pub data_offset: u64,
    /// sha256 of the body, when content hashing was asked for.
    pub content_sha256: Option<[u8; 32]>,
}

pub const WHITEOUT_PREFIX: &[u8] = b".wh.";
pub const OPAQUE_MARKER: &[u8] = b".wh..wh..opq";

impl Entry {
    /// A minimal entry, for tests and simulated layers.
    pub fn new(path: impl Into<Vec<u8>>, kind: EntryKind, mode: u32, size: u64) -> Self {
        Entry {
            path: RawPath::new(path),
            kind,
            mode,
            uid: 0,
            gid: 0,
            uname: String::new(),
            gname: String::new(),
            size,
            mtime: 0,
            link_target: None,
            dev_major: 0,
            dev_minor: 0,
            xattrs: Vec::new(),
            data_offset: 0,
            content_sha256: None,
        }
    }

    /// Whether this entry is a whiteout marker, and what it removes.
    pub fn whiteout(&self) -> Option<Whiteout> {
        let name = self.path.file_name();
        if name == OPAQUE_MARKER {
            return Some(Whiteout::Opaque(self.path.parent().to_vec()));
        }
        let rest = name.strip_prefix(WHITEOUT_PREFIX)?;
        let parent = self.path.parent();
        let mut target = parent.to_vec();
        if !target.is_empty() {
            target.push(b'/');
        }
        target.extend_from_slice(rest);
        Some(Whiteout::Deletes(target))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whiteout_markers() {
        let cases: &[(&str, Option<Whiteout>)] = &[
            (
                "etc/.wh.passwd",
                Some(Whiteout::Deletes(b"etc/passwd".to_vec())),
            ),
            (".wh.tmp", Some(Whiteout::Deletes(b"tmp".to_vec()))),
            ("./a/b/.wh.c", Some(Whiteout::Deletes(b"a/b/c".to_vec()))),
            ("a/.wh..wh..opq", Some(Whiteout::Opaque(b"a".to_vec()))),
            (".wh..wh..opq", Some(Whiteout::Opaque(Vec::new()))),
            ("a/x.wh.y", None),
            ("a/b", None),
        ];
        for (path, want) in cases {
            let e = Entry::new(path.as_bytes(), EntryKind::File, 0, 0);
            assert_eq!(&e.whiteout(), want, "{path}");
        }
    }

    #[test]
    fn normalized_paths() {
        for (raw, want) in [
            ("./a/b/", "a/b"),
            ("/a", "a"),
            ("./", ""),
            (".", ""),
            ("a", "a"),
        ] {
            assert_eq!(RawPath::new(raw).normalized(), want.as_bytes(), "{raw}");
        }
    }
}
