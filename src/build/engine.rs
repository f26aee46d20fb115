//! The build driver: stages in order, each instruction applied to the stage state (file tree,
//! config, history rows, layers) with the builder's rules for which instruction makes a layer and
//! which only an empty history row (finding 6 of the image corpus), the build cache, multi-stage
//! `COPY --from` and `--target`. It does not print anything (see `output`).

use super::bases::{bundled_base, BaseImage};
use super::cache::{key, BuildCache, CacheEntry};
use super::context::{tar_mode, tarsum_entry, BuildContext};
use super::created_by::{self, CopyText, BUILDKIT_COMMENT};
use super::error::BuildError;
use super::gofmt;
use super::overlay_shell::{RunEnv, RunExecutor};
use super::step::{parse_dockerfile, Dockerfile, Stage, Step};
use super::words::{key_values, process_word, process_words};
use super::{Builder, Engine};
use crate::image::{EntryKind, Healthcheck, HistoryRow, Image, ImageConfig, Layer, Platform};
use crate::overlay::data::FileData;
use crate::overlay::edit::{clean, join};
use crate::overlay::snapshot::{diff_entries, hex, layer_from_entries};
use crate::overlay::tree::{Node, Tree};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// How to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub builder: Builder,
    pub engine: Engine,
    /// `--build-arg NAME=VALUE`.
    pub build_args: Vec<(String, String)>,
    /// `--target STAGE`.
    pub target: Option<String>,
    /// `-t NAME[:TAG]`.
    pub tag: Option<String>,
    /// The Dockerfile's name in the context (kept even if `.dockerignore` excludes it).
    pub dockerfile_name: String,
    /// RFC 3339 time written on the rows this build creates (`None`: no time, shown as N/A).
    pub created: Option<String>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            builder: Builder::BuildKit,
            engine: Engine::V26,
            build_args: Vec::new(),
            target: None,
            tag: None,
            dockerfile_name: "Dockerfile".to_string(),
            created: None,
        }
    }
}

/// What the builder did with a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    /// `FROM`: the base image was used.
    Base,
    /// Ran (a cache miss).
    Executed,
    /// Taken from the cache.
    Cached,
    /// BuildKit: a config-only instruction, not a build step of its own.
    ConfigOnly,
}

/// The effect of one step.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepOutcome {
    /// Index of the layer it made in the final stage's layer list (when it made one).
    pub layer: Option<usize>,
    /// Whether it added a history row (BuildKit writes none for ONBUILD).
    pub history_row: bool,
    /// Whether that row is `empty_layer`.
    pub empty_row: bool,
    /// Bytes of regular files in its layer (the SIZE column).
    pub size: u64,
    /// Commands of a RUN the simulator does not know: they changed nothing.
    pub not_simulated: Vec<String>,
    /// Packages a RUN installed from the catalogue.
    pub installed: Vec<String>,
    /// What a RUN printed (Docker shows it in the build output).
    pub stdout: String,
}

/// One step of the build, for the build output and the cache report.
#[derive(Debug, Clone)]
pub struct StepReport {
    pub stage: usize,
    /// The stage's name (or `stage-N`) when the build has several stages.
    pub stage_label: Option<String>,
    pub keyword: String,
    /// The instruction as Docker prints it.
    pub text: String,
    pub status: StepStatus,
    /// Classic `Step i/N`.
    pub classic_number: usize,
    pub classic_total: usize,
    /// BuildKit `[i/n]` within the stage (`None` for config-only instructions).
    pub bk_number: Option<usize>,
    pub bk_total: usize,
    /// Classic: the image this step produced (12 hex); for FROM, the base's id (empty for
    /// scratch).
    pub image_id: String,
    /// Classic: the intermediate container, for steps that start one.
    pub container_id: Option<String>,
    /// An ONBUILD trigger inherited from the base.
    pub trigger: bool,
    pub outcome: StepOutcome,
}

/// A finished build.
#[derive(Debug, Clone)]
pub struct BuildResult {
    pub builder: Builder,
    pub engine: Engine,
    pub image: Image,
    /// The final file tree.
    pub tree: Tree,
    pub steps: Vec<StepReport>,
    /// Per history row (oldest first): the local image id shown by `docker image history`, or
    /// `None` for `<missing>`.
    pub row_ids: Vec<Option<String>>,
    pub tag: Option<String>,
    /// Bytes of the context tar (classic "Sending build context").
    pub context_size: u64,
    pub dockerfile_name: String,
    pub dockerfile_size: u64,
    /// External base references, as BuildKit's "load metadata for" lines name them.
    pub external_bases: Vec<String>,
    /// Whether any COPY/ADD reads the context (BuildKit's "load build context" step).
    pub uses_context: bool,
}

impl BuildResult {
    /// This image as a base for a later build (`FROM tag`), keeping its local row ids.
    pub fn as_base(&self, names: Vec<String>) -> BaseImage {
        BaseImage {
            names,
            image: self.image.clone(),
            tree: self.tree.clone(),
            row_ids: self.row_ids.clone(),
        }
    }
    /// `docker image inspect --format '{{json .RootFS.Layers}}'`.
    pub fn rootfs_layers(&self) -> Vec<String> {
        self.image
            .layers
            .iter()
            .map(|l| l.diff_id.clone())
            .collect()
    }
}

/// The state of a stage between steps.
#[derive(Debug, Clone)]
pub(crate) struct StageState {
    pub tree: Tree,
    pub config: ImageConfig,
    pub history: Vec<HistoryRow>,
    pub layers: Vec<Layer>,
    pub row_ids: Vec<Option<String>>,
    /// ARGs declared in this stage, in order, with their values.
    pub args: Vec<(String, Option<String>)>,
    pub author: Option<String>,
    /// Classic: id of the image after the last step. BuildKit: the LLB chain key.
    pub parent_id: String,
    pub bk_key: String,
    /// Classic: VOLUME dirs the next RUN container creates.
    pub pending_volumes: Vec<String>,
    pub cmd_set: bool,
}

impl StageState {
    fn shell(&self) -> Vec<String> {
        self.config
            .shell
            .clone()
            .unwrap_or_else(|| vec!["/bin/sh".to_string(), "-c".to_string()])
    }
    fn env_lookup(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .args
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (k.clone(), v.clone())))
            .collect();
        for e in &self.config.env {
            if let Some((k, val)) = e.split_once('=') {
                v.retain(|(x, _)| x != k);
                v.push((k.to_string(), val.to_string()));
            }
        }
        v
    }
    fn workdir(&self) -> String {
        if self.config.working_dir.is_empty() {
            "/".to_string()
        } else {
            self.config.working_dir.clone()
        }
    }
}

struct Done {
    name: Option<String>,
    state: StageState,
    image: Image,
}

/// Parse and build in one go (the text adapter until `crate::dockerfile` is wired in).
pub fn build_text(
    dockerfile: &str,
    context: &BuildContext,
    opts: &BuildOptions,
    bases: &[BaseImage],
    cache: &mut BuildCache,
    exec: &dyn RunExecutor,
) -> Result<BuildResult, BuildError> {
    let df = parse_dockerfile(dockerfile)?;
    let mut r = build(&df, context, opts, bases, cache, exec)?;
    r.dockerfile_size = dockerfile.len() as u64;
    Ok(r)
}

/// Build a parsed Dockerfile.
pub fn build(
    df: &Dockerfile,
    context: &BuildContext,
    opts: &BuildOptions,
    bases: &[BaseImage],
    cache: &mut BuildCache,
    exec: &dyn RunExecutor,
) -> Result<BuildResult, BuildError> {
    let ctx = context.filtered(&opts.dockerfile_name);
    // Global (meta) ARGs.
    let mut meta: Vec<(String, Option<String>)> = Vec::new();
    for a in &df.global_args {
        for (k, v) in declare_args(&a.args, &meta, &opts.build_args) {
            meta.retain(|(x, _)| *x != k);
            meta.push((k, v));
        }
    }
    let meta_lookup = |n: &str| {
        meta.iter()
            .find(|(k, _)| k == n)
            .and_then(|(_, v)| v.clone())
    };
    let target = match &opts.target {
        Some(t) => df
            .stages
            .iter()
            .position(|s| s.name.as_deref() == Some(&t.to_ascii_lowercase()))
            .ok_or_else(|| BuildError::new(format!("target stage \"{t}\" could not be found")))?,
        None => df.stages.len() - 1,
    };
    let stages = &df.stages[..=target];
    let needed = needed_stages(stages, target, &meta_lookup);
    let build_these: Vec<usize> = match opts.builder {
        Builder::BuildKit => (0..=target).filter(|i| needed[*i]).collect(),
        Builder::Classic => (0..=target).collect(),
    };
    let multi = build_these.len() > 1;
    let classic_total =
        df.global_args.len() + stages.iter().map(|s| 1 + s.steps.len()).sum::<usize>();
    let mut classic_number = df.global_args.len();
    let mut steps: Vec<StepReport> = Vec::new();
    let mut done: Vec<Option<Done>> = (0..stages.len()).map(|_| None).collect();
    let mut external_bases: Vec<String> = Vec::new();
    let mut uses_context = false;
    // BuildKit converts the whole Dockerfile before it runs anything: what its frontend rejects
    // fails the build with nothing run or cached. The classic builder fails on reaching it.
    if opts.builder == Builder::BuildKit {
        for step in df.stages.iter().flat_map(|s| &s.steps) {
            check_supported(step, opts)?;
        }
    }

    for (si, stage) in stages.iter().enumerate() {
        if !build_these.contains(&si) {
            continue;
        }
        let label = multi.then(|| stage.name.clone().unwrap_or_else(|| format!("stage-{si}")));
        let base_ref = process_word(&stage.base, &meta_lookup);
        // The stage's base: scratch, an earlier stage, a loaded or bundled image.
        let (mut st, base_id, base_label) =
            start_stage(&base_ref, stage, stages, &done, bases, opts)?;
        if base_label.is_some() && !external_bases.contains(&base_ref) {
            external_bases.push(base_ref.clone());
        }
        let mut instrs: Vec<(Step, bool)> = Vec::new();
        for t in std::mem::take(&mut st.config.on_build) {
            let parsed = parse_dockerfile(&format!("FROM scratch\n{t}\n"))
                .map_err(|e| BuildError::at(stage.from.line, format!("ONBUILD trigger: {e}")))?;
            for s in parsed.stages[0].steps.clone() {
                instrs.push((s, true));
            }
        }
        instrs.extend(stage.steps.iter().cloned().map(|s| (s, false)));
        let from_counts = base_ref != "scratch";
        // ONBUILD triggers are numbered but not counted in BuildKit's total (`[3/2]` in captures).
        let bk_total = usize::from(from_counts)
            + instrs
                .iter()
                .filter(|(s, t)| is_llb(&s.keyword) && !*t)
                .count();
        classic_number += 1;
        steps.push(StepReport {
            stage: si,
            stage_label: label.clone(),
            keyword: "FROM".into(),
            text: stage.from.original.clone(),
            status: StepStatus::Base,
            classic_number,
            classic_total,
            bk_number: from_counts.then_some(1),
            bk_total,
            image_id: base_id,
            container_id: None,
            trigger: false,
            outcome: StepOutcome::default(),
        });
        let mut bk_number = usize::from(from_counts);
        for (step, trigger) in &instrs {
            check_supported(step, opts)?;
            if !*trigger {
                classic_number += 1;
            }
            if is_llb(&step.keyword) {
                bk_number += 1;
            }
            if matches!(step.keyword.as_str(), "COPY" | "ADD") && step.flag("from").is_none() {
                uses_context = true;
            }
            let text = display_text(step, &st, opts.builder);
            let report = run_step(
                step, &mut st, si, stages, &done, &ctx, opts, cache, exec, bases, &meta,
            )?;
            steps.push(StepReport {
                stage: si,
                stage_label: label.clone(),
                keyword: step.keyword.clone(),
                text,
                status: report.0,
                classic_number,
                classic_total,
                bk_number: is_llb(&step.keyword).then_some(bk_number),
                bk_total,
                image_id: report.1,
                container_id: report.2,
                trigger: *trigger,
                outcome: report.3,
            });
        }
        let image = finish_image(&st, opts);
        done[si] = Some(Done {
            name: stage.name.clone(),
            state: st,
            image,
        });
    }
    let last = done[target]
        .take()
        .ok_or_else(|| BuildError::new("the target stage was not built"))?;
    let mut image = last.image;
    if let Some(t) = &opts.tag {
        image.tags = vec![t.clone()];
    }
    let mut row_ids = last.state.row_ids.clone();
    if opts.builder == Builder::BuildKit {
        // BuildKit images have no local parent: only the top row carries an id.
        row_ids = vec![None; image.history.len()];
        if let Some(l) = row_ids.last_mut() {
            *l = Some(image.short_id().to_string());
        }
    }
    let _ = last.name;
    Ok(BuildResult {
        builder: opts.builder,
        engine: opts.engine,
        image,
        tree: last.state.tree,
        steps,
        row_ids,
        tag: opts.tag.clone(),
        context_size: ctx.tar_size(),
        dockerfile_name: opts.dockerfile_name.clone(),
        dockerfile_size: 0,
        external_bases,
        uses_context,
    })
}

/// The instruction as the builder's progress output names it. BuildKit names a RUN vertex after
/// its command with the build arguments and environment in scope substituted, quotes and
/// escapes left as written (`RUN echo "flavor=$FLAVOR"` → `RUN echo "flavor=chocolate"`), unset
/// variables kept; a command that does not expand keeps its text. The classic builder prints the line as written.
fn display_text(step: &Step, st: &StageState, builder: Builder) -> String {
    if builder != Builder::BuildKit || step.keyword != "RUN" {
        return step.original.clone();
    }
    // A heredoc RUN is named with its body's first line (`RUN <<EOT (echo one...)`).
    let mut text = step.original.clone();
    if let Some(h) = step
        .heredocs
        .first()
        .filter(|_| step.args.trim_start().starts_with("<<"))
    {
        let body = h.body.trim().replace("\r\n", "\n");
        let mut lines = body.split('\n');
        let first = lines.next().unwrap_or("");
        let more = if lines.next().is_some() { "..." } else { "" };
        text = format!("{text} ({first}{more})");
    }
    let env = crate::dockerfile::expand::MapEnv::from_pairs(st.env_lookup());
    let lex = crate::dockerfile::expand::Lexer {
        raw_quotes: true,
        raw_escapes: true,
        skip_unset_env: true,
        ..crate::dockerfile::expand::Lexer::new('\\')
    };
    lex.process_word(&text, &env).unwrap_or(text)
}

/// Rejections the real builders make: Docker 20.10 has no heredocs (its parser reads the body
/// as instructions), and the classic builder refuses `--chmod`.
fn check_supported(step: &Step, opts: &BuildOptions) -> Result<(), BuildError> {
    if opts.engine == Engine::V20 {
        if let Some(h) = step.heredocs.first() {
            let first = h
                .body
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            return Err(BuildError::at(
                step.line + 1,
                format!(
                    "dockerfile parse error line {}: unknown instruction: {first}",
                    step.line + 1
                ),
            ));
        }
    }
    if opts.builder == Builder::Classic && step.flag("chmod").is_some() {
        return Err(BuildError::at(
            step.line,
            "the --chmod option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled",
        ));
    }
    Ok(())
}

fn is_llb(kw: &str) -> bool {
    matches!(kw, "RUN" | "COPY" | "ADD" | "WORKDIR")
}

/// Which stages the target needs (FROM another stage, COPY --from).
fn needed_stages(
    stages: &[Stage],
    target: usize,
    meta: &dyn Fn(&str) -> Option<String>,
) -> Vec<bool> {
    let find = |r: &str| -> Option<usize> {
        let r = r.to_ascii_lowercase();
        stages
            .iter()
            .position(|s| s.name.as_deref() == Some(r.as_str()))
            .or_else(|| r.parse::<usize>().ok().filter(|i| *i < stages.len()))
    };
    let mut need = vec![false; stages.len()];
    let mut todo = vec![target];
    while let Some(i) = todo.pop() {
        if need[i] {
            continue;
        }
        need[i] = true;
        if let Some(j) = find(&process_word(&stages[i].base, meta)) {
            if j < i {
                todo.push(j);
            }
        }
        for s in &stages[i].steps {
            if let Some(f) = s.flag("from") {
                if let Some(j) = find(f) {
                    if j < i {
                        todo.push(j);
                    }
                }
            }
        }
    }
    need
}

fn declare_args(
    args: &str,
    scope: &[(String, Option<String>)],
    build_args: &[(String, String)],
) -> Vec<(String, Option<String>)> {
    let lookup = |n: &str| {
        scope
            .iter()
            .find(|(k, _)| k == n)
            .and_then(|(_, v)| v.clone())
    };
    let mut out = Vec::new();
    for w in args.split_whitespace() {
        let (name, default) = match w.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(process_word(v, &lookup))),
            None => (w.to_string(), None),
        };
        let value = build_args
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
            .or(default)
            .or_else(|| lookup(&name));
        out.push((name, value));
    }
    out
}

fn short(h: &str) -> String {
    h.chars().take(12).collect()
}

fn start_stage(
    base_ref: &str,
    stage: &Stage,
    stages: &[Stage],
    done: &[Option<Done>],
    bases: &[BaseImage],
    opts: &BuildOptions,
) -> Result<(StageState, String, Option<String>), BuildError> {
    let empty = |id: String| StageState {
        tree: Tree::empty(),
        config: ImageConfig::default(),
        history: Vec::new(),
        layers: Vec::new(),
        row_ids: Vec::new(),
        args: Vec::new(),
        author: None,
        parent_id: id.clone(),
        bk_key: key(&["bk-from", &id]),
        pending_volumes: Vec::new(),
        cmd_set: false,
    };
    if base_ref == "scratch" {
        return Ok((empty(String::new()), String::new(), None));
    }
    let lower = base_ref.to_ascii_lowercase();
    if let Some(j) = stages
        .iter()
        .position(|s| s.name.as_deref() == Some(lower.as_str()))
    {
        if let Some(Some(d)) = done.get(j) {
            let mut st = d.state.clone();
            st.args.clear();
            st.cmd_set = false;
            let id = d.image.short_id().to_string();
            return Ok((st, id, None));
        }
        return Err(BuildError::at(
            stage.from.line,
            format!("stage \"{base_ref}\" is used before it is built: expected an earlier stage"),
        ));
    }
    let base = find_base(bases, base_ref).ok_or_else(|| {
        BuildError::at(
            stage.from.line,
            format!(
                "base image \"{base_ref}\" not found: expected scratch, an image loaded from an archive (--base), or a bundled base ({})",
                super::bases::bundled_base_names().join(", ")
            ),
        )
    })?;
    let id = base.image.short_id().to_string();
    let mut st = empty(base.image.config_digest.clone());
    st.parent_id = id.clone();
    st.tree = base.tree.clone();
    st.config = base.image.config.clone();
    st.history = base.image.history.clone();
    st.layers = base.image.layers.clone();
    st.row_ids = base.row_ids.clone();
    st.row_ids.resize(st.history.len(), None);
    let _ = opts;
    Ok((st, id, Some(base_ref.to_string())))
}

/// `(status, classic image id, classic container id, outcome)`.
type StepResult = (StepStatus, String, Option<String>, StepOutcome);

#[allow(clippy::too_many_arguments)]
fn run_step(
    step: &Step,
    st: &mut StageState,
    si: usize,
    stages: &[Stage],
    done: &[Option<Done>],
    ctx: &BuildContext,
    opts: &BuildOptions,
    cache: &mut BuildCache,
    exec: &dyn RunExecutor,
    bases: &[BaseImage],
    meta: &[(String, Option<String>)],
) -> Result<StepResult, BuildError> {
    let builder = opts.builder;
    let env = st.env_lookup();
    let lookup = |n: &str| {
        env.iter()
            .rev()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.clone())
    };
    let shell = st.shell();
    let kw = step.keyword.as_str();

    // 1. Work out the step's history text and cache key without running it.
    let plan: Plan;
    let text: Option<String>;
    let mut bk_key_part: Option<String> = None;
    match kw {
        "ENV" => {
            let kv = key_values(&step.args, &lookup);
            text = Some(key_values_text(builder, &shell, "ENV", &kv));
            bk_key_part = text.clone();
            plan = Plan::Config(Box::new(move |s: &mut StageState| {
                for (k, v) in &kv {
                    s.config
                        .env
                        .retain(|e| e.split_once('=').map(|x| x.0) != Some(k.as_str()));
                    s.config.env.push(format!("{k}={v}"));
                }
            }));
        }
        "LABEL" => {
            let kv = key_values(&step.args, &lookup);
            text = Some(key_values_text(builder, &shell, "LABEL", &kv));
            plan = Plan::Config(Box::new(move |s: &mut StageState| {
                for (k, v) in &kv {
                    s.config.labels.insert(k.clone(), v.clone());
                }
            }));
        }
        "ARG" => {
            let declared = declare_args(&step.args, meta, &opts.build_args);
            text = Some(created_by::metadata(
                builder,
                &shell,
                &format!("ARG {}", step.args.trim()),
            ));
            bk_key_part = Some(format!("{declared:?}"));
            plan = Plan::Config(Box::new(move |s: &mut StageState| {
                for (k, v) in &declared {
                    s.args.retain(|(x, _)| x != k);
                    s.args.push((k.clone(), v.clone()));
                }
            }));
        }
        "MAINTAINER" => {
            let who = step.args.trim().to_string();
            text = Some(created_by::metadata(
                builder,
                &shell,
                &format!("MAINTAINER {who}"),
            ));
            plan = Plan::Config(Box::new(move |s: &mut StageState| {
                s.author = Some(who.clone())
            }));
        }
        "CMD" | "ENTRYPOINT" => {
            let v = match &step.json {
                Some(j) => j.clone(),
                None => {
                    let mut v = shell.clone();
                    v.push(step.args.clone());
                    v
                }
            };
            text = Some(created_by::metadata(
                builder,
                &shell,
                &format!("{kw} {}", gofmt::quote_slice(&v)),
            ));
            let is_cmd = kw == "CMD";
            plan = Plan::Config(Box::new(move |s: &mut StageState| {
                if is_cmd {
                    s.config.cmd = Some(v.clone());
                    s.cmd_set = true;
                } else {
                    s.config.entrypoint = Some(v.clone());
                    if !s.cmd_set {
                        s.config.cmd = None;
                    }
                }
            }));
        }
        "EXPOSE" => {
            let words = process_words(&step.args, &lookup);
            let ports: Vec<String> = words
                .iter()
                .map(|p| {
                    if p.contains('/') {
                        p.to_ascii_lowercase()
                    } else {
                        format!("{p}/tcp")
                    }
                })
                .collect();
            let t = match builder {
                Builder::Classic => format!("EXPOSE {}", words.join(" ")),
                Builder::BuildKit => {
                    let mut sorted = ports.clone();
                    sorted.sort();
                    sorted.dedup();
                    let items: Vec<String> = sorted.iter().map(|p| format!("{p}:{{}}")).collect();
                    format!("EXPOSE map[{}]", items.join(" "))
                }
            };
            text = Some(created_by::metadata(builder, &shell, &t));
            plan = Plan::Config(Box::new(move |s: &mut StageState| {
                for p in &ports {
                    if !s.config.exposed_ports.contains(p) {
                        s.config.exposed_ports.push(p.clone());
                    }
                }
                s.config.exposed_ports.sort();
            }));
        }
        "VOLUME" => {
            let vols = match &step.json {
                Some(j) => j.iter().map(|v| process_word(v, &lookup)).collect(),
                None => process_words(&step.args, &lookup),
            };
            text = Some(created_by::metadata(
                builder,
                &shell,
                &format!("VOLUME {}", gofmt::plain_slice(&vols)),
            ));
            plan = Plan::Config(Box::new(move |s: &mut StageState| {
                for v in &vols {
                    if !s.config.volumes.contains(v) {
                        s.config.volumes.push(v.clone());
                    }
                    s.pending_volumes.push(v.clone());
                }
            }));
        }
        "USER" => {
            let u = process_word(step.args.trim(), &lookup);
            text = Some(created_by::metadata(builder, &shell, &format!("USER {u}")));
            bk_key_part = text.clone();
            plan = Plan::Config(Box::new(move |s: &mut StageState| {
                s.config.user = u.clone()
            }));
        }
        "STOPSIGNAL" => {
            let sig = process_word(step.args.trim(), &lookup);
            text = Some(created_by::metadata(
                builder,
                &shell,
                &format!("STOPSIGNAL {sig}"),
            ));
            plan = Plan::Config(Box::new(move |s: &mut StageState| {
                s.config.stop_signal = Some(sig.clone())
            }));
        }
        "SHELL" => {
            let v = step.json.clone().ok_or_else(|| {
                BuildError::at(
                    step.line,
                    "SHELL requires the JSON form: expected SHELL [\"executable\", \"param\"]",
                )
            })?;
            // The classic row already uses the new shell as its prefix.
            text = Some(created_by::metadata(
                builder,
                &v,
                &format!("SHELL {}", gofmt::plain_slice(&v)),
            ));
            bk_key_part = text.clone();
            plan = Plan::Config(Box::new(move |s: &mut StageState| {
                s.config.shell = Some(v.clone())
            }));
        }
        "HEALTHCHECK" => {
            let hc = healthcheck(step, &shell)?;
            let mut fields = vec![
                gofmt::quote_slice(&hc.test),
                gofmt::quote(&gofmt::duration(hc.interval.unwrap_or(0))),
                gofmt::quote(&gofmt::duration(hc.timeout.unwrap_or(0))),
                gofmt::quote(&gofmt::duration(hc.start_period.unwrap_or(0))),
            ];
            if opts.engine == Engine::V26 {
                fields.push(gofmt::quote(&gofmt::duration(
                    hc.start_interval.unwrap_or(0),
                )));
            }
            fields.push(gofmt::quote_rune(hc.retries.unwrap_or(0)));
            text = Some(created_by::metadata(
                builder,
                &shell,
                &format!("HEALTHCHECK &{{{}}}", fields.join(" ")),
            ));
            plan = Plan::Config(Box::new(move |s: &mut StageState| {
                s.config.healthcheck = Some(hc.clone())
            }));
        }
        "ONBUILD" => {
            let trig = step.args.trim().to_string();
            text = match builder {
                Builder::Classic => Some(created_by::metadata(
                    builder,
                    &shell,
                    &format!("ONBUILD {trig}"),
                )),
                // BuildKit keeps the trigger in the config but writes no history row.
                Builder::BuildKit => None,
            };
            plan = Plan::Config(Box::new(move |s: &mut StageState| {
                s.config.on_build.push(trig.clone())
            }));
        }
        "WORKDIR" => {
            let p = process_word(step.args.trim(), &lookup);
            let abs = format!("/{}", join(&st.workdir(), &p));
            text = Some(created_by::workdir(builder, &shell, &abs));
            bk_key_part = text.clone();
            plan = Plan::Workdir(abs);
        }
        "RUN" => {
            let argv: Vec<String> = if let Some(h) = step
                .heredocs
                .first()
                .filter(|_| step.args.trim_start().starts_with("<<"))
            {
                let mut v = shell.clone();
                v.push(h.body.clone());
                v
            } else if let Some(j) = &step.json {
                j.clone()
            } else {
                let mut v = shell.clone();
                v.push(step.args.clone());
                v
            };
            let args_in_scope: Vec<(String, Option<String>)> = st.args.clone();
            text = Some(created_by::run(builder, &argv, &args_in_scope));
            plan = Plan::Run(argv);
        }
        "COPY" | "ADD" => {
            let c = plan_copy(step, st, si, stages, done, ctx, opts, bases, &lookup)?;
            text = Some(c.created_by.clone());
            bk_key_part = Some(format!("{}\0{}", c.created_by, c.checksum));
            plan = Plan::Copy(c);
        }
        "FROM" => {
            return Err(BuildError::at(
                step.line,
                "nested FROM: expected a new stage",
            ));
        }
        other => {
            return Err(BuildError::at(
                step.line,
                format!("unknown instruction: {other}: expected a Dockerfile instruction"),
            ));
        }
    }

    // 2. The cache key.
    let is_layer_step = matches!(plan, Plan::Run(_) | Plan::Copy(_) | Plan::Workdir(_));
    let (lookup_key, cache_it) = match builder {
        Builder::Classic => {
            let t = text.clone().unwrap_or_else(|| step.original.clone());
            (
                key(&["classic", &st.parent_id, &t, &format!("{:?}", opts.engine)]),
                true,
            )
        }
        Builder::BuildKit => {
            let env_s = format!("{:?}|{}|{}", st.env_lookup(), st.workdir(), st.config.user);
            let part = bk_key_part.clone().or(text.clone()).unwrap_or_default();
            let k = key(&["buildkit", &st.bk_key, &part, &env_s]);
            (k, is_layer_step)
        }
    };
    let classic_id = short(&key(&["image", &lookup_key]));
    let container = short(&key(&["container", &lookup_key]));

    if cache_it {
        if let Some(hit) = cache.get(&lookup_key).cloned() {
            *st = hit.state;
            let id = if builder == Builder::Classic {
                classic_id
            } else {
                String::new()
            };
            return Ok((StepStatus::Cached, id, None, hit.outcome));
        }
    }

    // 3. Run it.
    let mut outcome = StepOutcome::default();
    let before = st.tree.clone();
    let mut makes_container = builder == Builder::Classic;
    match plan {
        Plan::Config(f) => f(st),
        Plan::Workdir(abs) => {
            st.config.working_dir = abs.clone();
            if !st.tree.is_dir(&abs) {
                st.tree.mkdir_p(&abs, 0o755);
            }
        }
        Plan::Run(argv) => {
            if builder == Builder::Classic {
                for v in std::mem::take(&mut st.pending_volumes) {
                    st.tree.mkdir_p(&v, 0o755);
                }
            } else {
                st.pending_volumes.clear();
                for d in ["dev", "proc", "sys", "etc"] {
                    if !st.tree.is_dir(d) {
                        st.tree.mkdir_p(d, 0o755);
                    }
                }
            }
            let (uid, gid) = parse_user(&st.config.user);
            let renv = RunEnv {
                env: st.env_lookup(),
                workdir: st.workdir(),
                uid,
                gid,
            };
            let r = exec.run(&mut st.tree, &argv, &renv);
            outcome.not_simulated = r.not_simulated;
            outcome.installed = r.installed;
            outcome.stdout = r.stdout;
        }
        Plan::Copy(c) => {
            makes_container = false;
            for (p, n) in c.writes {
                st.tree.put(&p, n);
            }
            for (p, uid, gid) in c.own_dirs {
                st.tree.update(&p, |n| *n = n.clone().owned(uid, gid));
            }
        }
    }
    let mut entries = diff_entries(&st.tree, &before);
    if builder == Builder::BuildKit
        && kw == "RUN"
        && !entries.iter().any(|e| e.path.as_bytes() == b"etc/")
    {
        // The runc mount points (/etc/hosts, /etc/resolv.conf) leave etc/ in every RUN layer.
        let mut e = crate::image::Entry::new(b"etc/".to_vec(), EntryKind::Dir, 0o755, 0);
        e.uid = 0;
        entries.push(e);
        entries.sort_by(|a, b| a.path.cmp(&b.path));
    }
    let makes_layer = match kw {
        "COPY" | "ADD" => true,
        "RUN" | "WORKDIR" => !entries.is_empty(),
        _ => false,
    };
    if let Some(t) = text {
        let row = HistoryRow {
            created: opts.created.clone(),
            created_by: t,
            comment: if builder == Builder::BuildKit {
                BUILDKIT_COMMENT.to_string()
            } else {
                String::new()
            },
            author: if builder == Builder::Classic {
                st.author.clone().unwrap_or_default()
            } else {
                String::new()
            },
            empty_layer: !makes_layer,
            layer_index: None,
        };
        outcome.history_row = true;
        outcome.empty_row = !makes_layer;
        if makes_layer {
            let layer = layer_from_entries(st.layers.len(), entries);
            outcome.size = layer.regular_file_bytes();
            outcome.layer = Some(st.layers.len());
            let mut row = row;
            row.layer_index = Some(st.layers.len());
            st.layers.push(layer);
            st.history.push(row);
        } else {
            st.history.push(row);
        }
        st.row_ids.push(Some(classic_id.clone()));
    }
    match builder {
        Builder::Classic => st.parent_id = classic_id.clone(),
        Builder::BuildKit => {
            if bk_key_part.is_some() || is_layer_step {
                st.bk_key = lookup_key.clone();
            }
        }
    }
    if cache_it {
        cache.put(
            lookup_key,
            CacheEntry {
                state: st.clone(),
                outcome: outcome.clone(),
            },
        );
    }
    let status = if builder == Builder::BuildKit && !is_layer_step {
        StepStatus::ConfigOnly
    } else {
        StepStatus::Executed
    };
    let id = if builder == Builder::Classic {
        classic_id
    } else {
        String::new()
    };
    Ok((status, id, makes_container.then_some(container), outcome))
}

enum Plan {
    Config(Box<dyn Fn(&mut StageState)>),
    Workdir(String),
    Run(Vec<String>),
    Copy(CopyPlan),
}

struct CopyPlan {
    created_by: String,
    /// Content checksum of the sources (BuildKit's cache key).
    checksum: String,
    writes: Vec<(String, Node)>,
    /// Destination directories created by this COPY that take the `--chown` owner.
    own_dirs: Vec<(String, u64, u64)>,
}

fn parse_user(u: &str) -> (u64, u64) {
    let (a, b) = u.split_once(':').unwrap_or((u, ""));
    let uid = if a == "root" || a.is_empty() {
        0
    } else {
        a.parse().unwrap_or(1000)
    };
    let gid = if b.is_empty() {
        uid
    } else {
        b.parse().unwrap_or(uid)
    };
    (uid, gid)
}

fn healthcheck(step: &Step, shell: &[String]) -> Result<Healthcheck, BuildError> {
    let words: Vec<&str> = step.args.split_whitespace().collect();
    let first = words
        .first()
        .map(|w| w.to_ascii_uppercase())
        .unwrap_or_default();
    let mut hc = Healthcheck::default();
    let dur = |name: &str| -> Result<Option<i64>, BuildError> {
        match step.flag(name) {
            Some(v) => gofmt::parse_duration(v).map(Some).ok_or_else(|| {
                BuildError::at(
                    step.line,
                    format!("--{name}={v}: expected a duration like 30s"),
                )
            }),
            None => Ok(None),
        }
    };
    if first == "NONE" {
        hc.test = vec!["NONE".into()];
        return Ok(hc);
    }
    if first != "CMD" {
        return Err(BuildError::at(
            step.line,
            "HEALTHCHECK: expected CMD or NONE",
        ));
    }
    let rest = step.args.trim_start()[3..].trim_start();
    hc.test = match super::step::parse_json_array(rest) {
        Some(v) => {
            let mut t = vec!["CMD".to_string()];
            t.extend(v);
            t
        }
        None => vec!["CMD-SHELL".to_string(), rest.to_string()],
    };
    let _ = shell;
    hc.interval = dur("interval")?;
    hc.timeout = dur("timeout")?;
    hc.start_period = dur("start-period")?;
    hc.start_interval = dur("start-interval")?;
    hc.retries =
        match step.flag("retries") {
            Some(v) => Some(v.parse().map_err(|_| {
                BuildError::at(step.line, format!("--retries={v}: expected a number"))
            })?),
            None => None,
        };
    Ok(hc)
}

/// Where COPY/ADD reads from.
enum Source<'a> {
    Context(&'a BuildContext),
    Tree(Tree),
}

#[allow(clippy::too_many_arguments)]
fn plan_copy(
    step: &Step,
    st: &StageState,
    _si: usize,
    stages: &[Stage],
    done: &[Option<Done>],
    ctx: &BuildContext,
    opts: &BuildOptions,
    bases: &[BaseImage],
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<CopyPlan, BuildError> {
    let kw = step.keyword.as_str();
    let raw: Vec<String> = match &step.json {
        Some(j) => j.clone(),
        None => step
            .args
            .split_whitespace()
            .map(|s| s.to_string())
            .collect(),
    };
    if raw.len() < 2 {
        return Err(BuildError::at(
            step.line,
            format!("{kw} requires at least two arguments: expected {kw} SRC… DEST"),
        ));
    }
    let words: Vec<String> = raw.iter().map(|w| process_word(w, lookup)).collect();
    let (srcs, dest) = words.split_at(words.len() - 1);
    let dest = dest[0].clone();
    let dest_raw = raw[raw.len() - 1].clone();
    let from = step.flag("from").map(|f| process_word(f, lookup));
    let source = match &from {
        None => Source::Context(ctx),
        Some(f) => {
            let lower = f.to_ascii_lowercase();
            let idx = stages
                .iter()
                .position(|s| s.name.as_deref() == Some(lower.as_str()))
                .or_else(|| f.parse::<usize>().ok());
            match idx.and_then(|i| done.get(i)).and_then(|d| d.as_ref()) {
                Some(d) => Source::Tree(d.state.tree.clone()),
                None => {
                    let b = find_base(bases, f).ok_or_else(|| {
                        BuildError::at(
                            step.line,
                            format!("--from={f}: expected an earlier stage or a known image"),
                        )
                    })?;
                    Source::Tree(b.tree)
                }
            }
        }
    };
    let chown = step.flag("chown").map(|c| process_word(c, lookup));
    let chmod = step.flag("chmod").map(|c| c.to_string());
    let (own_uid, own_gid) = chown.as_deref().map(parse_user).unwrap_or((0, 0));
    let chmod_bits = match &chmod {
        Some(m) => Some(u32::from_str_radix(m, 8).map_err(|_| {
            BuildError::at(step.line, format!("--chmod={m}: expected an octal mode"))
        })?),
        None => None,
    };
    let dest_abs = join(&st.workdir(), &dest);
    let dest_abs = if dest.starts_with('/') {
        clean(&dest)
    } else {
        dest_abs
    };
    let mut writes: Vec<(String, Node)> = Vec::new();
    let mut hashes: Vec<String> = Vec::new();
    let mut checksum = Sha256::new();
    let mut own_dirs = Vec::new();
    let many = srcs.len() > 1;
    let dest_is_dir = dest.ends_with('/') || many || st.tree.is_dir(&dest_abs);
    let own = |n: Node| -> Node {
        n.with(|e| {
            if chown.is_some() {
                e.uid = own_uid;
                e.gid = own_gid;
            }
            if let Some(m) = chmod_bits {
                e.mode = m;
            }
        })
    };
    let mut src_count = 0;
    for s in srcs {
        if s.starts_with("http://") || s.starts_with("https://") || s.starts_with("git@") {
            return Err(BuildError::at(step.line, format!("{kw} {s}: remote sources are not simulated (no network); expected a context file")));
        }
        if let Some(h) = step
            .heredocs
            .iter()
            .find(|h| s == &format!("<<{}", h.name) || s == &format!("<<-{}", h.name))
        {
            let target = if dest_is_dir {
                join(&dest_abs, &h.name)
            } else {
                dest_abs.clone()
            };
            let data = h.body.as_bytes().to_vec();
            checksum.update(&data);
            hashes.push(format!("file:{}", hex(&Sha256::digest(&data))));
            writes.push((
                target,
                own(Node::file(0o644, FileData::Bytes(Arc::new(data)))),
            ));
            src_count += 1;
            continue;
        }
        match &source {
            Source::Context(c) => {
                let matched = c.resolve_source(s);
                if matched.is_empty() {
                    return Err(BuildError::at(
                        step.line,
                        format!("{kw} failed: \"{s}\" not found in the build context (or excluded by .dockerignore)"),
                    ));
                }
                let wildcard_many = matched.len() > 1;
                for p in matched {
                    src_count += 1;
                    hashes.push(c.classic_source_hash(&p, opts.engine));
                    let is_file = c.get(&p).map(|f| f.data.is_some()).unwrap_or(false);
                    if is_file {
                        let f = c.get(&p).cloned().unwrap_or(super::context::ContextFile {
                            mode: 0o644,
                            data: None,
                        });
                        let data = f.data.clone().unwrap_or_default();
                        checksum.update(p.as_bytes());
                        checksum.update(data.as_slice());
                        let base = p.rsplit('/').next().unwrap_or(&p).to_string();
                        if kw == "ADD" && is_tar_name(&base) {
                            for (rel, n) in extract_tar(&data)
                                .map_err(|e| BuildError::at(step.line, format!("ADD {p}: {e}")))?
                            {
                                writes.push((join(&dest_abs, &rel), n));
                            }
                            continue;
                        }
                        let target = if dest_is_dir || wildcard_many {
                            join(&dest_abs, &base)
                        } else {
                            dest_abs.clone()
                        };
                        writes.push((target, own(Node::file(f.mode, FileData::Bytes(data)))));
                    } else {
                        for (sub, f) in c.subtree(&p) {
                            if sub == p {
                                continue;
                            }
                            let rel = if p.is_empty() {
                                sub.clone()
                            } else {
                                sub[p.len() + 1..].to_string()
                            };
                            checksum.update(sub.as_bytes());
                            let n = match &f.data {
                                Some(d) => {
                                    checksum.update(d.as_slice());
                                    Node::file(f.mode, FileData::Bytes(d.clone()))
                                }
                                None => Node::dir(f.mode),
                            };
                            writes.push((join(&dest_abs, &rel), own(n)));
                        }
                        if !st.tree.is_dir(&dest_abs) {
                            writes.insert(0, (dest_abs.clone(), own(Node::dir(0o755))));
                        }
                    }
                }
            }
            Source::Tree(t) => {
                let sp = clean(s);
                let Some(node) = t.get(&sp).cloned() else {
                    return Err(BuildError::at(
                        step.line,
                        format!("{kw} --from: \"{s}\" not found in the source stage"),
                    ));
                };
                src_count += 1;
                hashes.push(tree_source_hash(t, &sp, opts.engine));
                if node.is_dir() {
                    for (sub, n) in t.subtree(&sp) {
                        if sub == sp {
                            continue;
                        }
                        let rel = &sub[sp.len() + 1..];
                        checksum.update(sub.as_bytes());
                        if let Some(d) = n.body() {
                            checksum.update(d.sha256());
                        }
                        writes.push((join(&dest_abs, rel), own((*n).clone())));
                    }
                    if !st.tree.is_dir(&dest_abs) {
                        writes.insert(0, (dest_abs.clone(), own(Node::dir(0o755))));
                    }
                } else {
                    let base = sp.rsplit('/').next().unwrap_or(&sp).to_string();
                    let target = if dest_is_dir {
                        join(&dest_abs, &base)
                    } else {
                        dest_abs.clone()
                    };
                    checksum.update(sp.as_bytes());
                    if let Some(d) = node.body() {
                        checksum.update(d.sha256());
                    }
                    writes.push((target, own((*node).clone())));
                }
            }
        }
    }
    // A destination directory this COPY creates takes the --chown owner.
    if chown.is_some() && dest_is_dir && !st.tree.is_dir(&dest_abs) {
        own_dirs.push((dest_abs.clone(), own_uid, own_gid));
    }
    let classic_hash = if hashes.len() == 1 && src_count == 1 {
        hashes[0].clone()
    } else {
        format!(
            "multi:{}",
            hex(&Sha256::digest(hashes.join(",").as_bytes()))
        )
    };
    let sources: Vec<String> = raw[..raw.len() - 1].to_vec();
    let created_by = created_by::copy(
        opts.builder,
        opts.engine,
        &st.shell(),
        &CopyText {
            keyword: kw,
            chown: step.flag("chown"),
            chmod: chmod.as_deref(),
            link: step.flag("link").is_some(),
            parents: step.flag("parents").is_some(),
            sources: &sources,
            classic_hash: &classic_hash,
            dest: &dest_raw,
        },
    );
    Ok(CopyPlan {
        created_by,
        checksum: hex(&checksum.finalize()),
        writes,
        own_dirs,
    })
}

fn is_tar_name(n: &str) -> bool {
    n.ends_with(".tar") || n.ends_with(".tar.gz") || n.ends_with(".tgz")
}

/// A gzip-compressed local tar, decompressing.
#[cfg(not(target_arch = "wasm32"))]
fn gunzip(data: &[u8]) -> Result<Box<dyn std::io::Read + '_>, String> {
    Ok(Box::new(flate2::read::GzDecoder::new(data)))
}

/// In the page, gzip is not read: the lab's context files are text, and text never holds a gzip
/// stream (its second byte, 0x8b, cannot follow an ASCII byte in UTF-8), so leaving the inflater
/// out only makes the page's wasm smaller (the archive worker has its own).
#[cfg(target_arch = "wasm32")]
fn gunzip(_data: &[u8]) -> Result<Box<dyn std::io::Read + '_>, String> {
    Err("a gzip-compressed tar is not read in the page".into())
}

/// Files of a local tar, plain or gzip-compressed (ADD extracts it). Bodies above 64 MiB are
/// kept as sizes only.
fn extract_tar(data: &[u8]) -> Result<Vec<(String, Node)>, String> {
    let gz = data.starts_with(&[0x1f, 0x8b]);
    let reader: Box<dyn std::io::Read> = if gz { gunzip(data)? } else { Box::new(data) };
    let mut ar = tar::Archive::new(reader);
    let mut out = Vec::new();
    let entries = ar
        .entries()
        .map_err(|e| format!("not a tar archive: {e}"))?;
    for e in entries {
        let mut e = e.map_err(|e| format!("bad tar entry: {e}"))?;
        let path = String::from_utf8_lossy(&e.path_bytes()).into_owned();
        let h = e.header();
        let mode = h.mode().unwrap_or(0o644) & 0o7777;
        let uid = h.uid().unwrap_or(0);
        let gid = h.gid().unwrap_or(0);
        let et = h.entry_type();
        let size = h.size().unwrap_or(0);
        let node = if et.is_dir() {
            Node::dir(mode)
        } else if et.is_symlink() {
            let target = e
                .link_name_bytes()
                .map(|l| String::from_utf8_lossy(&l).into_owned())
                .unwrap_or_default();
            Node::symlink(&target)
        } else if et.is_file() || et.is_hard_link() {
            if size <= 64 << 20 {
                let mut buf = Vec::with_capacity(size as usize);
                std::io::Read::read_to_end(&mut e, &mut buf)
                    .map_err(|e| format!("truncated tar body: {e}"))?;
                Node::file(mode, FileData::Bytes(Arc::new(buf)))
            } else {
                let fp: [u8; 32] = Sha256::digest(format!("{path}:{size}").as_bytes()).into();
                Node::file(
                    mode,
                    FileData::Sized {
                        size,
                        fingerprint: fp,
                    },
                )
            }
        } else {
            continue;
        };
        let node = node.with(|e| {
            e.mode = mode;
            e.uid = uid;
            e.gid = gid;
        });
        let c = clean(&path);
        if !c.is_empty() {
            out.push((c, node));
        }
    }
    Ok(out)
}

/// The history text of ENV or LABEL: `KW k=v k2=v2`.
fn key_values_text(
    builder: Builder,
    shell: &[String],
    kw: &str,
    kv: &[(String, String)],
) -> String {
    let rendered: Vec<String> = kv.iter().map(|(k, v)| format!("{k}={v}")).collect();
    created_by::metadata(builder, shell, &format!("{kw} {}", rendered.join(" ")))
}

/// A base image by reference: one given to the build first, else a bundled one.
fn find_base(bases: &[BaseImage], name: &str) -> Option<BaseImage> {
    bases
        .iter()
        .find(|b| b.answers_to(name))
        .cloned()
        .or_else(|| bundled_base(name))
}

/// The classic builder's hash of a source inside an image (COPY --from): tarsum with the
/// daemon's user-name lookup (`root` for uid 0).
fn tree_source_hash(t: &Tree, path: &str, engine: Engine) -> String {
    let sum = |p: &str, n: &Node| -> String {
        let uname = if n.uid() == 0 { "root" } else { "" };
        match n.kind() {
            EntryKind::Dir => tarsum_entry(
                &format!("{p}/"),
                tar_mode(n.mode(), true, engine),
                n.uid(),
                n.gid(),
                uname,
                '5',
                None,
                0,
            ),
            _ => {
                let body = n.body();
                let d2 = match &body {
                    Some(d) => d
                        .bytes()
                        .map_or_else(|| d.sha256().to_vec(), <[u8]>::to_vec),
                    None => Vec::new(),
                };
                tarsum_entry(
                    p,
                    tar_mode(n.mode(), false, engine),
                    n.uid(),
                    n.gid(),
                    uname,
                    '0',
                    Some(&d2),
                    n.size(),
                )
            }
        }
    };
    match t.get(path) {
        Some(n) if !n.is_dir() => format!("file:{}", sum(path, n)),
        _ => {
            let mut sums: Vec<String> = t.subtree(path).iter().map(|(p, n)| sum(p, n)).collect();
            sums.sort();
            format!("dir:{}", hex(&Sha256::digest(sums.join(",").as_bytes())))
        }
    }
}

fn finish_image(st: &StageState, opts: &BuildOptions) -> Image {
    let mut layers = st.layers.clone();
    for (i, l) in layers.iter_mut().enumerate() {
        l.index = i;
    }
    let mut h = Sha256::new();
    h.update(format!("{:?}", st.config).as_bytes());
    for r in &st.history {
        h.update(r.created_by.as_bytes());
        h.update([u8::from(r.empty_layer)]);
    }
    for l in &layers {
        h.update(l.diff_id.as_bytes());
    }
    let digest = match opts.builder {
        // The classic image id is the last step's image.
        Builder::Classic => format!("sha256:{}{}", st.parent_id, &hex(&h.finalize())[12..]),
        Builder::BuildKit => format!("sha256:{}", hex(&h.finalize())),
    };
    let mut config = st.config.clone();
    config.on_build = st.config.on_build.clone();
    Image {
        tags: opts.tag.iter().cloned().collect(),
        config_digest: digest,
        manifest_digest: None,
        platform: Platform {
            os: "linux".into(),
            architecture: "amd64".into(),
            variant: None,
        },
        created: None,
        author: st.author.clone(),
        config,
        layers,
        history: st.history.clone(),
    }
}
