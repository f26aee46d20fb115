//! From member contents to images: detects the layout (docker save legacy / Docker 25+ /
//! skopeo-podman docker-archive / OCI layout), turns manifest.json or the `oci` walk into one plan
//! per image, reads configs, picks the images asked for and scans their layers once each, and
//! checks digests when asked. It does no I/O itself: everything goes through a `Store`.

use super::config::parse_config;
use super::decode::{docker_media_type, from_media_type};
use super::error::{ArchiveError, ErrorKind};
use super::json::{parse, Descriptor, DockerManifestEntry, OciIndex};
use super::layer::Budget;
use super::layer::LayerScan;
use super::oci::{parse_platform, platform_matches, select_platforms, Walk};
use super::source::sha256_digest;
use super::store::Store;
use super::{Archive, ImageSummary, Layout, ReadOptions};
use crate::image::{assign_layers, Image, Layer};
use std::collections::HashMap;

/// Where the entries of a cached layer scan live.
#[derive(Debug, Clone, Copy)]
enum Loc {
    /// `archive.images[.0].layers[.1]`.
    Done(usize, usize),
    /// Position in the layers of the image being read.
    Current(usize),
}

/// One image found in the archive, before its layers are read.
#[derive(Debug, Clone)]
struct Plan {
    tags: Vec<String>,
    config_member: String,
    /// Digest the config should have (from its descriptor or file name).
    config_expected: Option<String>,
    manifest_digest: Option<String>,
    layer_members: Vec<String>,
    descriptors: Vec<Option<Descriptor>>,
}

fn hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The digest a member name states: `blobs/<alg>/<hex>`, `<hex>.tar`, `<hex>.json`.
fn digest_from_name(name: &str) -> Option<String> {
    if let Some(rest) = name.strip_prefix("blobs/") {
        let (alg, hex) = rest.split_once('/')?;
        return Some(format!("{alg}:{hex}"));
    }
    let base = name.rsplit('/').next()?;
    let stem = base
        .strip_suffix(".tar")
        .or_else(|| base.strip_suffix(".json"))?;
    hex64(stem).then(|| format!("sha256:{stem}"))
}

fn detect(store: &impl Store) -> Result<Layout, ArchiveError> {
    let idx = store.index();
    if idx.contains("manifest.json") {
        if idx.contains("index.json") {
            return Ok(Layout::DockerSaveOci);
        }
        let symlinked = idx
            .members
            .iter()
            .any(|m| m.is_symlink() && m.name.ends_with("/layer.tar"));
        return Ok(if symlinked {
            Layout::DockerArchive
        } else {
            Layout::DockerSaveLegacy
        });
    }
    if idx.contains("index.json") {
        return Ok(Layout::Oci);
    }
    let found = if idx.contains("repositories") {
        "a `repositories` file without manifest.json (pre-1.10 docker save, not supported)"
            .to_string()
    } else {
        format!(
            "{} members, none of them manifest.json or index.json",
            idx.len()
        )
    };
    Err(ArchiveError::new(
        ErrorKind::UnknownLayout,
        "",
        0,
        "manifest.json (docker save) or index.json (OCI layout)",
        found,
    ))
}

fn matches_tag(tags: &[String], want: &str) -> bool {
    tags.iter().any(|t| {
        t == want
            || t.strip_prefix("docker.io/").is_some_and(|s| s == want)
            || t.strip_prefix("localhost/").is_some_and(|s| s == want)
            || t.strip_prefix("docker.io/library/")
                .is_some_and(|s| s == want)
    })
}

/// Resolve the images of an archive whose members `store` gives access to.
pub fn resolve<S: Store>(store: &mut S, opts: &ReadOptions, archive: &mut Archive) {
    if let Err(e) = resolve_inner(store, opts, archive) {
        if archive.error.is_none() {
            archive.error = Some(e);
        }
    }
}

fn resolve_inner<S: Store>(
    store: &mut S,
    opts: &ReadOptions,
    archive: &mut Archive,
) -> Result<(), ArchiveError> {
    let layout = detect(store)?;
    archive.layout = Some(layout);
    let want_platform = opts.platform.as_deref().map(parse_platform);

    // Walk index.json when present: images, attestations, descriptors.
    let mut oci_images = Vec::new();
    if store.index().contains("index.json") {
        let (bytes, m) = store.small("index.json")?;
        let top: OciIndex = parse(
            &bytes,
            &m.name,
            m.offset,
            "an OCI index object with `manifests`",
        )?;
        let mut walk = Walk {
            store: &mut *store,
            verify: opts.verify,
            images: Vec::new(),
            attestations: Vec::new(),
            failures: Vec::new(),
            groups: 0,
        };
        walk.index(&top, "index.json", 0, &[])?;
        archive.attestations = walk.attestations;
        archive.verify_failures.extend(walk.failures);
        let (kept, others) = select_platforms(walk.images, want_platform.as_ref())?;
        archive.other_platforms = others;
        oci_images = kept;
    }

    let mut plans: Vec<Plan> = Vec::new();
    if layout == Layout::Oci {
        for i in oci_images {
            if let Some(p) = plans
                .iter_mut()
                .find(|p| p.manifest_digest.as_deref() == Some(i.manifest_digest.as_str()))
            {
                for t in i.tags {
                    if !p.tags.contains(&t) {
                        p.tags.push(t);
                    }
                }
                continue;
            }
            let config_member = i.manifest.config.blob_path().ok_or_else(|| {
                ArchiveError::new(
                    ErrorKind::BadJson,
                    i.manifest_digest.clone(),
                    0,
                    "a config digest of the form <algorithm>:<hex>",
                    i.manifest.config.digest.clone(),
                )
            })?;
            let mut layer_members = Vec::new();
            for l in &i.manifest.layers {
                layer_members.push(l.blob_path().ok_or_else(|| {
                    ArchiveError::new(
                        ErrorKind::BadJson,
                        i.manifest_digest.clone(),
                        0,
                        "a layer digest of the form <algorithm>:<hex>",
                        l.digest.clone(),
                    )
                })?);
            }
            plans.push(Plan {
                tags: i.tags,
                config_member,
                config_expected: Some(i.manifest.config.digest.clone()),
                manifest_digest: Some(i.manifest_digest),
                descriptors: i.manifest.layers.iter().cloned().map(Some).collect(),
                layer_members,
            });
        }
    } else {
        let (bytes, m) = store.small("manifest.json")?;
        let entries: Vec<DockerManifestEntry> = parse(
            &bytes,
            &m.name,
            m.offset,
            "a manifest.json array of {Config, RepoTags, Layers}",
        )?;
        for e in entries {
            let config_expected = digest_from_name(&e.config);
            let oci = oci_images.iter().find(|i| {
                Some(&i.manifest.config.digest) == config_expected.as_ref()
                    && i.manifest.layers.len() == e.layers.len()
            });
            let descriptors = match oci {
                Some(i) => i.manifest.layers.iter().cloned().map(Some).collect(),
                None => e
                    .layers
                    .iter()
                    .map(|l| {
                        let d = digest_from_name(l)?;
                        e.layer_sources.as_ref()?.get(&d).cloned()
                    })
                    .collect(),
            };
            plans.push(Plan {
                tags: e.repo_tags.unwrap_or_default(),
                config_member: e.config,
                config_expected,
                manifest_digest: oci.map(|i| i.manifest_digest.clone()),
                layer_members: e.layers,
                descriptors,
            });
        }
    }

    // Read every config (small) for the listing.
    let mut parsed = Vec::new();
    for (n, p) in plans.iter().enumerate() {
        let (bytes, m) = store.small(&p.config_member)?;
        let digest = sha256_digest(&bytes);
        if opts.verify {
            if let Some(exp) = &p.config_expected {
                if exp.starts_with("sha256:") && *exp != digest {
                    archive.verify_failures.push(ArchiveError::new(
                        ErrorKind::DigestMismatch,
                        &m.name,
                        m.offset,
                        format!("config with digest {exp}"),
                        digest.clone(),
                    ));
                }
            }
        }
        let cfg = parse_config(&bytes, &m.name, m.offset)?;
        archive.listing.push(ImageSummary {
            index: n,
            tags: p.tags.clone(),
            config_digest: digest.clone(),
            manifest_digest: p.manifest_digest.clone(),
            platform: cfg.platform.clone(),
            layer_count: p.layer_members.len(),
        });
        parsed.push((digest, cfg));
    }

    // Which images to read.
    let selected: Vec<usize> = match (&opts.image, &opts.tag) {
        (Some(n), _) => {
            if *n >= plans.len() {
                return Err(ArchiveError::new(
                    ErrorKind::NotFound,
                    "",
                    0,
                    format!("an image index below {}", plans.len()),
                    n.to_string(),
                ));
            }
            vec![*n]
        }
        (None, Some(t)) => {
            let found: Vec<usize> = (0..plans.len())
                .filter(|&i| matches_tag(&plans[i].tags, t))
                .collect();
            if found.is_empty() {
                return Err(ArchiveError::new(
                    ErrorKind::NotFound,
                    "",
                    0,
                    format!("an image tagged {t}"),
                    archive
                        .listing
                        .iter()
                        .flat_map(|s| s.tags.iter().cloned())
                        .collect::<Vec<_>>()
                        .join(", "),
                ));
            }
            found[..1].to_vec()
        }
        (None, None) => (0..plans.len()).collect(),
    };
    if let Some(w) = &want_platform {
        if layout != Layout::Oci {
            if let Some(&bad) = selected
                .iter()
                .find(|&&i| !platform_matches(w, &parsed[i].1.platform))
            {
                return Err(ArchiveError::new(
                    ErrorKind::NotFound,
                    "",
                    0,
                    format!("platform {w}"),
                    parsed[bad].1.platform.to_string(),
                ));
            }
        }
    }

    let mut budget = Budget::new(opts.max_bytes, opts.max_entries);
    // How many distinct layer blobs will be read (for progress reports).
    let planned: std::collections::BTreeSet<String> = selected
        .iter()
        .flat_map(|&n| plans[n].layer_members.iter())
        .map(|m| {
            store
                .index()
                .resolve(m)
                .map_or(m.clone(), |x| x.name.clone())
        })
        .collect();
    store.layers_planned(planned.len());
    // Blobs shared between images are read once; the cache keeps the scan without its entries
    // and where the layer holding them is (entries are cloned from there, not kept twice).
    let mut cache: HashMap<String, (LayerScan, String, Loc)> = HashMap::new();
    for &n in &selected {
        let plan = &plans[n];
        let (config_digest, cfg) = parsed[n].clone();
        if cfg.diff_ids.len() != plan.layer_members.len() && archive.error.is_none() {
            archive.error = Some(ArchiveError::new(
                ErrorKind::BadJson,
                &plan.config_member,
                0,
                format!(
                    "{} rootfs.diff_ids, one per layer",
                    plan.layer_members.len()
                ),
                format!("{} diff_ids", cfg.diff_ids.len()),
            ));
        }
        let mut layers: Vec<Layer> = Vec::new();
        for (i, member) in plan.layer_members.iter().enumerate() {
            let desc = plan.descriptors.get(i).cloned().flatten();
            let declared = desc.as_ref().and_then(|d| from_media_type(&d.media_type));
            let diff_id = cfg.diff_ids.get(i).cloned().unwrap_or_default();
            let resolved = store.index().resolve(member).map(|m| m.name.clone());
            let key = resolved.clone().unwrap_or_else(|_| member.clone());
            let (scan, resolved_name) = match cache.get(&key) {
                Some((light, name, loc)) => {
                    let mut scan = light.clone();
                    scan.entries = match *loc {
                        Loc::Done(im, pos) => archive.images[im].layers[pos].entries.clone(),
                        Loc::Current(pos) => layers[pos].entries.clone(),
                    };
                    (scan, name.clone())
                }
                None => {
                    let got = match store.layer(member, declared, &mut budget) {
                        Ok((scan, m)) => (scan, m.name),
                        Err(e) => {
                            let e = if e.kind == ErrorKind::Missing {
                                ArchiveError::new(
                                    ErrorKind::Missing,
                                    member,
                                    0,
                                    format!("layer {i} of image {n}, which the manifest names"),
                                    "no such member",
                                )
                            } else {
                                e
                            };
                            if archive.error.is_none() {
                                archive.error = Some(e);
                            }
                            continue;
                        }
                    };
                    let (mut scan, name) = got;
                    let entries = std::mem::take(&mut scan.entries);
                    cache.insert(
                        key,
                        (scan.clone(), name.clone(), Loc::Current(layers.len())),
                    );
                    scan.entries = entries;
                    (scan, name)
                }
            };
            if let Some(e) = &scan.error {
                if archive.error.is_none() {
                    archive.error = Some(e.clone());
                }
            }
            let compression = scan.detected;
            let digest = desc
                .as_ref()
                .map(|d| d.digest.clone())
                .or_else(|| digest_from_name(&resolved_name))
                .or_else(|| {
                    (compression == crate::image::Compression::None).then(|| diff_id.clone())
                })
                .or_else(|| scan.blob_digest.clone())
                .unwrap_or_default();
            let media_type = desc
                .as_ref()
                .map(|d| d.media_type.clone())
                .unwrap_or_else(|| docker_media_type(compression).to_string());
            if opts.verify && scan.error.is_none() {
                let blob = if compression == crate::image::Compression::None {
                    scan.diff_digest.clone()
                } else {
                    scan.blob_digest.clone()
                };
                if let Some(b) = blob {
                    if !digest.is_empty() && b != digest {
                        archive.verify_failures.push(ArchiveError::new(
                            ErrorKind::DigestMismatch,
                            &resolved_name,
                            0,
                            format!("layer {i} blob with digest {digest}"),
                            b,
                        ));
                    }
                }
                if let Some(sz) = desc.as_ref().and_then(|d| d.size) {
                    if sz != scan.blob_size as i64 {
                        archive.verify_failures.push(ArchiveError::new(
                            ErrorKind::DigestMismatch,
                            &resolved_name,
                            0,
                            format!("layer {i} blob of {sz} bytes"),
                            format!("{} bytes", scan.blob_size),
                        ));
                    }
                }
                if let Some(d) = &scan.diff_digest {
                    if *d != diff_id {
                        archive.verify_failures.push(ArchiveError::new(
                            ErrorKind::DigestMismatch,
                            &resolved_name,
                            0,
                            format!("layer {i} uncompressed stream with diff_id {diff_id}"),
                            d.clone(),
                        ));
                    }
                }
            }
            archive
                .layer_stats
                .entry(resolved_name.clone())
                .or_insert_with(|| scan.stats.clone());
            layers.push(Layer {
                index: i,
                digest,
                diff_id,
                media_type,
                compression,
                blob_size: scan.blob_size,
                uncompressed_size: scan.uncompressed_size,
                member: resolved_name,
                entries: scan.entries,
            });
        }
        for (_, _, loc) in cache.values_mut() {
            if let Loc::Current(pos) = *loc {
                *loc = Loc::Done(archive.images.len(), pos);
            }
        }
        let mut history = cfg.history;
        assign_layers(&mut history, plan.layer_members.len());
        archive.images.push(Image {
            tags: plan.tags.clone(),
            config_digest,
            manifest_digest: plan.manifest_digest.clone(),
            platform: cfg.platform,
            created: cfg.created,
            author: cfg.author,
            config: cfg.config,
            layers,
            history,
        });
        archive.selected.push(n);
    }
    Ok(())
}
