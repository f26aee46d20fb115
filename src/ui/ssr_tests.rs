//! Server-side-rendered component tests: the first render of the page as HTML, natively.

use super::App;
use yew::LocalServerRenderer;

async fn render_app() -> String {
    LocalServerRenderer::<App>::new()
        .hydratable(false)
        .render()
        .await
}

#[tokio::test(flavor = "current_thread")]
async fn page_shell_has_the_lab_and_the_seed() {
    let html = render_app().await;
    for needle in [
        "<h1 class=\"brand\">",
        "layerscope",
        "id=\"pane-dockerfile-title\">Dockerfile</h2>",
        "id=\"pane-context-title\">Build context</h2>",
        "id=\"pane-layers-title\">Images</h2>",
        "id=\"pane-containers-title\">Containers</h2>",
        "id=\"pane-history-title\">docker image history</h2>",
        "id=\"file-picker\"",
        "role=\"status\"",
        // Both seed images, 7 layers each, 6 of them shared and drawn once.
        "data-testid=\"stack-app\" data-layers=\"7\"",
        "data-testid=\"stack-app2\" data-layers=\"7\"",
        "data-testid=\"shared-block\" data-layers=\"6\"",
        "app + app2: 6 shared layers",
        // The empty states say what to do.
        "No container yet. Start one from an image",
        "Push an image to see which layers upload",
        "data-testid=\"guide-start\"",
        "data-testid=\"builder-buildkit\"",
    ] {
        assert!(html.contains(needle), "missing {needle:?} in {html}");
    }
    // Each stack's own layers: only the top (COPY) layer is outside the shared block.
    assert_eq!(html.matches("<li><button data-layer=\"6\"").count(), 2);
    assert_eq!(html.matches("<li><button data-layer=\"0\"").count(), 1);
    // The seed lab's first Dockerfile, coloured, with line numbers and cache marks.
    assert!(html.contains("<div data-line=\"1\" data-mark=\"base\" class=\"code-line\"><span class=\"ln\">1</span><span class=\"src\"><span class=\"tk-kw\">FROM</span><span class=\"tk\"> python:3.8-alpine</span></span>"), "{html}");
    assert!(html.contains("data-line=\"2\" data-mark=\"rebuilt\""));
    assert!(html.contains("data-line=\"3\" data-mark=\"config\""));
    assert!(html.contains("data-line=\"4\" data-mark=\"rebuilt\""));
}
