//! The lab as the page holds it: the simulator's last answer ([`LabView`]), the requests sent
//! and not answered yet, and what the page shows meanwhile — the answer with those requests'
//! editor, tab and selection changes applied at once ([`LabInputs::preview`]), so typing is never
//! overwritten by an older answer and a click shows before the simulator has run. Reducing an
//! action only queues a request (`outbox`); the page posts it to the lab worker and feeds the
//! answer back ([`LabPage::answer`]). It runs no simulation and touches no browser.

use super::view::LabView;
use super::wire::LabRequest;
use super::LabAction;
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq)]
pub struct LabPage {
    /// The simulator's last answer.
    answered: Rc<LabView>,
    /// What the page shows: the answer with the pending requests previewed.
    shown: Rc<LabView>,
    /// Requests sent and not answered yet, oldest first.
    pending: Vec<(u64, LabAction)>,
    /// Last sequence number given to a request.
    seq: u64,
    /// Requests queued by reducing, for the page to post (then taken with [`LabPage::take_outbox`]).
    outbox: Vec<LabRequest>,
}

impl std::ops::Deref for LabPage {
    type Target = LabView;
    fn deref(&self) -> &LabView {
        &self.shown
    }
}

impl LabPage {
    /// The page before the simulator's first answer (the seed inputs at `now`, nothing built).
    pub fn new(now: i64) -> Self {
        Self::with(LabView::waiting(now))
    }

    /// The page showing `view` with nothing pending (server-side rendering, tests).
    pub fn with(view: LabView) -> Self {
        let v = Rc::new(view);
        LabPage {
            answered: v.clone(),
            shown: v,
            pending: Vec::new(),
            seq: 0,
            outbox: Vec::new(),
        }
    }

    /// Queue `action` for the simulator at `now` (seconds since the epoch) and preview it.
    pub fn send(&mut self, action: LabAction, now: i64) {
        self.seq += 1;
        self.outbox.push(LabRequest {
            seq: self.seq,
            now,
            action: action.clone(),
        });
        let mut shown = (*self.shown).clone();
        if shown.inputs.preview(&action) {
            self.shown = Rc::new(shown);
        }
        self.pending.push((self.seq, action));
    }

    /// The simulator's answer: it covers every request up to `view.ack`. An answer older than
    /// the last one is ignored.
    pub fn answer(&mut self, view: Rc<LabView>) {
        if view.ack < self.answered.ack {
            return;
        }
        self.pending.retain(|(seq, _)| *seq > view.ack);
        let mut shown = (*view).clone();
        for (_, a) in &self.pending {
            shown.inputs.preview(a);
        }
        self.answered = view;
        self.shown = Rc::new(shown);
    }

    /// A new simulator replaces one that failed: the requests it did not answer are dropped (one
    /// of them may be what failed), and it is sent the learner's inputs as a link carries them,
    /// plus a dropped Dockerfile. What was simulated (containers, commits, pushes) is lost.
    pub fn restart(&mut self, now: i64) {
        self.pending.clear();
        self.outbox.clear();
        let inputs = self.shown.inputs.clone();
        self.send(
            LabAction::Init {
                lang: inputs.lang,
                embed: inputs.embed,
                snapshot: Some(inputs.snapshot()),
            },
            now,
        );
        if let Some((name, text)) = inputs.user_dockerfile {
            self.send(LabAction::DockerfileRead { name, text }, now);
            self.send(LabAction::SelectTab(inputs.tab), now);
        }
        self.send(LabAction::SelectContextFile(inputs.context_tab), now);
    }

    /// The requests to post, oldest first (the queue is emptied).
    pub fn take_outbox(&mut self) -> Vec<LabRequest> {
        std::mem::take(&mut self.outbox)
    }

    /// Whether requests are waiting for an answer.
    pub fn busy(&self) -> bool {
        !self.pending.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::super::engine::LabEngine;
    use super::*;
    use crate::viewmodel::lab::{DockerfileTab, LabInputs, LabState};

    /// Deliver the page's requests to an engine and its answers back, `lag` requests behind.
    fn deliver(page: &mut LabPage, engine: &mut LabEngine, lag: usize) -> usize {
        let out = page.take_outbox();
        let n = out.len();
        let mut answers: Vec<Rc<LabView>> =
            out.into_iter().map(|r| Rc::new(engine.serve(r))).collect();
        answers.truncate(n.saturating_sub(lag));
        for a in answers {
            page.answer(a);
        }
        n
    }

    #[test]
    fn answers_replace_the_preview_and_match_the_direct_reducer() {
        let mut page = LabPage::new(1_700_000_000);
        let mut engine = LabEngine::default();
        let actions = vec![
            LabAction::SelectTab(DockerfileTab::App2),
            LabAction::EditDockerfile("FROM python:3.8-alpine\nCOPY app2.py /\n".into()),
            LabAction::Rebuild,
            LabAction::SelectLayer(Some((1, 5))),
            LabAction::StartContainer(0),
            LabAction::Run {
                container: 0,
                command: "echo x >> /app.py".into(),
            },
        ];
        let mut direct = LabState::at(1_700_000_000);
        for a in &actions {
            direct = direct.reduce(a.clone());
            page.send(a.clone(), 1_700_000_000);
        }
        // Before any answer the page previews the editor, tab and selection.
        assert_eq!(page.tab, DockerfileTab::App2);
        assert_eq!(
            page.app2_dockerfile,
            "FROM python:3.8-alpine\nCOPY app2.py /\n"
        );
        assert_eq!(page.selected, Some((1, 5)));
        assert!(page.images.is_empty());
        assert!(page.busy());
        deliver(&mut page, &mut engine, 0);
        assert!(!page.busy());
        assert_eq!(*page, LabView::of(&direct, 6));
        assert_eq!(page.containers[0].console[0].command, "echo x >> /app.py");
    }

    #[test]
    fn the_first_render_has_the_browser_language_and_the_link_state() {
        let mut snap = LabState::default().snapshot();
        snap.tab = 1;
        snap.builder = "classic".into();
        snap.dockerfiles[1] = "FROM scratch\n".into();
        snap.lang = None;
        let mut page = LabPage::new(0);
        page.send(
            LabAction::Init {
                lang: crate::viewmodel::Lang::Ru,
                embed: true,
                snapshot: Some(snap),
            },
            0,
        );
        // Nothing answered yet, and the page already shows the link's inputs in Russian.
        assert_eq!(page.ack, 0);
        assert_eq!(page.lang, crate::viewmodel::Lang::Ru);
        assert!(page.embed);
        assert_eq!(page.tab, DockerfileTab::App2);
        assert_eq!(page.builder, crate::build::Builder::Classic);
        assert_eq!(page.active_dockerfile(), "FROM scratch\n");
        // The answer agrees, and a second Init (the view mounted again) changes nothing.
        let mut engine = LabEngine::default();
        deliver(&mut page, &mut engine, 0);
        let answered = (*page).clone();
        assert_eq!(answered.inputs.tab, DockerfileTab::App2);
        assert_eq!(answered.image(1).map(|i| i.layers.len()), Some(0));
        page.send(
            LabAction::Init {
                lang: crate::viewmodel::Lang::En,
                embed: false,
                snapshot: None,
            },
            0,
        );
        assert_eq!(page.inputs, answered.inputs);
        deliver(&mut page, &mut engine, 0);
        assert_eq!(page.inputs, answered.inputs);
    }

    #[test]
    fn a_new_simulator_gets_the_learners_inputs_again() {
        let mut page = LabPage::new(1_700_000_000);
        let mut engine = LabEngine::default();
        for a in [
            LabAction::DockerfileRead {
                name: "Containerfile".into(),
                text: "FROM scratch\n".into(),
            },
            LabAction::SelectTab(DockerfileTab::App2),
            LabAction::EditDockerfile("FROM python:3.8-alpine\nCOPY app2.py /\n".into()),
            LabAction::Rebuild,
            LabAction::SetBuilder(crate::build::Builder::Classic),
            LabAction::SelectContextFile(1),
            LabAction::SelectLayer(Some((1, 5))),
            LabAction::SetLang(crate::viewmodel::Lang::Ru),
            LabAction::StartContainer(0),
        ] {
            page.send(a, 1_700_000_000);
        }
        deliver(&mut page, &mut engine, 0);
        let before = (*page).clone();
        assert_eq!(before.containers.len(), 1);
        // The worker failed with a request unanswered; a fresh one gets the inputs again.
        page.send(LabAction::StartContainer(1), 1_700_000_000);
        page.take_outbox();
        page.restart(1_700_000_100);
        let mut fresh = LabEngine::default();
        deliver(&mut page, &mut fresh, 0);
        assert!(!page.busy());
        assert_eq!(
            page.inputs,
            LabInputs {
                now: 1_700_000_100,
                // The new simulator was sent the inputs as the link state of an `Init`.
                initialized: true,
                ..before.inputs.clone()
            }
        );
        assert!(page.containers.is_empty());
        // The same images, built again by the new simulator.
        let layers = |v: &LabView| -> Vec<usize> {
            v.images()
                .iter()
                .map(|i| i.map_or(0, |i| i.layers.len()))
                .collect()
        };
        assert_eq!(layers(&page), layers(&before));
    }

    #[test]
    fn typing_ahead_of_the_answers_is_kept() {
        let mut page = LabPage::new(0);
        let mut engine = LabEngine::default();
        page.send(LabAction::EditDockerfile("FROM a".into()), 0);
        page.send(LabAction::EditDockerfile("FROM al".into()), 0);
        page.send(LabAction::EditDockerfile("FROM alp".into()), 0);
        // Only the first answer has come back: the editor still shows the latest text.
        deliver(&mut page, &mut engine, 2);
        assert_eq!(page.ack, 1);
        assert_eq!(page.app_dockerfile, "FROM alp");
        assert!(page.busy());
        // An answer older than the one shown is ignored.
        let stale = Rc::new(LabView::waiting(0));
        page.answer(stale);
        assert_eq!(page.ack, 1);
        page.send(LabAction::EditDockerfile("FROM alpine".into()), 0);
        deliver(&mut page, &mut engine, 0);
        assert_eq!(page.ack, 4);
        assert_eq!(page.app_dockerfile, "FROM alpine");
        assert!(!page.busy());
    }
}
