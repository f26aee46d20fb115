//! The merged view of every image of every archive in ../shared/corpus/images equals a naive,
//! independent application of its truth file's entry lists (a flat map of paths, written here
//! from the OCI rules), at the top and after every layer.

mod common;

use layerscope::image::{EntryKind, Layer, Whiteout};
use layerscope::overlay::Stack;
use std::collections::BTreeMap;

type View = BTreeMap<String, (EntryKind, usize)>;

/// path → (kind, providing layer) after each layer; no sharing, no tree, plain prefix scans.
fn naive(layers: &[Layer]) -> Vec<View> {
    let mut views = Vec::new();
    let mut m: View = BTreeMap::new();
    let remove_under = |m: &mut BTreeMap<String, (EntryKind, usize)>, dir: &str| {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let doomed: Vec<String> = m
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in doomed {
            m.remove(&k);
        }
    };
    for (li, l) in layers.iter().enumerate() {
        for e in &l.entries {
            if let Some(Whiteout::Opaque(d)) = e.whiteout() {
                let d = String::from_utf8(d).unwrap();
                if m.get(&d).is_some_and(|v| v.0 == EntryKind::Dir) || d.is_empty() {
                    remove_under(&mut m, &d);
                }
            }
        }
        for e in &l.entries {
            if let Some(Whiteout::Deletes(p)) = e.whiteout() {
                let p = String::from_utf8(p).unwrap();
                m.remove(&p);
                remove_under(&mut m, &p);
            }
        }
        for e in &l.entries {
            if e.whiteout().is_some() {
                continue;
            }
            let p = String::from_utf8(e.path.normalized().to_vec()).unwrap();
            // Parents that are missing or not directories become directories of this layer.
            let parts: Vec<&str> = p.split('/').collect();
            for k in 1..parts.len() {
                let parent = parts[..k].join("/");
                if m.get(&parent).is_none_or(|v| v.0 != EntryKind::Dir) {
                    remove_under(&mut m, &parent);
                    m.insert(parent, (EntryKind::Dir, li));
                }
            }
            let was_dir = m.get(&p).is_some_and(|v| v.0 == EntryKind::Dir);
            if !(was_dir && e.kind == EntryKind::Dir) {
                remove_under(&mut m, &p);
            }
            m.insert(p, (e.kind, li));
        }
        views.push(m.clone());
    }
    views
}

#[test]
fn merged_views_equal_naive_application_of_the_truth() {
    let Some(corpus) = common::truth::corpus() else {
        return;
    };
    let mut truths = Vec::new();
    for dir in std::fs::read_dir(&corpus).unwrap().filter_map(|e| e.ok()) {
        if !dir.path().is_dir() {
            continue;
        }
        for f in std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
        {
            let n = f.file_name().to_string_lossy().into_owned();
            if let Some(a) = n.strip_suffix(".truth.json") {
                truths.push(dir.path().join(a));
            }
        }
    }
    truths.sort();
    assert!(truths.len() >= 50, "found {} truth files", truths.len());
    let (mut images, mut views, mut paths) = (0, 0, 0);
    for archive in &truths {
        let truth = common::truth::truth(archive);
        for (ii, img) in truth["images"].as_array().unwrap().iter().enumerate() {
            let layers = common::truth::layers_of(img);
            let stack = Stack::new(&layers);
            assert!(
                stack.problems.is_empty(),
                "{}: {:?}",
                archive.display(),
                stack.problems
            );
            let all = naive(&layers);
            for (n, want) in all.into_iter().enumerate() {
                let got: BTreeMap<String, (EntryKind, usize)> = stack
                    .at(n)
                    .walk()
                    .into_iter()
                    .map(|(p, node)| (String::from_utf8(p).unwrap(), (node.entry.kind, node.layer)))
                    .collect();
                if got != want {
                    let missing: Vec<_> = want
                        .iter()
                        .filter(|(k, v)| got.get(*k) != Some(v))
                        .take(5)
                        .collect();
                    let extra: Vec<_> = got
                        .iter()
                        .filter(|(k, v)| want.get(*k) != Some(v))
                        .take(5)
                        .collect();
                    panic!(
                        "{} image {ii} layer {n}: differs\n want-only {missing:?}\n got-only {extra:?}",
                        archive.display()
                    );
                }
                views += 1;
                if n + 1 == layers.len() {
                    paths += want.len();
                }
            }
            images += 1;
        }
    }
    eprintln!(
        "{} archives, {images} images, {views} merged views, {paths} paths at the tops",
        truths.len()
    );
    assert!(images >= truths.len());
}

#[test]
fn edge_image_specifics() {
    let Some(corpus) = common::truth::corpus() else {
        return;
    };
    // overlay2 (opaque markers) and vfs (per-file whiteouts) give the same final view.
    let top = |name: &str| {
        let truth = common::truth::truth(&corpus.join("edge").join(name));
        let layers = common::truth::layers_of(&truth["images"][0]);
        let stack = Stack::new(&layers);
        stack
            .top()
            .walk()
            .into_iter()
            .map(|(p, n)| (String::from_utf8(p).unwrap(), n.entry.kind, n.file_size()))
            .filter(|(p, _, _)| p.starts_with("data/"))
            .collect::<Vec<_>>()
    };
    let overlay = top("edge.docker26.save.tar");
    let vfs = top("edge.docker20.save.tar");
    let get =
        |v: &[(String, EntryKind, u64)], p: &str| v.iter().find(|x| x.0 == p).map(|x| (x.1, x.2));
    for v in [&overlay, &vfs] {
        assert_eq!(
            get(v, "data/dir-to-replace/new.txt"),
            Some((EntryKind::File, 10))
        );
        assert_eq!(get(v, "data/dir-to-replace/one.txt"), None);
        assert_eq!(get(v, "data/dir-to-replace/sub"), None);
        assert_eq!(get(v, "data/dir-to-delete"), None);
        assert_eq!(get(v, "data/delete-me.txt"), None);
        assert_eq!(get(v, "data/readd-me.txt"), Some((EntryKind::File, 9)));
        assert_eq!(
            get(v, "data/type-change/dir-becomes-file"),
            Some((EntryKind::File, 11))
        );
        assert_eq!(get(v, "data/type-change/dir-becomes-file/child.txt"), None);
        assert_eq!(
            get(v, "data/type-change/file-becomes-dir"),
            Some((EntryKind::Dir, 0))
        );
        assert_eq!(get(v, "data/modify-me.txt"), Some((EntryKind::File, 10)));
        // hard-b resolves to hard-a's 15 bytes.
        assert_eq!(get(v, "data/links/hard-b").map(|x| x.1), Some(15));
    }
    let names = |v: &[(String, EntryKind, u64)]| v.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    let diff: Vec<_> = names(&overlay)
        .into_iter()
        .filter(|p| !names(&vfs).contains(p))
        .collect();
    // Only what the builds themselves differ in (docker26's BuildKit vs docker20's classic builder).
    assert!(
        diff.iter()
            .all(|p| !p.contains("dir-to") && !p.contains("type-change")),
        "{diff:?}"
    );
}
