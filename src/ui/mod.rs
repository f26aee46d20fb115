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

/// Mount the app on `<body>`.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    yew::Renderer::<App>::new().render();
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod ssr_tests;
