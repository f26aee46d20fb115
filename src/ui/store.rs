//! Adapts the pure `viewmodel::State` reducer to Yew's `Reducible`.

use crate::viewmodel::{Action, State};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Store(pub State);

impl Reducible for Store {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Store(self.0.reduce(action)))
    }
}

pub type StoreHandle = UseReducerHandle<Store>;
