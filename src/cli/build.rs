//! `layerscope build`: simulate `docker build` of one or more Dockerfiles against a context
//! folder, print Docker's build output and the image's history rows, optionally a rebuild's cache
//! result (`--rebuild-with`, `--context2`), RootFS.Layers, and `docker push` lines against a
//! simulated registry that remembers earlier pushes of the same call.
//!
//! It reads files (context, Dockerfiles, `--base` archives) and prints; all building is
//! `crate::build`, reading `--base` archives is `crate::archive`, and the history table is
//! `crate::image::docker_history`.

use crate::build::{
    build_text, render_build_output, render_rootfs_layers, store_usage, BaseImage, BuildCache,
    BuildContext, BuildOptions, BuildResult, Builder, Engine, OverlayShell, Registry, StepStatus,
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Dockerfile(s) to build, in order, with one cache and one registry.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Build context folder (default: the first Dockerfile's folder).
    #[arg(long)]
    pub context: Option<PathBuf>,
    /// Which builder to simulate.
    #[arg(long, value_enum, default_value_t = BuilderArg::Buildkit)]
    pub builder: BuilderArg,
    /// Whose texts to reproduce where Docker releases differ (Docker 20.10 or 26).
    #[arg(long, value_enum, default_value_t = EngineArg::V26)]
    pub engine: EngineArg,
    /// An image archive (`docker save`) whose tags FROM can name.
    #[arg(long = "base")]
    pub bases: Vec<PathBuf>,
    /// Image name for each Dockerfile, in order (default: `lab/<file name>`).
    #[arg(long = "tag", short = 't')]
    pub tags: Vec<String>,
    /// `--build-arg NAME=VALUE`.
    #[arg(long = "build-arg")]
    pub build_args: Vec<String>,
    /// Build only up to this stage.
    #[arg(long)]
    pub target: Option<String>,
    /// Rebuild with this edited Dockerfile and print the cache result.
    #[arg(long)]
    pub rebuild_with: Option<PathBuf>,
    /// Rebuild with this edited context folder and print the cache result.
    #[arg(long)]
    pub context2: Option<PathBuf>,
    /// Push every built image to the simulated registry and print the push lines.
    #[arg(long)]
    pub push: bool,
    /// Also print `docker image inspect --format '{{json .RootFS.Layers}}'`.
    #[arg(long)]
    pub rootfs: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuilderArg {
    Buildkit,
    Classic,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngineArg {
    #[value(name = "20")]
    V20,
    #[value(name = "26")]
    V26,
}

pub fn run(args: Args) -> ExitCode {
    match run_inner(&args) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => super::fail(e),
    }
}

fn read_context(dir: &Path) -> Result<BuildContext, String> {
    let mut ctx = BuildContext::new();
    let mut stack = vec![dir.to_path_buf()];
    let mut count = 0usize;
    while let Some(d) = stack.pop() {
        let rd = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        for e in rd.flatten() {
            let p = e.path();
            let rel = p
                .strip_prefix(dir)
                .map_err(|e| e.to_string())?
                .to_string_lossy()
                .into_owned();
            let md = std::fs::symlink_metadata(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            count += 1;
            if count > 200_000 {
                return Err(format!(
                    "{}: more than 200000 files in the context",
                    dir.display()
                ));
            }
            use std::os::unix::fs::PermissionsExt;
            let mode = md.permissions().mode() & 0o7777;
            if md.is_dir() {
                ctx.add_dir(&rel, mode);
                stack.push(p);
            } else if md.is_file() {
                let data = std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                ctx.add_file(&rel, mode, data);
            }
        }
    }
    Ok(ctx)
}

fn default_tag(file: &Path) -> String {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_else(|| "image".into());
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("lab/{}", name.trim_matches('-'))
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `docker image history` of the built image, by the shared formatter: ids for the rows whose
/// image is local (every classic step; only the top row for BuildKit), `<missing>` below.
fn history_table(r: &BuildResult) -> String {
    use crate::image::docker_history::{format_history, image_rows, HistoryFormat};
    let ids: Vec<String> = r.row_ids.iter().rev().map_while(|id| id.clone()).collect();
    let now = now_secs();
    format!(
        "$ docker image history {}\n{}",
        r.tag.as_deref().unwrap_or(""),
        format_history(
            &image_rows(&r.image),
            &ids,
            &HistoryFormat {
                no_trunc: false,
                human: true,
                now,
            },
        )
    )
}

fn cache_summary(r: &BuildResult) -> String {
    let mut o = String::from("cache result:\n");
    let mut cached = 0;
    let mut rebuilt = 0;
    for s in &r.steps {
        let what = match s.status {
            StepStatus::Base => "base",
            StepStatus::Cached => {
                cached += 1;
                "CACHED"
            }
            StepStatus::Executed => {
                rebuilt += 1;
                "rebuilt"
            }
            StepStatus::ConfigOnly => "config only (no cache step in BuildKit)",
        };
        o.push_str(&format!("  {:<8} {}\n", what, s.text));
    }
    o.push_str(&format!(
        "{cached} step(s) from the cache, {rebuilt} rebuilt\n"
    ));
    o
}

fn run_inner(args: &Args) -> Result<String, String> {
    let builder = match args.builder {
        BuilderArg::Classic => Builder::Classic,
        BuilderArg::Buildkit => Builder::BuildKit,
    };
    let engine = match args.engine {
        EngineArg::V20 => Engine::V20,
        EngineArg::V26 => Engine::V26,
    };
    let first = &args.files[0];
    let ctx_dir = args.context.clone().unwrap_or_else(|| {
        first
            .parent()
            .map(|p| p.to_path_buf())
            .unwrap_or_else(|| ".".into())
    });
    let ctx_dir = if ctx_dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        ctx_dir
    };
    let ctx = read_context(&ctx_dir)?;
    let mut bases: Vec<BaseImage> = Vec::new();
    for b in &args.bases {
        bases.extend(load_bases(b)?);
    }
    let build_args: Vec<(String, String)> = args
        .build_args
        .iter()
        .map(|a| match a.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (a.clone(), std::env::var(a).unwrap_or_default()),
        })
        .collect();
    let mut cache = BuildCache::new();
    let mut registry = Registry::new();
    let mut out = String::new();
    let mut images = Vec::new();
    for (i, file) in args.files.iter().enumerate() {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let tag = args
            .tags
            .get(i)
            .cloned()
            .unwrap_or_else(|| default_tag(file));
        let opts = BuildOptions {
            builder,
            engine,
            build_args: build_args.clone(),
            target: args.target.clone(),
            tag: Some(tag.clone()),
            dockerfile_name: file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Dockerfile".into()),
            created: Some(crate::image::docker_history::rfc3339(now_secs())),
        };
        let r = build_text(&text, &ctx, &opts, &bases, &mut cache, &OverlayShell)
            .map_err(|e| format!("{}: {e}", file.display()))?;
        out.push_str(&format!(
            "$ docker build -f {} -t {tag} .   (simulated, {} builder)\n",
            file.display(),
            builder.as_str()
        ));
        out.push_str(&render_build_output(&r));
        out.push('\n');
        out.push_str(&history_table(&r));
        if args.rootfs {
            out.push_str(&format!("RootFS.Layers: {}\n", render_rootfs_layers(&r)));
        }
        out.push('\n');
        // Later Dockerfiles may build FROM this one.
        bases.push(r.as_base(vec![tag.clone()]));
        if i == 0 && (args.rebuild_with.is_some() || args.context2.is_some()) {
            let text2 = match &args.rebuild_with {
                Some(f) => {
                    std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?
                }
                None => text.clone(),
            };
            let ctx2 = match &args.context2 {
                Some(d) => read_context(d)?,
                None => ctx.clone(),
            };
            let r2 = build_text(&text2, &ctx2, &opts, &bases, &mut cache, &OverlayShell)
                .map_err(|e| format!("rebuild: {e}"))?;
            out.push_str("$ docker build (again, after the edit)\n");
            out.push_str(&render_build_output(&r2));
            out.push_str(&cache_summary(&r2));
            out.push('\n');
        }
        images.push((tag, r));
    }
    if args.push {
        for (tag, r) in &images {
            let (_, text) = registry.push(&r.image, tag);
            out.push_str(&format!("$ docker push {tag}\n{text}"));
        }
        out.push_str(&format!(
            "registry: {} bytes uploaded in this run, {} bytes stored\n",
            registry.uploaded_bytes(),
            registry.stored_bytes()
        ));
    }
    let refs: Vec<&crate::image::Image> = images.iter().map(|(_, r)| &r.image).collect();
    let (virt, unique) = store_usage(&refs);
    out.push_str(&format!(
        "local store: images add up to {virt} bytes of files; shared layers stored once: {unique} bytes\n"
    ));
    Ok(out)
}

/// Images of a `--base` archive (every image it holds, with its tags), read by `crate::archive`.
fn load_bases(path: &Path) -> Result<Vec<BaseImage>, String> {
    let f = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let opts = crate::archive::ReadOptions {
        hash_contents: true,
        ..Default::default()
    };
    let a = crate::archive::read_archive(std::io::BufReader::new(f), &opts);
    if let Some(e) = &a.error {
        return Err(format!("{}: {e}", path.display()));
    }
    if a.images.is_empty() {
        return Err(format!("{}: no image found in the archive", path.display()));
    }
    Ok(a.images
        .into_iter()
        .map(|img| BaseImage::from_image(img.tags.clone(), img))
        .collect())
}
