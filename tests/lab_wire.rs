//! The lab worker's binary messages (`viewmodel::lab::wire`): every action round-trips, a real
//! view of the simulated lab (containers with copy-up, added and whiteout events, a commit, a
//! push, a failed build, a container of a removed image) round-trips, a few encodings are
//! checked byte by byte, and truncated, corrupted, trailing or wrongly marked bytes are errors,
//! never panics.

use layerscope::build::Builder;
use layerscope::codec::WireError;
use layerscope::viewmodel::lab::containers::RwEvent;
use layerscope::viewmodel::lab::fragment::Snapshot;
use layerscope::viewmodel::lab::view::LabView;
use layerscope::viewmodel::lab::wire::{
    decode_request, decode_view, encode_request, encode_view, LabRequest,
};
use layerscope::viewmodel::lab::{DockerfileTab, LabAction, LabState, Lang};

/// The variant's position in `LabAction`'s declaration (exhaustive: a new variant must be added
/// to this test's table).
fn variant(a: &LabAction) -> usize {
    match a {
        LabAction::SelectTab(_) => 0,
        LabAction::DockerfileRead { .. } => 1,
        LabAction::EditDockerfile(_) => 2,
        LabAction::SelectContextFile(_) => 3,
        LabAction::EditContext { .. } => 4,
        LabAction::AddContext(_) => 5,
        LabAction::ContextFileRead { .. } => 6,
        LabAction::DropContext(_) => 7,
        LabAction::Rebuild => 8,
        LabAction::SetBuilder(_) => 9,
        LabAction::SelectLayer(_) => 10,
        LabAction::SelectLine(_) => 11,
        LabAction::Push(_) => 12,
        LabAction::StartContainer(_) => 13,
        LabAction::Run { .. } => 14,
        LabAction::ResetContainer(_) => 15,
        LabAction::CommitContainer(_) => 16,
        LabAction::RemoveContainer(_) => 17,
        LabAction::RemoveImage(_) => 18,
        LabAction::Clock(_) => 19,
        LabAction::Init { .. } => 20,
        LabAction::SetLang(_) => 21,
        LabAction::Guide(_) => 22,
        LabAction::GuideTry => 23,
        LabAction::Load(_) => 24,
        LabAction::SetEmbed(_) => 25,
    }
}

const VARIANTS: usize = 26;

fn full_snapshot() -> Snapshot {
    Snapshot {
        dockerfiles: vec![
            layerscope::seed::DOCKERFILE_APP.into(),
            "FROM alpine\nRUN echo привет > /x\n".into(),
            String::new(),
        ],
        context: vec![
            ("app.py".into(), layerscope::seed::APP_PY.into()),
            ("данные.txt".into(), "строка\n\u{1F433}\n".into()),
            (String::new(), String::new()),
        ],
        builder: "classic".into(),
        selected: Some((usize::MAX, 0)),
        guide: Some(7),
        lang: Some("ru".into()),
        tab: 1,
    }
}

fn all_actions() -> Vec<LabAction> {
    use LabAction::*;
    let long = "x".repeat(70_000);
    vec![
        SelectTab(DockerfileTab::App),
        SelectTab(DockerfileTab::App2),
        SelectTab(DockerfileTab::User),
        DockerfileRead {
            name: "Dockerfile".into(),
            text: "FROM scratch\n".into(),
        },
        DockerfileRead {
            name: String::new(),
            text: String::new(),
        },
        EditDockerfile("FROM alpine\nRUN echo привет\n".into()),
        EditDockerfile(String::new()),
        EditDockerfile(long.clone()),
        SelectContextFile(0),
        SelectContextFile(usize::MAX),
        EditContext {
            name: "app.py".into(),
            text: "print('привет')\n".into(),
        },
        AddContext("новый.txt".into()),
        AddContext(String::new()),
        ContextFileRead {
            name: "big.bin".into(),
            text: long,
        },
        DropContext("app2.py".into()),
        Rebuild,
        SetBuilder(Builder::BuildKit),
        SetBuilder(Builder::Classic),
        SelectLayer(None),
        SelectLayer(Some((0, 0))),
        SelectLayer(Some((usize::MAX, 1 << 40))),
        SelectLine(1),
        SelectLine(0),
        Push(0),
        Push(usize::MAX),
        StartContainer(2),
        Run {
            container: 0,
            command: "echo привет > /app.py && rm /bin/sh".into(),
        },
        Run {
            container: 12345,
            command: String::new(),
        },
        ResetContainer(1),
        CommitContainer(0),
        RemoveContainer(3),
        RemoveImage(usize::MAX),
        Clock(0),
        Clock(1_764_300_000),
        Clock(-1),
        Clock(i64::MIN),
        Clock(i64::MAX),
        Init {
            lang: Lang::En,
            embed: false,
            snapshot: None,
        },
        Init {
            lang: Lang::Ru,
            embed: true,
            snapshot: Some(full_snapshot()),
        },
        Init {
            lang: Lang::En,
            embed: false,
            snapshot: Some(Snapshot::default()),
        },
        SetLang(Lang::Ru),
        SetLang(Lang::En),
        Guide(None),
        Guide(Some(0)),
        Guide(Some(usize::MAX)),
        GuideTry,
        Load(full_snapshot()),
        Load(Snapshot::default()),
        SetEmbed(true),
        SetEmbed(false),
    ]
}

fn request(seq: u64, now: i64, action: LabAction) -> LabRequest {
    LabRequest { seq, now, action }
}

#[test]
fn every_action_round_trips() {
    let actions = all_actions();
    let mut seen = [false; VARIANTS];
    for a in &actions {
        seen[variant(a)] = true;
    }
    let missing: Vec<usize> = (0..VARIANTS).filter(|&i| !seen[i]).collect();
    assert!(missing.is_empty(), "variants without a case: {missing:?}");
    for (seq, now) in [(0, 0), (1, -1), (u64::MAX, i64::MIN), (1 << 35, i64::MAX)] {
        for a in &actions {
            let r = request(seq, now, a.clone());
            let bytes = encode_request(&r);
            assert_eq!(decode_request(&bytes), Ok(r), "{a:?}");
        }
    }
}

#[test]
fn requests_byte_by_byte() {
    // Mark, seq 1, now -1 (zigzag 1), tag 0 SelectTab, tab 1 (app2).
    assert_eq!(
        encode_request(&request(1, -1, LabAction::SelectTab(DockerfileTab::App2))),
        b"LQ1\x01\x01\x00\x01"
    );
    // seq 300 = LEB128 ac 02; now 2 (zigzag 4); tag 14 Run, container 0, "hi".
    assert_eq!(
        encode_request(&request(
            300,
            2,
            LabAction::Run {
                container: 0,
                command: "hi".into()
            }
        )),
        b"LQ1\xac\x02\x04\x0e\x00\x02hi"
    );
    // Tag 20 Init: lang ru (1), embed 1, no snapshot 0.
    assert_eq!(
        encode_request(&request(
            0,
            0,
            LabAction::Init {
                lang: Lang::Ru,
                embed: true,
                snapshot: None
            }
        )),
        b"LQ1\x00\x00\x14\x01\x01\x00"
    );
    // An unknown action tag (26) is refused at its offset.
    assert_eq!(
        decode_request(b"LQ1\x00\x00\x1a"),
        Err(WireError {
            offset: 5,
            expected: "a lab action (0 to 25)"
        })
    );
    // A tab tag 3 (no such tab).
    assert_eq!(
        decode_request(b"LQ1\x00\x00\x00\x03"),
        Err(WireError {
            offset: 6,
            expected: "a Dockerfile tab (0 app, 1 app2, 2 user)"
        })
    );
    // A flag that is neither 0 nor 1 (SetEmbed 2).
    assert_eq!(
        decode_request(b"LQ1\x00\x00\x19\x02"),
        Err(WireError {
            offset: 6,
            expected: "0 or 1"
        })
    );
    // Invalid UTF-8 in a command.
    assert_eq!(
        decode_request(b"LQ1\x00\x00\x0e\x00\x01\xff"),
        Err(WireError {
            offset: 8,
            expected: "UTF-8 text"
        })
    );
}

/// The seed lab after containers, a commit, pushes, a removed image and a broken build.
fn busy_lab() -> LabState {
    LabState::at(1_764_300_000)
        .reduce(LabAction::StartContainer(0))
        .reduce(LabAction::Run {
            container: 0,
            command:
                "echo '# edited' >> /app.py && mkdir /data && echo привет > /data/x && rm /usr/local/bin/pip"
                    .into(),
        })
        .reduce(LabAction::CommitContainer(0))
        .reduce(LabAction::Push(0))
        .reduce(LabAction::Push(2))
        // A container of the committed image, then the image removed under it.
        .reduce(LabAction::StartContainer(2))
        .reduce(LabAction::Run {
            container: 1,
            command: "cat /nope".into(),
        })
        .reduce(LabAction::RemoveImage(2))
        .reduce(LabAction::SelectTab(DockerfileTab::App2))
        .reduce(LabAction::EditDockerfile("FROM scratch\nCOPY\n".into()))
        .reduce(LabAction::Rebuild)
        .reduce(LabAction::SetLang(Lang::Ru))
}

#[test]
fn a_real_view_round_trips() {
    let s = busy_lab();
    let v = LabView::of(&s, 7);
    // The view exercises every part of the message.
    assert_eq!(v.ack, 7);
    assert_eq!(v.containers.len(), 2);
    let events = &v.containers[0].events;
    assert!(events
        .iter()
        .any(|e| matches!(e, RwEvent::CopyUp { path, .. } if path == "/app.py")));
    assert!(events
        .iter()
        .any(|e| matches!(e, RwEvent::Added { path } if path == "/data/x")));
    assert!(events
        .iter()
        .any(|e| matches!(e, RwEvent::Whiteout { path, .. } if path == "/usr/local/bin/pip")));
    assert!(!v.containers[0].rw_paths.is_empty());
    assert_eq!(v.containers[1].image, usize::MAX);
    assert_ne!(v.containers[1].console.last().map(|c| c.status), Some(0));
    assert_eq!(v.pushes.len(), 2);
    assert!(v.note.is_some());
    assert!(v.build_error(1).is_some(), "app2 must fail to build");
    assert!(v.image(0).is_some_and(|i| !i.steps.is_empty()));
    assert!(v.diagnostics.iter().any(|d| !d.is_empty()));

    let bytes = encode_view(&v);
    assert!(bytes.starts_with(b"LV1"));
    assert_eq!(decode_view(&bytes), Ok(v));

    // The seed lab and the page's waiting view too.
    for v in [
        LabView::of(&LabState::default(), 1),
        LabView::waiting(0),
        LabView::waiting(-5),
    ] {
        assert_eq!(decode_view(&encode_view(&v)), Ok(v));
    }
}

#[test]
fn seed_view_size() {
    let v = LabView::of(&LabState::default(), 1);
    let n = encode_view(&v).len();
    // Informative: the seed lab's answer, in bytes (its texts alone are most of it).
    let ids: usize = v
        .images
        .iter()
        .flatten()
        .flat_map(|i| i.diff_ids.iter().chain(&i.chain_ids))
        .map(String::len)
        .sum();
    println!("seed lab view: {n} bytes, of which layer ids {ids}");
    let texts: usize = v
        .images
        .iter()
        .flatten()
        .map(|i| i.history.len())
        .sum::<usize>()
        + v.app_dockerfile.len()
        + v.app2_dockerfile.len();
    assert!(n > texts, "{n} <= {texts}");
}

#[test]
fn truncated_bytes_are_errors() {
    let views = [encode_view(&LabView::of(&busy_lab(), 3))];
    let requests: Vec<Vec<u8>> = all_actions()
        .into_iter()
        .map(|a| encode_request(&request(9, 1_764_300_000, a)))
        // The 70,000-byte texts would only make the test slow.
        .filter(|b| b.len() < 2000)
        .collect();
    assert!(requests.len() > 40);
    for b in &views {
        for n in 0..b.len() {
            assert!(decode_view(&b[..n]).is_err(), "view cut at {n}");
        }
    }
    for b in &requests {
        for n in 0..b.len() {
            assert!(decode_request(&b[..n]).is_err(), "request cut at {n}");
        }
    }
}

#[test]
fn corrupted_bytes_never_panic() {
    let b = encode_view(&LabView::of(&busy_lab(), 3));
    let mut ok = 0;
    for i in 0..b.len() {
        for x in [0xff, 0x80, 0x01] {
            let mut c = b.clone();
            c[i] ^= x;
            if decode_view(&c).is_ok() {
                ok += 1;
            }
        }
    }
    // Some flips (inside text) still decode; flips of marks, tags and lengths do not.
    assert!(ok < 3 * b.len());
    let r = encode_request(&request(1, 2, LabAction::Load(full_snapshot())));
    for i in 0..r.len() {
        let mut c = r.clone();
        c[i] ^= 0xff;
        let _ = decode_request(&c);
    }
}

#[test]
fn trailing_bytes_and_wrong_marks_are_refused() {
    let v = encode_view(&LabView::of(&LabState::default(), 1));
    let mut longer = v.clone();
    longer.push(0);
    assert_eq!(
        decode_view(&longer),
        Err(WireError {
            offset: v.len(),
            expected: "the end of the message"
        })
    );
    let r = encode_request(&request(1, 1, LabAction::Rebuild));
    let mut longer = r.clone();
    longer.extend_from_slice(b"xyz");
    assert_eq!(
        decode_request(&longer),
        Err(WireError {
            offset: r.len(),
            expected: "the end of the message"
        })
    );
    // A request is not a view and a view is not a request.
    assert_eq!(
        decode_view(&r),
        Err(WireError {
            offset: 0,
            expected: "the LV1 mark of a lab view"
        })
    );
    assert_eq!(
        decode_request(&v),
        Err(WireError {
            offset: 0,
            expected: "the LQ1 mark of a lab request"
        })
    );
    let mut old = v.clone();
    old[2] = b'2';
    assert_eq!(decode_view(&old).unwrap_err().offset, 0);
    assert!(decode_view(b"").is_err());
    assert!(decode_view(b"LV").is_err());
}

#[test]
fn kind_letters_must_be_characters() {
    // A view whose last container's last rw path has kind 'w', then rw_bytes 0, diff "", ps "",
    // no pushes, no note, no diagnostics: the kind is the 7th byte from the end.
    let mut v = LabView::waiting(0);
    let mut c = LabView::of(&busy_lab(), 1).containers[0].clone();
    c.rw_paths = vec![("/a".into(), 'w'), ("/б".into(), '\u{10FFFF}')];
    c.rw_paths.push(("/c".into(), 'w'));
    c.rw_bytes = 0;
    c.diff.clear();
    c.ps.clear();
    v.containers.push(c);
    let b = encode_view(&v);
    assert_eq!(decode_view(&b), Ok(v));
    let at = b.len() - 7;
    assert_eq!(b[at], b'w');
    assert_eq!(&b[at..], b"w\x00\x00\x00\x00\x00\x00");
    // A surrogate (U+D800 = LEB128 80 b0 03) and a code point past U+10FFFF are refused.
    for bad in [&[0x80u8, 0xb0, 0x03][..], &[0x80, 0x80, 0x44]] {
        let mut c = b[..at].to_vec();
        c.extend_from_slice(bad);
        c.extend_from_slice(&[0; 6]);
        assert_eq!(
            decode_view(&c),
            Err(WireError {
                offset: at,
                expected: "a Unicode scalar value (a path's kind letter)"
            })
        );
    }
}
