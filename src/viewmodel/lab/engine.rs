//! The simulator's side of the lab: the whole [`LabState`], created at the time of the first
//! request it serves (so the seed lab's builds are dated like the page's clock), each request's
//! action applied at the request's time, and the resulting [`LabView`]. The lab worker runs one
//! on the page; tests run one in-process. It does not post or decode messages (see `wire`).

use super::view::LabView;
use super::wire::LabRequest;
use super::LabState;

#[derive(Default)]
pub struct LabEngine {
    state: Option<LabState>,
}

impl LabEngine {
    /// Apply one request and give the view after it.
    pub fn serve(&mut self, req: LabRequest) -> LabView {
        let mut state = self.state.take().unwrap_or_else(|| LabState::at(req.now));
        state.now = req.now;
        let next = state.reduce(req.action);
        let view = LabView::of(&next, req.seq);
        self.state = Some(next);
        view
    }
}
