//! `layerscope build`: simulate `docker build` of one or more Dockerfiles against a context
//! folder, print Docker's build output and the image's history rows, optionally a rebuild's cache
//! result (`--rebuild-with`, `--context2`), RootFS.Layers, and `docker push` lines against a
//! simulated registry that remembers earlier pushes of the same call.
//!
//! It reads files (context, Dockerfiles, `--base` archives) and prints; all building is
//! `crate::build`.

use crate::build::{
    build_text, render_build_output, render_rootfs_layers, store_usage, BaseImage, BuildCache,
    BuildContext, BuildOptions, BuildResult, Builder, Engine, MiniShell, Registry, StepStatus,
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

/// `docker image history` rows, newest first. Until the shared history formatter is merged this
/// prints the rows as plain fields (id or `<missing>`, CREATED BY, size in bytes, comment).
fn history_rows(r: &BuildResult) -> String {
    let mut o = String::from("history (newest first): IMAGE | CREATED BY | SIZE | COMMENT\n");
    for (h, id) in r.image.history.iter().zip(&r.row_ids).rev() {
        let size = h
            .layer_index
            .and_then(|i| r.image.layers.get(i))
            .map(|l| l.regular_file_bytes())
            .unwrap_or(0);
        o.push_str(&format!(
            "{} | {} | {}B | {}\n",
            id.as_deref().unwrap_or("<missing>"),
            h.created_by.replace('\n', "\\n"),
            size,
            h.comment
        ));
    }
    o
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
        bases.push(archive_base::load(b)?);
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
        };
        let r = build_text(&text, &ctx, &opts, &bases, &mut cache, &MiniShell)
            .map_err(|e| format!("{}: {e}", file.display()))?;
        out.push_str(&format!(
            "$ docker build -f {} -t {tag} .   (simulated, {} builder)\n",
            file.display(),
            builder.as_str()
        ));
        out.push_str(&render_build_output(&r));
        out.push('\n');
        out.push_str(&history_rows(&r));
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
            let r2 = build_text(&text2, &ctx2, &opts, &bases, &mut cache, &MiniShell)
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

/// Reading `--base` archives: a minimal `docker save` reader (manifest.json, config, plain or
/// gzip tar layers) used until the project's archive reader (`crate::archive`) is wired in.
mod archive_base {
    use crate::build::BaseImage;
    use crate::image::{
        assign_layers, Compression, Entry, EntryKind, HistoryRow, Image, ImageConfig, Layer,
        RawPath,
    };
    use sha2::{Digest, Sha256};
    use std::collections::HashMap;
    use std::io::Read;
    use std::path::Path;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    pub fn load(path: &Path) -> Result<BaseImage, String> {
        let err = |m: String| format!("{}: {m}", path.display());
        let f = std::fs::File::open(path).map_err(|e| err(e.to_string()))?;
        let mut members: HashMap<String, Vec<u8>> = HashMap::new();
        let mut ar = tar::Archive::new(f);
        for e in ar
            .entries()
            .map_err(|e| err(format!("not a tar archive: {e}")))?
        {
            let mut e = e.map_err(|e| err(format!("bad tar entry: {e}")))?;
            if !e.header().entry_type().is_file() {
                continue;
            }
            let name = String::from_utf8_lossy(&e.path_bytes())
                .trim_start_matches("./")
                .to_string();
            let mut buf = Vec::new();
            e.read_to_end(&mut buf)
                .map_err(|e| err(format!("{name}: {e}")))?;
            members.insert(name, buf);
        }
        let manifest: serde_json::Value = serde_json::from_slice(
            members
                .get("manifest.json")
                .ok_or_else(|| err("no manifest.json: expected a docker save archive".into()))?,
        )
        .map_err(|e| err(format!("manifest.json: {e}")))?;
        let m = &manifest[0];
        let cfg_name = m["Config"]
            .as_str()
            .ok_or_else(|| err("manifest.json: no Config".into()))?;
        let cfg_bytes = members
            .get(cfg_name)
            .ok_or_else(|| err(format!("{cfg_name} missing")))?;
        let cfg: serde_json::Value =
            serde_json::from_slice(cfg_bytes).map_err(|e| err(format!("{cfg_name}: {e}")))?;
        let mut layers = Vec::new();
        for (i, l) in m["Layers"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let name = l.as_str().unwrap_or("");
            let raw = members
                .get(name)
                .ok_or_else(|| err(format!("layer {name} missing")))?;
            let data: Vec<u8> = if raw.starts_with(&[0x1f, 0x8b]) {
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(&raw[..])
                    .read_to_end(&mut out)
                    .map_err(|e| err(format!("{name}: {e}")))?;
                out
            } else {
                raw.clone()
            };
            let mut entries = Vec::new();
            let mut t = tar::Archive::new(&data[..]);
            for e in t.entries().map_err(|e| err(format!("{name}: {e}")))? {
                let mut e = e.map_err(|e| err(format!("{name}: {e}")))?;
                let h = e.header().clone();
                let et = h.entry_type();
                let kind = if et.is_dir() {
                    EntryKind::Dir
                } else if et.is_symlink() {
                    EntryKind::Symlink
                } else if et.is_hard_link() {
                    EntryKind::Hardlink
                } else if et.is_character_special() {
                    EntryKind::Char
                } else if et.is_block_special() {
                    EntryKind::Block
                } else if et.is_fifo() {
                    EntryKind::Fifo
                } else {
                    EntryKind::File
                };
                let size = if kind == EntryKind::File {
                    h.size().unwrap_or(0)
                } else {
                    0
                };
                let mut en = Entry::new(
                    e.path_bytes().to_vec(),
                    kind,
                    h.mode().unwrap_or(0) & 0o7777,
                    size,
                );
                en.uid = h.uid().unwrap_or(0);
                en.gid = h.gid().unwrap_or(0);
                en.link_target = e.link_name_bytes().map(|l| RawPath::new(l.to_vec()));
                if kind == EntryKind::File {
                    let mut buf = Vec::new();
                    e.read_to_end(&mut buf)
                        .map_err(|e| err(format!("{name}: {e}")))?;
                    en.content_sha256 = Some(Sha256::digest(&buf).into());
                }
                entries.push(en);
            }
            let diff = format!("sha256:{}", hex(&Sha256::digest(&data)));
            layers.push(Layer {
                index: i,
                digest: diff.clone(),
                diff_id: diff,
                media_type: "application/vnd.docker.image.rootfs.diff.tar".into(),
                compression: Compression::None,
                blob_size: raw.len() as u64,
                uncompressed_size: data.len() as u64,
                member: name.to_string(),
                entries,
            });
        }
        let mut history: Vec<HistoryRow> = cfg["history"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|h| HistoryRow {
                created: h["created"].as_str().map(|s| s.to_string()),
                created_by: h["created_by"].as_str().unwrap_or("").to_string(),
                comment: h["comment"].as_str().unwrap_or("").to_string(),
                author: h["author"].as_str().unwrap_or("").to_string(),
                empty_layer: h["empty_layer"].as_bool().unwrap_or(false),
                layer_index: None,
            })
            .collect();
        assign_layers(&mut history, layers.len());
        let c = &cfg["config"];
        let strs = |v: &serde_json::Value| -> Option<Vec<String>> {
            v.as_array().map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(|s| s.to_string()))
                    .collect()
            })
        };
        let tags: Vec<String> = m["RepoTags"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(|s| s.to_string()))
                    .collect()
            })
            .unwrap_or_default();
        let image = Image {
            tags: tags.clone(),
            config_digest: format!("sha256:{}", hex(&Sha256::digest(cfg_bytes))),
            config: ImageConfig {
                env: strs(&c["Env"]).unwrap_or_default(),
                cmd: strs(&c["Cmd"]),
                entrypoint: strs(&c["Entrypoint"]),
                working_dir: c["WorkingDir"].as_str().unwrap_or("").to_string(),
                user: c["User"].as_str().unwrap_or("").to_string(),
                shell: strs(&c["Shell"]),
                on_build: strs(&c["OnBuild"]).unwrap_or_default(),
                ..Default::default()
            },
            layers,
            history,
            ..Default::default()
        };
        Ok(BaseImage::from_image(tags, image))
    }
}
