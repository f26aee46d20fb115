//! Adapts the pure `viewmodel::State` reducer to Yew's `Reducible`, stamping each action with the
//! browser's clock (what is built or committed is dated then) and posting the lab requests the
//! reducer queued to the lab worker (`lab::lab_client`), whose answers come back as
//! `Action::LabAnswer`. Natively, for server-side rendering, there is no clock, no browser and no
//! worker: the seed lab is simulated in-process.

use crate::viewmodel::{Action, State};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Store(pub State);

/// Seconds since the epoch (0 natively).
pub fn clock() -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        (js_sys::Date::now() / 1000.0) as i64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}

impl Default for Store {
    /// The seed lab, with what the browser says (language, `?embed=1`) applied.
    fn default() -> Self {
        Store::booted(Ok(None))
    }
}

impl Store {
    /// The page's first state: the seed lab's inputs (the lab worker builds them), with what the
    /// browser says (language, the link's state read beforehand, `?embed=1`) already applied.
    /// Natively the seed lab is built in-process, so the first render shows it built.
    #[cfg_attr(not(target_arch = "wasm32"), allow(unused_variables))]
    pub fn booted(link: super::lab::LinkState) -> Self {
        #[allow(unused_mut)]
        let mut state = State::at(clock());
        #[cfg(target_arch = "wasm32")]
        {
            for a in super::lab::boot_actions(link) {
                state = state.reduce(a);
            }
            super::lab::lab_client::post(state.lab.take_outbox());
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            use crate::viewmodel::lab::{view::LabView, LabState};
            state.lab = crate::viewmodel::LabPage::with(LabView::of(&LabState::at(0), 0));
        }
        Store(state)
    }
}

impl Reducible for Store {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        #[allow(unused_mut)]
        let mut next = self.0.reduce_at(action, clock());
        #[cfg(target_arch = "wasm32")]
        super::lab::lab_client::post(next.lab.take_outbox());
        Rc::new(Store(next))
    }
}

pub type StoreHandle = UseReducerHandle<Store>;
