//! The file tree's rows: a flat list of changes (or of a merged view) turned into an indented
//! tree with directory sizes, filtered by change type and by a search (substring, or a glob when
//! it has `*`, `?` or `[`), sorted by size (largest first) or name, with collapsed directories
//! left out; plus the merged view at a layer rebuilt from the layers' changes, and the window of
//! rows a virtualised list draws. Pure.

use super::summary::{FileRow, LayerView};
use std::collections::{BTreeMap, BTreeSet};

/// Sort order of siblings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// Largest first, then by name.
    Size,
    Name,
}

/// Which rows to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub added: bool,
    pub modified: bool,
    pub deleted: bool,
    /// Unchanged paths of a merged view.
    pub unchanged: bool,
    pub search: String,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            added: true,
            modified: true,
            deleted: true,
            unchanged: true,
            search: String::new(),
        }
    }
}

impl Filter {
    fn keeps_change(&self, c: char) -> bool {
        match c {
            'A' => self.added,
            'M' => self.modified,
            'D' => self.deleted,
            _ => self.unchanged,
        }
    }
}

/// One visible row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeRow {
    /// `/`-rooted path.
    pub path: String,
    pub name: String,
    pub depth: usize,
    pub is_dir: bool,
    /// A directory with visible children (it can be collapsed).
    pub has_children: bool,
    pub collapsed: bool,
    /// For a directory: the sum of the file sizes below it (among the rows kept); for a file: its size.
    pub size: u64,
    /// The row itself, or `None` for a parent directory that is only there to hold its children.
    pub row: Option<FileRow>,
}

/// `*` any run (also across `/`), `?` one character, `[abc]` / `[a-z]` / `[!a]` a set; matched
/// against the whole path when the pattern starts with `/`, otherwise against any suffix
/// starting at a path component.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    if pattern.starts_with('/') {
        let s: Vec<char> = path.chars().collect();
        return glob_at(&p, &s);
    }
    let chars: Vec<char> = path.chars().collect();
    (0..chars.len())
        .filter(|&i| i == 0 || chars[i - 1] == '/')
        .any(|i| glob_at(&p, &chars[i..]))
}

fn glob_at(p: &[char], s: &[char]) -> bool {
    // Iterative matcher with backtracking on the last `*`.
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, si));
                    pi += 1;
                    continue;
                }
                '?' => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                '[' => {
                    if let Some((ok, next)) = class_match(p, pi, s[si]) {
                        if ok {
                            pi = next;
                            si += 1;
                            continue;
                        }
                    } else if s[si] == '[' {
                        pi += 1;
                        si += 1;
                        continue;
                    }
                }
                c if c == s[si] => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, ss)) => {
                pi = sp + 1;
                si = ss + 1;
                star = Some((sp, ss + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Match `c` against the class starting at `p[start] == '['`: (matched, index after `]`), or
/// `None` when the class is not closed.
fn class_match(p: &[char], start: usize, c: char) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negate = matches!(p.get(i), Some('!') | Some('^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
            if p[i] <= c && c <= p[i + 2] {
                matched = true;
            }
            i += 3;
        } else {
            if p[i] == c {
                matched = true;
            }
            i += 1;
        }
    }
    None
}

/// Whether `path` matches the search: a glob when it has `*`, `?` or `[`, otherwise a
/// case-insensitive substring. An empty search matches everything.
pub fn search_matches(search: &str, path: &str) -> bool {
    let q = search.trim();
    if q.is_empty() {
        return true;
    }
    if q.contains(['*', '?', '[']) {
        glob_match(q, path)
    } else {
        path.to_lowercase().contains(&q.to_lowercase())
    }
}

/// A directory of the tree being built; rows are borrowed until the visible ones are output.
struct Dir<'a> {
    row: Option<&'a FileRow>,
    children: BTreeMap<&'a str, Dir<'a>>,
    size: u64,
}

impl<'a> Dir<'a> {
    fn new() -> Self {
        Dir {
            row: None,
            children: BTreeMap::new(),
            size: 0,
        }
    }
    fn insert(&mut self, path: &'a str, row: &'a FileRow) {
        let mut d = self;
        for c in path.split('/').filter(|c| !c.is_empty()) {
            d = d.children.entry(c).or_insert_with(Dir::new);
        }
        d.row = Some(row);
    }
    fn compute_sizes(&mut self) -> u64 {
        let own = match self.row {
            Some(r) if r.kind != "dir" => r.size,
            _ => 0,
        };
        let below: u64 = self.children.values_mut().map(Dir::compute_sizes).sum();
        self.size = own + below;
        self.size
    }
}

/// The visible rows for `rows` (any order), filtered, sorted, with the directories in
/// `collapsed` (paths) folded.
pub fn tree_rows(
    rows: &[FileRow],
    filter: &Filter,
    sort: SortBy,
    collapsed: &BTreeSet<String>,
) -> Vec<TreeRow> {
    let mut root = Dir::new();
    for r in rows {
        if !filter.keeps_change(r.change) || !search_matches(&filter.search, &r.path) {
            continue;
        }
        // The root itself ("/") is not a row of its own.
        if r.path.split('/').any(|c| !c.is_empty()) {
            root.insert(&r.path, r);
        }
    }
    root.compute_sizes();
    let mut out = Vec::new();
    flatten(&root, "", 0, sort, collapsed, &mut out);
    out
}

fn flatten(
    dir: &Dir,
    prefix: &str,
    depth: usize,
    sort: SortBy,
    collapsed: &BTreeSet<String>,
    out: &mut Vec<TreeRow>,
) {
    let mut kids: Vec<(&&str, &Dir)> = dir.children.iter().collect();
    if sort == SortBy::Size {
        kids.sort_by(|a, b| b.1.size.cmp(&a.1.size).then_with(|| a.0.cmp(b.0)));
    }
    for (name, d) in kids {
        let path = format!("{prefix}/{name}");
        let is_dir = d.row.is_none_or(|r| r.kind == "dir") || !d.children.is_empty();
        let folded = !collapsed.is_empty() && collapsed.contains(&path);
        if !folded {
            out.push(TreeRow {
                path: String::new(),
                name: name.to_string(),
                depth,
                is_dir,
                has_children: !d.children.is_empty(),
                collapsed: false,
                size: d.size,
                row: d.row.cloned(),
            });
            let at = out.len() - 1;
            flatten(d, &path, depth + 1, sort, collapsed, out);
            out[at].path = path;
        } else {
            out.push(TreeRow {
                path,
                name: name.to_string(),
                depth,
                is_dir,
                has_children: !d.children.is_empty(),
                collapsed: !d.children.is_empty(),
                size: d.size,
                row: d.row.cloned(),
            });
        }
    }
}

/// The merged view after layer `upto`, rebuilt from the changes of layers `0..=upto`: each
/// path with the layer that supplies it, `hides` the layer of the copy it shadows, and
/// `change` `' '` except for the paths layer `upto` itself changed.
pub fn merged_rows(layers: &[LayerView], upto: usize) -> Vec<FileRow> {
    let mut map: BTreeMap<String, FileRow> = BTreeMap::new();
    for l in layers.iter().take(upto.saturating_add(1)) {
        for c in &l.changes {
            if c.change == 'D' {
                let prefix = format!("{}/", c.path);
                map.remove(&c.path);
                let gone: Vec<String> = map
                    .range(prefix.clone()..)
                    .take_while(|(k, _)| k.starts_with(&prefix))
                    .map(|(k, _)| k.clone())
                    .collect();
                for k in gone {
                    map.remove(&k);
                }
            } else {
                map.insert(c.path.clone(), c.clone());
            }
        }
    }
    map.into_values()
        .map(|mut r| {
            if r.layer != upto {
                r.change = ' ';
            }
            r
        })
        .collect()
}

/// Height in pixels of one row of the virtualised list.
pub const ROW_HEIGHT: u32 = 22;

/// The rows `[first, end)` to draw for a list of `total` rows scrolled to `scroll_top` in a
/// viewport `viewport` pixels high, with `overscan` extra rows on each side.
pub fn window(total: usize, scroll_top: u32, viewport: u32, overscan: usize) -> (usize, usize) {
    let first = (scroll_top / ROW_HEIGHT) as usize;
    let visible = viewport.div_ceil(ROW_HEIGHT) as usize + 1;
    let start = first.saturating_sub(overscan).min(total);
    let end = (first + visible + overscan).min(total);
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(path: &str, change: char, kind: &str, size: u64, layer: usize) -> FileRow {
        FileRow {
            path: path.to_string(),
            change,
            kind: kind.to_string(),
            size,
            mode: 0o644,
            uid: 0,
            gid: 0,
            mtime: 0,
            link: None,
            layer,
            hides: None,
        }
    }

    fn sample() -> Vec<FileRow> {
        vec![
            row("/etc", 'M', "dir", 0, 1),
            row("/etc/passwd", 'M', "file", 300, 1),
            row("/app", 'A', "dir", 0, 1),
            row("/app/a.py", 'A', "file", 10, 1),
            row("/app/big.bin", 'A', "file", 5000, 1),
            row("/tmp/cache", 'D', "dir", 0, 1),
            row("/usr/lib/libz.so", 'A', "file", 700, 1),
        ]
    }

    fn names(rows: &[TreeRow]) -> Vec<String> {
        rows.iter()
            .map(|r| format!("{}{} {}", "  ".repeat(r.depth), r.name, r.size))
            .collect()
    }

    #[test]
    fn sorted_by_size_with_directory_sizes() {
        let rows = tree_rows(
            &sample(),
            &Filter::default(),
            SortBy::Size,
            &BTreeSet::new(),
        );
        assert_eq!(
            names(&rows),
            vec![
                "app 5010",
                "  big.bin 5000",
                "  a.py 10",
                "usr 700",
                "  lib 700",
                "    libz.so 700",
                "etc 300",
                "  passwd 300",
                "tmp 0",
                "  cache 0",
            ]
        );
        // Parents no layer listed are context rows.
        assert_eq!(rows[3].row, None);
        assert!(rows[3].is_dir && rows[3].has_children);
        assert_eq!(rows[9].row.as_ref().map(|r| r.change), Some('D'));
    }

    #[test]
    fn sorted_by_name_filtered_and_collapsed() {
        let f = Filter {
            added: false,
            ..Filter::default()
        };
        let rows = tree_rows(&sample(), &f, SortBy::Name, &BTreeSet::new());
        assert_eq!(
            names(&rows),
            vec!["etc 300", "  passwd 300", "tmp 0", "  cache 0"]
        );
        let collapsed: BTreeSet<String> = ["/app".to_string()].into();
        let rows = tree_rows(&sample(), &Filter::default(), SortBy::Name, &collapsed);
        assert_eq!(
            names(&rows),
            vec![
                "app 5010",
                "etc 300",
                "  passwd 300",
                "tmp 0",
                "  cache 0",
                "usr 700",
                "  lib 700",
                "    libz.so 700",
            ]
        );
        assert!(rows[0].collapsed);
    }

    #[test]
    fn search_substring_and_glob() {
        let f = Filter {
            search: "LIBZ".into(),
            ..Filter::default()
        };
        let rows = tree_rows(&sample(), &f, SortBy::Name, &BTreeSet::new());
        assert_eq!(
            names(&rows),
            vec!["usr 700", "  lib 700", "    libz.so 700"]
        );
        for (pat, path, want) in [
            ("*.py", "/app/a.py", true),
            ("*.py", "/app/a.pyc", false),
            ("/app/*", "/app/a.py", true),
            ("/app/*", "/usr/app/a.py", false),
            ("lib/lib?.so", "/usr/lib/libz.so", true),
            ("lib[xyz].so", "/usr/lib/libz.so", true),
            ("lib[!z].so", "/usr/lib/libz.so", false),
            ("lib[a-c].so", "/usr/lib/libb.so", true),
            ("b.py", "/app/ab.py", false),
            ("etc/*wd", "/etc/passwd", true),
        ] {
            assert_eq!(glob_match(pat, path), want, "{pat} {path}");
        }
        assert!(search_matches("", "/x"));
        assert!(search_matches("PASS", "/etc/passwd"));
    }

    #[test]
    fn merged_view_from_changes() {
        let l0 = LayerView {
            index: 0,
            digest: String::new(),
            diff_id: String::new(),
            size: 0,
            entry_count: 0,
            changes: vec![
                row("/tmp", 'A', "dir", 0, 0),
                row("/tmp/cache", 'A', "dir", 0, 0),
                row("/tmp/cache/x", 'A', "file", 4, 0),
                row("/etc/passwd", 'A', "file", 100, 0),
            ],
        };
        let mut passwd = row("/etc/passwd", 'M', "file", 300, 1);
        passwd.hides = Some(0);
        let l1 = LayerView {
            index: 1,
            changes: vec![passwd, row("/tmp/cache", 'D', "dir", 0, 1)],
            ..l0.clone()
        };
        let layers = [l0, l1];
        let m = merged_rows(&layers, 1);
        let got: Vec<(String, char, usize, Option<usize>)> = m
            .iter()
            .map(|r| (r.path.clone(), r.change, r.layer, r.hides))
            .collect();
        assert_eq!(
            got,
            vec![
                ("/etc/passwd".to_string(), 'M', 1, Some(0)),
                ("/tmp".to_string(), ' ', 0, None),
            ]
        );
        assert_eq!(merged_rows(&layers, 0).len(), 4);
    }

    #[test]
    fn windows() {
        // 22 px rows, 440 px viewport: 21 rows visible, plus overscan.
        assert_eq!(window(1000, 0, 440, 5), (0, 26));
        assert_eq!(window(1000, 2200, 440, 5), (95, 126));
        assert_eq!(window(100, 2200, 440, 5), (95, 100));
        assert_eq!(window(0, 500, 440, 5), (0, 0));
    }
}
