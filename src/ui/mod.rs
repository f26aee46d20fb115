//! The page (Yew). The only module that touches yew, web-sys or gloo; one component per file.
//! State lives in `viewmodel::State`; `store` adapts its reducer to Yew.

mod app;
mod drop_zone;
pub mod explore;
mod header;
pub mod lab;
mod status_bar;
pub mod store;

pub use app::App;

/// Mount the app on `<body>`, once the link's lab state is read (the browser inflates it
/// asynchronously; it takes a few milliseconds), so the first render already shows it. When the
/// page opens on the lab, the lab worker is started first, so its wasm loads meanwhile.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    let (_, search, _) = lab::browser::location();
    if crate::viewmodel::View::from_query(&search) != Some(crate::viewmodel::View::Explore) {
        lab::lab_client::want();
    }
    wasm_bindgen_futures::spawn_local(async {
        let link_state = Some(lab::read_link_state().await);
        yew::Renderer::<App>::with_props(app::Props { link_state }).render();
    });
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod ssr_tests;
