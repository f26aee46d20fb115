//! The archive worker (a Web Worker built by Trunk): reads dropped archives in slices and answers
//! preview requests; see `layerscope::ui::explore::worker`. Natively it is a no-op.

#[cfg(target_arch = "wasm32")]
fn main() {
    layerscope::ui::explore::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
