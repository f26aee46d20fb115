//! What the lab's components show, as plain data: the inputs, each image's steps, layers, layer
//! and chain ids and `docker image history` text, each build's error, each container's console,
//! read-write events, `docker diff` and `docker ps -s`, the pushes, and the active Dockerfiles'
//! diagnostics. The simulator makes it from its state ([`LabView::of`], in the lab worker on the
//! page) and sends it to the page (`wire`); the page renders it and never runs the simulator, so
//! the page's own download carries no build engine, shell or Dockerfile parser. It does not
//! reduce actions (see `LabState::reduce` and [`LabInputs::preview`]).

use super::containers::{ConsoleEntry, RwEvent};
use super::inputs::LabInputs;
use super::sim::{ImageBuild, LayerRow, StepRow};
use super::syntax::{diagnostics, Diagnostic};
use super::{LabState, PushView};
use crate::build::BuildError;
use std::collections::BTreeMap;

/// One image as the page draws it (a build or a committed image).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageView {
    pub name: String,
    /// The final stage's instructions.
    pub steps: Vec<StepRow>,
    /// Layers, bottom first.
    pub layers: Vec<LayerRow>,
    /// For a committed image: the image the container ran.
    pub parent: Option<String>,
    /// Each layer's diff id, bottom first.
    pub diff_ids: Vec<String>,
    /// Each layer's chain id (the layer and everything below it), bottom first.
    pub chain_ids: Vec<String>,
    /// `docker image history <name>` at the view's time.
    pub history: String,
}

impl ImageView {
    fn of(b: &ImageBuild, now: i64) -> Self {
        let diff_ids: Vec<String> = b
            .result
            .image
            .layers
            .iter()
            .map(|l| l.diff_id.clone())
            .collect();
        ImageView {
            name: b.name.clone(),
            steps: b.steps.clone(),
            layers: b.layers.clone(),
            parent: b.parent.clone(),
            chain_ids: crate::analysis::sharing::chain_ids(&diff_ids),
            diff_ids,
            history: b.history(now),
        }
    }
}

/// One container as the page draws it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerView {
    /// `docker ps` name (`app-1`).
    pub name: String,
    /// Index of its image in the lab's image list (`usize::MAX`: the image was removed).
    pub image: usize,
    pub image_name: String,
    /// Layers of the image it runs (its read-only stack).
    pub image_layers: usize,
    pub console: Vec<ConsoleEntry>,
    /// What the last command did to the read-write layer.
    pub events: Vec<RwEvent>,
    /// Bumped on every change.
    pub version: u64,
    /// Paths of the read-write layer with their kind letter (`w` `d` `f` `l` `o`).
    pub rw_paths: Vec<(String, char)>,
    /// Bytes in the read-write layer.
    pub rw_bytes: u64,
    /// `docker diff` output.
    pub diff: String,
    /// `docker ps -s` output.
    pub ps: String,
}

/// Everything the lab's components show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabView {
    /// The last page request the simulator applied (0: none).
    pub ack: u64,
    pub inputs: LabInputs,
    /// How many of `images` are builds (app, app2, a dropped one); the rest are commits.
    pub builds: usize,
    /// The builds, each image or its error, then the committed images.
    pub images: Vec<Result<ImageView, BuildError>>,
    pub containers: Vec<ContainerView>,
    pub pushes: Vec<PushView>,
    /// The last `docker commit`: its command and what it printed.
    pub note: Option<String>,
    /// Diagnostics of each Dockerfile (app, app2, a dropped one) as the simulator last saw it.
    pub diagnostics: Vec<Vec<Diagnostic>>,
}

impl std::ops::Deref for LabView {
    type Target = LabInputs;
    fn deref(&self) -> &LabInputs {
        &self.inputs
    }
}

impl LabView {
    /// The view of the simulator's state after page request `ack`.
    pub fn of(s: &LabState, ack: u64) -> Self {
        let now = s.now;
        let images = s
            .builds
            .images
            .iter()
            .map(|b| {
                b.as_ref()
                    .map(|b| ImageView::of(b, now))
                    .map_err(Clone::clone)
            })
            .chain(s.commits.iter().map(|c| Ok(ImageView::of(c, now))))
            .collect();
        LabView {
            ack,
            inputs: s.inputs.clone(),
            builds: s.builds.images.len(),
            images,
            containers: s
                .containers
                .iter()
                .map(|c| ContainerView {
                    name: c.name.clone(),
                    image: c.image,
                    image_name: c.image_name.clone(),
                    image_layers: c.image_layers(),
                    console: c.console.clone(),
                    events: c.events.clone(),
                    version: c.version,
                    rw_paths: c.rw_paths(),
                    rw_bytes: c.rw_bytes(),
                    diff: c.diff(),
                    ps: c.ps(),
                })
                .collect(),
            pushes: s.pushes.clone(),
            note: s.note.clone(),
            diagnostics: s
                .dockerfiles()
                .iter()
                .map(|(_, text)| diagnostics(text))
                .collect(),
        }
    }

    /// The page's view before the simulator has answered: the seed lab's inputs, nothing built.
    pub fn waiting(now: i64) -> Self {
        LabView {
            ack: 0,
            inputs: LabInputs::seed(now),
            builds: 0,
            images: Vec::new(),
            containers: Vec::new(),
            pushes: Vec::new(),
            note: None,
            diagnostics: Vec::new(),
        }
    }

    /// Every image in order (`None` for a failed build): indices name images in actions.
    pub fn images(&self) -> Vec<Option<&ImageView>> {
        self.images.iter().map(|b| b.as_ref().ok()).collect()
    }

    /// Image `i` of `images()`.
    pub fn image(&self, i: usize) -> Option<&ImageView> {
        self.images.get(i)?.as_ref().ok()
    }

    /// The build error of build `i`, if it failed.
    pub fn build_error(&self, i: usize) -> Option<&BuildError> {
        self.images.get(i)?.as_ref().err()
    }

    /// The diagnostics of the active tab's Dockerfile.
    pub fn active_diagnostics(&self) -> &[Diagnostic] {
        self.diagnostics
            .get(self.tab.image())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Lines of the active Dockerfile to highlight (those of the selected layer's instruction).
    pub fn highlighted_lines(&self) -> Option<(usize, usize)> {
        let (img, layer) = self.selected?;
        if img != self.tab.image() || img >= self.builds {
            return None;
        }
        self.image(img)?.layers.get(layer)?.lines
    }
}

/// How many bottom layers two images share (same layer chain), and the bytes they hold.
pub fn shared_prefix(a: &ImageView, b: &ImageView) -> (usize, u64) {
    let n = a
        .diff_ids
        .iter()
        .zip(&b.diff_ids)
        .take_while(|(x, y)| x == y)
        .count();
    (n, a.layers[..n].iter().map(|l| l.size).sum())
}

/// The chain of layer ids of two images up to and including layer `k` is the same.
pub fn same_chain(a: &ImageView, b: &ImageView, k: usize) -> bool {
    k < a.chain_ids.len() && k < b.chain_ids.len() && a.chain_ids[k] == b.chain_ids[k]
}

/// Bytes of the images counted separately (`docker image ls` adds them up) and stored: the local
/// layer store keeps a layer once per chain id (the layer *and* everything below it), so the same
/// content at another position of another chain is stored again.
pub fn store_bytes(images: &[&ImageView]) -> (u64, u64) {
    let mut separate = 0u64;
    let mut stored = BTreeMap::new();
    for i in images {
        for (l, chain) in i.layers.iter().zip(&i.chain_ids) {
            separate += l.size;
            stored.insert(chain, l.size);
        }
    }
    (separate, stored.values().sum())
}
