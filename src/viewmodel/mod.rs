//! The page's state and its reducer, pure and natively tested; the Yew components in `ui` only
//! render it and dispatch actions. It does not touch the browser.
//!
//! The page has two views: the lab (`lab`: seed Dockerfiles, simulated builds, containers; the
//! default) and explore (`explore`: dropped image archives). This file holds what both share —
//! the view switch, drag feedback, the status bar — and routes actions to the view states.

pub mod explore;
mod files;
pub mod lab;

pub use explore::{ExploreAction, ExploreState};
pub use files::{classify_file, human_bytes, DroppedKind};
pub use lab::page::LabPage;
pub use lab::view::LabView;
pub use lab::{DockerfileTab, Key, LabAction, LabState, Lang};
use std::rc::Rc;

/// What the status bar says, kept as a message so that it shows in the interface language
/// (`lab::i18n` writes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Ready,
    /// Files taken: each `name` or `name (size)`.
    Received(Vec<String>),
    /// Files that are neither an archive nor a Dockerfile.
    Unsupported(Vec<String>),
    LoadedDockerfile {
        name: String,
        lines: usize,
    },
    ReadFailed {
        name: String,
        message: String,
    },
    /// The lab worker could not start or failed (the reason), and was not started again.
    LabFailed(String),
    /// The lab worker failed (the reason) and a new one was started with the learner's inputs.
    LabRestarted(String),
    /// The URL fragment could not be read (the reason).
    LinkUnreadable(String),
    /// How a load of the explore view ended.
    Explore(explore::text::Note),
}

/// Tests compare the status with its English text.
impl PartialEq<&str> for Status {
    fn eq(&self, other: &&str) -> bool {
        self.text(Lang::En) == *other
    }
}

/// Which view the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Lab,
    Explore,
}

/// The values of `key` in a page address's query (`?a=1&b=2`), in order.
pub fn query_values<'a>(search: &'a str, key: &'a str) -> impl Iterator<Item = &'a str> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(move |kv| kv.strip_prefix(key)?.strip_prefix('='))
}

impl View {
    /// The view a page address asks for (`?view=explore`, `?view=lab`), if any: a link straight
    /// to the archive explorer never starts the lab's simulator.
    pub fn from_query(search: &str) -> Option<View> {
        query_values(search, "view").find_map(|v| match v {
            "explore" => Some(View::Explore),
            "lab" => Some(View::Lab),
            _ => None,
        })
    }
}

/// Everything the page shows; replaced, never mutated in place, by `reduce`.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub view: View,
    /// The lab as the page shows it (the simulator runs in the lab worker).
    pub lab: LabPage,
    pub explore: ExploreState,
    /// Whether a drag is hovering over the page.
    pub dragging: bool,
    /// The status bar's message.
    pub status: Status,
    /// True when `status` reports an error.
    pub status_is_error: bool,
    /// The page's clock when the action being applied happened (seconds since the epoch; 0:
    /// none): the time of the lab requests it makes.
    pub clock: i64,
}

impl Default for State {
    fn default() -> Self {
        State::at(0)
    }
}

impl State {
    /// The page as it opens at `now` (seconds since the epoch; 0: no clock).
    pub fn at(now: i64) -> Self {
        State {
            view: View::Lab,
            lab: LabPage::new(now),
            explore: ExploreState::default(),
            dragging: false,
            status: Status::Ready,
            status_is_error: false,
            clock: now,
        }
    }
}

/// What the user or the browser did.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetView(View),
    DragEnter,
    DragLeave,
    /// Files were dropped or picked: (name, size) in order. Their contents are read separately.
    FilesReceived(Vec<(String, u64)>),
    /// A dropped Dockerfile's text was read.
    DockerfileRead {
        name: String,
        text: String,
    },
    /// Reading a dropped file failed.
    ReadFailed {
        name: String,
        message: String,
    },
    /// Set the status bar (`error` marks it as an error).
    Status {
        status: Status,
        error: bool,
    },
    Lab(LabAction),
    /// The lab simulator answered.
    LabAnswer(Rc<LabView>),
    /// The lab worker failed (the reason) and a new one was started: send it the inputs again.
    LabRestarted(String),
    Explore(ExploreAction),
}

impl State {
    /// Apply one action at `now` (the page's clock, seconds since the epoch): what it builds or
    /// commits is dated then.
    pub fn reduce_at(&self, action: Action, now: i64) -> State {
        let mut next = self.clone();
        next.clock = now;
        next.apply(action);
        next
    }

    /// Apply one action and return the next state.
    pub fn reduce(&self, action: Action) -> State {
        let mut next = self.clone();
        next.apply(action);
        next
    }

    fn apply(&mut self, action: Action) {
        let next = self;
        match action {
            Action::SetView(v) => next.view = v,
            Action::DragEnter => next.dragging = true,
            Action::DragLeave => next.dragging = false,
            Action::FilesReceived(files) => {
                next.dragging = false;
                let mut accepted = Vec::new();
                let mut rejected = Vec::new();
                for (name, size) in files {
                    match classify_file(&name) {
                        DroppedKind::Archive { .. } => {
                            next.explore = next.explore.reduce(ExploreAction::ArchiveReceived {
                                name: name.clone(),
                                size,
                            });
                            next.view = View::Explore;
                            accepted.push(format!("{name} ({})", human_bytes(size)));
                        }
                        DroppedKind::Dockerfile => accepted.push(name),
                        DroppedKind::Unsupported => rejected.push(name),
                    }
                }
                if rejected.is_empty() {
                    next.status = Status::Received(accepted);
                    next.status_is_error = false;
                } else {
                    next.status = Status::Unsupported(rejected);
                    next.status_is_error = true;
                }
            }
            Action::DockerfileRead { name, text } => {
                next.status = Status::LoadedDockerfile {
                    name: name.clone(),
                    lines: text.lines().count(),
                };
                next.status_is_error = false;
                next.lab
                    .send(LabAction::DockerfileRead { name, text }, next.clock);
                next.view = View::Lab;
            }
            Action::ReadFailed { name, message } => {
                next.status = Status::ReadFailed { name, message };
                next.status_is_error = true;
            }
            Action::Status { status, error } => {
                next.status = status;
                next.status_is_error = error;
            }
            Action::Lab(a) => next.lab.send(a, next.clock),
            Action::LabAnswer(v) => next.lab.answer(v),
            Action::LabRestarted(why) => {
                next.lab.restart(next.clock);
                next.status = Status::LabRestarted(why);
                next.status_is_error = true;
            }
            Action::Explore(a) => {
                if let Some((note, error)) = next.explore.status_of(&a) {
                    next.status = Status::Explore(note);
                    next.status_is_error = error;
                }
                next.explore = next.explore.reduce(a);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;

    #[test]
    fn default_shows_seed_app_in_the_lab() {
        let s = State::default();
        assert_eq!(s.view, View::Lab);
        assert_eq!(s.lab.active_dockerfile(), seed::DOCKERFILE_APP);
        let s = s.reduce(Action::Lab(LabAction::SelectTab(DockerfileTab::App2)));
        assert_eq!(
            s.lab.active_dockerfile(),
            "FROM python:3.8-alpine\nRUN pip install flask\nCMD [\"python\",\"app2.py\"]\nCOPY app2.py /app2.py\n"
        );
    }

    #[test]
    fn user_tab_needs_a_dockerfile() {
        let s = State::default().reduce(Action::Lab(LabAction::SelectTab(DockerfileTab::User)));
        assert_eq!(s.lab.tab, DockerfileTab::App);
        let s = s.reduce(Action::DockerfileRead {
            name: "Dockerfile".into(),
            text: "FROM scratch\n".into(),
        });
        assert_eq!(s.lab.tab, DockerfileTab::User);
        assert_eq!(s.lab.active_dockerfile(), "FROM scratch\n");
        assert_eq!(s.status, "Loaded Dockerfile Dockerfile (1 lines).");
    }

    #[test]
    fn the_address_chooses_the_view() {
        assert_eq!(View::from_query("?view=explore"), Some(View::Explore));
        assert_eq!(View::from_query("?embed=1&view=lab"), Some(View::Lab));
        assert_eq!(View::from_query("?view=other"), None);
        assert_eq!(View::from_query(""), None);
    }

    #[test]
    fn files_received_classified_and_routed() {
        let s = State::default().reduce(Action::FilesReceived(vec![
            ("app.tar".into(), 2_157_056),
            ("Dockerfile".into(), 80),
        ]));
        assert_eq!(s.explore.archives, vec![("app.tar".to_string(), 2_157_056)]);
        assert_eq!(s.view, View::Explore);
        assert_eq!(s.status, "Received app.tar (2.16 MB), Dockerfile.");
        assert!(!s.status_is_error);
        let s = s.reduce(Action::FilesReceived(vec![("photo.png".into(), 5)]));
        assert!(s.status_is_error);
        assert_eq!(
            s.status,
            "Not an image archive or a Dockerfile: photo.png. Expected .tar, .tar.gz, .tgz or a Dockerfile."
        );
    }
}
