//! The outer archive's member list: names (with `./` stripped), types, body offsets and sizes,
//! link targets, and path lookup that follows member symlinks (skopeo/podman legacy layers).
//! Rejects absolute and `..` member names. It does not read member contents.

use super::error::{ArchiveError, ErrorKind};
use super::layer::escapes_root;
use super::source::Source;
use super::tar_walk::{TarHeader, TarWalker};
use std::collections::HashMap;

/// One member of the outer archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Name as used for lookup: `./` prefixes and trailing `/` removed, lossy UTF-8.
    pub name: String,
    pub typeflag: u8,
    /// Offset of the body in the (uncompressed) archive stream.
    pub offset: u64,
    pub size: u64,
    /// Link target for symlinks and hard links.
    pub link: String,
}

impl Member {
    pub fn is_symlink(&self) -> bool {
        self.typeflag == b'2'
    }
    pub fn is_hardlink(&self) -> bool {
        self.typeflag == b'1'
    }
    pub fn is_file(&self) -> bool {
        !matches!(self.typeflag, b'1'..=b'6')
    }
}

/// All members, in archive order, with a name index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberIndex {
    pub members: Vec<Member>,
    by_name: HashMap<String, usize>,
}

/// Strip `./` prefixes and trailing slashes.
pub fn clean_name(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    let mut s: &str = &s;
    while let Some(r) = s.strip_prefix("./") {
        s = r;
    }
    s.trim_end_matches('/').to_string()
}

/// Check a raw member name and turn a header into a member.
pub fn member_of(h: &TarHeader, archive_member: &str) -> Result<Member, ArchiveError> {
    if h.path.starts_with(b"/") || escapes_root(&h.path) {
        return Err(ArchiveError::new(
            ErrorKind::UnsafePath,
            archive_member,
            h.header_offset,
            "a relative member name without `..`",
            String::from_utf8_lossy(&h.path).into_owned(),
        ));
    }
    Ok(Member {
        name: clean_name(&h.path),
        typeflag: h.typeflag,
        offset: h.data_offset,
        size: h.size,
        link: String::from_utf8_lossy(&h.link).into_owned(),
    })
}

/// Join a relative link target onto the directory of `from`, resolving `.` and `..`; `None`
/// when it climbs above the archive root.
fn join_link(from: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = from.split('/').collect();
        p.pop();
        p
    };
    for c in target.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    Some(parts.join("/"))
}

impl MemberIndex {
    pub fn push(&mut self, m: Member) {
        // A later member of the same name replaces the earlier one, as tar extraction would.
        self.by_name.insert(m.name.clone(), self.members.len());
        self.members.push(m);
    }
    pub fn get(&self, name: &str) -> Option<&Member> {
        self.by_name
            .get(&clean_name(name.as_bytes()))
            .map(|&i| &self.members[i])
    }
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
    pub fn len(&self) -> usize {
        self.members.len()
    }
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Find the member holding the data of `name`, following symlinks (relative to the link's
    /// directory) and hard links, at most 16 hops.
    pub fn resolve(&self, name: &str) -> Result<&Member, ArchiveError> {
        let mut cur = clean_name(name.as_bytes());
        for _ in 0..16 {
            let m = self.get(&cur).ok_or_else(|| {
                ArchiveError::new(
                    ErrorKind::Missing,
                    &cur,
                    0,
                    "an archive member of this name",
                    "no such member",
                )
            })?;
            if m.is_symlink() {
                cur = join_link(&m.name, &m.link).ok_or_else(|| {
                    ArchiveError::new(
                        ErrorKind::UnsafePath,
                        &m.name,
                        m.offset,
                        "a symlink target inside the archive",
                        m.link.clone(),
                    )
                })?;
            } else if m.is_hardlink() {
                cur = clean_name(m.link.as_bytes());
            } else {
                return Ok(m);
            }
        }
        Err(ArchiveError::new(
            ErrorKind::UnsafePath,
            name,
            0,
            "a link chain of at most 16 hops",
            "a longer chain or a loop",
        ))
    }
}

/// A stream that ends inside the last member's body is that member's fault: name it.
pub fn blame_last(index: &MemberIndex, mut e: ArchiveError) -> ArchiveError {
    if let Some(last) = index.members.last() {
        if e.member.is_empty()
            && e.offset <= last.offset.saturating_add(last.size)
            && e.offset >= last.offset
        {
            e.member = last.name.clone();
        }
    }
    e
}

/// Index every member of a tar stream (bodies are skipped). On a fault, returns the members
/// indexed so far together with the error.
pub fn index_members<S: Source>(src: S) -> (MemberIndex, Option<ArchiveError>, S) {
    let mut walker = TarWalker::new(src, "");
    let mut index = MemberIndex::default();
    let err = loop {
        match walker.next_entry() {
            Ok(Some(h)) => match member_of(&h, "") {
                Ok(m) => index.push(m),
                Err(e) => break Some(e),
            },
            Ok(None) => break None,
            Err(e) => break Some(blame_last(&index, e)),
        }
    };
    (index, err, walker.into_source())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_join() {
        assert_eq!(
            join_link("abc/layer.tar", "../def.tar").as_deref(),
            Some("def.tar")
        );
        assert_eq!(join_link("layer.tar", "../x"), None);
        assert_eq!(join_link("a/b", "c/./d").as_deref(), Some("a/c/d"));
    }

    #[test]
    fn names() {
        assert_eq!(clean_name(b"./index.json"), "index.json");
        assert_eq!(clean_name(b"./blobs/sha256/"), "blobs/sha256");
    }
}
