//! Helpers shared by the build test suites: locating ../shared, loading a context folder, reading
//! a `docker save` archive (manifest.json layout, plain tar layers) into an `Image` for use as a
//! base, and reading truth files. Test-only; the project's archive reader is `layerscope::archive`.
#![allow(dead_code)]

use layerscope::build::{BaseImage, BuildContext};
use layerscope::image::{Entry, EntryKind, HistoryRow, Image, ImageConfig, Layer, RawPath};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

pub fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if p.join("corpus").is_dir() {
        Some(p)
    } else {
        eprintln!("note: ../shared not found; corpus comparison skipped");
        None
    }
}

/// A context folder. The corpus checkout is read-only (0444/0555), so files get the mode they had
/// when the corpus was built: 0644, or 0755 when any execute bit is set; directories 0755.
pub fn load_context(dir: &Path) -> BuildContext {
    let mut ctx = BuildContext::new();
    fn walk(ctx: &mut BuildContext, root: &Path, dir: &Path) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            let md = std::fs::metadata(&p).unwrap();
            if md.is_dir() {
                ctx.add_dir(&rel, 0o755);
                walk(ctx, root, &p);
            } else {
                use std::os::unix::fs::PermissionsExt;
                let mode = if md.permissions().mode() & 0o111 != 0 {
                    0o755
                } else {
                    0o644
                };
                ctx.add_file(&rel, mode, std::fs::read(&p).unwrap());
            }
        }
    }
    walk(&mut ctx, dir, dir);
    ctx
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Read a `docker save` archive's first image (manifest.json → config + plain tar layers).
pub fn load_docker_save(path: &Path) -> Image {
    let mut members: HashMap<String, Vec<u8>> = HashMap::new();
    let f = std::fs::File::open(path).unwrap();
    let mut ar = tar::Archive::new(f);
    for e in ar.entries().unwrap() {
        let mut e = e.unwrap();
        if !e.header().entry_type().is_file() {
            continue;
        }
        let name = e
            .path()
            .unwrap()
            .to_string_lossy()
            .trim_start_matches("./")
            .to_string();
        let mut buf = Vec::new();
        e.read_to_end(&mut buf).unwrap();
        members.insert(name, buf);
    }
    let manifest: serde_json::Value = serde_json::from_slice(&members["manifest.json"]).unwrap();
    let m = &manifest[0];
    let cfg_name = m["Config"].as_str().unwrap();
    let cfg_bytes = &members[cfg_name];
    let cfg: serde_json::Value = serde_json::from_slice(cfg_bytes).unwrap();
    let mut layers = Vec::new();
    for (i, l) in m["Layers"].as_array().unwrap().iter().enumerate() {
        let data = &members[l.as_str().unwrap()];
        let plain: Vec<u8> = if data.starts_with(&[0x1f, 0x8b]) {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&data[..])
                .read_to_end(&mut out)
                .unwrap();
            out
        } else {
            data.clone()
        };
        let data = &plain;
        let mut entries = Vec::new();
        let mut ar = tar::Archive::new(&data[..]);
        for e in ar.entries().unwrap() {
            let mut e = e.unwrap();
            let h = e.header().clone();
            let kind = match h.entry_type() {
                t if t.is_dir() => EntryKind::Dir,
                t if t.is_symlink() => EntryKind::Symlink,
                t if t.is_hard_link() => EntryKind::Hardlink,
                t if t.is_character_special() => EntryKind::Char,
                t if t.is_fifo() => EntryKind::Fifo,
                _ => EntryKind::File,
            };
            let mut buf = Vec::new();
            e.read_to_end(&mut buf).unwrap();
            let mut en = Entry::new(
                e.path_bytes().to_vec(),
                kind,
                h.mode().unwrap() & 0o7777,
                h.size().unwrap(),
            );
            if kind != EntryKind::File {
                en.size = 0;
            }
            en.uid = h.uid().unwrap();
            en.gid = h.gid().unwrap();
            en.link_target = e.link_name_bytes().map(|l| RawPath::new(l.to_vec()));
            if kind == EntryKind::File {
                en.content_sha256 = Some(Sha256::digest(&buf).into());
            }
            entries.push(en);
        }
        let diff = format!("sha256:{}", hex(&Sha256::digest(data)));
        layers.push(Layer {
            index: i,
            digest: diff.clone(),
            diff_id: diff,
            media_type: "application/vnd.docker.image.rootfs.diff.tar".into(),
            compression: layerscope::image::Compression::None,
            blob_size: data.len() as u64,
            uncompressed_size: data.len() as u64,
            member: l.as_str().unwrap().to_string(),
            entries,
        });
    }
    let mut history: Vec<HistoryRow> = cfg["history"]
        .as_array()
        .unwrap()
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
    layerscope::image::assign_layers(&mut history, layers.len());
    let c = &cfg["config"];
    let strs = |v: &serde_json::Value| -> Option<Vec<String>> {
        v.as_array().map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(|s| s.to_string()))
                .collect()
        })
    };
    let config = ImageConfig {
        env: strs(&c["Env"]).unwrap_or_default(),
        cmd: strs(&c["Cmd"]),
        entrypoint: strs(&c["Entrypoint"]),
        working_dir: c["WorkingDir"].as_str().unwrap_or("").to_string(),
        user: c["User"].as_str().unwrap_or("").to_string(),
        ..Default::default()
    };
    Image {
        tags: m["RepoTags"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(|s| s.to_string()))
                    .collect()
            })
            .unwrap_or_default(),
        config_digest: format!("sha256:{}", hex(&Sha256::digest(cfg_bytes))),
        config,
        layers,
        history,
        ..Default::default()
    }
}

/// A loaded image as a base; `local_classic` gives every row an id (a base the classic builder
/// made on the same daemon), otherwise only the top row has one.
pub fn base_from_save(names: &[&str], image: Image, local_classic: bool) -> BaseImage {
    let mut b = BaseImage::from_image(names.iter().map(|s| s.to_string()).collect(), image);
    if local_classic {
        let id = b.image.short_id().to_string();
        b.row_ids = b
            .row_ids
            .iter()
            .enumerate()
            .map(|(i, _)| Some(format!("{id}-{i}")))
            .collect();
    }
    b
}

/// `(created_by, empty_layer)` rows of the first image in a truth file.
pub fn truth_history(path: &Path) -> Vec<(String, bool)> {
    let t: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    t["images"][0]["config"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["created_by"].as_str().unwrap_or("").to_string(),
                h["empty_layer"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

pub fn rows(img: &Image) -> Vec<(String, bool)> {
    img.history
        .iter()
        .map(|h| (h.created_by.clone(), h.empty_layer))
        .collect()
}

/// `units.HumanSizeWithPrecision(n, 3)` as `docker image history` prints sizes.
pub fn history_size(n: u64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1000.0 && i + 1 < units.len() {
        v /= 1000.0;
        i += 1;
    }
    let int_digits = format!("{}", v.trunc() as u64).len();
    let mut s = format!("{:.*}", 3usize.saturating_sub(int_digits), v);
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    format!("{s}{}", units[i])
}

/// Docker's CREATED BY truncation: 44 characters and an ellipsis beyond 45.
pub fn ellipsis(s: &str) -> String {
    let s = s.replace('\t', " ");
    if s.chars().count() > 45 {
        format!("{}…", s.chars().take(44).collect::<String>())
    } else {
        s
    }
}

/// Parse a default `docker image history` table: `(image, created_by, size, comment)` per row.
pub fn parse_history_table(text: &str) -> Vec<(String, String, String, String)> {
    let mut lines = text.lines();
    let header = lines.next().unwrap_or("");
    let col = |name: &str| header.find(name).unwrap();
    let (cb, sz, cm) = (col("CREATED BY"), col("SIZE"), col("COMMENT"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let chars: Vec<char> = l.chars().collect();
            let cut = |a: usize, b: usize| -> String {
                chars[a.min(chars.len())..b.min(chars.len())]
                    .iter()
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            };
            (cut(0, 15), cut(cb, sz), cut(sz, cm), cut(cm, chars.len()))
        })
        .collect()
}

/// busybox-base = the first layer and two history rows of the producer's saved python-like.
pub fn busybox_base(seed_dir: &Path, classic: bool) -> BaseImage {
    let full = load_docker_save(&seed_dir.join("python-like.save.tar"));
    let img = Image {
        layers: full.layers[..1].to_vec(),
        history: full.history[..2].to_vec(),
        config_digest: format!("{}-base", full.config_digest),
        config: layerscope::image::ImageConfig {
            env: full.config.env.clone(),
            cmd: Some(vec!["sh".into()]),
            ..Default::default()
        },
        ..Default::default()
    };
    base_from_save(&["busybox-base"], img, classic)
}

/// Normalise what changes on every run: line ends, and 12- or 64-hex ids (whole words).
pub fn normalize_ids(s: &str) -> String {
    let s = s.replace("\r\r\n", "\n").replace("\r\n", "\n");
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let is_hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
        let boundary_before = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        if boundary_before && is_hex(chars[i]) {
            let mut j = i;
            while j < chars.len() && is_hex(chars[j]) {
                j += 1;
            }
            let boundary_after = j == chars.len() || !chars[j].is_ascii_alphanumeric();
            if boundary_after && (j - i == 12 || j - i == 64) {
                out.push_str("<id>");
                i = j;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// A BuildKit plain-progress text as a sorted list of blocks with run-specific values replaced.
pub fn buildkit_blocks(text: &str) -> Vec<String> {
    let mut blocks: Vec<String> = text
        .split("\n\n")
        .filter(|b| !b.trim().is_empty())
        .map(|b| {
            b.lines()
                .filter(|l| !l.starts_with('$'))
                .map(|l| match l.split_once(' ') {
                    Some((n, rest)) if n.starts_with('#') => rest,
                    _ => l,
                })
                .filter(|l| !l.starts_with("sha256:"))
                .map(|l| {
                    l.split(' ')
                        .enumerate()
                        .map(|(i, w)| {
                            // A RUN's output line starts with the seconds since the step began.
                            if i == 0
                                && w.contains('.')
                                && w.chars().all(|c| c.is_ascii_digit() || c == '.')
                            {
                                return "<n>";
                            }
                            let num = w.trim_end_matches(['s', 'B', 'k', 'M', 'G']);
                            if w.starts_with("sha256:") {
                                "<id>"
                            } else if !num.is_empty()
                                && num.chars().all(|c| c.is_ascii_digit() || c == '.')
                                && w.len() > num.len()
                            {
                                "<n>"
                            } else {
                                w
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                // Whether the exporter's status shows a bare start line or a duration depends
                // on how progress updates fell in that run (both forms occur in the captures).
                .filter(|l| l != "exporting layers")
                .map(|l| {
                    if l == "exporting layers <n> done" {
                        "exporting layers done".to_string()
                    } else {
                        l
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        // The base image's vertex shows DONE or CACHED depending on what the daemon resolved
        // earlier in its life (not a build-cache result; the statuses tests cover those).
        .map(|b: String| {
            if b.lines().next().is_some_and(|l| l.contains("] FROM ")) {
                b.replace("\nCACHED", "\nDONE <n>")
            } else {
                b
            }
        })
        .collect();
    blocks.sort();
    blocks
}

/// Assert that the simulated BuildKit output of `r` has the blocks of the real plain-progress
/// text `real` (see [`buildkit_blocks`]); the history table after the output is not part of it.
pub fn assert_buildkit_output(r: &layerscope::build::BuildResult, real: &str, what: &str) {
    let out = layerscope::build::render_build_output(r);
    let out = out.split("\n\n$ docker image history").next().unwrap_or("");
    assert_eq!(buildkit_blocks(out), buildkit_blocks(real), "{what}");
}

/// The file of a capture folder whose name ends with `suffix` (captures are numbered).
pub fn capture(dir: &Path, suffix: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().ends_with(suffix))
        .unwrap_or_else(|| panic!("no *{suffix} in {}", dir.display()))
        .path()
}
