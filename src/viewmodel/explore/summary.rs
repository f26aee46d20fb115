//! The compact, serialisable summary of one loaded image that the worker sends to the page: per
//! layer its size and changes (Added / Modified / Deleted, with the copy each change shadows),
//! the history steps, the `docker image history` table lines, and the analysis figures (dive's
//! and ours). Built from the image model with `overlay` and `analysis`; it reads no archives.

use crate::analysis::{dive_figures, guess_base_layers, our_figures};
use crate::image::docker_history::{format_history, image_rows, HistoryFormat};
use crate::image::{EntryKind, Image};
use crate::overlay::{layer_changes, ChangeKind, Stack};
use serde::{Deserialize, Serialize};

/// One path of a layer's changes or of a merged view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRow {
    /// `/`-rooted path.
    pub path: String,
    /// `A`, `M`, `D`, or `' '` for an unchanged path of a merged view.
    pub change: char,
    /// `file`, `dir`, `symlink`, … (`EntryKind::as_str`).
    pub kind: String,
    pub size: u64,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub mtime: i64,
    pub link: Option<String>,
    /// The layer that supplies this path (for a deletion: the layer that deletes it).
    pub layer: usize,
    /// The lower layer whose copy this path shadows or deletes.
    pub hides: Option<usize>,
}

/// One layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerView {
    pub index: usize,
    pub digest: String,
    pub diff_id: String,
    /// Bytes of its regular files (what `docker history` shows as SIZE).
    pub size: u64,
    pub entry_count: usize,
    pub changes: Vec<FileRow>,
}

/// One history step, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub created_by: String,
    /// The layer it made; `None` for an empty layer (ENV, CMD, …).
    pub layer: Option<usize>,
}

/// A wasteful path, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WasteRow {
    pub path: String,
    pub wasted: u64,
    pub reason: String,
}

/// dive's figures next to ours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisView {
    pub dive_efficiency: f64,
    pub dive_wasted: u64,
    /// `None` when the user layers are empty (dive divides by zero).
    pub dive_user_wasted_percent: Option<f64>,
    pub ours_efficiency: f64,
    pub ours_wasted: u64,
    pub ours_user_wasted_percent: Option<f64>,
    pub base_layers: usize,
    /// Most wasteful paths first, at most 20.
    pub top: Vec<WasteRow>,
}

/// One loaded image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadedImage {
    /// The archive it came from (file name) and the worker job that holds it.
    pub archive: String,
    pub job: u32,
    /// Its position in the archive's read images.
    pub image_index: usize,
    pub tags: Vec<String>,
    pub id: String,
    pub platform: String,
    pub layout: String,
    pub layers: Vec<LayerView>,
    pub steps: Vec<StepView>,
    /// `docker image history` output lines, header first, newest row next.
    pub history: Vec<String>,
    /// Computed after the rest (it is the slow part), so the stack and tree show first.
    pub analysis: Option<AnalysisView>,
    /// True while only layer 0's changes are in: the others follow (`ChangesReady`), so the
    /// page can draw the stack, the history and layer 0's tree without waiting for them.
    pub pending: bool,
    /// Platforms of the same archive's multi-platform index that were not read (one can be
    /// read instead, as another image).
    pub other_platforms: Vec<String>,
}

impl LoadedImage {
    /// Total bytes of regular files over all layers.
    pub fn size(&self) -> u64 {
        self.layers.iter().map(|l| l.size).sum()
    }
    /// `corpus/app:latest` or the short id when untagged.
    pub fn label(&self) -> String {
        match self.tags.first() {
            Some(t) => t.clone(),
            None => {
                let hex = self.id.strip_prefix("sha256:").unwrap_or(&self.id);
                hex.chars().take(12).collect()
            }
        }
    }
}

fn rooted(p: &[u8]) -> String {
    let text = String::from_utf8_lossy(p);
    let mut s = String::with_capacity(text.len() + 1);
    s.push('/');
    s.push_str(&text);
    s
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// Summarise `image`. `now` (seconds since the epoch) is used for the history's `N ago`.
pub fn summarize(
    image: &Image,
    archive: &str,
    job: u32,
    image_index: usize,
    layout: &str,
    now: i64,
) -> LoadedImage {
    let mut im = summarize_head(image, archive, job, image_index, layout, now);
    let stack = Stack::new(&image.layers);
    for (n, l) in im.layers.iter_mut().enumerate() {
        l.changes = layer_rows(&stack, image, n);
    }
    im
}

/// The summary without the layers' changes (their `changes` are empty): the layer figures, the
/// history steps and table.
pub fn summarize_head(
    image: &Image,
    archive: &str,
    job: u32,
    image_index: usize,
    layout: &str,
    now: i64,
) -> LoadedImage {
    let layers = image
        .layers
        .iter()
        .map(|l| LayerView {
            index: l.index,
            digest: l.digest.clone(),
            diff_id: l.diff_id.clone(),
            size: l.regular_file_bytes(),
            entry_count: l.entries.len(),
            changes: Vec::new(),
        })
        .collect();
    let steps = image
        .history
        .iter()
        .map(|h| StepView {
            created_by: h.created_by.clone(),
            layer: h.layer_index,
        })
        .collect();
    let table = format_history(
        &image_rows(image),
        std::slice::from_ref(&image.config_digest),
        &HistoryFormat {
            no_trunc: false,
            human: true,
            now,
        },
    );
    LoadedImage {
        archive: archive.to_string(),
        job,
        image_index,
        tags: image.tags.clone(),
        id: image.config_digest.clone(),
        platform: image.platform.to_string(),
        layout: layout.to_string(),
        layers,
        steps,
        history: table.lines().map(str::to_string).collect(),
        analysis: None,
        pending: false,
        other_platforms: Vec::new(),
    }
}

/// The summary with only layer 0's changes (worked out over layer 0 alone, which gives the same
/// rows as over the whole stack); `pending` when there are more layers, whose changes
/// [`changes_above`] gives.
pub fn summarize_first(
    image: &Image,
    archive: &str,
    job: u32,
    image_index: usize,
    layout: &str,
    now: i64,
) -> LoadedImage {
    let mut im = summarize_head(image, archive, job, image_index, layout, now);
    if let Some(first) = im.layers.first_mut() {
        let stack = Stack::new(&image.layers[..1]);
        first.changes = layer_rows(&stack, image, 0);
    }
    im.pending = image.layers.len() > 1;
    im
}

/// The changes of layers 1 and up (index `k` is layer `k + 1`).
pub fn changes_above(image: &Image) -> Vec<Vec<FileRow>> {
    if image.layers.len() < 2 {
        return Vec::new();
    }
    changes_above_in(&Stack::new(&image.layers), image)
}

/// [`changes_above`] over union mounts already built (`Stack::new(&image.layers)`), so that the
/// caller decides when to free them: freeing a large stack takes longer than building it.
pub fn changes_above_in(stack: &Stack, image: &Image) -> Vec<Vec<FileRow>> {
    (1..image.layers.len())
        .map(|n| layer_rows(stack, image, n))
        .collect()
}

/// The changes of layer `n` of `image`, whose union mounts `stack` holds.
pub fn layer_rows(stack: &Stack, image: &Image, n: usize) -> Vec<FileRow> {
    layer_changes(stack, &image.layers, n)
        .into_iter()
        .map(|c| {
            let shown = c.now.as_ref().or(c.shadowed.as_ref());
            let e = shown.map(|node| &node.entry);
            let size = shown.map_or(0, |node| node.file_size());
            FileRow {
                path: rooted(&c.path),
                change: match c.kind {
                    ChangeKind::Added => 'A',
                    ChangeKind::Modified => 'M',
                    ChangeKind::Deleted => 'D',
                },
                kind: e.map_or(EntryKind::File, |e| e.kind).as_str().to_string(),
                size,
                mode: e.map_or(0, |e| e.mode),
                uid: e.map_or(0, |e| e.uid),
                gid: e.map_or(0, |e| e.gid),
                mtime: e.map_or(0, |e| e.mtime),
                link: e
                    .and_then(|e| e.link_target.as_ref())
                    .map(|t| t.display().into_owned()),
                layer: n,
                hides: c.shadowed.as_ref().map(|s| s.layer),
            }
        })
        .collect()
}

/// dive's figures and ours for `image`, with the 20 most wasteful paths.
pub fn analyze(image: &Image) -> AnalysisView {
    let dive = dive_figures(&image.layers);
    let base = guess_base_layers(&image.history, image.layers.len());
    let ours = our_figures(&image.layers, base);
    let mut top: Vec<WasteRow> = ours
        .paths
        .iter()
        .map(|p| WasteRow {
            path: p.path.clone(),
            wasted: p.wasted,
            reason: p.reason(),
        })
        .collect();
    top.sort_by(|a, b| b.wasted.cmp(&a.wasted).then_with(|| a.path.cmp(&b.path)));
    top.truncate(20);
    AnalysisView {
        dive_efficiency: dive.efficiency,
        dive_wasted: dive.wasted_bytes,
        dive_user_wasted_percent: finite(dive.user_wasted_percent),
        ours_efficiency: ours.efficiency,
        ours_wasted: ours.wasted_bytes,
        ours_user_wasted_percent: finite(ours.user_wasted_percent),
        base_layers: base,
        top,
    }
}
