//! Our corrected waste figures and reasons next to dive's, on a hand-built image where dive's two
//! defects show: the opaque directory it ignores and the kept copy it counts as waste. Expected
//! numbers are worked out by hand in the comments. Also layer sharing by diff_id and chain id.

use layerscope::analysis::{dive_figures, our_figures, sharing, Fate};
use layerscope::image::{Entry, EntryKind, Image, Layer};

fn layer(index: usize, spec: &[(&str, EntryKind, u64)]) -> Layer {
    Layer {
        uncompressed_size: spec.iter().map(|s| s.2).sum::<u64>() + 1024,
        ..Layer::bare(
            index,
            spec.iter()
                .map(|(p, k, s)| Entry::new(*p, *k, 0o644, *s))
                .collect(),
        )
    }
}

fn image() -> Vec<Layer> {
    use EntryKind::{Dir as D, File as F};
    vec![
        layer(
            0,
            &[
                ("a/", D, 0),
                ("a/x", F, 100),
                ("a/y", F, 50),
                ("b/", D, 0),
                ("b/big", F, 1000),
            ],
        ),
        layer(1, &[("a/", D, 0), ("a/x", F, 120)]),
        layer(2, &[("b/", D, 0), ("b/.wh.big", F, 0)]),
        layer(3, &[("a/", D, 0), ("a/.wh..wh..opq", F, 0), ("a/z", F, 10)]),
    ]
}

#[test]
fn dive_and_ours_side_by_side() {
    let layers = image();
    let d = dive_figures(&layers);
    // dive: paths /a/x (100+120, min 100), /a/y (50), /b/big (1000 + whiteout 0, min 0), /a/z (10);
    // the directories are not leaves. efficiency = (100+50+0+10) / (220+50+1000+10) = 160/1280.
    assert_eq!(d.efficiency, 160.0 / 1280.0);
    // wasted = cumulative of the paths seen twice: 220 + 1000 (the "kept" 120 included).
    assert_eq!(d.wasted_bytes, 1220);
    assert_eq!(d.user_size_bytes, 130);
    assert_eq!(d.user_wasted_percent, 1220.0 / 130.0);
    let listed: Vec<(String, usize, i64)> = d
        .inefficient_files
        .iter()
        .map(|f| (f.path.clone(), f.count, f.cumulative))
        .collect();
    assert_eq!(
        listed,
        vec![("/b/big".into(), 2, 1000), ("/a/x".into(), 2, 220)]
    );

    let o = our_figures(&layers, 1);
    // Only /a/z (10 B) is visible: the opaque /a hides /a/x and /a/y, the whiteout /b/big.
    assert_eq!(o.stored_bytes, 1280);
    assert_eq!(o.visible_bytes, 10);
    assert_eq!(o.wasted_bytes, 1270);
    assert_eq!(o.efficiency, 1.0 - 1270.0 / 1280.0);
    assert_eq!(o.user_size_bytes, 130);
    assert_eq!(o.user_wasted_bytes, 1270);
    let reasons: Vec<(String, u64, String)> = o
        .paths
        .iter()
        .map(|p| (p.path.clone(), p.wasted, p.reason()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            ("/b/big".into(), 1000, "layer 0 wrote 1000 B (deleted by layer 2, whiteout)".into()),
            (
                "/a/x".into(),
                220,
                "layer 0 wrote 100 B (shadowed by layer 1); layer 1 wrote 120 B (deleted by layer 3, opaque directory /a)".into()
            ),
            ("/a/y".into(), 50, "layer 0 wrote 50 B (deleted by layer 3, opaque directory /a)".into()),
        ]
    );
}

#[test]
fn kept_copies_are_not_waste_and_base_waste_is_not_the_users() {
    use EntryKind::{Dir as D, File as F, Hardlink as H};
    let mut link = Entry::new("k/link", H, 0o644, 0);
    link.link_target = Some(layerscope::image::RawPath::new("k/f"));
    let mut layers = vec![
        // The base (two layers) rewrites its own file: waste, but not the user's.
        layer(0, &[("k/", D, 0), ("k/f", F, 7), ("base", F, 30)]),
        layer(1, &[("base", F, 40)]),
        layer(2, &[("k/", D, 0), ("k/f", F, 9)]),
    ];
    layers[2].entries.push(link);
    layers.push(layer(3, &[("k/", D, 0), ("k/.wh.f", F, 0)]));
    let o = our_figures(&layers, 2);
    // k/f from layer 2 is deleted by layer 3 but still reachable through k/link: kept.
    assert_eq!(o.wasted_bytes, 30 + 7);
    assert_eq!(o.user_wasted_bytes, 7);
    assert_eq!(o.user_size_bytes, 9);
    let kf = o.paths.iter().find(|p| p.path == "/k/f").unwrap();
    assert_eq!(kf.copies.last().unwrap().fate, Fate::Kept);
}

#[test]
fn layers_shared_by_chain_and_by_content() {
    let base = vec![
        layer(0, &[("a", EntryKind::File, 100)]),
        layer(1, &[("b", EntryKind::File, 10)]),
    ];
    let mut app = Image {
        layers: base.clone(),
        ..Image::default()
    };
    app.layers.push(layer(2, &[("app", EntryKind::File, 5)]));
    let mut app2 = Image {
        layers: base.clone(),
        ..Image::default()
    };
    let mut top = layer(2, &[("app", EntryKind::File, 6)]);
    top.diff_id = "sha256:other".into();
    app2.layers.push(top);
    // A third image with app's top layer content directly on layer 0: same diff_id, other chain.
    let odd = Image {
        layers: vec![base[0].clone(), layer(2, &[("app", EntryKind::File, 5)])],
        ..Image::default()
    };
    let s = sharing(&[&app, &app2, &odd]);
    // Uncompressed sizes are entry bytes + 1024: 1124, 1034, 1029 (app), 1030 (app2).
    assert_eq!(
        s.bytes_per_image,
        (1124 + 1034 + 1029) + (1124 + 1034 + 1030) + (1124 + 1029)
    );
    assert_eq!(s.bytes_stored_once, 1124 + 1034 + 1029 + 1030 + 1029);
    assert_eq!(s.layers[0].used_by, vec![(0, 0), (1, 0), (2, 0)]);
    assert_eq!(s.layers[1].used_by, vec![(0, 1), (1, 1)]);
    assert_eq!(s.same_content_other_chain, vec!["sha256:2".to_string()]);
}

/// dive on a crafted archive (tests/fixtures/analysis/crafted-24-ties.py, no corpus needed): two
/// layers with the same 24 files. The figures and the listed paths equal dive's; with more than 12
/// inefficient paths dive's Go sort (pdqsort) is not stable, so equal sizes may come in another
/// order than ours: the list is compared per size.
#[test]
fn crafted_archive_with_many_equal_sizes() {
    let sizes = [
        5u64, 3, 5, 1, 3, 5, 2, 2, 1, 4, 4, 3, 5, 1, 2, 3, 4, 5, 1, 2, 6, 6, 1, 3,
    ];
    let files: Vec<(String, EntryKind, u64)> =
        std::iter::once(("d".to_string(), EntryKind::Dir, 0))
            .chain(
                sizes
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (format!("d/p{i:02}"), EntryKind::File, *s)),
            )
            .collect();
    let spec: Vec<(&str, EntryKind, u64)> =
        files.iter().map(|(p, k, s)| (p.as_str(), *k, *s)).collect();
    let layers = vec![layer(0, &spec), layer(1, &spec)];
    let fig = dive_figures(&layers);
    let want = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/analysis/crafted-24-ties.default.txt"),
    )
    .unwrap();
    let report =
        layerscope::analysis::ci::evaluate(&fig, &layerscope::analysis::ci::CiConfig::default());
    let want_part = want[want.find("  efficiency:").unwrap()..].trim_end();
    let lines = |s: &str| {
        let mut v: Vec<String> = s.lines().map(str::to_string).collect();
        // Within the file list, order by (size column, path) so ties compare as sets.
        let (a, b) = (
            v.iter().position(|l| l.starts_with("Count")).unwrap() + 1,
            v.iter().position(|l| l == "Results:").unwrap(),
        );
        v[a..b].sort_by_key(|l| {
            let size: u64 = l.split_whitespace().nth(1).unwrap().parse().unwrap();
            (std::cmp::Reverse(size), l.clone())
        });
        v
    };
    assert_eq!(lines(report.text.trim_end()), lines(want_part));
    assert_eq!(report.exit_code, 1);
    assert_eq!(fig.efficiency, 0.5);
    assert_eq!(fig.wasted_bytes, 154);
}
