//! Browser tests (wasm-bindgen-test in headless Chromium): the core runs in wasm, and the page
//! mounts and renders. Compiled only for wasm32; natively this file is empty.
#![cfg(target_arch = "wasm32")]

use layerscope::viewmodel::{classify_file, Action, DroppedKind, State};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn reducer_runs_in_wasm() {
    let s = State::default().reduce(Action::FilesReceived(vec![("a.tgz".into(), 1500)]));
    assert_eq!(s.status, "Received a.tgz (1.50 kB).");
    assert_eq!(classify_file("Dockerfile"), DroppedKind::Dockerfile);
}

#[wasm_bindgen_test]
async fn page_mounts_with_every_pane() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<layerscope::ui::App>::with_root(root.clone()).render();
    gloo::timers::future::TimeoutFuture::new(50).await;
    let html = root.inner_html();
    for title in [
        "Dockerfile",
        "Build context",
        "docker image history",
        "Images",
        "Containers",
    ] {
        assert!(
            html.contains(&format!(">{title}</h2>")),
            "{title} missing: {html}"
        );
    }
    assert!(html.contains("python:3.8-alpine"));
    // The seed lab is simulated in wasm: both images, their six shared layers joined.
    assert!(
        html.contains("data-testid=\"stack-app\" data-layers=\"7\""),
        "{html}"
    );
    assert!(
        html.contains("data-testid=\"shared-block\" data-layers=\"6\""),
        "{html}"
    );
}
