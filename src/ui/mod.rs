//! The page (Yew). The only module that touches yew, web-sys or gloo; one component per file.
pub fn start() {}
