//! Reducer and summary tests: a hand-made image (three layers, a whiteout, an opaque directory)
//! with hand-checked expectations, and the corpus archives compared with their truth files.

use super::*;
use crate::image::{Entry, EntryKind, HistoryRow, Image, Layer};
use std::rc::Rc;

fn layer(index: usize, entries: Vec<Entry>) -> Layer {
    Layer {
        digest: format!("sha256:{index}"),
        diff_id: format!("sha256:d{index}"),
        ..Layer::bare(index, entries)
    }
}

fn step(by: &str, layer: Option<usize>) -> HistoryRow {
    HistoryRow {
        created: Some("2026-11-28T03:56:47Z".into()),
        created_by: by.into(),
        comment: String::new(),
        author: String::new(),
        empty_layer: layer.is_none(),
        layer_index: layer,
    }
}

fn hand_image() -> Image {
    let f = |p: &str, n| Entry::new(p, EntryKind::File, 0o644, n);
    let d = |p: &str| Entry::new(p, EntryKind::Dir, 0o755, 0);
    Image {
        tags: vec!["hand:1".into()],
        config_digest: "sha256:0123456789abcdef0123".into(),
        layers: vec![
            layer(
                0,
                vec![
                    d("etc/"),
                    f("etc/passwd", 100),
                    d("tmp/"),
                    d("tmp/cache/"),
                    f("tmp/cache/a", 4000),
                ],
            ),
            layer(
                1,
                vec![d("etc/"), f("etc/passwd", 120), f("etc/.wh.gone", 0)],
            ),
            layer(2, vec![d("tmp/"), f("tmp/.wh.cache", 0), f("app.py", 24)]),
        ],
        history: vec![
            step("/bin/sh -c #(nop) ADD file:abc in / ", Some(0)),
            step("/bin/sh -c #(nop)  CMD [\"sh\"]", None),
            step("/bin/sh -c echo x >> /etc/passwd", Some(1)),
            step("COPY app.py /app.py # buildkit", Some(2)),
        ],
        ..Image::default()
    }
}

fn loaded() -> ExploreState {
    let im = summary::summarize(&hand_image(), "hand.tar", 7, 0, "test", 1_800_000_000);
    ExploreState::default()
        .reduce(ExploreAction::LoadStarted {
            job: 7,
            name: "hand.tar".into(),
            size: 10_240,
        })
        .reduce(ExploreAction::Progress {
            job: 7,
            bytes: 5120,
            layers: 1,
            layers_total: Some(3),
        })
        .reduce(ExploreAction::Loaded {
            job: 7,
            images: vec![im],
            error: None,
        })
}

fn lines(s: &ExploreState) -> Vec<String> {
    s.rows
        .iter()
        .map(|r| {
            let c = r.row.as_ref().map_or('.', |x| x.change);
            format!("{}{c} {} {}", "  ".repeat(r.depth), r.name, r.size)
        })
        .collect()
}

#[test]
fn summary_of_a_hand_made_image() {
    let image = hand_image();
    let mut im = summary::summarize(&image, "hand.tar", 7, 0, "test", 1_800_000_000);
    assert_eq!(im.analysis, None);
    im.analysis = Some(summary::analyze(&image));
    assert_eq!(
        im.layers.iter().map(|l| l.size).collect::<Vec<_>>(),
        vec![4100, 120, 24]
    );
    let ch = |n: usize| -> Vec<(String, char, Option<usize>)> {
        im.layers[n]
            .changes
            .iter()
            .map(|c| (c.path.clone(), c.change, c.hides))
            .collect()
    };
    assert_eq!(
        ch(1),
        vec![("/etc/passwd".to_string(), 'M', Some(0))],
        "unchanged parent dirs are not changes; the whiteout of a missing path deletes nothing"
    );
    assert_eq!(
        ch(2),
        vec![
            ("/app.py".to_string(), 'A', None),
            ("/tmp/cache".to_string(), 'D', Some(0)),
        ]
    );
    // Header + 4 rows, newest first; only the newest row has an id.
    assert_eq!(im.history.len(), 5);
    assert!(im.history[0].starts_with("IMAGE "), "{}", im.history[0]);
    assert!(
        im.history[1].starts_with("0123456789ab   "),
        "{}",
        im.history[1]
    );
    for row in &im.history[2..] {
        assert!(row.starts_with("<missing>      "), "{row}");
    }
    let blocks = stack::blocks(&im, crate::viewmodel::Lang::En);
    let got: Vec<(Option<usize>, String, u32)> = blocks
        .iter()
        .map(|b| (b.layer, b.label.clone(), b.height))
        .collect();
    assert_eq!(
        got,
        vec![
            (Some(0), "ADD file:abc in /".to_string(), 47),
            (None, "CMD [\"sh\"]".to_string(), 6),
            (Some(1), "RUN echo x >> /etc/passwd".to_string(), 35),
            (Some(2), "COPY app.py /app.py".to_string(), 29),
        ]
    );
    // Ours counts only the copies nobody sees: passwd's first 100 B and the deleted 4000 B.
    assert_eq!(
        im.analysis.as_ref().map(|a| a.ours_wasted).unwrap_or(0),
        4100
    );
    assert_eq!(
        im.analysis
            .as_ref()
            .map(|a| a.top[0].path.clone())
            .unwrap_or_default(),
        "/tmp/cache/a"
    );
    assert_eq!(
        im.analysis.as_ref().map(|a| a.dive_wasted).unwrap_or(1),
        crate::analysis::dive_figures(&image.layers).wasted_bytes
    );
    // The summary crosses the worker boundary as JSON and comes back equal.
    let json = serde_json::to_string(&im).expect("serialise");
    let back: LoadedImage = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(
        (
            &back.layers,
            &back.steps,
            &back.history,
            back.analysis.as_ref().map(|a| &a.top)
        ),
        (
            &im.layers,
            &im.steps,
            &im.history,
            im.analysis.as_ref().map(|a| &a.top)
        )
    );
}

#[test]
fn reducer_selects_filters_and_navigates() {
    let s = loaded();
    assert!(s.jobs.is_empty());
    assert_eq!(s.image, Some(0));
    assert_eq!(
        lines(&s),
        vec![
            "A tmp 4000",
            "  A cache 4000",
            "    A a 4000",
            "A etc 100",
            "  A passwd 100"
        ]
    );
    let s = s.reduce(ExploreAction::MoveLayer(2));
    assert_eq!(s.layer, 2);
    assert_eq!(lines(&s), vec!["A app.py 24", ". tmp 0", "  D cache 0"]);
    let s = s.reduce(ExploreAction::MoveLayer(5));
    assert_eq!(s.layer, 2, "clamped to the top layer");
    let s = s.reduce(ExploreAction::ToggleChange('D'));
    assert_eq!(lines(&s), vec!["A app.py 24"]);
    let s = s
        .reduce(ExploreAction::ToggleChange('D'))
        .reduce(ExploreAction::SetMode(TreeMode::Merged));
    assert_eq!(
        lines(&s),
        vec!["  etc 120", "    passwd 120", "A app.py 24", "  tmp 0"]
    );
    let s = s.reduce(ExploreAction::SetSort(SortBy::Name));
    assert_eq!(
        lines(&s),
        vec!["A app.py 24", "  etc 120", "    passwd 120", "  tmp 0"]
    );
    // Keyboard: down twice focuses passwd and shows it; left goes to its parent, left again folds.
    let s = s
        .reduce(ExploreAction::MoveFocus(1))
        .reduce(ExploreAction::MoveFocus(1));
    assert_eq!(s.path.as_deref(), Some("/etc/passwd"));
    let s = s.reduce(ExploreAction::FocusDir(false));
    assert_eq!((s.focus, s.path.as_deref()), (1, Some("/etc")));
    let s = s.reduce(ExploreAction::FocusDir(false));
    assert_eq!(lines(&s), vec!["A app.py 24", "  etc 120", "  tmp 0"]);
    assert!(s.rows[1].collapsed);
    let s = s.reduce(ExploreAction::FocusDir(true));
    assert_eq!(s.rows.len(), 4);
    let s = s.reduce(ExploreAction::SetSearch("pass".into()));
    assert_eq!(lines(&s), vec![". etc 120", "    passwd 120"]);
    // Previews: only the answer for the path asked for is kept.
    let s = s
        .reduce(ExploreAction::SelectPath("/etc/passwd".into()))
        .reduce(ExploreAction::PreviewRequested {
            path: "/etc/passwd".into(),
            size: 120,
        })
        .reduce(ExploreAction::PreviewLoaded {
            path: "/other".into(),
            bytes: b"no".to_vec(),
            error: None,
        });
    assert_eq!(s.preview.as_ref().and_then(|p| p.text.clone()), None);
    let s = s.reduce(ExploreAction::PreviewLoaded {
        path: "/etc/passwd".into(),
        bytes: b"root:x:0:0\n".to_vec(),
        error: None,
    });
    assert_eq!(
        s.preview.as_ref().and_then(|p| p.text.clone()),
        Some(PreviewText::Text("root:x:0:0\n".into()))
    );
}

#[test]
fn errors_and_cancel() {
    let s = ExploreState::default()
        .reduce(ExploreAction::LoadStarted {
            job: 1,
            name: "bad.tar".into(),
            size: 3,
        })
        .reduce(ExploreAction::LoadStarted {
            job: 2,
            name: "big.tar".into(),
            size: 3,
        })
        .reduce(ExploreAction::Loaded {
            job: 1,
            images: vec![],
            error: Some("manifest.json: expected JSON".into()),
        })
        .reduce(ExploreAction::Cancel { job: 2 });
    assert!(s.jobs.is_empty());
    assert_eq!(s.errors, vec!["bad.tar: manifest.json: expected JSON"]);
    assert_eq!(s.image, None);
    assert!(s.rows.is_empty());
}

#[test]
fn compare_two_images() {
    let a = hand_image();
    let mut b = hand_image();
    b.layers.truncate(2);
    b.layers.push(layer(
        2,
        vec![Entry::new("srv.py", EntryKind::File, 0o644, 9)],
    ));
    b.layers[2].diff_id = "sha256:other".into();
    let sa = summary::summarize(&a, "a.tar", 1, 0, "test", 0);
    let sb = summary::summarize(&b, "b.tar", 2, 0, "test", 0);
    let c = compare::compare(&sa, &sb);
    assert_eq!(c.shared, 2);
    assert_eq!((c.unique_a.clone(), c.unique_b.clone()), (vec![2], vec![2]));
    let got: Vec<(char, String)> = c.diffs.iter().map(|d| (d.sign, d.path.clone())).collect();
    assert_eq!(
        got,
        vec![
            ('-', "/app.py".to_string()),
            ('+', "/srv.py".to_string()),
            ('+', "/tmp/cache".to_string()),
            ('+', "/tmp/cache/a".to_string()),
        ]
    );
}

/// Every corpus archive: as many layers and history rows as the truth says, and every whiteout
/// of a path that exists below it listed as Deleted in its layer's changes.
#[test]
fn corpus_archives_match_their_truth() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/images");
    if !root.exists() {
        eprintln!("note: ../shared/corpus/images not found; corpus test skipped");
        return;
    }
    let mut checked = 0;
    let mut deleted_checked = 0;
    for dir in ["app", "base", "edge", "multi"] {
        let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut names: Vec<_> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(".truth.json"))
            .collect();
        names.sort();
        for truth_path in names {
            let archive = std::path::PathBuf::from(
                truth_path.to_string_lossy().trim_end_matches(".truth.json"),
            );
            let Ok(file) = std::fs::File::open(&archive) else {
                continue;
            };
            let truth: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&truth_path).expect("truth")).expect("json");
            let a = crate::archive::read_archive(
                std::io::BufReader::new(file),
                &crate::archive::ReadOptions::default(),
            );
            assert!(a.error.is_none(), "{archive:?}: {:?}", a.error);
            let timages = truth["images"].as_array().expect("images");
            let all: Vec<_> = a
                .images
                .iter()
                .enumerate()
                .map(|(k, im)| summary::summarize(im, "x", 0, k, "", 1_800_000_000))
                .collect();
            // The worker's binary message gives back exactly what was summarised.
            assert_eq!(wire::decode(&wire::encode(&all)).as_ref(), Ok(&all));
            // Sent in two parts (layer 0 first, the others after), the same summary.
            for (k, im) in a.images.iter().enumerate() {
                assert_eq!(in_two_parts(im, k), all[k], "{archive:?} image {k}");
            }
            for (k, im) in a.images.iter().enumerate() {
                let s = summary::summarize(im, "x", 0, k, "", 1_800_000_000);
                let t = timages
                    .iter()
                    .find(|t| {
                        let hex = im.config_digest.trim_start_matches("sha256:");
                        t["config_sha256"].as_str() == Some(im.config_digest.as_str())
                            || t["config_file"].as_str().is_some_and(|f| f.contains(hex))
                    })
                    .unwrap_or_else(|| panic!("{archive:?}: {} not in truth", im.config_digest));
                assert_eq!(
                    s.layers.len() as u64,
                    t["layer_count"].as_u64().unwrap_or(0)
                );
                assert_eq!(
                    s.history.len() as u64,
                    t["history_count"].as_u64().unwrap_or(0) + 1,
                    "{archive:?}"
                );
                for tl in t["layers"].as_array().expect("layers") {
                    let n = tl["index"].as_u64().unwrap_or(0) as usize;
                    let below = if n == 0 {
                        Vec::new()
                    } else {
                        tree::merged_rows(&s.layers, n - 1)
                    };
                    for w in tl["whiteouts"].as_array().into_iter().flatten() {
                        let target = format!("/{}", w["deletes"].as_str().unwrap_or(""));
                        if !below.iter().any(|r| r.path == target) {
                            continue;
                        }
                        assert!(
                            s.layers[n]
                                .changes
                                .iter()
                                .any(|c| c.path == target && c.change == 'D'),
                            "{archive:?} layer {n}: {target} not Deleted"
                        );
                        deleted_checked += 1;
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} images checked");
    eprintln!("{checked} images, {deleted_checked} whiteouts checked");
    assert!(
        deleted_checked >= 10,
        "only {deleted_checked} whiteouts checked"
    );
}

#[test]
fn analysis_arrives_after_the_layers() {
    let s = loaded();
    assert_eq!(s.images[0].analysis, None);
    let before = s.images[0].clone();
    let s2 = s.reduce(ExploreAction::AnalysisReady {
        job: 7,
        image_index: 0,
        analysis: summary::analyze(&hand_image()),
    });
    assert_eq!(
        s2.images[0].analysis.as_ref().map(|a| a.ours_wasted),
        Some(4100)
    );
    assert_eq!(s2.images[0].layers, before.layers);
    // A new allocation, so components showing the image re-render; the tree is untouched.
    assert_ne!(s2.images[0], before);
    assert!(Rc::ptr_eq(&s2.rows, &s.rows));
    // An answer for an unknown job changes nothing.
    let s3 = s2.reduce(ExploreAction::AnalysisReady {
        job: 99,
        image_index: 0,
        analysis: summary::analyze(&hand_image()),
    });
    assert_eq!(s3, s2);
}

fn odd_image() -> LoadedImage {
    let mut im = summary::summarize(&hand_image(), "händ.tar", 7, 2, "test", 1_800_000_000);
    im.analysis = Some(summary::analyze(&hand_image()));
    im.other_platforms = vec!["linux/arm64/v8".into(), "windows/amd64".into()];
    // Paths sharing a prefix that ends inside a multi-byte character, extreme numbers, links.
    let row = |path: &str, link: Option<&str>| FileRow {
        path: path.into(),
        change: 'M',
        kind: "symlink".into(),
        size: u64::MAX,
        mode: u32::MAX,
        uid: u64::MAX,
        gid: 0,
        mtime: i64::MIN,
        link: link.map(str::to_string),
        layer: 2,
        hides: Some(0),
    };
    im.layers[2].changes.extend([
        row("/données/é", Some("/x")),
        row("/données/è", Some("/x")),
        row("/données/è/ünï", None),
        row("/", Some("")),
    ]);
    im.layers[2].changes[4].mtime = i64::MAX;
    im.steps.push(summary::StepView {
        created_by: "CMD [\"sh\"]".into(),
        layer: None,
    });
    if let Some(a) = im.analysis.as_mut() {
        a.dive_user_wasted_percent = None;
        a.ours_efficiency = -0.0;
    }
    im
}

#[test]
fn wire_round_trips_exactly() {
    let a = odd_image();
    let mut b = odd_image();
    b.tags.clear();
    b.analysis = None;
    b.layers[0].changes.clear();
    for images in [vec![], vec![a.clone()], vec![a, b]] {
        let bytes = wire::encode(&images);
        let back = wire::decode(&bytes).expect("decodes");
        assert_eq!(back, images);
        // -0.0 == 0.0, so compare the bits of the floats too.
        for (x, y) in back.iter().zip(&images) {
            let bits = |i: &LoadedImage| {
                i.analysis
                    .as_ref()
                    .map(|a| (a.ours_efficiency.to_bits(), a.dive_efficiency.to_bits()))
            };
            assert_eq!(bits(x), bits(y));
        }
    }
}

#[test]
fn wire_is_smaller_than_json() {
    let im = odd_image();
    let json = serde_json::to_vec(&im).expect("json");
    let bin = wire::encode(std::slice::from_ref(&im));
    assert!(
        bin.len() * 2 < json.len(),
        "{} vs {}",
        bin.len(),
        json.len()
    );
}

#[test]
fn wire_rejects_bad_bytes_without_panicking() {
    let bytes = wire::encode(&[odd_image()]);
    // Every truncation is an error (never a panic, never a shorter list).
    for n in 0..bytes.len() {
        assert!(wire::decode(&bytes[..n]).is_err(), "cut at {n}");
    }
    // Trailing bytes too.
    let mut long = bytes.clone();
    long.push(0);
    assert_eq!(
        wire::decode(&long),
        Err(wire::WireError {
            offset: bytes.len(),
            expected: "the end of the message"
        })
    );
    // A wrong mark.
    assert_eq!(wire::decode(b"JSON[]").map_err(|e| e.offset), Err(0));
    // A count far larger than the data is refused before anything is allocated.
    let mut huge = b"LSW1".to_vec();
    huge.extend([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    assert_eq!(
        wire::decode(&huge).map_err(|e| e.expected),
        Err("a count no larger than the bytes left")
    );
    // Flipping any single byte decodes or fails, never panics.
    for i in 0..bytes.len() {
        for x in [0x00u8, 0x7f, 0x80, 0xff] {
            let mut b = bytes.clone();
            b[i] ^= x;
            let _ = wire::decode(&b);
        }
    }
}

/// An image summarised the way the worker sends it: layer 0 first, the others after (through
/// the binary encoding of both messages).
fn in_two_parts(im: &Image, k: usize) -> LoadedImage {
    let mut first = summary::summarize_first(im, "x", 0, k, "", 1_800_000_000);
    assert_eq!(first.pending, im.layers.len() > 1);
    first = wire::decode(&wire::encode(&[first]))
        .expect("decodes")
        .remove(0);
    let rest =
        wire::decode_changes(&wire::encode_changes(&summary::changes_above(im))).expect("decodes");
    assert_eq!(rest.len(), im.layers.len().saturating_sub(1));
    for (n, rows) in rest.into_iter().enumerate() {
        first.layers[n + 1].changes = rows;
    }
    first.pending = false;
    first
}

#[test]
fn changes_sent_in_two_parts_equal_the_whole_summary() {
    let im = hand_image();
    let whole = summary::summarize(&im, "x", 0, 0, "", 1_800_000_000);
    assert_eq!(in_two_parts(&im, 0), whole);
    // Through the reducer: the tree of layer 2 is waiting until the changes arrive, then it
    // is exactly the tree of the whole summary.
    let first = summary::summarize_first(&im, "hand.tar", 7, 0, "test", 1_800_000_000);
    let s = ExploreState::default()
        .reduce(ExploreAction::LoadStarted {
            job: 7,
            name: "hand.tar".into(),
            size: 1,
        })
        .reduce(ExploreAction::Loaded {
            job: 7,
            images: vec![first],
            error: None,
        })
        .reduce(ExploreAction::SelectLayer(2));
    assert!(s.images[0].pending);
    assert!(s.rows.is_empty());
    let s = s.reduce(ExploreAction::ChangesReady {
        job: 7,
        image_index: 0,
        from: 1,
        changes: summary::changes_above(&im),
    });
    assert!(!s.images[0].pending);
    let full = loaded().reduce(ExploreAction::SelectLayer(2));
    assert_eq!(lines(&s), lines(&full));
    assert!(!s.rows.is_empty());
    // An answer for another job changes nothing.
    let again = s.reduce(ExploreAction::ChangesReady {
        job: 8,
        image_index: 0,
        from: 1,
        changes: Vec::new(),
    });
    assert_eq!(again, s);
}

#[test]
fn wire_changes_round_trip_and_reject_bad_bytes() {
    let im = odd_image();
    let layers: Vec<Vec<FileRow>> = im.layers.iter().map(|l| l.changes.clone()).collect();
    let bytes = wire::encode_changes(&layers);
    assert_eq!(wire::decode_changes(&bytes), Ok(layers));
    assert_eq!(wire::decode_changes(&wire::encode_changes(&[])), Ok(vec![]));
    for n in 0..bytes.len() {
        assert!(wire::decode_changes(&bytes[..n]).is_err(), "cut at {n}");
    }
    // The two kinds of message are not mistaken for each other.
    assert!(wire::decode(&bytes).is_err());
    assert!(wire::decode_changes(&wire::encode(&[im])).is_err());
}

/// One of each message, with the odd values: empty and non-ASCII strings, `None` and `Some`,
/// the largest integers, a negative clock.
fn every_message() -> (Vec<protocol::ToWorker>, Vec<protocol::FromWorker>) {
    use protocol::{FromWorker, ToWorker};
    let analysis = odd_image().analysis.expect("odd_image has an analysis");
    let to = vec![
        ToWorker::Load {
            job: u32::MAX,
            name: "образ.tar".into(),
            now: -1_800_000_000,
            platform: Some("linux/arm/v7".into()),
        },
        ToWorker::Load {
            job: 0,
            name: String::new(),
            now: i64::MAX,
            platform: None,
        },
        ToWorker::Preview {
            job: 3,
            image_index: 1,
            layer: 12,
            path: "/etc/os-release".into(),
            max: 64 << 10,
        },
    ];
    let from = vec![
        FromWorker::Ready,
        FromWorker::Progress {
            job: 1,
            bytes: u64::MAX,
            total: 0,
            layers: 2,
            layers_total: Some(9),
        },
        FromWorker::Progress {
            job: 1,
            bytes: 5,
            total: 10,
            layers: 0,
            layers_total: None,
        },
        FromWorker::Loaded {
            job: 2,
            error: Some("layer 3: expected a tar header".into()),
            read_ms: 1,
            summary_ms: 2,
            encode_ms: 3,
            memory: 1 << 40,
        },
        FromWorker::Loaded {
            job: 2,
            error: None,
            read_ms: 0,
            summary_ms: 0,
            encode_ms: 0,
            memory: 0,
        },
        FromWorker::Changes {
            job: 2,
            image_index: 0,
            from: 1,
            ms: 17,
        },
        FromWorker::Analysis {
            job: 2,
            image_index: 1,
            analysis,
        },
        FromWorker::Preview {
            job: 4,
            path: "/bin/sh".into(),
            size: 1_000_000,
            error: Some("binary".into()),
        },
    ];
    (to, from)
}

#[test]
fn messages_round_trip_exactly() {
    let (to, from) = every_message();
    for m in &to {
        assert_eq!(
            protocol::decode_to_worker(&protocol::encode_to_worker(m)).as_ref(),
            Ok(m)
        );
    }
    for m in &from {
        assert_eq!(
            protocol::decode_from_worker(&protocol::encode_from_worker(m)).as_ref(),
            Ok(m)
        );
    }
    // Hand-checked bytes: the mark, message 1 (Progress), job 1, 300 = LEB128 ac 02, then 10,
    // 0 layers, and layers_total absent.
    assert_eq!(
        protocol::encode_from_worker(&protocol::FromWorker::Progress {
            job: 1,
            bytes: 300,
            total: 10,
            layers: 0,
            layers_total: None,
        }),
        b"LSF1\x01\x01\xac\x02\x0a\x00\x00"
    );
}

#[test]
fn messages_reject_bad_bytes_without_panicking() {
    let (to, from) = every_message();
    let encoded: Vec<(Vec<u8>, bool)> = to
        .iter()
        .map(|m| (protocol::encode_to_worker(m), true))
        .chain(
            from.iter()
                .map(|m| (protocol::encode_from_worker(m), false)),
        )
        .collect();
    let decode = |b: &[u8], to_worker: bool| {
        if to_worker {
            protocol::decode_to_worker(b).map(|_| ())
        } else {
            protocol::decode_from_worker(b).map(|_| ())
        }
    };
    for (bytes, to_worker) in &encoded {
        // Every truncation is an error, and so are trailing bytes.
        for n in 0..bytes.len() {
            assert!(decode(&bytes[..n], *to_worker).is_err(), "cut at {n}");
        }
        let mut long = bytes.clone();
        long.push(0);
        assert_eq!(
            decode(&long, *to_worker),
            Err(wire::WireError {
                offset: bytes.len(),
                expected: "the end of the message"
            })
        );
        // The two directions are not mistaken for each other.
        assert_eq!(decode(bytes, !*to_worker).map_err(|e| e.offset), Err(0));
        // Flipping any single byte decodes or fails, never panics.
        for i in 0..bytes.len() {
            for x in [0x00u8, 0x7f, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[i] ^= x;
                let _ = decode(&b, *to_worker);
            }
        }
    }
    // An unknown message number, and a string longer than the message.
    assert_eq!(
        protocol::decode_from_worker(b"LSF1\x06"),
        Err(wire::WireError {
            offset: 5,
            expected: "a message number (0 to 5)"
        })
    );
    assert_eq!(
        protocol::decode_to_worker(b"LST1\x00\x01\xff\xff\xff\xff\x0f").map_err(|e| e.expected),
        Err("as many bytes as the length says")
    );
    // Not UTF-8.
    assert_eq!(
        protocol::decode_from_worker(b"LSF1\x05\x01\x01\xff\x00\x00"),
        Err(wire::WireError {
            offset: 7,
            expected: "UTF-8 text"
        })
    );
}
