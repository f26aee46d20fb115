//! The explore view's state: archives being read (progress, cancel, errors), the loaded images,
//! the selected image and layer, the file tree (changes or merged view; filter, search, sort,
//! folding, scroll and keyboard focus), the selected path and its preview, and the side panel
//! (history, analysis, compare). Pure: the reducer takes actions and returns the next state; the
//! worker and the components live in `ui::explore`.

pub mod compare;
pub mod preview;
pub mod protocol;
pub mod stack;
pub mod summary;
pub mod text;
pub mod tree;
pub mod wire;

pub use preview::{format_preview, PreviewText};
pub use summary::{FileRow, LoadedImage};
pub use tree::{Filter, SortBy, TreeRow};

use std::collections::BTreeSet;
use std::rc::Rc;

/// A loaded image, shared between states; two are equal when they are the same allocation, so
/// comparing states (Yew compares props on every render) never walks the file lists.
#[derive(Debug, Clone)]
pub struct Shared(pub Rc<LoadedImage>);

impl PartialEq for Shared {
    fn eq(&self, other: &Shared) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Shared {
    type Target = LoadedImage;
    fn deref(&self) -> &LoadedImage {
        &self.0
    }
}

/// An archive being read by a worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub job: u32,
    pub name: String,
    pub size: u64,
    pub bytes: u64,
    /// Layer blobs read, and how many there are once the manifests are read.
    pub layers: usize,
    pub layers_total: Option<usize>,
}

/// What the file tree lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeMode {
    /// The selected layer's changes.
    Changes,
    /// The merged view up to the selected layer.
    Merged,
}

/// The side panel's tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    History,
    Analysis,
    Compare,
}

/// A preview being read or shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub path: String,
    pub size: u64,
    pub text: Option<PreviewText>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExploreState {
    /// Names and sizes of archives received, newest last.
    pub archives: Vec<(String, u64)>,
    pub jobs: Vec<Job>,
    pub images: Vec<Shared>,
    pub image: Option<usize>,
    pub layer: usize,
    pub mode: TreeMode,
    pub filter: Filter,
    pub sort: SortBy,
    pub collapsed: BTreeSet<String>,
    /// The tree's visible rows for the current image, layer, mode, filter, sort and folding.
    pub rows: Rc<Vec<TreeRow>>,
    pub scroll_top: u32,
    /// Keyboard focus: index into `rows`.
    pub focus: usize,
    /// The path whose details are shown.
    pub path: Option<String>,
    pub preview: Option<Preview>,
    pub panel: Panel,
    /// The image compared with the selected one.
    pub compare_with: Option<usize>,
    /// Plain-words errors of archives that failed, newest last.
    pub errors: Vec<String>,
}

impl Default for ExploreState {
    fn default() -> Self {
        ExploreState {
            archives: Vec::new(),
            jobs: Vec::new(),
            images: Vec::new(),
            image: None,
            layer: 0,
            mode: TreeMode::Changes,
            filter: Filter::default(),
            sort: SortBy::Size,
            collapsed: BTreeSet::new(),
            rows: Rc::new(Vec::new()),
            scroll_top: 0,
            focus: 0,
            path: None,
            preview: None,
            panel: Panel::History,
            compare_with: None,
            errors: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExploreAction {
    /// An archive was dropped or picked.
    ArchiveReceived {
        name: String,
        size: u64,
    },
    /// A worker started reading an archive.
    LoadStarted {
        job: u32,
        name: String,
        size: u64,
    },
    Progress {
        job: u32,
        bytes: u64,
        layers: usize,
        layers_total: Option<usize>,
    },
    Loaded {
        job: u32,
        images: Vec<LoadedImage>,
        error: Option<String>,
    },
    /// The changes of layers `from` and up of an image arrived (`changes[k]` is layer `from + k`).
    ChangesReady {
        job: u32,
        image_index: usize,
        from: usize,
        changes: Vec<Vec<FileRow>>,
    },
    /// The analysis of an image arrived.
    AnalysisReady {
        job: u32,
        image_index: usize,
        analysis: summary::AnalysisView,
    },
    /// The worker itself failed (could not start, crashed).
    LoadFailed {
        job: u32,
        message: String,
    },
    Cancel {
        job: u32,
    },
    SelectImage(usize),
    SelectLayer(usize),
    /// Move the layer selection up (+1, newer) or down (-1, older).
    MoveLayer(i32),
    SetMode(TreeMode),
    /// Toggle a change type in the filter: `A`, `M`, `D` or `' '`.
    ToggleChange(char),
    SetSearch(String),
    SetSort(SortBy),
    /// Fold or unfold a directory.
    ToggleDir(String),
    Scroll(u32),
    /// Move the keyboard focus by this many rows.
    MoveFocus(i32),
    /// Fold (false) or unfold (true) the focused directory.
    FocusDir(bool),
    /// Show the details of this path (and focus its row).
    SelectPath(String),
    PreviewRequested {
        path: String,
        size: u64,
    },
    PreviewLoaded {
        path: String,
        bytes: Vec<u8>,
        error: Option<String>,
    },
    SetPanel(Panel),
    CompareWith(Option<usize>),
}

/// Bytes read for a preview at most.
pub const PREVIEW_MAX: usize = 1024 * 1024;

impl ExploreState {
    /// The selected image.
    pub fn current(&self) -> Option<&Shared> {
        self.image.and_then(|i| self.images.get(i))
    }

    /// The row of `path` in the current tree, if listed.
    pub fn row_of(&self, path: &str) -> Option<&TreeRow> {
        self.rows.iter().find(|r| r.path == path)
    }

    /// The status bar's note for an action that finishes a load: `(note, is_error)`.
    pub fn status_of(&self, action: &ExploreAction) -> Option<(text::Note, bool)> {
        let name = |job: &u32| {
            self.jobs
                .iter()
                .find(|j| j.job == *job)
                .map(|j| j.name.clone())
        };
        match action {
            ExploreAction::Loaded {
                job,
                images,
                error: Some(e),
            } => Some((
                text::Note::PartlyRead {
                    name: name(job),
                    error: e.clone(),
                    images_before: images.len(),
                },
                true,
            )),
            ExploreAction::Loaded { job, images, .. } => Some((
                text::Note::Read {
                    name: name(job),
                    images: images.iter().map(|i| (i.label(), i.layers.len())).collect(),
                },
                false,
            )),
            ExploreAction::LoadFailed { job, message } => Some((
                text::Note::Failed {
                    name: name(job),
                    message: message.clone(),
                },
                true,
            )),
            ExploreAction::Cancel { job } => {
                Some((text::Note::Cancelled { name: name(job) }, false))
            }
            _ => None,
        }
    }

    fn recompute(&mut self) {
        let rows = match self.current() {
            None => Vec::new(),
            Some(im) => match self.mode {
                TreeMode::Changes => tree::tree_rows(
                    im.layers.get(self.layer).map_or(&[], |l| &l.changes),
                    &self.filter,
                    self.sort,
                    &self.collapsed,
                ),
                TreeMode::Merged => tree::tree_rows(
                    &tree::merged_rows(&im.layers, self.layer),
                    &self.filter,
                    self.sort,
                    &self.collapsed,
                ),
            },
        };
        self.rows = Rc::new(rows);
        self.focus = self.focus.min(self.rows.len().saturating_sub(1));
    }

    fn select_layer(&mut self, layer: usize) {
        let count = self.current().map_or(0, |im| im.layers.len());
        if count == 0 {
            return;
        }
        self.layer = layer.min(count - 1);
        self.collapsed.clear();
        self.scroll_top = 0;
        self.focus = 0;
        self.path = None;
        self.preview = None;
        self.recompute();
    }

    pub fn reduce(&self, action: ExploreAction) -> ExploreState {
        let mut next = self.clone();
        match action {
            ExploreAction::ArchiveReceived { name, size } => next.archives.push((name, size)),
            ExploreAction::LoadStarted { job, name, size } => next.jobs.push(Job {
                job,
                name,
                size,
                bytes: 0,
                layers: 0,
                layers_total: None,
            }),
            ExploreAction::Progress {
                job,
                bytes,
                layers,
                layers_total,
            } => {
                if let Some(j) = next.jobs.iter_mut().find(|j| j.job == job) {
                    j.bytes = bytes;
                    j.layers = layers;
                    j.layers_total = layers_total;
                }
            }
            ExploreAction::Loaded { job, images, error } => {
                let name = next
                    .jobs
                    .iter()
                    .find(|j| j.job == job)
                    .map(|j| j.name.clone());
                next.jobs.retain(|j| j.job != job);
                if let Some(e) = error {
                    next.errors
                        .push(format!("{}: {e}", name.as_deref().unwrap_or("archive")));
                }
                let first_new = next.images.len();
                let any = !images.is_empty();
                next.images
                    .extend(images.into_iter().map(|i| Shared(Rc::new(i))));
                if any && next.image.is_none() {
                    next.image = Some(first_new);
                    next.select_layer(0);
                }
            }
            ExploreAction::ChangesReady {
                job,
                image_index,
                from,
                changes,
            } => {
                if let Some(pos) = next
                    .images
                    .iter()
                    .position(|i| i.job == job && i.image_index == image_index)
                {
                    let mut im = (*next.images[pos].0).clone();
                    for (k, rows) in changes.into_iter().enumerate() {
                        if let Some(l) = im.layers.get_mut(from + k) {
                            l.changes = rows;
                        }
                    }
                    im.pending = false;
                    next.images[pos] = Shared(Rc::new(im));
                    // The tree of a lower layer (changes or merged) is unchanged.
                    if next.image == Some(pos) && next.layer >= from {
                        next.recompute();
                    }
                }
            }
            ExploreAction::AnalysisReady {
                job,
                image_index,
                analysis,
            } => {
                if let Some(slot) = next
                    .images
                    .iter_mut()
                    .find(|i| i.job == job && i.image_index == image_index)
                {
                    let mut im = (*slot.0).clone();
                    im.analysis = Some(analysis);
                    *slot = Shared(Rc::new(im));
                }
            }
            ExploreAction::LoadFailed { job, message } => {
                let name = next
                    .jobs
                    .iter()
                    .find(|j| j.job == job)
                    .map(|j| j.name.clone());
                next.jobs.retain(|j| j.job != job);
                next.errors.push(format!(
                    "{}: {message}",
                    name.as_deref().unwrap_or("archive")
                ));
            }
            ExploreAction::Cancel { job } => next.jobs.retain(|j| j.job != job),
            ExploreAction::SelectImage(i) => {
                if i < next.images.len() {
                    next.image = Some(i);
                    if next.compare_with == Some(i) {
                        next.compare_with = None;
                    }
                    next.select_layer(0);
                }
            }
            ExploreAction::SelectLayer(l) => next.select_layer(l),
            ExploreAction::MoveLayer(d) => {
                let l = (next.layer as i64 + d as i64).max(0) as usize;
                next.select_layer(l);
            }
            ExploreAction::SetMode(m) => {
                next.mode = m;
                next.scroll_top = 0;
                next.recompute();
            }
            ExploreAction::ToggleChange(c) => {
                let f = &mut next.filter;
                match c {
                    'A' => f.added = !f.added,
                    'M' => f.modified = !f.modified,
                    'D' => f.deleted = !f.deleted,
                    _ => f.unchanged = !f.unchanged,
                }
                next.recompute();
            }
            ExploreAction::SetSearch(s) => {
                next.filter.search = s;
                next.scroll_top = 0;
                next.focus = 0;
                next.recompute();
            }
            ExploreAction::SetSort(s) => {
                next.sort = s;
                next.recompute();
            }
            ExploreAction::ToggleDir(p) => {
                if !next.collapsed.remove(&p) {
                    next.collapsed.insert(p.clone());
                }
                next.recompute();
                if let Some(i) = next.rows.iter().position(|r| r.path == p) {
                    next.focus = i;
                }
            }
            ExploreAction::Scroll(px) => next.scroll_top = px,
            ExploreAction::MoveFocus(d) => {
                if !next.rows.is_empty() {
                    let max = next.rows.len() as i64 - 1;
                    next.focus = (next.focus as i64 + d as i64).clamp(0, max) as usize;
                    next.path = Some(next.rows[next.focus].path.clone());
                    next.preview = None;
                    next.scroll_into_view();
                }
            }
            ExploreAction::FocusDir(open) => {
                if let Some(r) = next.rows.get(next.focus).cloned() {
                    if r.has_children && open == r.collapsed {
                        next = next.reduce(ExploreAction::ToggleDir(r.path));
                    } else if !open && r.depth > 0 {
                        // Left on an open child: go to its parent.
                        if let Some(p) = next.rows[..next.focus]
                            .iter()
                            .rposition(|p| p.depth + 1 == r.depth)
                        {
                            next.focus = p;
                            next.path = Some(next.rows[p].path.clone());
                            next.scroll_into_view();
                        }
                    }
                }
            }
            ExploreAction::SelectPath(p) => {
                if let Some(i) = next.rows.iter().position(|r| r.path == p) {
                    next.focus = i;
                }
                if next.path.as_ref() != Some(&p) {
                    next.preview = None;
                }
                next.path = Some(p);
            }
            ExploreAction::PreviewRequested { path, size } => {
                next.preview = Some(Preview {
                    path,
                    size,
                    text: None,
                    error: None,
                })
            }
            ExploreAction::PreviewLoaded { path, bytes, error } => {
                if let Some(p) = next.preview.as_mut().filter(|p| p.path == path) {
                    p.text = error.is_none().then(|| format_preview(&bytes));
                    p.error = error;
                }
            }
            ExploreAction::SetPanel(p) => next.panel = p,
            ExploreAction::CompareWith(o) => {
                next.compare_with = o.filter(|&i| i < next.images.len() && Some(i) != next.image);
                if next.compare_with.is_some() {
                    next.panel = Panel::Compare;
                }
            }
        }
        next
    }

    /// Keep the focused row inside a 440 px viewport.
    fn scroll_into_view(&mut self) {
        let top = self.focus as u32 * tree::ROW_HEIGHT;
        let view = TREE_VIEWPORT - tree::ROW_HEIGHT;
        if top < self.scroll_top {
            self.scroll_top = top;
        } else if top > self.scroll_top + view {
            self.scroll_top = top - view;
        }
    }
}

/// Height in pixels of the tree's scrolling viewport (the stylesheet sets the same).
pub const TREE_VIEWPORT: u32 = 440;

#[cfg(test)]
mod tests;
