//! The `layerscope` binary: the Yew page on wasm32, the command-line tool natively.

#[cfg(target_arch = "wasm32")]
fn main() {
    layerscope::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    layerscope::cli::main()
}
