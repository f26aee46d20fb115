//! `layerscope tree`: one layer's entries as an indented tree with type, mode, uid:gid and size.
//! Directories a layer does not list itself (implied parents) are shown as `(implied)`.
//! The renderer takes plain entries, so other views reuse it. `--merged` shows the union of all
//! layers (overlay rules) with the layer that supplies each path and the lower layers whose copies
//! it hides; `--changes N` lists layer N's Added / Modified / Deleted paths against the layers below.

use super::archive_args::ArchiveArgs;
use crate::image::{Entry, EntryKind, Whiteout};
use crate::overlay::{layer_changes, merged_view, ChangeKind, MergedEntry, Stack};
use std::collections::BTreeMap;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub archive: ArchiveArgs,
    /// Show this layer's own entries (0 = bottom).
    #[arg(long, conflicts_with_all = ["merged", "changes"])]
    pub layer: Option<usize>,
    /// Show the merged file system (all layers, or up to --upto) with the providing layer per path.
    #[arg(long, conflicts_with = "changes")]
    pub merged: bool,
    /// With --merged: the view after this layer instead of the top.
    #[arg(long, requires = "merged")]
    pub upto: Option<usize>,
    /// Show layer N's changes (A/M/D) against the layers below it.
    #[arg(long, value_name = "N")]
    pub changes: Option<usize>,
}

/// Which entries to show (one variant per view).
enum View {
    Layer(usize),
    Merged(Option<usize>),
    Changes(usize),
}

pub fn run(args: Args) -> ExitCode {
    let view = match (args.layer, args.merged, args.changes) {
        (Some(n), _, _) => View::Layer(n),
        (None, true, _) => View::Merged(args.upto),
        (None, false, Some(n)) => View::Changes(n),
        _ => return super::fail("tree: say which view: --layer N, --merged or --changes N"),
    };
    let a = match args.archive.read_image(true, false) {
        Ok(a) => a,
        Err(e) => return super::fail(e),
    };
    let image = &a.images[0];
    match view {
        View::Layer(n) => {
            let Some(layer) = image.layers.iter().find(|l| l.index == n) else {
                return super::fail(format!(
                    "layer {n}: the image has {} layers",
                    image.layers.len()
                ));
            };
            println!(
                "layer {n}  {}  {} entries  {} bytes in regular files",
                layer.digest,
                layer.entries.len(),
                layer.regular_file_bytes()
            );
            print!("{}", render_tree(&layer.entries));
        }
        View::Merged(upto) => {
            let n = upto.unwrap_or(image.layers.len().saturating_sub(1));
            if n >= image.layers.len() {
                return super::fail(format!(
                    "layer {n}: the image has {} layers",
                    image.layers.len()
                ));
            }
            let stack = Stack::new(&image.layers);
            let view = merged_view(&stack, &image.layers, n);
            println!(
                "merged view after layer {n}: {} paths, {} bytes in regular files",
                view.len(),
                view.iter().map(|m| m.node.file_size()).sum::<u64>()
            );
            print!("{}", render_merged(&view));
            for p in &stack.problems {
                eprintln!("layerscope: warning: {p}");
            }
        }
        View::Changes(n) => {
            if n >= image.layers.len() {
                return super::fail(format!(
                    "layer {n}: the image has {} layers",
                    image.layers.len()
                ));
            }
            let stack = Stack::new(&image.layers);
            let changes = layer_changes(&stack, &image.layers, n);
            let count = |k: ChangeKind| changes.iter().filter(|c| c.kind == k).count();
            println!(
                "layer {n} against layers 0..{n}: {} added, {} modified, {} deleted",
                count(ChangeKind::Added),
                count(ChangeKind::Modified),
                count(ChangeKind::Deleted)
            );
            for c in &changes {
                println!("{}", c.to_line());
            }
        }
    }
    if let Some(e) = &a.error {
        eprintln!("layerscope: {}: {e}", args.archive.file.display());
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// `ls -l` mode string: type letter plus rwx bits with setuid/setgid/sticky.
pub fn mode_string(kind: EntryKind, mode: u32) -> String {
    let mut s = String::with_capacity(10);
    s.push(kind.ls_char());
    let bit = |m: u32, c: char| if mode & m != 0 { c } else { '-' };
    let special = |x: u32, sp: u32, lower: char, upper: char| match (mode & x != 0, mode & sp != 0)
    {
        (true, true) => lower,
        (false, true) => upper,
        (true, false) => 'x',
        (false, false) => '-',
    };
    s.push(bit(0o400, 'r'));
    s.push(bit(0o200, 'w'));
    s.push(special(0o100, 0o4000, 's', 'S'));
    s.push(bit(0o040, 'r'));
    s.push(bit(0o020, 'w'));
    s.push(special(0o010, 0o2000, 's', 'S'));
    s.push(bit(0o004, 'r'));
    s.push(bit(0o002, 'w'));
    s.push(special(0o001, 0o1000, 't', 'T'));
    s
}

#[derive(Default)]
struct Node<'a> {
    entry: Option<&'a Entry>,
    children: BTreeMap<Vec<u8>, Node<'a>>,
}

/// Render entries as an indented tree, children sorted by name (bytewise).
pub fn render_tree(entries: &[Entry]) -> String {
    let mut root = Node::default();
    for e in entries {
        let p = e.path.normalized();
        if p.is_empty() {
            root.entry = Some(e);
            continue;
        }
        let mut node = &mut root;
        for comp in p.split(|&b| b == b'/') {
            node = node.children.entry(comp.to_vec()).or_default();
        }
        node.entry = Some(e);
    }
    let mut out = String::new();
    write_children(&root, 0, &mut out);
    out
}

fn write_children(node: &Node<'_>, depth: usize, out: &mut String) {
    for (name, child) in &node.children {
        let name = String::from_utf8_lossy(name);
        let indent = "  ".repeat(depth);
        match child.entry {
            Some(e) => {
                let mut suffix = String::new();
                if e.kind == EntryKind::Dir {
                    suffix.push('/');
                }
                if let Some(t) = &e.link_target {
                    suffix += if e.kind == EntryKind::Symlink {
                        " -> "
                    } else {
                        " link to "
                    };
                    suffix += &t.display();
                }
                if matches!(e.kind, EntryKind::Char | EntryKind::Block) {
                    suffix += &format!(" [{},{}]", e.dev_major, e.dev_minor);
                }
                match e.whiteout() {
                    Some(Whiteout::Opaque(_)) => {
                        suffix += "  (opaque: hides the lower directory's contents)"
                    }
                    Some(Whiteout::Deletes(p)) => {
                        suffix += &format!("  (whiteout: deletes {})", String::from_utf8_lossy(&p))
                    }
                    None => {}
                }
                out.push_str(&format!(
                    "{} {:>15} {:>12}  {indent}{name}{suffix}\n",
                    mode_string(e.kind, e.mode),
                    format!("{}:{}", e.uid, e.gid),
                    e.size
                ));
            }
            None => out.push_str(&format!(
                "{:<10} {:>15} {:>12}  {indent}{name}/\n",
                "(implied)", "", ""
            )),
        }
        write_children(child, depth + 1, out);
    }
}

/// The merged view as an indented tree: mode, uid:gid, size (a hard link shows its target's),
/// then the name, `(layer N)` and the layers whose copies of the path it hides.
pub fn render_merged(view: &[MergedEntry]) -> String {
    let mut out = String::new();
    for m in view {
        let e = &m.node.entry;
        let depth = m.path.iter().filter(|&&b| b == b'/').count();
        let name = String::from_utf8_lossy(m.path.rsplit(|&b| b == b'/').next().unwrap_or(&[]));
        let mut suffix = String::new();
        if e.kind == EntryKind::Dir {
            suffix.push('/');
        }
        if let Some(t) = &e.link_target {
            suffix += if e.kind == EntryKind::Symlink {
                " -> "
            } else {
                " link to "
            };
            suffix += &t.display();
        }
        suffix += &format!("  (layer {}", m.node.layer);
        if m.node.implicit {
            suffix += ", implied";
        }
        if !m.hidden.is_empty() {
            let hides: Vec<String> = m.hidden.iter().map(|h| h.layer.to_string()).collect();
            suffix += &format!("; hides layer {}", hides.join(", "));
        }
        suffix.push(')');
        out.push_str(&format!(
            "{} {:>15} {:>12}  {}{name}{suffix}\n",
            mode_string(e.kind, e.mode),
            format!("{}:{}", e.uid, e.gid),
            m.node.file_size(),
            "  ".repeat(depth)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        assert_eq!(mode_string(EntryKind::File, 0o4755), "-rwsr-xr-x");
        assert_eq!(mode_string(EntryKind::Dir, 0o1777), "drwxrwxrwt");
        assert_eq!(mode_string(EntryKind::File, 0o2644), "-rw-r-Sr--");
        assert_eq!(mode_string(EntryKind::Symlink, 0o777), "lrwxrwxrwx");
    }

    #[test]
    fn tree_layout() {
        let mut link = Entry::new("a/l", EntryKind::Symlink, 0o777, 0);
        link.link_target = Some(crate::image::RawPath::new("f"));
        let entries = vec![
            Entry::new("a/", EntryKind::Dir, 0o755, 0),
            Entry::new("a/f", EntryKind::File, 0o644, 5),
            link,
            Entry::new("b/c/.wh.d", EntryKind::File, 0, 0),
        ];
        let want = "\
drwxr-xr-x             0:0            0  a/
-rw-r--r--             0:0            5    f
lrwxrwxrwx             0:0            0    l -> f
(implied)                                b/
(implied)                                  c/
----------             0:0            0      .wh.d  (whiteout: deletes b/c/d)
";
        assert_eq!(render_tree(&entries), want);
    }
}
