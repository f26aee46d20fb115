//! Table-driven tests of the OCI layer application rules: whiteouts, opaque directories, type
//! changes, directory merges and hard links; merged views and per-layer changes compared as text.

use layerscope::image::{Entry, EntryKind, Layer, RawPath};
use layerscope::overlay::{layer_changes, merged_text, merged_view, Stack};

/// A layer from lines: `d path [mode]`, `f path size [mode]`, `l path target`, `h path target`,
/// `c path` (char device). Whiteout markers are plain files named `.wh.*`.
fn layer(index: usize, spec: &str) -> Layer {
    let entries = spec
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            let mode = |i: usize, d: u32| {
                w.get(i)
                    .map(|m| u32::from_str_radix(m, 8).unwrap())
                    .unwrap_or(d)
            };
            match w[0] {
                "d" => Entry::new(w[1], EntryKind::Dir, mode(2, 0o755), 0),
                "f" => Entry::new(w[1], EntryKind::File, mode(3, 0o644), w[2].parse().unwrap()),
                "c" => Entry::new(w[1], EntryKind::Char, 0o666, 0),
                "l" | "h" => {
                    let kind = if w[0] == "l" {
                        EntryKind::Symlink
                    } else {
                        EntryKind::Hardlink
                    };
                    let mut e = Entry::new(w[1], kind, 0o777, 0);
                    e.link_target = Some(RawPath::new(w[2]));
                    e
                }
                other => panic!("bad spec line {other}"),
            }
        })
        .collect();
    Layer::bare(index, entries)
}

fn layers(specs: &[&str]) -> Vec<Layer> {
    specs.iter().enumerate().map(|(i, s)| layer(i, s)).collect()
}

fn top_text(ls: &[Layer]) -> String {
    let stack = Stack::new(ls);
    merged_text(&merged_view(&stack, ls, ls.len() - 1))
}

#[test]
fn application_rules_table() {
    // (name, layers bottom first, merged view at the top)
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "whiteout hides a lower file",
            &["d a\nf a/x 3\nf a/y 4", "d a\nf a/.wh.x 0"],
            "d a (layer 1, hides 0)\n- a/y (layer 0)\n",
        ),
        (
            "whiteout hides a lower directory and its subtree",
            &["d a\nd a/sub\nf a/sub/deep 2\nf a/keep 1", "d a\nf a/.wh.sub 0"],
            "d a (layer 1, hides 0)\n- a/keep (layer 0)\n",
        ),
        (
            "whiteout never hides an entry of its own layer",
            &["d a\nf a/x 3", "d a\nf a/x 9\nf a/.wh.x 0"],
            "d a (layer 1, hides 0)\n- a/x (layer 1, hides 0)\n",
        ),
        (
            "whiteout of a path that does not exist is harmless",
            &["d a\nf a/x 3", "f a/.wh.nothing 0"],
            "d a (layer 0)\n- a/x (layer 0)\n",
        ),
        (
            "whiteout at the root",
            &["f top 1\nd etc", "f .wh.top 0"],
            "d etc (layer 0)\n",
        ),
        (
            "opaque dir hides every lower child, before its siblings (marker last in tar)",
            &[
                "d a\nf a/old 1\nd a/oldsub\nf a/oldsub/x 1",
                "d a\nf a/new 2\nd a/newsub\nf a/.wh..wh..opq 0",
            ],
            "d a (layer 1, hides 0)\n- a/new (layer 1)\nd a/newsub (layer 1)\n",
        ),
        (
            "opaque dir keeps a same-layer child with a lower name (marker first in tar)",
            &["d a\nf a/x 1\nf a/y 1", "d a\nf a/.wh..wh..opq 0\nf a/x 5"],
            "d a (layer 1, hides 0)\n- a/x (layer 1, hides 0)\n",
        ),
        (
            "opaque marker on a dir that did not exist below",
            &["d b", "d a\nf a/.wh..wh..opq 0\nf a/z 1"],
            "d a (layer 1)\n- a/z (layer 1)\nd b (layer 0)\n",
        ),
        (
            "dir over dir merges the children, upper attributes win",
            &["d a 755\nf a/x 1", "d a 700\nf a/y 1"],
            "d a (layer 1, hides 0)\n- a/x (layer 0)\n- a/y (layer 1)\n",
        ),
        (
            "file over dir replaces the subtree",
            &["d a\nd a/d\nf a/d/child 1", "d a\nf a/d 7"],
            "d a (layer 1, hides 0)\n- a/d (layer 1, hides 0)\n",
        ),
        (
            "dir over file replaces the file",
            &["d a\nf a/f 7", "d a\nd a/f\nf a/f/inside 2"],
            "d a (layer 1, hides 0)\nd a/f (layer 1, hides 0)\n- a/f/inside (layer 1)\n",
        ),
        (
            "symlink over file, file over symlink",
            &["f x 1\nl y x", "l x y\nf y 2"],
            "l x -> y (layer 1, hides 0)\n- y (layer 1, hides 0)\n",
        ),
        (
            "char device over dir",
            &["d dev\nf dev/null 0", "c dev"],
            "c dev (layer 1, hides 0)\n",
        ),
        (
            "missing parents become implicit directories",
            &["f a/b/c 1"],
            "d a (layer 0)\nd a/b (layer 0)\n- a/b/c (layer 0)\n",
        ),
        (
            "delete then re-add: the old copy is hidden",
            &["d a\nf a/x 3", "d a\nf a/.wh.x 0", "d a\nf a/x 4"],
            "d a (layer 2, hides 0 1)\n- a/x (layer 2, hides 0)\n",
        ),
        (
            "hard link in the same layer and to a lower file",
            &["d a\nf a/x 3\nh a/h1 a/x", "d a\nf a/x 3\nh a/h2 a/x"],
            "d a (layer 1, hides 0)\nh a/h1 => a/x (layer 0)\nh a/h2 => a/x (layer 1)\n- a/x (layer 1, hides 0)\n",
        ),
    ];
    let mut failures = Vec::new();
    for (name, specs, want) in cases {
        let ls = layers(specs);
        let got = top_text(&ls);
        if got != *want {
            failures.push(format!("case: {name}\n got: {got:?}\nwant: {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hard_links_resolve_to_the_inode_when_applied() {
    let ls = layers(&["f x 3\nh y x", "f x 10"]);
    let stack = Stack::new(&ls);
    let top = stack.top();
    // y still is the 3-byte file of layer 0 (the same inode), not layer 1's new x.
    let y = top.get(b"y").unwrap();
    assert_eq!(y.file_size(), 3);
    assert_eq!(y.link_target.as_ref().unwrap().layer, 0);
    assert_eq!(top.get(b"x").unwrap().file_size(), 10);
    // A link whose target is missing is kept unresolved and reported.
    let ls = layers(&["h y nowhere"]);
    let stack = Stack::new(&ls);
    assert_eq!(stack.problems.len(), 1);
    assert_eq!(
        stack.problems[0].to_string(),
        "layer 0 entry 0 (y): hard link target nowhere does not exist"
    );
    assert_eq!(stack.top().get(b"y").unwrap().file_size(), 0);
}

fn changes_text(ls: &[Layer], n: usize) -> String {
    let stack = Stack::new(ls);
    layer_changes(&stack, ls, n)
        .iter()
        .map(|c| c.to_line() + "\n")
        .collect()
}

#[test]
fn layer_changes_table() {
    let base = "d a\nf a/x 3\nf a/y 4\nd a/sub\nf a/sub/deep 1\nd b\nf b/f 2";
    let cases: &[(&str, &str, &str)] = &[
        (
            "add and modify",
            "d a\nf a/new 1\nf a/x 5",
            "A a/new\nM a/x (shadows layer 0)\n",
        ),
        (
            "whiteouts of a file and of a directory",
            "d a\nf a/.wh.x 0\nf a/.wh.sub 0",
            "D a/sub (from layer 0) whiteout\nD a/x (from layer 0) whiteout\n",
        ),
        (
            "opaque dir: hidden lower children are deleted, re-written ones modified",
            "d a\nf a/.wh..wh..opq 0\nf a/y 1",
            "D a/sub (from layer 0) opaque a\nD a/x (from layer 0) opaque a\nM a/y (shadows layer 0)\n",
        ),
        (
            "type changes",
            "d a\nf a/sub 2\nd b\nd b/f\nf b/f/in 1",
            "M a/sub (shadows layer 0) [dir -> file]\nM b/f (shadows layer 0) [file -> dir]\nA b/f/in\n",
        ),
        (
            "directory attribute change only",
            "d b 700",
            "M b (shadows layer 0)\n",
        ),
        ("re-emitted parent dirs are no change", "d a\nd b", ""),
    ];
    for (name, upper, want) in cases {
        let ls = layers(&[base, upper]);
        assert_eq!(changes_text(&ls, 1), *want, "case: {name}");
    }
    // Layer 0 against nothing: everything is added.
    let ls = layers(&["d a\nf a/x 1"]);
    assert_eq!(changes_text(&ls, 0), "A a\nA a/x\n");
}

#[test]
fn hidden_copies_say_why() {
    use layerscope::overlay::HiddenBy;
    let ls = layers(&[
        "d a\nf a/x 3",
        "d a\nf a/x 4",
        "f a/.wh.x 0",
        "d a\nf a/x 5",
    ]);
    let stack = Stack::new(&ls);
    let view = merged_view(&stack, &ls, 3);
    let x = view.iter().find(|m| m.path == b"a/x").unwrap();
    assert_eq!(x.node.layer, 3);
    let hidden: Vec<(usize, HiddenBy)> = x.hidden.iter().map(|h| (h.layer, h.by.clone())).collect();
    assert_eq!(
        hidden,
        vec![
            (0, HiddenBy::Shadowed { by_layer: 1 }),
            (
                1,
                HiddenBy::Deleted {
                    by_layer: 2,
                    cause: layerscope::overlay::Cause::Whiteout
                }
            ),
        ]
    );
    // The view at layer 2 has no a/x at all.
    let at2 = merged_text(&merged_view(&stack, &ls, 2));
    assert_eq!(at2, "d a (layer 1, hides 0)\n");
}

#[test]
fn many_layers_share_structure() {
    // 200 layers each touching one file of a 2,000-file directory: every view is kept, and the
    // untouched sibling directory is the same node in all of them.
    let mut specs: Vec<String> = vec![{
        let mut s = String::from("d big\nd other\nf other/o 1\n");
        for i in 0..2000 {
            s.push_str(&format!("f big/f{i} 1\n"));
        }
        s
    }];
    for i in 1..200 {
        specs.push(format!("d big\nf big/f{i} 2\n"));
    }
    let refs: Vec<&str> = specs.iter().map(String::as_str).collect();
    let ls = layers(&refs);
    let stack = Stack::new(&ls);
    let first = stack.at(0);
    let last = stack.top();
    assert!(std::rc::Rc::ptr_eq(
        first.get(b"other").unwrap(),
        last.get(b"other").unwrap()
    ));
    assert_eq!(last.len(), 2003);
    assert_eq!(last.get(b"big/f199").unwrap().layer, 199);
    assert_eq!(last.get(b"big/f1999").unwrap().layer, 0);
    assert_eq!(stack.at(50).get(b"big/f51").unwrap().layer, 0);
}
