//! The page's state and its reducer, pure and natively tested; the Yew components in `ui` only
//! render it and dispatch actions. It does not touch the browser.

mod files;

pub use files::{classify_file, human_bytes, DroppedKind};

use crate::seed;

/// Which seed Dockerfile tab is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DockerfileTab {
    App,
    App2,
    /// A Dockerfile the user dropped or picked.
    User,
}

/// Everything the page shows; replaced, never mutated in place, by `reduce`.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub tab: DockerfileTab,
    pub app_dockerfile: String,
    pub app2_dockerfile: String,
    /// A dropped Dockerfile: its file name and text.
    pub user_dockerfile: Option<(String, String)>,
    /// Names and sizes of archives received, newest last.
    pub archives: Vec<(String, u64)>,
    /// Whether a drag is hovering over the page.
    pub dragging: bool,
    /// The status bar's text.
    pub status: String,
    /// True when `status` reports an error.
    pub status_is_error: bool,
}

impl Default for State {
    fn default() -> Self {
        State {
            tab: DockerfileTab::App,
            app_dockerfile: seed::DOCKERFILE_APP.to_string(),
            app2_dockerfile: seed::DOCKERFILE_APP2.to_string(),
            user_dockerfile: None,
            archives: Vec::new(),
            dragging: false,
            status: "Ready. Drop an image archive (.tar, .tar.gz, .tgz) or a Dockerfile anywhere on the page.".to_string(),
            status_is_error: false,
        }
    }
}

/// What the user or the browser did.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SelectTab(DockerfileTab),
    DragEnter,
    DragLeave,
    /// Files were dropped or picked: (name, size) in order. Text files are read separately.
    FilesReceived(Vec<(String, u64)>),
    /// A dropped Dockerfile's text was read.
    DockerfileRead { name: String, text: String },
    /// Reading a dropped file failed.
    ReadFailed { name: String, message: String },
}

impl State {
    /// The Dockerfile text of the active tab.
    pub fn active_dockerfile(&self) -> &str {
        match self.tab {
            DockerfileTab::App => &self.app_dockerfile,
            DockerfileTab::App2 => &self.app2_dockerfile,
            DockerfileTab::User => self
                .user_dockerfile
                .as_ref()
                .map(|(_, t)| t.as_str())
                .unwrap_or(""),
        }
    }

    /// Apply one action and return the next state.
    pub fn reduce(&self, action: Action) -> State {
        let mut next = self.clone();
        match action {
            Action::SelectTab(tab) => {
                if tab != DockerfileTab::User || next.user_dockerfile.is_some() {
                    next.tab = tab;
                }
            }
            Action::DragEnter => next.dragging = true,
            Action::DragLeave => next.dragging = false,
            Action::FilesReceived(files) => {
                next.dragging = false;
                let mut accepted = Vec::new();
                let mut rejected = Vec::new();
                for (name, size) in files {
                    match classify_file(&name) {
                        DroppedKind::Archive { .. } => {
                            next.archives.push((name.clone(), size));
                            accepted.push(format!("{name} ({})", human_bytes(size)));
                        }
                        DroppedKind::Dockerfile => accepted.push(name),
                        DroppedKind::Unsupported => rejected.push(name),
                    }
                }
                if rejected.is_empty() {
                    next.status = format!("Received {}.", accepted.join(", "));
                    next.status_is_error = false;
                } else {
                    next.status = format!(
                        "Not an image archive or a Dockerfile: {}. Expected .tar, .tar.gz, .tgz or a Dockerfile.",
                        rejected.join(", ")
                    );
                    next.status_is_error = true;
                }
            }
            Action::DockerfileRead { name, text } => {
                next.status = format!("Loaded Dockerfile {name} ({} lines).", text.lines().count());
                next.status_is_error = false;
                next.user_dockerfile = Some((name, text));
                next.tab = DockerfileTab::User;
            }
            Action::ReadFailed { name, message } => {
                next.status = format!("Could not read {name}: {message}");
                next.status_is_error = true;
            }
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_shows_seed_app() {
        let s = State::default();
        assert_eq!(s.active_dockerfile(), seed::DOCKERFILE_APP);
        assert_eq!(
            s.reduce(Action::SelectTab(DockerfileTab::App2))
                .active_dockerfile(),
            "FROM python:3.8-alpine\nRUN pip install flask\nCMD [\"python\",\"app2.py\"]\nCOPY app2.py /app2.py\n"
        );
    }

    #[test]
    fn user_tab_needs_a_dockerfile() {
        let s = State::default().reduce(Action::SelectTab(DockerfileTab::User));
        assert_eq!(s.tab, DockerfileTab::App);
        let s = s.reduce(Action::DockerfileRead {
            name: "Dockerfile".into(),
            text: "FROM scratch\n".into(),
        });
        assert_eq!(s.tab, DockerfileTab::User);
        assert_eq!(s.active_dockerfile(), "FROM scratch\n");
        assert_eq!(s.status, "Loaded Dockerfile Dockerfile (1 lines).");
    }

    #[test]
    fn files_received_classified() {
        let s = State::default().reduce(Action::FilesReceived(vec![
            ("app.tar".into(), 2_157_056),
            ("Dockerfile".into(), 80),
        ]));
        assert_eq!(s.archives, vec![("app.tar".to_string(), 2_157_056)]);
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
