//! The lab worker (a Web Worker built by Trunk): runs the lab's simulated builds, containers and
//! registry for the page; see `layerscope::ui::lab::worker`. Natively it is a no-op.

#[cfg(target_arch = "wasm32")]
fn main() {
    layerscope::ui::lab::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
