//! The lab worker's side (runs in a `DedicatedWorkerGlobalScope`): it holds the lab simulator
//! (`viewmodel::lab::engine`), takes each of the page's requests in binary (`wire`), applies it
//! and posts the view back. It first posts an empty message to say it is listening (messages
//! sent before that are the page's to hold). A request that does not decode is answered with
//! nothing (the page keeps its last view); the page never sends one.

use crate::viewmodel::lab::engine::LabEngine;
use crate::viewmodel::lab::wire::{decode_request, encode_view};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

thread_local! {
    static ENGINE: RefCell<LabEngine> = RefCell::new(LabEngine::default());
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Listen for the page's requests.
pub fn start() {
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let bytes = js_sys::Uint8Array::new(&e.data()).to_vec();
        let Ok(req) = decode_request(&bytes) else {
            web_sys::console::error_1(&"lab worker: a request did not decode".into());
            return;
        };
        let view = ENGINE.with(|en| en.borrow_mut().serve(req));
        let _ = scope().post_message(&js_sys::Uint8Array::from(&encode_view(&view)[..]));
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    let _ = scope().post_message(&js_sys::Uint8Array::new_with_length(0));
}
