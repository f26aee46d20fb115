//! The lab's state and reducer: the learner's inputs (`inputs`: Dockerfiles, context files,
//! builder, selection, guide step, language), the simulated builds with their cache status
//! (`sim`), `docker push` against a simulated registry, containers with their consoles
//! (`containers`), the guided lab (`guide`), the language (`i18n`), the URL state (`fragment`)
//! and the editor's colouring and diagnostics (`syntax`). Pure apart from the session's build
//! cache, which is a memo shared by the states of one session (as the daemon's cache is); no
//! browser.
//!
//! On the page this state lives in the lab worker (`engine`), which answers each request with a
//! `view::LabView`; the page holds a `page::LabPage` and never runs the simulator. The two talk
//! in the binary form of `wire`.

pub mod containers;
pub mod engine;
pub mod fragment;
pub mod guide;
pub mod i18n;
pub mod inputs;
pub mod page;
pub mod sim;
pub mod syntax;
pub mod view;
pub mod wire;

use crate::build::{BuildCache, Builder, PushStatus, Registry};
use containers::LabContainer;
use fragment::Snapshot;
use guide::GuideDo;
pub use i18n::{Key, Lang};
pub use inputs::{DockerfileTab, LabInputs};
use sim::{Builds, ImageBuild};
use std::cell::RefCell;
use std::rc::Rc;

/// The session's build cache (shared by every state of one session).
#[derive(Clone, Default)]
pub struct SessionCache(pub Rc<RefCell<BuildCache>>);
impl PartialEq for SessionCache {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}
impl std::fmt::Debug for SessionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SessionCache({} entries)", self.0.borrow().len())
    }
}

/// The simulated registry of the session.
#[derive(Clone, Default)]
pub struct SessionRegistry(pub Rc<Registry>);
impl PartialEq for SessionRegistry {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}
impl std::fmt::Debug for SessionRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SessionRegistry({} bytes)", self.0.stored_bytes())
    }
}

/// One line of `docker push` as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushView {
    pub image: String,
    /// (short layer id, uploaded) per layer, top first.
    pub layers: Vec<(String, bool)>,
    pub text: String,
}

/// The lab's whole state: the learner's inputs (`inputs`, reached through `Deref`) and what the
/// simulator made of them. It lives where the simulator runs (the lab worker on the page); the
/// page shows its [`view::LabView`].
#[derive(Debug, Clone, PartialEq)]
pub struct LabState {
    pub inputs: LabInputs,
    pub builds: Rc<Builds>,
    pub pushes: Vec<PushView>,
    pub registry: SessionRegistry,
    pub containers: Vec<LabContainer>,
    /// How many containers were started (for names).
    pub started: usize,
    /// Images `docker commit` made, in order (they outlive rebuilds, as in Docker).
    pub commits: Vec<ImageBuild>,
    /// The last `docker commit`: its command and what it printed.
    pub note: Option<String>,
    cache: SessionCache,
}

impl std::ops::Deref for LabState {
    type Target = LabInputs;
    fn deref(&self) -> &LabInputs {
        &self.inputs
    }
}

impl std::ops::DerefMut for LabState {
    fn deref_mut(&mut self) -> &mut LabInputs {
        &mut self.inputs
    }
}

/// Largest context file taken from a drop (the state travels in links).
pub const MAX_CONTEXT_FILE: usize = 64 * 1024;

/// Committed images kept (the oldest goes first).
const MAX_COMMITS: usize = 6;

impl Default for LabState {
    fn default() -> Self {
        LabState::at(0)
    }
}

impl LabState {
    /// The seed lab built at `now` (seconds since the epoch; 0: without build times).
    pub fn at(now: i64) -> Self {
        let mut s = LabState {
            inputs: LabInputs::seed(now),
            builds: Rc::new(Builds {
                generation: 0,
                builder: Builder::BuildKit,
                images: Vec::new(),
            }),
            pushes: Vec::new(),
            registry: SessionRegistry::default(),
            containers: Vec::new(),
            started: 0,
            commits: Vec::new(),
            note: None,
            cache: SessionCache::default(),
        };
        s.rebuild();
        s
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
    /// The active Dockerfile's text was edited (not built until `Rebuild`).
    EditDockerfile(String),
    SelectContextFile(usize),
    EditContext {
        name: String,
        text: String,
    },
    AddContext(String),
    /// A file dropped on the build context was read: it replaces the file of that name or is
    /// added (and rebuilt at once).
    ContextFileRead {
        name: String,
        text: String,
    },
    DropContext(String),
    /// Build what was edited (the page sends it after a pause in typing).
    Rebuild,
    SetBuilder(Builder),
    SelectLayer(Option<(usize, usize)>),
    /// A Dockerfile line of the active tab was clicked: select the layer it made.
    SelectLine(usize),
    Push(usize),
    StartContainer(usize),
    Run {
        container: usize,
        command: String,
    },
    ResetContainer(usize),
    CommitContainer(usize),
    RemoveContainer(usize),
    /// Remove a committed image (`docker rmi`); the index is the image's in `images()`.
    RemoveImage(usize),
    /// The page's clock moved (seconds since the epoch).
    Clock(i64),
    /// The page opened: the browser's language, `?embed=1` and the link's state. Only the first
    /// one counts (the view may mount again after a view switch).
    Init {
        lang: Lang,
        embed: bool,
        snapshot: Option<Snapshot>,
    },
    SetLang(Lang),
    /// Open the guide at a step (None closes it).
    Guide(Option<usize>),
    /// The open step's "try it".
    GuideTry,
    /// State from a link (fragment).
    Load(Snapshot),
    SetEmbed(bool),
}

impl LabState {
    /// Every image of the lab in order: the builds (app, app2, a dropped one; `None` for a failed
    /// build), then the committed images. Indices into this list name images in actions.
    pub fn images(&self) -> Vec<Option<&ImageBuild>> {
        self.builds
            .images
            .iter()
            .map(|b| b.as_ref().ok())
            .chain(self.commits.iter().map(Some))
            .collect()
    }

    /// Image `i` of `images()`.
    pub fn image(&self, i: usize) -> Option<&ImageBuild> {
        let n = self.builds.images.len();
        if i < n {
            self.builds.images[i].as_ref().ok()
        } else {
            self.commits.get(i - n)
        }
    }

    /// The build time for what is built now.
    fn clock(&self) -> Option<i64> {
        (self.now > 0).then_some(self.now)
    }

    fn rebuild(&mut self) {
        let generation = self.builds.generation + 1;
        let builds = {
            let mut cache = self.cache.0.borrow_mut();
            sim::build_all(
                &self.dockerfiles(),
                &self.context,
                self.builder,
                &mut cache,
                generation,
                self.clock(),
            )
        };
        let before = self.builds.images.len();
        self.builds = Rc::new(builds);
        self.dirty = false;
        // Committed images follow the builds: a selection of one moves with it.
        if let Some((i, l)) = self.selected {
            if i >= before {
                self.selected = Some((i - before + self.builds.images.len(), l));
            }
        }
        // A selection that no longer exists is dropped.
        if let Some((i, l)) = self.selected {
            let ok = matches!(self.image(i), Some(b) if l < b.layers.len());
            if !ok {
                self.selected = None;
            }
        }
    }

    fn ensure_container(&mut self) {
        if self.containers.is_empty() {
            self.start_container(0);
        }
    }

    fn start_container(&mut self, image: usize) {
        if let Some(b) = self.image(image) {
            let name = format!("{}-{}", b.name, self.started + 1);
            let c = LabContainer::start(name, image, b);
            self.started += 1;
            self.containers.push(c);
        }
    }

    /// `docker commit` of container `i`: a new image named after the container.
    fn commit(&mut self, i: usize) {
        let Some(c) = self.containers.get(i) else {
            return;
        };
        let taken = |n: &str| self.images().iter().flatten().any(|b| b.name == n);
        let mut name = format!("{}-commit", c.name);
        let mut k = 2;
        while taken(&name) {
            name = format!("{}-commit{k}", c.name);
            k += 1;
        }
        let image = c.commit(&name, self.clock());
        self.note = Some(format!(
            "$ docker commit {} {name}\n{}\n",
            c.name, image.result.image.config_digest
        ));
        let top = image.layers.len().saturating_sub(1);
        self.commits.push(image);
        if self.commits.len() > MAX_COMMITS {
            self.remove_image(self.builds.images.len());
        }
        // The new image's top layer is selected (its history shows).
        self.selected = Some((self.builds.images.len() + self.commits.len() - 1, top));
    }

    /// Drop committed image `i` (an index of `images()`); selections and containers of images
    /// after it move down.
    fn remove_image(&mut self, i: usize) {
        let n = self.builds.images.len();
        if i < n || i - n >= self.commits.len() {
            return;
        }
        self.commits.remove(i - n);
        self.selected = match self.selected {
            Some((s, _)) if s == i => None,
            Some((s, l)) if s > i => Some((s - 1, l)),
            other => other,
        };
        for c in &mut self.containers {
            if c.image > i {
                c.image -= 1;
            } else if c.image == i {
                // Docker keeps a removed image's layers while a container uses them.
                c.image = usize::MAX;
            }
        }
    }

    fn push(&mut self, image: usize) {
        let Some((result, name)) = self
            .image(image)
            .map(|b| (b.result.clone(), b.name.clone()))
        else {
            return;
        };
        let mut reg = (*self.registry.0).clone();
        let (lines, text) = reg.push(&result.image, &format!("lab/{name}"));
        self.registry = SessionRegistry(Rc::new(reg));
        self.pushes.push(PushView {
            image: name.clone(),
            layers: lines
                .iter()
                .map(|l| (l.id.clone(), l.status == PushStatus::Pushed))
                .collect(),
            text: format!("$ docker push lab/{name}\n{text}"),
        });
        if self.pushes.len() > 8 {
            self.pushes.remove(0);
        }
    }

    fn apply_guide(&mut self, what: &[GuideDo]) {
        for d in what {
            match d {
                GuideDo::Select { image, layer } => {
                    self.tab = if *image == 1 {
                        DockerfileTab::App2
                    } else {
                        DockerfileTab::App
                    };
                    self.selected = Some((*image, *layer));
                }
                GuideDo::EnsureContainer => self.ensure_container(),
                GuideDo::Run(cmd) => {
                    self.ensure_container();
                    if let Some(c) = self.containers.first_mut() {
                        c.run(cmd);
                    }
                }
                GuideDo::EditContext { name, append } => {
                    if let Some(i) = self.context.iter().position(|(n, _)| n == name) {
                        self.context[i].1.push_str(append);
                        self.context_tab = i;
                    }
                    self.rebuild();
                }
                GuideDo::PushAll => {
                    for i in 0..self.images().len() {
                        self.push(i);
                    }
                }
                GuideDo::Classic => {
                    self.builder = Builder::Classic;
                    self.rebuild();
                }
            }
        }
    }

    pub fn reduce(&self, action: LabAction) -> LabState {
        let mut next = self.clone();
        // The editors, tabs, selection, language and layout change as the page previews them.
        next.inputs.preview(&action);
        match action {
            LabAction::SelectTab(_)
            | LabAction::EditDockerfile(_)
            | LabAction::SelectContextFile(_)
            | LabAction::EditContext { .. }
            | LabAction::SetLang(_)
            | LabAction::SetEmbed(_) => {}
            LabAction::DockerfileRead { .. } => next.rebuild(),
            LabAction::AddContext(name) => {
                let name = name.trim().trim_start_matches("./").to_string();
                if !name.is_empty()
                    && !name.contains("..")
                    && !next.context.iter().any(|(n, _)| *n == name)
                {
                    next.context.push((name, String::new()));
                    next.context_tab = next.context.len() - 1;
                    next.rebuild();
                }
            }
            LabAction::ContextFileRead { name, text } => {
                let name = name.trim().trim_start_matches("./").to_string();
                if !name.is_empty() && !name.contains("..") && text.len() <= MAX_CONTEXT_FILE {
                    match next.context.iter().position(|(n, _)| *n == name) {
                        Some(i) => {
                            next.context[i].1 = text;
                            next.context_tab = i;
                        }
                        None => {
                            next.context.push((name, text));
                            next.context_tab = next.context.len() - 1;
                        }
                    }
                    next.rebuild();
                }
            }
            LabAction::DropContext(name) => {
                next.context.retain(|(n, _)| *n != name);
                next.context_tab = next.context_tab.min(next.context.len().saturating_sub(1));
                next.rebuild();
            }
            LabAction::Rebuild => next.rebuild(),
            LabAction::SetBuilder(b) => {
                // The preview has set the builder; rebuild when it changed.
                if b != self.builder {
                    next.rebuild();
                }
            }
            LabAction::SelectLayer(sel) => {
                next.selected =
                    sel.filter(|(i, l)| matches!(next.image(*i), Some(b) if *l < b.layers.len()));
            }
            LabAction::SelectLine(line) => {
                let img = next.tab.image();
                if let Some(Ok(b)) = next.builds.images.get(img) {
                    // The topmost layer whose instruction covers the line (FROM: the base's top).
                    let hit = b
                        .layers
                        .iter()
                        .rev()
                        .find(|l| matches!(l.lines, Some((s, e)) if s <= line && line <= e));
                    next.selected = hit.map(|l| (img, l.index));
                }
            }
            LabAction::Push(i) => next.push(i),
            LabAction::StartContainer(i) => next.start_container(i),
            LabAction::Run { container, command } => {
                if let Some(c) = next.containers.get_mut(container) {
                    c.run(&command);
                }
            }
            LabAction::ResetContainer(i) => {
                if let Some(c) = next.containers.get_mut(i) {
                    c.reset();
                }
            }
            LabAction::CommitContainer(i) => next.commit(i),
            LabAction::RemoveImage(i) => next.remove_image(i),
            LabAction::Clock(t) => next.now = t,
            LabAction::Init { snapshot, .. } => {
                // The preview has applied the language, the layout and the link's inputs.
                if !self.initialized && snapshot.is_some() {
                    next.rebuild();
                }
            }
            LabAction::RemoveContainer(i) => {
                if i < next.containers.len() {
                    next.containers.remove(i);
                }
            }
            LabAction::Guide(_) => {
                // The preview has opened the step (or closed the guide).
                if let Some(s) = next.guide {
                    let setup = guide::steps()[s].setup.clone();
                    next.apply_guide(&setup);
                }
            }
            LabAction::GuideTry => {
                if let Some(s) = next.guide {
                    let t = guide::steps()[s].try_it.clone();
                    next.apply_guide(&t);
                }
            }
            // The preview has applied the link's inputs.
            LabAction::Load(_) => next.rebuild(),
        }
        next
    }
}

#[cfg(test)]
mod tests;
