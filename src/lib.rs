//! layerscope: container image layers, explained and analysed.
//!
//! Data flows one way: Dockerfile / archive → image model → union view → view-model → UI.
//! The core modules below are pure (no web-sys, no yew) and compile and test natively; `ui` is the
//! only module that touches the browser and exists only for wasm32 (and, for server-side-rendered
//! component tests, in native test builds). `cli` is the native command-line surface.

pub mod analysis;
pub mod archive;
pub mod build;
pub mod codec;
pub mod dockerfile;
pub mod image;
pub mod overlay;
pub mod viewmodel;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(any(target_arch = "wasm32", test))]
pub mod ui;

/// The seed lab shown by default: two images built on one base.
pub mod seed {
    pub const DOCKERFILE_APP: &str = "FROM python:3.8-alpine\nRUN pip install flask\nCMD [\"python\",\"app.py\"]\nCOPY app.py /app.py\n";
    pub const DOCKERFILE_APP2: &str = "FROM python:3.8-alpine\nRUN pip install flask\nCMD [\"python\",\"app2.py\"]\nCOPY app2.py /app2.py\n";
    pub const APP_PY: &str = "print(\"Hello from app\")\n";
    pub const APP2_PY: &str = "print(\"Hello from app2\")\n";
}
