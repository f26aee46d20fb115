//! `docker diff` and the `docker ps -s` SIZE column of a container, as Docker computes them for
//! overlay2 (moby `pkg/archive/changes.go` with `overlayDeletedFile`, and the measurements in
//! `docs/docker-semantics.md` §4):
//!
//! - the upper layer is walked; a whiteout is `D`; an opaque directory that the image also has is
//!   `D` (its new children then follow as `A` or `C`);
//! - any other upper path is `A` if the image has no such path, else `C`; but a directory present
//!   on both sides with the same mode is skipped (an mtime- or owner-only change is not `C`), and a
//!   file that was only copied up (the original of a hard link) is skipped;
//! - before an `A` or `D` line, its parent directory is listed as `C` unless already listed (and
//!   never `/`). Only the immediate parent: Docker's own example (nginx) lists
//!   `C /var/lib/nginx/tmp` without `/var`, `/var/lib` or `/var/lib/nginx`;
//! - lines are printed in byte order of the path (Docker's order varies from run to run; the set
//!   does not), which keeps every directory before its children.
//!
//! SIZE is `<rw> (virtual <rw + image>)` with go-units `HumanSizeWithPrecision(_, 3)`, where `<rw>`
//! is what moby's `directory.Size` counts in the upper directory: regular files once per inode plus
//! symlink target lengths.

use super::container::{Container, UpperState};
use crate::analysis::gofmt::human_size_precision;
use std::collections::{BTreeMap, BTreeSet};

/// One `docker diff` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    /// `A`, `C` or `D`.
    pub kind: char,
    /// Normalised path without the leading `/`.
    pub path: Vec<u8>,
}

fn parent_of(path: &[u8]) -> &[u8] {
    match path.iter().rposition(|&b| b == b'/') {
        Some(i) => &path[..i],
        None => b"",
    }
}

/// The changes of a container against its image, in path order.
pub fn docker_diff(c: &Container) -> Vec<DiffLine> {
    let lower = &c.image().top;
    let mut changed_dirs: BTreeSet<Vec<u8>> = BTreeSet::new();
    let mut lines: BTreeMap<Vec<u8>, char> = BTreeMap::new();
    for (path, st) in c.upper() {
        if path.is_empty() {
            continue;
        }
        let low = lower.get(&path);
        let kind = match &st {
            UpperState::Whiteout => {
                if low.is_none() {
                    continue;
                }
                'D'
            }
            UpperState::Dir { opaque, mode } => match low {
                Some(_) if *opaque => 'D',
                Some(n) if n.is_dir() && n.entry.mode == *mode => continue,
                Some(_) => 'C',
                None => 'A',
            },
            UpperState::File { changed, .. }
            | UpperState::Symlink { changed, .. }
            | UpperState::Other { changed } => match low {
                Some(_) if !changed => continue,
                Some(_) => 'C',
                None => 'A',
            },
        };
        if matches!(st, UpperState::Dir { .. }) {
            changed_dirs.insert(path.clone());
        }
        if kind != 'C' {
            let parent = parent_of(&path);
            if !parent.is_empty() && !changed_dirs.contains(parent) {
                lines.insert(parent.to_vec(), 'C');
                changed_dirs.insert(parent.to_vec());
            }
        }
        lines.insert(path, kind);
    }
    lines
        .into_iter()
        .map(|(path, kind)| DiffLine { kind, path })
        .collect()
}

/// `docker diff` output: `C /data\nA /data/new.txt\n`.
pub fn diff_text(lines: &[DiffLine]) -> String {
    lines
        .iter()
        .map(|l| format!("{} /{}\n", l.kind, String::from_utf8_lossy(&l.path)))
        .collect()
}

/// Bytes of the upper layer as overlay2 counts them.
pub fn rw_size(c: &Container) -> u64 {
    let mut inodes = BTreeSet::new();
    let mut total = 0u64;
    for (_, st) in c.upper() {
        match st {
            UpperState::File { inode, size, .. } => {
                if inodes.insert(inode) {
                    total = total.saturating_add(size);
                }
            }
            UpperState::Symlink { target_len, .. } => total = total.saturating_add(target_len),
            _ => {}
        }
    }
    total
}

/// The `docker ps -s` SIZE column: `5B (virtual 7.75MB)`.
pub fn ps_size(c: &Container) -> String {
    let rw = rw_size(c);
    let virt = rw.saturating_add(c.image().virtual_size);
    format!(
        "{} (virtual {})",
        human_size_precision(rw as f64, 3),
        human_size_precision(virt as f64, 3)
    )
}
