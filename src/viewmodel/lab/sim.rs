//! The lab's simulated builds: each Dockerfile of the lab built against the shared context with
//! the session's build cache (so a rebuild after an edit shows what Docker reuses and what it
//! runs), each step's status and lines, each layer's size and the instruction that made it, the
//! layers two images share (a common prefix of the layer chain, stored once), and the
//! `docker image history` table. It does not keep state between builds beyond the cache it is
//! given, and does not run containers (see `containers`).

use crate::build::{
    build_text, BuildCache, BuildContext, BuildError, BuildOptions, BuildResult, Builder,
    OverlayShell, StepStatus,
};
use crate::image::docker_history::{format_history, image_rows, rfc3339, HistoryFormat};
use crate::overlay::data::ContentSource;
use std::rc::Rc;

/// A step's status as the lab shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepMark {
    /// FROM: the base image.
    Base,
    /// Taken from the build cache.
    Cached,
    /// Run again (a cache miss).
    Rebuilt,
    /// BuildKit: a config-only instruction, no build step of its own.
    Config,
}

/// One instruction of the final stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRow {
    /// 1-based first and last Dockerfile line.
    pub line: usize,
    pub end_line: usize,
    pub keyword: String,
    pub text: String,
    pub mark: StepMark,
    /// The layer it made (index in the image's layer list).
    pub layer: Option<usize>,
}

/// One layer of an image, bottom first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerRow {
    pub index: usize,
    /// 12 hex digits of the diff id.
    pub short_id: String,
    /// Bytes of regular files.
    pub size: u64,
    pub files: usize,
    /// The history row's CREATED BY.
    pub created_by: String,
    /// Lines of the instruction that made it (None: a base layer).
    pub lines: Option<(usize, usize)>,
    /// Part of the base image (below FROM).
    pub from_base: bool,
}

/// Where the bytes of an image's files come from, when not from the build's final tree (a
/// committed image's own layer).
#[derive(Clone, Default)]
pub struct Bodies(pub Option<Rc<dyn ContentSource>>);

impl std::fmt::Debug for Bodies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bodies({})", self.0.is_some())
    }
}

/// One built image (or one `docker commit` made).
#[derive(Debug, Clone)]
pub struct ImageBuild {
    pub name: String,
    pub steps: Vec<StepRow>,
    pub layers: Vec<LayerRow>,
    pub result: Rc<BuildResult>,
    /// File bodies of layers the build's tree does not hold (committed layers).
    pub bodies: Bodies,
    /// For a committed image: the image the container ran.
    pub parent: Option<String>,
}

/// Cheap equality: the same build (or commit) result.
impl PartialEq for ImageBuild {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && Rc::ptr_eq(&self.result, &other.result)
    }
}

impl ImageBuild {
    /// `docker image history` as the CLI prints it at `now` (seconds since the epoch; 0 when
    /// there is no clock, as in server-side rendering: then the newest row's time).
    pub fn history(&self, now: i64) -> String {
        let now = if now > 0 {
            now
        } else {
            image_rows(&self.result.image)
                .iter()
                .filter_map(|r| r.created)
                .max()
                .unwrap_or(0)
        };
        history_table(&self.result, now)
    }
}

/// The lab's images after one (re)build: each image or its error.
#[derive(Debug, Clone)]
pub struct Builds {
    /// Sequence number; a new build gets a new one (so equality is cheap).
    pub generation: u64,
    pub builder: Builder,
    pub images: Vec<Result<ImageBuild, BuildError>>,
}

impl PartialEq for Builds {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
    }
}

/// The context the Dockerfiles see: the lab's text files, mode 0644.
pub fn context_of(files: &[(String, String)]) -> BuildContext {
    let mut ctx = BuildContext::new();
    for (name, text) in files {
        ctx.add_file(name, 0o644, text.as_bytes().to_vec());
    }
    ctx
}

/// Last line of each step: up to the line before the next step, without trailing blank or
/// comment lines.
fn end_lines(text: &str, starts: &[usize]) -> Vec<usize> {
    let lines: Vec<&str> = text.lines().collect();
    starts
        .iter()
        .enumerate()
        .map(|(k, &s)| {
            let limit = starts
                .get(k + 1)
                .map(|n| n.saturating_sub(1))
                .unwrap_or(lines.len());
            let mut e = limit.max(s);
            while e > s {
                let l = lines.get(e - 1).map(|l| l.trim()).unwrap_or("");
                if l.is_empty() || l.starts_with('#') {
                    e -= 1;
                } else {
                    break;
                }
            }
            e
        })
        .collect()
}

/// Build one Dockerfile as `name` with the session cache.
pub fn build_one(
    name: &str,
    dockerfile: &str,
    ctx: &BuildContext,
    builder: Builder,
    cache: &mut BuildCache,
    now: Option<i64>,
) -> Result<ImageBuild, BuildError> {
    let opts = BuildOptions {
        builder,
        tag: Some(name.to_string()),
        // The moment of the simulation is the build time of the rows this build runs; rows taken
        // from the cache keep the time of the build that made them, as Docker's do.
        created: now.map(rfc3339),
        ..Default::default()
    };
    let r = build_text(dockerfile, ctx, &opts, &[], cache, &OverlayShell)?;
    let last_stage = r.steps.iter().map(|s| s.stage).max().unwrap_or(0);
    let final_steps: Vec<_> = r.steps.iter().filter(|s| s.stage == last_stage).collect();
    let step_lines = step_start_lines(dockerfile, final_steps.len());
    let ends = end_lines(dockerfile, &step_lines);
    let base_layers = final_steps
        .iter()
        .filter_map(|s| s.outcome.layer)
        .min()
        .unwrap_or(r.image.layers.len());
    let steps: Vec<StepRow> = final_steps
        .iter()
        .zip(step_lines.iter().zip(&ends))
        .map(|(s, (&line, &end_line))| StepRow {
            line,
            end_line,
            keyword: s.keyword.to_ascii_uppercase(),
            text: s.text.clone(),
            mark: match s.status {
                StepStatus::Base => StepMark::Base,
                StepStatus::Cached => StepMark::Cached,
                StepStatus::Executed => StepMark::Rebuilt,
                StepStatus::ConfigOnly => StepMark::Config,
            },
            layer: s.outcome.layer,
        })
        .collect();
    let from_line = steps.first().map(|s| (s.line, s.end_line));
    let layers = r
        .image
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let created_by = r
                .image
                .history
                .iter()
                .find(|h| h.layer_index == Some(i))
                .map(|h| h.created_by.clone())
                .unwrap_or_default();
            let lines = steps
                .iter()
                .find(|s| s.layer == Some(i))
                .map(|s| (s.line, s.end_line))
                .or(if i < base_layers { from_line } else { None });
            LayerRow {
                index: i,
                short_id: l
                    .diff_id
                    .trim_start_matches("sha256:")
                    .chars()
                    .take(12)
                    .collect(),
                size: l.regular_file_bytes(),
                files: l.entries.len(),
                created_by,
                lines,
                from_base: i < base_layers,
            }
        })
        .collect();
    Ok(ImageBuild {
        name: name.to_string(),
        steps,
        layers,
        result: Rc::new(r),
        bodies: Bodies::default(),
        parent: None,
    })
}

/// The start line of each of the last stage's instructions (FROM first), read from the text so
/// that the lines match what the editor shows.
fn step_start_lines(text: &str, count: usize) -> Vec<usize> {
    let df = crate::build::parse_dockerfile(text).ok();
    let mut v: Vec<usize> = match df.as_ref().and_then(|d| d.stages.last()) {
        Some(st) => std::iter::once(st.from.line)
            .chain(st.steps.iter().map(|s| s.line))
            .collect(),
        None => Vec::new(),
    };
    // ONBUILD triggers have no line of their own: they belong to FROM.
    while v.len() < count {
        let first = v.first().copied().unwrap_or(1);
        v.insert(1.min(v.len()), first);
    }
    v.truncate(count);
    v
}

/// `docker image history <name>` for a build at `now` (seconds since the epoch): rows show how
/// long ago they were created, as the CLI does; rows without a time show `N/A`.
pub fn history_table(r: &BuildResult, now: i64) -> String {
    let rows = image_rows(&r.image);
    let ids: Vec<String> = r
        .row_ids
        .iter()
        .rev()
        .map_while(|id| id.clone())
        .map(|id| {
            if id.starts_with("sha256:") {
                id
            } else {
                format!("sha256:{id}")
            }
        })
        .collect();
    format_history(
        &rows,
        &ids,
        &HistoryFormat {
            no_trunc: false,
            human: true,
            now,
        },
    )
}

/// Build every Dockerfile (name, text) in order with one cache, at `now` (seconds since the
/// epoch; `None`: rows without a time).
pub fn build_all(
    dockerfiles: &[(String, String)],
    context: &[(String, String)],
    builder: Builder,
    cache: &mut BuildCache,
    generation: u64,
    now: Option<i64>,
) -> Builds {
    let ctx = context_of(context);
    Builds {
        generation,
        builder,
        images: dockerfiles
            .iter()
            .map(|(name, text)| build_one(name, text, &ctx, builder, cache, now))
            .collect(),
    }
}
