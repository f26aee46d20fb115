//! The page's side of the lab worker: started when the lab view is first shown ([`want`]), fed
//! the requests the store queued (held until the worker is started and says it is listening), its answers turned
//! into `Action::LabAnswer` for the store (held until the page has connected its dispatcher).
//! A worker that fails (its wasm does not load, it traps, or an answer does not decode) is
//! replaced by a new one, twice at most; the store sends the new one the learner's inputs.
//! It also leaves how long each rebuild took, from request to answer, on
//! `<html data-last-rebuild-ms>` for the end-to-end tests to report. If the worker cannot start
//! or fails, the status bar says so; the page stays usable (the editors still work).

use crate::viewmodel::lab::wire::{decode_view, encode_request, LabRequest};
use crate::viewmodel::{Action, LabAction, Status};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};
use yew::Callback;

/// The worker's entry (static/lab-loader.js): it loads the glue and the wasm Trunk built, and
/// posts a text message if the wasm does not load.
const WORKER_URL: &str = "./lab-loader.js";

/// How many times a failed worker is replaced by a new one before the page gives up.
const MAX_RESTARTS: u32 = 2;

#[derive(Default)]
struct Client {
    worker: Option<Worker>,
    /// The worker has said it is listening.
    ready: bool,
    /// Requests waiting for the worker to listen.
    queue: Vec<Vec<u8>>,
    /// The store's dispatcher, once connected.
    dispatch: Option<Callback<Action>>,
    /// Actions waiting for the dispatcher.
    held: Vec<Action>,
    /// Rebuild requests in flight: (sequence number, time sent in ms).
    rebuilds: Vec<(u64, f64)>,
    /// Workers started again after a failure.
    restarts: u32,
    /// The last worker failed after [`MAX_RESTARTS`] restarts: none is started again.
    gave_up: bool,
}

thread_local! {
    static CLIENT: RefCell<Client> = RefCell::new(Client::default());
}

/// Hand `action` to the store (or hold it until [`connect`]).
fn deliver(action: Action) {
    let dispatch = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        match &c.dispatch {
            Some(d) => Some(d.clone()),
            None => {
                c.held.push(action.clone());
                None
            }
        }
    });
    if let Some(d) = dispatch {
        d.emit(action);
    }
}

/// Connect the store's dispatcher; held answers are delivered now.
pub fn connect(dispatch: Callback<Action>) {
    let held = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        c.dispatch = Some(dispatch.clone());
        std::mem::take(&mut c.held)
    });
    for a in held {
        dispatch.emit(a);
    }
}

/// The worker failed: drop it and start a new one, which the store then sends the learner's
/// inputs again (`Action::LabRestarted`); after [`MAX_RESTARTS`] the page gives up and says so.
fn failed(message: &str) {
    let restarted = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(w) = c.worker.take() {
            w.terminate();
        }
        c.ready = false;
        c.queue.clear();
        c.rebuilds.clear();
        if c.restarts < MAX_RESTARTS {
            c.restarts += 1;
            c.worker = start();
        }
        c.gave_up = c.worker.is_none();
        !c.gave_up
    });
    deliver(if restarted {
        Action::LabRestarted(message.to_string())
    } else {
        Action::Status {
            status: Status::LabFailed(message.to_string()),
            error: true,
        }
    });
}

fn on_message(e: MessageEvent) {
    // The loader says why the simulator's wasm did not load.
    if let Some(why) = e.data().as_string() {
        failed(&why);
        return;
    }
    let bytes = js_sys::Uint8Array::new(&e.data()).to_vec();
    if bytes.is_empty() {
        // Listening: send what was held.
        CLIENT.with(|c| {
            let mut c = c.borrow_mut();
            c.ready = true;
            let queue = std::mem::take(&mut c.queue);
            if let Some(w) = &c.worker {
                for q in queue {
                    let _ = w.post_message(&js_sys::Uint8Array::from(&q[..]));
                }
            }
        });
        return;
    }
    match decode_view(&bytes) {
        Ok(view) => {
            note_rebuild_time(view.ack);
            mark_answered();
            deliver(Action::LabAnswer(Rc::new(view)));
        }
        Err(e) => failed(&format!("the lab simulator's answer did not decode ({e})")),
    }
}

/// Leave the time of the newest rebuild this answer covers on `<html>`.
fn note_rebuild_time(ack: u64) {
    let now = js_sys::Date::now();
    let done: Vec<f64> = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let (done, left): (Vec<_>, Vec<_>) = c.rebuilds.iter().partition(|(seq, _)| *seq <= ack);
        c.rebuilds = left;
        done.into_iter().map(|(_, t0)| now - t0).collect()
    });
    if let (Some(ms), Some(root)) = (
        done.last(),
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element()),
    ) {
        let _ = root.set_attribute("data-last-rebuild-ms", &format!("{ms:.0}"));
    }
}

/// `<html data-lab-answered>`: the lab worker has answered once (the end-to-end tests wait for it).
fn mark_answered() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-lab-answered", "");
    }
}

fn start() -> Option<Worker> {
    let worker = Worker::new(WORKER_URL).ok()?;
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(on_message);
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(move |_e: web_sys::Event| {
        failed("the lab simulator stopped unexpectedly");
    });
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    onerror.forget();
    Some(worker)
}

/// The lab is shown: start the worker (once) and send what was queued.
pub fn want() {
    let failed_to_start = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        if c.worker.is_none() && !c.gave_up {
            c.worker = start();
            return c.worker.is_none();
        }
        false
    });
    if failed_to_start {
        failed("the lab simulator could not start");
    }
}

/// Post requests to the lab worker, or queue them until it is started and listening. Once the
/// page has given up on the worker they are dropped (nothing would ever read them).
pub fn post(requests: Vec<LabRequest>) {
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        if c.gave_up {
            return;
        }
        let now = js_sys::Date::now();
        for r in &requests {
            if r.action == LabAction::Rebuild {
                c.rebuilds.push((r.seq, now));
            }
            let bytes = encode_request(r);
            match (&c.worker, c.ready) {
                (Some(w), true) => {
                    let _ = w.post_message(&js_sys::Uint8Array::from(&bytes[..]));
                }
                _ => c.queue.push(bytes),
            }
        }
    });
}
