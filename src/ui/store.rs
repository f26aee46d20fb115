//! Adapts the pure `viewmodel::State` reducer to Yew's `Reducible`, stamping each action with the
//! browser's clock (what is built or committed is dated then; natively, for server-side
//! rendering, there is no clock and no browser state).

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
    /// The seed lab built now, with what the browser says (language, `?embed=1`) applied.
    fn default() -> Self {
        Store::booted(Ok(None))
    }
}

impl Store {
    /// The page's first state: the seed lab built now, with what the browser says (language,
    /// the link's state read beforehand, `?embed=1`) already applied.
    #[cfg_attr(not(target_arch = "wasm32"), allow(unused_variables))]
    pub fn booted(link: super::lab::LinkState) -> Self {
        #[allow(unused_mut)]
        let mut state = State::at(clock());
        #[cfg(target_arch = "wasm32")]
        for a in super::lab::boot_actions(link) {
            state = state.reduce(a);
        }
        Store(state)
    }
}

impl Reducible for Store {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Store(self.0.reduce_at(action, clock())))
    }
}

pub type StoreHandle = UseReducerHandle<Store>;
