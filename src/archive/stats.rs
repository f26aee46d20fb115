//! Per-layer figures folded entry by entry while a layer is walked: the entry count, counts by
//! type, regular-file bytes, and the whiteout and opaque markers (paths as stored). They let
//! `inspect` report a layer without keeping its entries, so its memory does not grow with the
//! number of entries. Pure arithmetic; it reads nothing and shapes no JSON.

use crate::image::{Entry, EntryKind, RawPath, Whiteout};

/// What `tar -tv` would show of one layer, summed up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayerStats {
    /// Entries as `tar -tv` lists them (whiteout markers included).
    pub entry_count: u64,
    /// Counts in the order of [`EntryKind::ALL`].
    pub counts_by_type: [u64; 7],
    /// Bytes of regular files that are not whiteout markers.
    pub regular_file_bytes: u64,
    /// `.wh.<name>` markers, as stored.
    pub whiteouts: Vec<RawPath>,
    /// `.wh..wh..opq` markers, as stored.
    pub opaque_whiteouts: Vec<RawPath>,
}

impl LayerStats {
    /// Count one more entry.
    pub fn add(&mut self, e: &Entry) {
        self.entry_count += 1;
        if let Some(i) = EntryKind::ALL.iter().position(|&k| k == e.kind) {
            self.counts_by_type[i] += 1;
        }
        match e.whiteout() {
            Some(Whiteout::Opaque(_)) => self.opaque_whiteouts.push(e.path.clone()),
            Some(Whiteout::Deletes(_)) => self.whiteouts.push(e.path.clone()),
            None if e.kind == EntryKind::File => self.regular_file_bytes += e.size,
            None => {}
        }
    }

    /// The figures of a list of entries.
    pub fn of(entries: &[Entry]) -> Self {
        let mut s = LayerStats::default();
        for e in entries {
            s.add(e);
        }
        s
    }

    /// How many entries of one type.
    pub fn count(&self, kind: EntryKind) -> u64 {
        EntryKind::ALL
            .iter()
            .position(|&k| k == kind)
            .map_or(0, |i| self.counts_by_type[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_like_the_listing() {
        let entries = [
            Entry::new("usr/", EntryKind::Dir, 0o755, 0),
            Entry::new("usr/bin/tool", EntryKind::File, 0o755, 1200),
            Entry::new("usr/bin/.wh.old", EntryKind::File, 0o644, 0),
            Entry::new("etc/.wh..wh..opq", EntryKind::File, 0o644, 0),
            Entry::new("usr/bin/t", EntryKind::Symlink, 0o777, 0),
            Entry::new("dev/null", EntryKind::Char, 0o666, 0),
            Entry::new("run/fifo", EntryKind::Fifo, 0o644, 0),
            Entry::new("usr/bin/hard", EntryKind::Hardlink, 0o755, 0),
        ];
        let s = LayerStats::of(&entries);
        assert_eq!(s.entry_count, 8);
        // file, dir, symlink, hardlink, char, block, fifo
        assert_eq!(s.counts_by_type, [3, 1, 1, 1, 1, 0, 1]);
        assert_eq!(s.count(EntryKind::File), 3);
        assert_eq!(s.regular_file_bytes, 1200);
        assert_eq!(s.whiteouts, vec![RawPath::new("usr/bin/.wh.old")]);
        assert_eq!(s.opaque_whiteouts, vec![RawPath::new("etc/.wh..wh..opq")]);
    }
}
