//! What the learner controls in the lab: the Dockerfile texts and tabs, the build context, the
//! builder, the selected layer, the guide step, the language and the layout. Both sides of the
//! page share it: the simulator's state ([`super::LabState`]) is built on it, and the page's view
//! ([`super::view::LabView`]) carries a copy, which the page changes at once for the actions that
//! only move the editor or the selection ([`LabInputs::preview`]) while the simulator works. It
//! holds nothing simulated (builds, containers, registry) and does not reduce other actions.

use super::fragment::Snapshot;
use super::guide;
use super::i18n::Lang;
use super::LabAction;
use crate::build::Builder;
use crate::seed;

/// Which Dockerfile tab is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DockerfileTab {
    App,
    App2,
    /// A Dockerfile the user dropped or picked.
    User,
}

impl DockerfileTab {
    /// Index of the tab's image in the build list.
    pub fn image(self) -> usize {
        match self {
            DockerfileTab::App => 0,
            DockerfileTab::App2 => 1,
            DockerfileTab::User => 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabInputs {
    pub tab: DockerfileTab,
    pub app_dockerfile: String,
    pub app2_dockerfile: String,
    /// A dropped Dockerfile: its file name and text.
    pub user_dockerfile: Option<(String, String)>,
    /// The build context: (file name, text).
    pub context: Vec<(String, String)>,
    /// Which context file the editor shows.
    pub context_tab: usize,
    pub builder: Builder,
    /// Edits not built yet (the page debounces them into `Rebuild`).
    pub dirty: bool,
    /// Selected layer: (image, layer).
    pub selected: Option<(usize, usize)>,
    pub lang: Lang,
    /// Guided lab step, when the guide is open.
    pub guide: Option<usize>,
    /// `?embed=1`: the compact layout.
    pub embed: bool,
    /// The page's clock, seconds since the epoch (0: unknown): the build time of what is built
    /// or committed next. The page sets it with every action.
    pub now: i64,
    /// Whether the page has applied the browser's language and the link's state.
    pub initialized: bool,
}

impl LabInputs {
    /// The seed lab's inputs at `now`, not built yet.
    pub fn seed(now: i64) -> Self {
        LabInputs {
            tab: DockerfileTab::App,
            app_dockerfile: seed::DOCKERFILE_APP.to_string(),
            app2_dockerfile: seed::DOCKERFILE_APP2.to_string(),
            user_dockerfile: None,
            context: vec![
                ("app.py".to_string(), seed::APP_PY.to_string()),
                ("app2.py".to_string(), seed::APP2_PY.to_string()),
            ],
            context_tab: 0,
            builder: Builder::BuildKit,
            dirty: true,
            selected: None,
            lang: Lang::En,
            guide: None,
            embed: false,
            now,
            initialized: false,
        }
    }

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

    /// The Dockerfiles to build: (image name, text).
    pub fn dockerfiles(&self) -> Vec<(String, String)> {
        let mut v = vec![
            ("app".to_string(), self.app_dockerfile.clone()),
            ("app2".to_string(), self.app2_dockerfile.clone()),
        ];
        if let Some((_, t)) = &self.user_dockerfile {
            v.push(("user".to_string(), t.clone()));
        }
        v
    }

    /// The state a link carries.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            dockerfiles: vec![self.app_dockerfile.clone(), self.app2_dockerfile.clone()],
            context: self.context.clone(),
            builder: self.builder.as_str().to_string(),
            selected: self.selected,
            guide: self.guide,
            lang: Some(self.lang.code().to_string()),
            tab: match self.tab {
                DockerfileTab::App2 => 1,
                _ => 0,
            },
        }
    }

    /// Take the inputs a link carries.
    fn load(&mut self, s: &Snapshot) {
        let mut d = s.dockerfiles.iter();
        self.app_dockerfile = d.next().cloned().unwrap_or_default();
        self.app2_dockerfile = d.next().cloned().unwrap_or_default();
        self.context = s.context.clone();
        self.builder = if s.builder == "classic" {
            Builder::Classic
        } else {
            Builder::BuildKit
        };
        self.tab = if s.tab == 1 {
            DockerfileTab::App2
        } else {
            DockerfileTab::App
        };
        self.context_tab = 0;
        if let Some(l) = &s.lang {
            self.lang = Lang::from_tag(l);
        }
        self.selected = s.selected;
        self.guide = s.guide.filter(|g| *g < guide::steps().len());
        self.dirty = true;
    }

    /// The part of `action` the page shows before the simulator answers: the tab, the editors'
    /// texts (so typing is never overwritten by an older answer), the selection, the builder,
    /// the guide step, the language, the layout and a link's inputs (so the first render is
    /// already in the browser's language and the link's state). The simulator's reducer does the same and more; its answer replaces this.
    /// Returns whether anything changed.
    pub fn preview(&mut self, action: &LabAction) -> bool {
        let before = self.clone();
        match action {
            LabAction::SelectTab(tab) => {
                if *tab != DockerfileTab::User || self.user_dockerfile.is_some() {
                    self.tab = *tab;
                }
            }
            LabAction::DockerfileRead { name, text } => {
                self.user_dockerfile = Some((name.clone(), text.clone()));
                self.tab = DockerfileTab::User;
            }
            LabAction::EditDockerfile(text) => {
                match self.tab {
                    DockerfileTab::App => self.app_dockerfile = text.clone(),
                    DockerfileTab::App2 => self.app2_dockerfile = text.clone(),
                    DockerfileTab::User => {
                        if let Some((_, t)) = &mut self.user_dockerfile {
                            *t = text.clone();
                        }
                    }
                }
                self.dirty = true;
            }
            LabAction::SelectContextFile(i) => {
                if *i < self.context.len() {
                    self.context_tab = *i;
                }
            }
            LabAction::EditContext { name, text } => {
                if let Some(f) = self.context.iter_mut().find(|(n, _)| n == name) {
                    f.1 = text.clone();
                    self.dirty = true;
                }
            }
            LabAction::Init {
                lang,
                embed,
                snapshot,
            } => {
                if !self.initialized {
                    self.initialized = true;
                    self.embed = *embed;
                    self.lang = *lang;
                    if let Some(s) = snapshot {
                        self.load(s);
                    }
                }
            }
            LabAction::Load(s) => self.load(s),
            LabAction::SelectLayer(sel) => self.selected = *sel,
            LabAction::SetBuilder(b) => {
                if *b != self.builder {
                    self.builder = *b;
                    self.dirty = true;
                }
            }
            LabAction::Guide(step) => self.guide = step.filter(|s| *s < guide::steps().len()),
            LabAction::SetLang(l) => self.lang = *l,
            LabAction::SetEmbed(e) => self.embed = *e,
            _ => {}
        }
        *self != before
    }
}
