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
async fn page_shell_has_every_pane_and_the_seed() {
    let html = render_app().await;
    for needle in [
        "<h1 class=\"brand\">",
        "layerscope",
        "id=\"pane-dockerfile-title\">Dockerfile</h2>",
        "id=\"pane-layers-title\">Layer stack</h2>",
        "id=\"pane-tree-title\">File tree</h2>",
        "id=\"pane-output-title\">History &amp; diff</h2>",
        "id=\"file-picker\"",
        "role=\"status\"",
    ] {
        assert!(html.contains(needle), "missing {needle:?} in {html}");
    }
    // The seed lab's first Dockerfile, line by line with numbers.
    for (i, line) in crate::seed::DOCKERFILE_APP.lines().enumerate() {
        let want = format!(
            "<div class=\"code-line\"><span class=\"ln\">{}</span><span class=\"src\">{}</span></div>",
            i + 1,
            line
        );
        assert!(html.contains(&want), "missing {want:?} in {html}");
    }
}
