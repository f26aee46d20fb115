//! The lab reducer on the seed lab: builds, cache marks on edit, sharing, containers, guide,
//! links. Expected values come from Docker's behaviour on the seed lab (corpus seed-lab captures:
//! B after A reuses RUN; editing app.py reruns only COPY).

use super::sim::StepMark;
use super::view::{shared_prefix, store_bytes, LabView};
use super::*;
use crate::seed;

/// The lines the page highlights for this state.
fn hl(s: &LabState) -> Option<(usize, usize)> {
    LabView::of(s, 0).highlighted_lines()
}

fn marks(s: &LabState, img: usize) -> Vec<(String, StepMark)> {
    s.builds.images[img]
        .as_ref()
        .unwrap()
        .steps
        .iter()
        .map(|r| (r.keyword.clone(), r.mark))
        .collect()
}

#[test]
fn seed_builds_share_six_layers() {
    let s = LabState::default();
    let app = s.builds.images[0].as_ref().unwrap();
    let app2 = s.builds.images[1].as_ref().unwrap();
    assert_eq!(app.layers.len(), 7);
    assert_eq!(app2.layers.len(), 7);
    let v = LabView::of(&s, 0);
    let (shared, bytes) = shared_prefix(v.image(0).unwrap(), v.image(1).unwrap());
    assert_eq!(shared, 6);
    let sum: u64 = app.layers[..6].iter().map(|l| l.size).sum();
    assert_eq!(bytes, sum);
    assert_eq!(app.layers[6].size, seed::APP_PY.len() as u64);
    assert_eq!(app2.layers[6].size, seed::APP2_PY.len() as u64);
    let (twice, once) = store_bytes(&[v.image(0).unwrap(), v.image(1).unwrap()]);
    assert_eq!(twice, 2 * sum + 24 + 25);
    assert_eq!(once, sum + 24 + 25);
    // First build: everything runs; app2 then reuses RUN.
    use StepMark::*;
    assert_eq!(
        marks(&s, 0),
        vec![
            ("FROM".into(), Base),
            ("RUN".into(), Rebuilt),
            ("CMD".into(), Config),
            ("COPY".into(), Rebuilt)
        ]
    );
    assert_eq!(marks(&s, 1)[1], ("RUN".into(), Cached));
    assert_eq!(marks(&s, 1)[3], ("COPY".into(), Rebuilt));
    // Lines: RUN made layer 5 on line 2, COPY layer 6 on line 4, base layers map to FROM.
    assert_eq!(app.layers[5].lines, Some((2, 2)));
    assert_eq!(app.layers[6].lines, Some((4, 4)));
    assert_eq!(app.layers[0].lines, Some((1, 1)));
    assert!(app.layers[4].from_base && !app.layers[5].from_base);
    assert!(app.history(0).starts_with("IMAGE          CREATED"));
    assert_eq!(app.history(0).matches("<missing>").count(), 17);
}

#[test]
fn edits_mark_cache_status() {
    use StepMark::*;
    let s = LabState::default();
    // Edit app.py: only COPY of app rebuilds.
    let s = s.reduce(LabAction::EditContext {
        name: "app.py".into(),
        text: "print(\"changed\")\n".into(),
    });
    assert!(s.dirty);
    let s = s.reduce(LabAction::Rebuild);
    assert_eq!(
        marks(&s, 0),
        vec![
            ("FROM".into(), Base),
            ("RUN".into(), Cached),
            ("CMD".into(), Config),
            ("COPY".into(), Rebuilt)
        ]
    );
    assert_eq!(marks(&s, 1)[3], ("COPY".into(), Cached));
    // Move COPY above RUN: RUN now runs after a changed step.
    let s = s.reduce(LabAction::EditDockerfile(
        "FROM python:3.8-alpine\nCOPY app.py /app.py\nRUN pip install flask\nCMD [\"python\",\"app.py\"]\n".into(),
    ));
    let s = s.reduce(LabAction::Rebuild);
    assert_eq!(
        marks(&s, 0),
        vec![
            ("FROM".into(), Base),
            ("COPY".into(), Rebuilt),
            ("RUN".into(), Rebuilt),
            ("CMD".into(), Config)
        ]
    );
    // Classic: CMD is a step of its own and cached when nothing before it changed.
    let s = s.reduce(LabAction::SetBuilder(Builder::Classic));
    let m = marks(&s, 1);
    assert_eq!(
        m,
        vec![
            ("FROM".into(), Base),
            ("RUN".into(), Rebuilt),
            ("CMD".into(), Rebuilt),
            ("COPY".into(), Rebuilt)
        ]
    );
    let s = s.reduce(LabAction::Rebuild);
    assert!(marks(&s, 1)[1..].iter().all(|(_, m)| *m == Cached));
    let app = s.builds.images[1].as_ref().unwrap();
    // Classic keeps a local image per step: no <missing> above the base's top.
    assert_eq!(app.history(0).matches("<missing>").count(), 14);
}

#[test]
fn lines_and_layers_select_each_other() {
    let s = LabState::default().reduce(LabAction::SelectLine(4));
    assert_eq!(s.selected, Some((0, 6)));
    assert_eq!(hl(&s), Some((4, 4)));
    let s = s.reduce(LabAction::SelectLine(1));
    assert_eq!(s.selected, Some((0, 4)));
    assert_eq!(hl(&s), Some((1, 1)));
    let s = s.reduce(LabAction::SelectLine(3));
    assert_eq!(s.selected, None);
    let s = s.reduce(LabAction::SelectLayer(Some((1, 5))));
    assert_eq!(hl(&s), None); // app2 is not the open tab
    let s = s.reduce(LabAction::SelectTab(DockerfileTab::App2));
    assert_eq!(hl(&s), Some((2, 2)));
}

#[test]
fn push_uploads_then_mounts_shared_layers() {
    let s = LabState::default().reduce(LabAction::Push(0));
    let p = &s.pushes[0];
    assert_eq!(p.layers.len(), 7);
    assert!(p.layers.iter().all(|(_, up)| *up));
    assert!(p
        .text
        .starts_with("$ docker push lab/app\nThe push refers to repository [docker.io/lab/app]\n"));
    let s = s.reduce(LabAction::Push(1));
    let p = &s.pushes[1];
    assert_eq!(
        p.layers.iter().map(|(_, up)| *up).collect::<Vec<_>>(),
        vec![true, false, false, false, false, false, false]
    );
    assert_eq!(p.text.matches(": Mounted from lab/app\n").count(), 6);
    let s = s.reduce(LabAction::Push(0));
    assert_eq!(
        s.pushes[2].text.matches(": Layer already exists\n").count(),
        7
    );
}

#[test]
fn container_write_copy_up_and_diff() {
    use containers::RwEvent;
    let s = LabState::default().reduce(LabAction::StartContainer(0));
    assert_eq!(s.containers.len(), 1);
    assert_eq!(s.containers[0].name, "app-1");
    assert_eq!(s.containers[0].diff(), "");
    let s = s.reduce(LabAction::Run {
        container: 0,
        command: "echo '# edited' >> /app.py".into(),
    });
    let c = &s.containers[0];
    assert_eq!(
        c.events,
        vec![RwEvent::CopyUp {
            path: "/app.py".into(),
            from_layer: 6,
            size: 24
        }]
    );
    assert_eq!(c.diff(), "C /app.py\n");
    assert_eq!(c.rw_bytes(), 24 + 9);
    let s = s.reduce(LabAction::Run {
        container: 0,
        command: "cat /app.py".into(),
    });
    assert_eq!(
        s.containers[0].console[1].output,
        "print(\"Hello from app\")\n# edited\n"
    );
    let s = s.reduce(LabAction::Run {
        container: 0,
        command: "mkdir /data && echo hi > /data/x && rm /usr/local/bin/pip".into(),
    });
    assert_eq!(
        s.containers[0].diff(),
        "C /app.py\nA /data\nA /data/x\nC /usr/local/bin\nD /usr/local/bin/pip\n"
    );
    assert!(matches!(
        s.containers[0].events.last(),
        Some(RwEvent::Whiteout { path, .. }) if path == "/usr/local/bin/pip"
    ));
    // SIZE: the copied-up app.py (33 B) and the new /data/x (3 B); the whiteout counts 0.
    let ps = s.containers[0].ps();
    let id = s.containers[0].short_id();
    assert_eq!(
        ps,
        format!("CONTAINER ID   IMAGE     NAMES     SIZE\n{id}   app       app-1     36B (virtual 58.1MB)\n")
    );
    // A second container of the same image sees none of it.
    let s = s.reduce(LabAction::StartContainer(0));
    assert_eq!(s.containers[1].name, "app-2");
    assert_eq!(s.containers[1].diff(), "");
    let s = s.reduce(LabAction::ResetContainer(0));
    assert_eq!(s.containers[0].diff(), "");
    let s = s.reduce(LabAction::RemoveContainer(1));
    assert_eq!(s.containers.len(), 1);
}

#[test]
fn guide_runs_start_to_end() {
    use sim::StepMark::*;
    let mut s = LabState::default();
    let n = guide::steps().len();
    assert_eq!(n, 8);
    for i in 0..n {
        s = s.reduce(LabAction::Guide(Some(i)));
        s = s.reduce(LabAction::GuideTry);
        assert_eq!(s.guide, Some(i));
        if i == 5 {
            // The cache step shows app, whose COPY alone was rebuilt after the edit.
            assert_eq!(s.tab, DockerfileTab::App);
            assert_eq!(marks(&s, 0)[1].1, Cached);
            assert_eq!(marks(&s, 0)[3].1, Rebuilt);
        }
    }
    // Step 1 selected app's COPY layer; step 3 ran the copy-up; 6 edited app.py; 7 pushed both;
    // 8 switched to classic.
    assert_eq!(s.containers.len(), 1);
    assert_eq!(
        s.containers[0].diff(),
        "C /app.py\nA /hello.txt\nC /usr/local/bin\nD /usr/local/bin/pip\n"
    );
    assert!(s.context[0].1.ends_with("print(\"edited\")\n"));
    assert_eq!(s.pushes.len(), 2);
    assert_eq!(s.builder, Builder::Classic);
    let s = s.reduce(LabAction::Guide(None));
    assert_eq!(s.guide, None);
}

#[test]
fn link_round_trip_restores_the_view() {
    let s = LabState::default()
        .reduce(LabAction::Guide(Some(5)))
        .reduce(LabAction::SelectTab(DockerfileTab::App2))
        .reduce(LabAction::EditContext {
            name: "app2.py".into(),
            text: "print(2)\n".into(),
        })
        .reduce(LabAction::SetBuilder(Builder::Classic))
        .reduce(LabAction::SelectLayer(Some((1, 6))))
        .reduce(LabAction::SetLang(Lang::Ru));
    let f = fragment::encode(&s.snapshot());
    let snap = fragment::decode(&f).unwrap().unwrap();
    let t = LabState::default().reduce(LabAction::Load(snap));
    assert_eq!(t.snapshot(), s.snapshot());
    assert_eq!(t.tab, DockerfileTab::App2);
    assert_eq!(t.lang, Lang::Ru);
    assert_eq!(t.builder, Builder::Classic);
    assert_eq!(hl(&t), Some((4, 4)));
}

#[test]
fn bad_dockerfile_is_an_error_at_its_line() {
    let s = LabState::default()
        .reduce(LabAction::EditDockerfile(
            "FROM python:3.8-alpine\nCOPY nothere.py /\n".into(),
        ))
        .reduce(LabAction::Rebuild);
    let e = s.builds.images[0].as_ref().unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(s.builds.images[1].is_ok());
    let s = s.reduce(LabAction::DropContext("app2.py".into()));
    assert_eq!(s.context.len(), 1);
    assert!(s.builds.images[1].is_err());
}

/// The snapshot the example page's second iframe carries: app with COPY moved above RUN.
fn copy_first_snapshot() -> fragment::Snapshot {
    let s = LabState::default().reduce(LabAction::EditDockerfile(
        "FROM python:3.8-alpine\nCOPY app.py /app.py\nRUN pip install flask\nCMD [\"python\",\"app.py\"]\n".into(),
    ));
    let mut snap = s.reduce(LabAction::Rebuild).snapshot();
    snap.selected = Some((0, 5));
    snap
}

#[test]
fn example_page_states_decode() {
    let page = include_str!("../../../static/lab-example.html");
    let frags: Vec<&str> = page
        .split("src=\"index.html?embed=1#s=")
        .skip(1)
        .map(|r| r.split('"').next().unwrap_or(""))
        .collect();
    assert_eq!(frags.len(), 1, "one iframe carries an edited state");
    let want = copy_first_snapshot();
    if std::env::var("PRINT_FRAGMENT").is_ok() {
        println!("{}", fragment::encode(&want));
    }
    let got = fragment::decode(&format!("s={}", frags[0]))
        .unwrap()
        .unwrap();
    assert_eq!(got, want);
    let s = LabState::default().reduce(LabAction::Load(got));
    assert_eq!(s.selected, Some((0, 5)));
    assert_eq!(hl(&s), Some((2, 2)));
    // app's RUN now sits on another chain than app2's: same content, stored twice on disk.
    let app = s.builds.images[0].as_ref().unwrap();
    let app2 = s.builds.images[1].as_ref().unwrap();
    let v = LabView::of(&s, 0);
    let (va, vb) = (v.image(0).unwrap(), v.image(1).unwrap());
    assert_eq!(shared_prefix(va, vb).0, 5);
    assert_eq!(app.layers[6].short_id, app2.layers[5].short_id);
    let (twice, once) = store_bytes(&[va, vb]);
    let base: u64 = app.layers[..5].iter().map(|l| l.size).sum();
    let run = app2.layers[5].size;
    assert_eq!(twice, 2 * base + 2 * run + 24 + 25);
    assert_eq!(once, base + 2 * run + 24 + 25);
}

/// 2026-11-28T09:00:00Z.
const T0: i64 = 1_795_856_400;

/// The columns of a `docker image history` table row (the tab writer pads with 3+ spaces).
fn columns(line: &str) -> Vec<String> {
    line.split("   ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect()
}

fn history_rows(s: &LabState, img: usize, now: i64) -> Vec<Vec<String>> {
    let h = s.image(img).unwrap().history(now);
    h.lines().skip(1).map(columns).collect()
}

fn short(id: &str) -> String {
    id.trim_start_matches("sha256:").chars().take(12).collect()
}

#[test]
fn commit_adds_an_image_on_the_shared_layers() {
    let s = LabState::at(T0)
        .reduce(LabAction::StartContainer(0))
        .reduce(LabAction::Run {
            container: 0,
            command: "echo '# edited' >> /app.py".into(),
        })
        .reduce(LabAction::Clock(T0 + 60))
        .reduce(LabAction::CommitContainer(0));
    assert_eq!(s.commits.len(), 1);
    let images = s.images();
    assert_eq!(images.len(), 3);
    let app = images[0].unwrap();
    let c = images[2].unwrap();
    assert_eq!(c.name, "app-1-commit");
    assert_eq!(c.parent.as_deref(), Some("app"));
    // app's 7 layers, the same ones, and one more: the read-write layer (app.py, 24 + 9 bytes).
    assert_eq!(c.layers.len(), 8);
    let ids = |b: &sim::ImageBuild| -> Vec<String> {
        b.result
            .image
            .layers
            .iter()
            .map(|l| l.diff_id.clone())
            .collect()
    };
    assert_eq!(ids(c)[..7], ids(app)[..]);
    assert_ne!(ids(c)[7], ids(app)[6]);
    let top = &c.result.image.layers[7];
    assert_eq!(top.regular_file_bytes(), 33);
    assert_eq!(
        top.entries
            .iter()
            .map(|e| String::from_utf8_lossy(e.path.as_bytes()).into_owned())
            .collect::<Vec<_>>(),
        vec!["app.py"]
    );
    assert_eq!(c.layers[7].size, 33);
    assert_eq!(c.layers[7].created_by, "python app.py");
    // The new image's top layer is selected, so its history shows.
    assert_eq!(s.selected, Some((2, 7)));
    // docker image history: the commit row (CREATED BY the container's command, no comment),
    // then app's top row with app's own id (a local image), then <missing> (BuildKit).
    let rows = history_rows(&s, 2, T0 + 150);
    assert_eq!(
        rows[0],
        vec![
            short(&c.result.image.config_digest),
            "About a minute ago".into(),
            "python app.py".into(),
            "33B".into()
        ]
    );
    assert_eq!(
        rows[1],
        vec![
            short(&app.result.image.config_digest),
            "2 minutes ago".into(),
            "COPY app.py /app.py # buildkit".into(),
            "24B".into(),
            "buildkit.dockerfile.v0".into()
        ]
    );
    assert_eq!(rows[2][0], "<missing>");
    assert_eq!(rows.len(), app.result.image.history.len() + 1);
    assert_eq!(
        s.note.as_deref(),
        Some(
            format!(
                "$ docker commit app-1 app-1-commit\n{}\n",
                c.result.image.config_digest
            )
            .as_str()
        )
    );
    // Bytes stored: the shared layers once, then app.py, app2.py and the committed app.py.
    let base: u64 = app.layers[..6].iter().map(|l| l.size).sum();
    let v = LabView::of(&s, 0);
    let views = v.images();
    let (apart, once) = store_bytes(&[views[0].unwrap(), views[1].unwrap(), views[2].unwrap()]);
    assert_eq!(once, base + 24 + 25 + 33);
    assert_eq!(apart, 3 * base + 24 + 25 + (24 + 33));
    // Push: after app, only the committed layer uploads; the 7 others are mounted from lab/app.
    let s = s.reduce(LabAction::Push(0)).reduce(LabAction::Push(2));
    let p = &s.pushes[1];
    assert_eq!(p.image, "app-1-commit");
    assert_eq!(
        p.layers.iter().map(|(_, up)| *up).collect::<Vec<_>>(),
        vec![true, false, false, false, false, false, false, false]
    );
    assert_eq!(p.text.matches(": Mounted from lab/app\n").count(), 7);
    // A container of the committed image reads the committed file.
    let s = s
        .reduce(LabAction::StartContainer(2))
        .reduce(LabAction::Run {
            container: 1,
            command: "cat /app.py".into(),
        });
    assert_eq!(s.containers[1].name, "app-1-commit-2");
    assert_eq!(s.containers[1].image_layers(), 8);
    assert_eq!(
        s.containers[1].console[0].output,
        "print(\"Hello from app\")\n# edited\n"
    );
    assert_eq!(s.containers[1].diff(), "");
    // A rebuild keeps the committed image (Docker does not remove it).
    let s = s
        .reduce(LabAction::EditContext {
            name: "app.py".into(),
            text: "print(1)\n".into(),
        })
        .reduce(LabAction::Rebuild);
    assert_eq!(s.images().len(), 3);
    assert_eq!(s.image(2).unwrap().name, "app-1-commit");
    let s = s.reduce(LabAction::RemoveImage(2));
    assert_eq!(s.images().len(), 2);
    assert_eq!(s.selected, None);
}

#[test]
fn commit_of_an_unchanged_container_adds_a_row_and_no_layer() {
    let s = LabState::at(T0)
        .reduce(LabAction::StartContainer(1))
        .reduce(LabAction::CommitContainer(0))
        .reduce(LabAction::CommitContainer(0));
    let c = s.image(2).unwrap();
    assert_eq!(c.name, "app2-1-commit");
    assert_eq!(s.image(3).unwrap().name, "app2-1-commit2");
    assert_eq!(c.layers.len(), 7);
    assert_eq!(c.result.image.layers.len(), 7);
    let rows = history_rows(&s, 2, T0);
    assert_eq!(
        rows[0][1..],
        ["Less than a second ago", "python app2.py", "0B"]
    );
    assert_eq!(rows[1][2], "COPY app2.py /app2.py # buildkit");
    // With the classic builder every row of the container's image has its id.
    let s = s
        .reduce(LabAction::SetBuilder(Builder::Classic))
        .reduce(LabAction::StartContainer(0))
        .reduce(LabAction::CommitContainer(1));
    let rows = history_rows(&s, 4, T0);
    assert_eq!(rows[0][2], "python app.py");
    assert!(
        rows[1][2].starts_with("/bin/sh -c #(nop) COPY file:"),
        "{rows:?}"
    );
    assert!(!rows[..4].iter().any(|r| r[0] == "<missing>"), "{rows:?}");
}

#[test]
fn history_shows_build_times_from_the_clock() {
    let s = LabState::at(T0);
    let rows = history_rows(&s, 0, T0);
    // The simulated steps were built now; the base image keeps its own time (2024-09-06).
    let created: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(created[..3], ["Less than a second ago"; 3]);
    assert!(
        created[3..].iter().all(|c| *c == "2 years ago"),
        "{created:?}"
    );
    let rows = history_rows(&s, 0, T0 + 125);
    assert_eq!(rows[0][1], "2 minutes ago");
    assert_eq!(rows[2][1], "2 minutes ago");
    // Rebuild 10 minutes later after editing app.py: COPY runs again (new time); RUN comes from
    // the cache with the time of the build that made it.
    let s = s
        .reduce(LabAction::Clock(T0 + 600))
        .reduce(LabAction::EditContext {
            name: "app.py".into(),
            text: "print(1)\n".into(),
        })
        .reduce(LabAction::Rebuild);
    let rows = history_rows(&s, 0, T0 + 601);
    assert_eq!(rows[0][2], "COPY app.py /app.py # buildkit");
    assert_eq!(rows[0][1], "1 second ago");
    assert_eq!(rows[2][2], "RUN /bin/sh -c pip install flask # buildkit");
    assert_eq!(rows[2][1], "10 minutes ago");
    // Without a clock (0) the rows have no time, as a reproducible build: N/A.
    let rows = history_rows(&LabState::default(), 0, T0);
    assert_eq!(rows[0][1], "N/A");
}

#[test]
fn init_applies_once() {
    let snap = copy_first_snapshot();
    let s = LabState::default().reduce(LabAction::Init {
        lang: Lang::Ru,
        embed: true,
        snapshot: Some(snap),
    });
    assert!(s.embed && s.initialized);
    assert_eq!(s.selected, Some((0, 5)));
    let s = s
        .reduce(LabAction::SetLang(Lang::En))
        .reduce(LabAction::Init {
            lang: Lang::Ru,
            embed: false,
            snapshot: None,
        });
    assert_eq!(s.lang, Lang::En);
    assert!(s.embed);
}

#[test]
fn dropped_context_files_replace_or_add() {
    use sim::StepMark::*;
    let s = LabState::default().reduce(LabAction::ContextFileRead {
        name: "app.py".into(),
        text: "print(\"dropped\")\n".into(),
    });
    assert_eq!(s.context[0].1, "print(\"dropped\")\n");
    assert_eq!(s.context_tab, 0);
    assert!(!s.dirty);
    // Built at once: app's COPY runs again, RUN comes from the cache; app2 is all cached.
    assert_eq!(marks(&s, 0)[1].1, Cached);
    assert_eq!(marks(&s, 0)[3].1, Rebuilt);
    assert_eq!(marks(&s, 1)[3].1, Cached);
    assert_eq!(s.builds.images[0].as_ref().unwrap().layers[6].size, 17);
    let s = s.reduce(LabAction::ContextFileRead {
        name: "./util.py".into(),
        text: "x = 1\n".into(),
    });
    assert_eq!(s.context.len(), 3);
    assert_eq!(s.context[2], ("util.py".to_string(), "x = 1\n".to_string()));
    assert_eq!(s.context_tab, 2);
    // Names that leave the context, and files over the limit, are refused.
    let t = s
        .reduce(LabAction::ContextFileRead {
            name: "../etc/passwd".into(),
            text: "x".into(),
        })
        .reduce(LabAction::ContextFileRead {
            name: "big.txt".into(),
            text: "a".repeat(MAX_CONTEXT_FILE + 1),
        });
    assert_eq!(t.context, s.context);
}

#[test]
fn a_committed_delete_is_a_whiteout_in_the_new_image() {
    let s = LabState::at(T0)
        .reduce(LabAction::StartContainer(0))
        .reduce(LabAction::Run {
            container: 0,
            command: "rm /usr/local/bin/pip".into(),
        })
        .reduce(LabAction::CommitContainer(0));
    let c = s.image(2).unwrap();
    let top = &c.result.image.layers[7];
    // overlay2 commits the whiteout as a `.wh.` file (mode 0600) under its copied-up parents.
    let paths: Vec<String> = top
        .entries
        .iter()
        .map(|e| String::from_utf8_lossy(e.path.as_bytes()).into_owned())
        .collect();
    assert_eq!(
        paths,
        vec![
            "usr/",
            "usr/local/",
            "usr/local/bin/",
            "usr/local/bin/.wh.pip"
        ]
    );
    assert_eq!(top.regular_file_bytes(), 0);
    let rows = history_rows(&s, 2, T0);
    assert_eq!(
        rows[0][1..],
        ["Less than a second ago", "python app.py", "0B"]
    );
    // A container of the new image does not see pip, and has nothing in its own layer.
    let s = s
        .reduce(LabAction::StartContainer(2))
        .reduce(LabAction::Run {
            container: 1,
            command: "ls /usr/local/bin/pip".into(),
        });
    assert_ne!(s.containers[1].console[0].status, 0);
    assert_eq!(s.containers[1].diff(), "");
}
