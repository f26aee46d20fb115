//! Server-side-rendered tests of the explore view with a loaded image: the layer stack, the tree
//! rows with their change markers, the history table with `<missing>` explained, the analysis.

use super::super::store::Store;
use super::ExploreView;
use crate::image::{Entry, EntryKind, HistoryRow, Image, Layer};
use crate::viewmodel::explore::summary::{analyze, summarize};
use crate::viewmodel::{Action, ExploreAction, State};
use yew::prelude::*;
use yew::LocalServerRenderer;

#[derive(Properties, PartialEq)]
struct HarnessProps {
    state: State,
}

#[function_component(Harness)]
fn harness(props: &HarnessProps) -> Html {
    let initial = props.state.clone();
    let store = use_reducer(move || Store(initial));
    html! { <ExploreView {store} /> }
}

fn image() -> Image {
    let layer = Layer::bare;
    let row = |by: &str, l: Option<usize>| HistoryRow {
        created: None,
        created_by: by.into(),
        empty_layer: l.is_none(),
        layer_index: l,
        ..HistoryRow::default()
    };
    Image {
        tags: vec!["ssr:1".into()],
        config_digest: "sha256:abcdef0123456789".into(),
        layers: vec![
            layer(
                0,
                vec![
                    Entry::new("etc/", EntryKind::Dir, 0o755, 0),
                    Entry::new("etc/motd", EntryKind::File, 0o644, 12),
                ],
            ),
            layer(1, vec![Entry::new("etc/.wh.motd", EntryKind::File, 0, 0)]),
        ],
        history: vec![
            row("/bin/sh -c #(nop) ADD file:x in / ", Some(0)),
            row("/bin/sh -c #(nop)  CMD [\"sh\"]", None),
            row("/bin/sh -c rm /etc/motd", Some(1)),
        ],
        ..Image::default()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn loaded_image_renders_stack_tree_history_and_analysis() {
    let im = image();
    let s = State::default()
        .reduce(Action::Explore(ExploreAction::LoadStarted {
            job: 1,
            name: "ssr.tar".into(),
            size: 10,
        }))
        .reduce(Action::Explore(ExploreAction::Loaded {
            job: 1,
            images: vec![summarize(&im, "ssr.tar", 1, 0, "test", 0)],
            error: None,
        }))
        .reduce(Action::Explore(ExploreAction::AnalysisReady {
            job: 1,
            image_index: 0,
            analysis: analyze(&im),
        }))
        .reduce(Action::Explore(ExploreAction::SelectLayer(1)));
    assert_eq!(s.status, "Read ssr.tar: ssr:1 (2 layers).");
    let s_for_ru = s.clone();
    let html = LocalServerRenderer::<Harness>::with_props(HarnessProps { state: s })
        .hydratable(false)
        .render()
        .await;
    let count = |needle: &str| html.matches(needle).count();
    assert_eq!(count("data-testid=\"layer-block\""), 2, "{html}");
    assert_eq!(count("data-testid=\"empty-step\""), 1);
    assert_eq!(count("data-testid=\"history-row\""), 3);
    assert_eq!(count("<abbr title=\"&lt;missing&gt;: "), 2);
    // Layer 1 deletes /etc/motd: the tree shows it under its (unchanged) parent, marked Deleted.
    assert!(
        html.contains("data-path=\"/etc/motd\" data-change=\"D\""),
        "{html}"
    );
    assert!(html.contains("role=\"tree\""));
    assert!(html.contains("File tree — layer 1"));
    assert!(html.contains("ssr:1"));

    // The same state in Russian: headings, the deleted marker, the status bar.
    let mut ru = s_for_ru;
    ru.lab.send(
        crate::viewmodel::LabAction::SetLang(crate::viewmodel::Lang::Ru),
        0,
    );
    assert_eq!(
        ru.status.text(ru.lab.lang),
        "Прочитан ssr.tar: ssr:1 (2 слоя)."
    );
    let html = LocalServerRenderer::<Harness>::with_props(HarnessProps { state: ru })
        .hydratable(false)
        .render()
        .await;
    for want in [
        "<main lang=\"ru\"",
        ">Образы</h2>",
        ">Стек слоёв</h3>",
        "title=\"слой 1: RUN rm /etc/motd\"",
        "Дерево файлов — слой 1",
        "aria-label=\"Удалено\"",
        ">История и анализ</h2>",
        ">2 строки</span>",
        "title=\"&lt;missing&gt;: Docker показывает",
    ] {
        assert!(html.contains(want), "{want}: {html}");
    }
    for english in [
        "Layer stack",
        "File tree",
        "Deleted",
        "History &amp;",
        " rows",
    ] {
        assert!(!html.contains(english), "{english}: {html}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn progress_shows_bytes_and_layers() {
    let started = State::default().reduce(Action::Explore(ExploreAction::LoadStarted {
        job: 3,
        name: "big.tar".into(),
        size: 3_000_000,
    }));
    let at = |bytes: u64, layers: usize, layers_total: Option<usize>| {
        started.reduce(Action::Explore(ExploreAction::Progress {
            job: 3,
            bytes,
            layers,
            layers_total,
        }))
    };
    let render = |s: State| async move {
        LocalServerRenderer::<Harness>::with_props(HarnessProps { state: s })
            .hydratable(false)
            .render()
            .await
    };
    // Before the manifests are read: bytes only.
    let html = render(at(1_000_000, 0, None)).await;
    assert!(
        html.contains("Reading big.tar — 1.00 MB of 3.00 MB<"),
        "{html}"
    );
    assert!(html.contains("value=\"33\""), "{html}");
    // Then layers read of the total.
    let html = render(at(2_000_000, 2, Some(5))).await;
    assert!(
        html.contains("Reading big.tar — 2.00 MB of 3.00 MB, 2 of 5 layers<"),
        "{html}"
    );
    assert!(html.contains("Cancel"));
}

#[tokio::test(flavor = "current_thread")]
async fn layers_above_0_wait_for_their_changes() {
    use crate::viewmodel::explore::summary::summarize_first;
    let im = image();
    let s = State::default()
        .reduce(Action::Explore(ExploreAction::Loaded {
            job: 1,
            images: vec![summarize_first(&im, "ssr.tar", 1, 0, "test", 0)],
            error: None,
        }))
        .reduce(Action::Explore(ExploreAction::SelectLayer(1)));
    let html = LocalServerRenderer::<Harness>::with_props(HarnessProps { state: s })
        .hydratable(false)
        .render()
        .await;
    assert!(html.contains("data-testid=\"tree-pending\""), "{html}");
    assert!(!html.contains("data-testid=\"tree-row\""));
    // The stack and the history are drawn already.
    assert_eq!(html.matches("data-testid=\"layer-block\"").count(), 2);
    assert_eq!(html.matches("data-testid=\"history-row\"").count(), 3);
}

#[tokio::test(flavor = "current_thread")]
async fn every_tag_and_the_other_platforms_are_listed() {
    let mut im = image();
    im.tags = vec![
        "ssr:1".into(),
        "ssr:latest".into(),
        "reg.example/ssr:1".into(),
    ];
    let mut loaded = summarize(&im, "ssr.tar", 1, 0, "test", 0);
    loaded.other_platforms = vec!["linux/arm64/v8".into(), "linux/s390x".into()];
    let s = State::default().reduce(Action::Explore(ExploreAction::Loaded {
        job: 1,
        images: vec![loaded],
        error: None,
    }));
    let html = LocalServerRenderer::<Harness>::with_props(HarnessProps { state: s })
        .hydratable(false)
        .render()
        .await;
    assert!(
        html.contains(
            ">also tagged <span class=\"image-name\">ssr:latest, reg.example/ssr:1</span></span>"
        ),
        "{html}"
    );
    let picks: Vec<&str> = html
        .split("data-testid=\"platform-pick\"")
        .skip(1)
        .map(|s| {
            s.split('>')
                .nth(1)
                .unwrap_or("")
                .trim_end_matches("</button")
        })
        .collect();
    assert_eq!(picks, ["linux/arm64/v8", "linux/s390x"], "{html}");
}
