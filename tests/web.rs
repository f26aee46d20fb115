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
            html.contains(&format!(">{title}<")),
            "{title} missing: {html}"
        );
    }
    assert!(html.contains("python:3.8-alpine"));
    // The simulator runs in the lab worker (not served by the test runner): the page draws the
    // seed inputs and says it is building.
    assert!(html.contains("class=\"building\""), "{html}");
}

/// The lab worker's path in wasm, minus `postMessage`: a request in binary, the engine's answer,
/// the view in binary and back.
#[wasm_bindgen_test]
fn the_lab_engine_answers_in_wasm() {
    use layerscope::viewmodel::lab::engine::LabEngine;
    use layerscope::viewmodel::lab::view::shared_prefix;
    use layerscope::viewmodel::lab::wire::{
        decode_request, decode_view, encode_request, encode_view, LabRequest,
    };
    use layerscope::viewmodel::{LabAction, Lang};
    let req = LabRequest {
        seq: 1,
        now: 1_700_000_000,
        action: LabAction::Init {
            lang: Lang::En,
            embed: false,
            snapshot: None,
        },
    };
    let mut engine = LabEngine::default();
    let view = engine.serve(decode_request(&encode_request(&req)).unwrap());
    let view = decode_view(&encode_view(&view)).unwrap();
    assert_eq!(view.ack, 1);
    let (app, app2) = (view.image(0).unwrap(), view.image(1).unwrap());
    assert_eq!((app.layers.len(), app2.layers.len()), (7, 7));
    assert_eq!(shared_prefix(app, app2).0, 6);
}

/// The fragment of the example page's second iframe: made by flate2 (`Compression::best`), the
/// native reference, so it stands for every link made before the page deflated in the browser.
fn example_page_fragment() -> String {
    let page = include_str!("../static/lab-example.html");
    let start = page.find("?embed=1#s=").unwrap() + "?embed=1#".len();
    page[start..].split('"').next().unwrap().to_string()
}

fn flate2_inflate(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::DeflateDecoder::new(data), &mut out).unwrap();
    out
}

fn flate2_deflate(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut enc, data).unwrap();
    enc.finish().unwrap()
}

#[wasm_bindgen_test]
async fn links_made_by_flate2_open_with_the_browser_inflater() {
    use layerscope::ui::lab::link_state;
    let snap = link_state::decode(&format!("#{}", example_page_fragment()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        snap.dockerfiles[0],
        "FROM python:3.8-alpine\nCOPY app.py /app.py\nRUN pip install flask\nCMD [\"python\",\"app.py\"]\n"
    );
    assert_eq!(snap.selected, Some((0, 5)));
    assert_eq!(link_state::decode("#other=1").await, Ok(None));
}

#[wasm_bindgen_test]
async fn the_browser_deflates_raw_deflate_that_flate2_reads() {
    use layerscope::ui::lab::link_state;
    use layerscope::viewmodel::lab::fragment;
    let snap = link_state::decode(&example_page_fragment())
        .await
        .unwrap()
        .unwrap();
    let f = link_state::encode(&snap).await;
    let deflated = fragment::deflated_of(&f).unwrap().unwrap();
    let json = fragment::to_json(&snap);
    // Compressed (the JSON repeats itself), and the reference inflater reads it back.
    assert!(
        deflated.len() < json.len(),
        "{} vs {}",
        deflated.len(),
        json.len()
    );
    assert_eq!(flate2_inflate(&deflated), json);
    assert_eq!(link_state::decode(&f).await, Ok(Some(snap)));
    // The fallback's stored blocks, too, inflate in the browser.
    let stored = fragment::deflate_stored(&json);
    assert_eq!(link_state::inflate(&stored, json.len()).await, Ok(json));
}

#[wasm_bindgen_test]
async fn the_browser_inflater_stops_at_the_cap() {
    use layerscope::ui::lab::link_state;
    use layerscope::viewmodel::lab::fragment::{self, FragmentError, MAX_INFLATED};
    let exact = flate2_deflate(&vec![b' '; 1000]);
    assert_eq!(
        link_state::inflate(&exact, 1000).await.map(|v| v.len()),
        Ok(1000)
    );
    assert_eq!(
        link_state::inflate(&exact, 999).await,
        Err(FragmentError::TOO_BIG)
    );
    // A bomb: 1 MiB of spaces deflates to about 1 KiB; refused, as natively.
    let bomb = fragment::fragment_of(&flate2_deflate(&vec![b' '; 1 << 20]));
    assert_eq!(link_state::decode(&bomb).await, Err(FragmentError::TOO_BIG));
    let at_cap = flate2_deflate(&vec![b' '; MAX_INFLATED]);
    assert_eq!(
        link_state::inflate(&at_cap, MAX_INFLATED)
            .await
            .map(|v| v.len()),
        Ok(MAX_INFLATED)
    );
    // Not DEFLATE at all (a reserved block type), and bad base64url: errors, not panics.
    assert_eq!(
        link_state::decode("#s=_w").await,
        Err(FragmentError::NOT_DEFLATE)
    );
    assert_eq!(
        link_state::decode("#s=%%").await.unwrap_err().expected,
        "a base64url character (A-Z a-z 0-9 - _)"
    );
}
