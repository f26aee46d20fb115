//! `layerscope tree`: one layer's entries as an indented tree with type, mode, uid:gid and size.
//! Directories a layer does not list itself (implied parents) are shown as `(implied)`.
//! The renderer takes plain entries, so other views (merged file system, changes) can reuse it.

use super::archive_args::{open, ArchiveArgs};
use crate::image::{Entry, EntryKind, Whiteout};
use std::collections::BTreeMap;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub archive: ArchiveArgs,
    /// Show this layer's own entries (0 = bottom).
    #[arg(long)]
    pub layer: Option<usize>,
}

/// Which entries to show (one variant per view; more views add variants here).
enum View {
    Layer(usize),
}

pub fn run(args: Args) -> ExitCode {
    let view = match args.layer {
        Some(n) => View::Layer(n),
        None => return super::fail("tree: say which view, e.g. --layer N"),
    };
    let mut opts = args.archive.options(false);
    if opts.image.is_none() && opts.tag.is_none() {
        opts.image = Some(0);
    }
    let a = match open(&args.archive.file, &opts) {
        Ok(a) => a,
        Err(e) => return super::fail(e),
    };
    let Some(image) = a.images.first() else {
        return super::fail(format!(
            "{}: {}",
            args.archive.file.display(),
            a.error
                .map_or("no image in the archive".to_string(), |e| e.to_string())
        ));
    };
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
