//! The lab view's state: the seed Dockerfiles (and a dropped one). Issue 8 grows it into the
//! editable build / containers / guided-lab state. Pure; no browser.

use crate::seed;

/// Which Dockerfile tab is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DockerfileTab {
    App,
    App2,
    /// A Dockerfile the user dropped or picked.
    User,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LabState {
    pub tab: DockerfileTab,
    pub app_dockerfile: String,
    pub app2_dockerfile: String,
    /// A dropped Dockerfile: its file name and text.
    pub user_dockerfile: Option<(String, String)>,
}

impl Default for LabState {
    fn default() -> Self {
        LabState {
            tab: DockerfileTab::App,
            app_dockerfile: seed::DOCKERFILE_APP.to_string(),
            app2_dockerfile: seed::DOCKERFILE_APP2.to_string(),
            user_dockerfile: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum LabAction {
    SelectTab(DockerfileTab),
    /// A dropped Dockerfile's text was read.
    DockerfileRead {
        name: String,
        text: String,
    },
}

impl LabState {
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

    pub fn reduce(&self, action: LabAction) -> LabState {
        let mut next = self.clone();
        match action {
            LabAction::SelectTab(tab) => {
                if tab != DockerfileTab::User || next.user_dockerfile.is_some() {
                    next.tab = tab;
                }
            }
            LabAction::DockerfileRead { name, text } => {
                next.user_dockerfile = Some((name, text));
                next.tab = DockerfileTab::User;
            }
        }
        next
    }
}
