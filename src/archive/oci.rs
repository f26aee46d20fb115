//! Walking `index.json`: nested image indexes, image manifests (tags from the top-level
//! annotations), attestation manifests set aside and listed, and the choice of one platform per
//! multi-platform index. Blobs come through a `Store`; digests are checked when asked.

use super::decode::from_media_type;
use super::error::{ArchiveError, ErrorKind};
use super::json::{is_index_type, parse, Descriptor, OciIndex, OciManifest};
use super::source::sha256_digest;
use super::store::Store;
use super::Attestation;
use crate::image::Platform;
use std::collections::HashMap;

/// How deep nested indexes may go.
const MAX_INDEX_DEPTH: usize = 8;

/// An image manifest reached through index.json.
#[derive(Debug, Clone)]
pub(super) struct OciImage {
    pub tags: Vec<String>,
    pub manifest_digest: String,
    pub manifest: OciManifest,
    pub platform: Option<Platform>,
    pub group: usize,
}

fn platform_of(p: &super::json::OciPlatform) -> Platform {
    Platform {
        os: p.os.clone(),
        architecture: p.architecture.clone(),
        variant: p.variant.clone().filter(|v| !v.is_empty()),
    }
}

/// Parse `os/arch[/variant]`.
pub fn parse_platform(s: &str) -> Platform {
    let mut it = s.split('/');
    Platform {
        os: it.next().unwrap_or_default().to_string(),
        architecture: it.next().unwrap_or_default().to_string(),
        variant: it.next().map(str::to_string),
    }
}

pub(super) fn platform_matches(want: &Platform, have: &Platform) -> bool {
    want.os == have.os
        && want.architecture == have.architecture
        && (want.variant.is_none() || want.variant == have.variant)
}

pub(super) struct Walk<'a, S: Store> {
    pub store: &'a mut S,
    pub verify: bool,
    pub images: Vec<OciImage>,
    pub attestations: Vec<Attestation>,
    pub failures: Vec<ArchiveError>,
    pub groups: usize,
}

impl<S: Store> Walk<'_, S> {
    fn blob(&mut self, d: &Descriptor, what: &str) -> Result<Vec<u8>, ArchiveError> {
        let path = d.blob_path().ok_or_else(|| {
            ArchiveError::new(
                ErrorKind::BadJson,
                "index.json",
                0,
                "a digest of the form <algorithm>:<hex>",
                d.digest.clone(),
            )
        })?;
        let (bytes, m) = self.store.small(&path).map_err(|e| {
            if e.kind == ErrorKind::Missing {
                ArchiveError::new(
                    ErrorKind::Missing,
                    &path,
                    0,
                    format!("the {what} blob a descriptor points to"),
                    "no such member",
                )
            } else {
                e
            }
        })?;
        if self.verify {
            let got = sha256_digest(&bytes);
            if d.digest.starts_with("sha256:") && got != d.digest {
                self.failures.push(ArchiveError::new(
                    ErrorKind::DigestMismatch,
                    &m.name,
                    m.offset,
                    format!("{what} blob with digest {}", d.digest),
                    got,
                ));
            }
            if let Some(sz) = d.size {
                if sz != bytes.len() as i64 {
                    self.failures.push(ArchiveError::new(
                        ErrorKind::DigestMismatch,
                        &m.name,
                        m.offset,
                        format!("{what} blob of {sz} bytes"),
                        format!("{} bytes", bytes.len()),
                    ));
                }
            }
        }
        Ok(bytes)
    }

    pub fn index(
        &mut self,
        idx: &OciIndex,
        member: &str,
        depth: usize,
        tags: &[String],
    ) -> Result<(), ArchiveError> {
        if depth > MAX_INDEX_DEPTH {
            return Err(ArchiveError::new(
                ErrorKind::BadJson,
                member,
                0,
                format!("image indexes nested at most {MAX_INDEX_DEPTH} deep"),
                "deeper nesting",
            ));
        }
        let group = self.groups;
        self.groups += 1;
        for d in &idx.manifests {
            let own_tags: Vec<String> = if depth == 0 {
                d.annotation("io.containerd.image.name")
                    .or_else(|| d.annotation("org.opencontainers.image.ref.name"))
                    .map(|t| vec![t.to_string()])
                    .unwrap_or_default()
            } else {
                tags.to_vec()
            };
            if is_index_type(&d.media_type) {
                let bytes = self.blob(d, "image index")?;
                let path = d.blob_path().unwrap_or_default();
                let child: OciIndex = parse(&bytes, &path, 0, "an image index object")?;
                self.index(&child, &path, depth + 1, &own_tags)?;
                continue;
            }
            let bytes = self.blob(d, "image manifest")?;
            let path = d.blob_path().unwrap_or_default();
            let manifest: OciManifest = parse(&bytes, &path, 0, "an image manifest object")?;
            let attestation = d.annotation("vnd.docker.reference.type")
                == Some("attestation-manifest")
                || d.platform.as_ref().is_some_and(|p| p.os == "unknown")
                || (!manifest.layers.is_empty()
                    && manifest
                        .layers
                        .iter()
                        .all(|l| from_media_type(&l.media_type).is_none()));
            if attestation {
                if self
                    .attestations
                    .iter()
                    .any(|a| a.manifest_digest == d.digest)
                {
                    continue;
                }
                self.attestations.push(Attestation {
                    manifest_digest: d.digest.clone(),
                    describes: d
                        .annotation("vnd.docker.reference.digest")
                        .map(str::to_string),
                    predicate_types: manifest
                        .layers
                        .iter()
                        .filter_map(|l| {
                            l.annotation("in-toto.io/predicate-type")
                                .map(str::to_string)
                        })
                        .collect(),
                    media_types: manifest
                        .layers
                        .iter()
                        .map(|l| l.media_type.clone())
                        .collect(),
                });
                continue;
            }
            self.images.push(OciImage {
                tags: own_tags,
                manifest_digest: d.digest.clone(),
                manifest,
                platform: d.platform.as_ref().map(platform_of),
                group,
            });
        }
        Ok(())
    }
}

/// Keep one platform per index that lists several: the requested one, else linux/amd64, else
/// the only one. Returns the platforms left out.
pub(super) fn select_platforms(
    images: Vec<OciImage>,
    want: Option<&Platform>,
) -> Result<(Vec<OciImage>, Vec<Platform>), ArchiveError> {
    let mut by_group: HashMap<usize, Vec<Platform>> = HashMap::new();
    for i in &images {
        if let Some(p) = &i.platform {
            let v = by_group.entry(i.group).or_default();
            if !v.contains(p) {
                v.push(p.clone());
            }
        }
    }
    let mut chosen: HashMap<usize, Platform> = HashMap::new();
    let mut others = Vec::new();
    for (g, plats) in &by_group {
        if plats.len() < 2 && want.is_none() {
            continue;
        }
        let amd64 = parse_platform("linux/amd64");
        let pick = match want {
            Some(w) => plats.iter().find(|p| platform_matches(w, p)),
            None => plats.iter().find(|p| platform_matches(&amd64, p)),
        };
        match pick {
            Some(p) => {
                chosen.insert(*g, p.clone());
                others.extend(plats.iter().filter(|q| *q != p).cloned());
            }
            None if want.is_some() => {
                return Err(ArchiveError::new(
                    ErrorKind::NotFound,
                    "index.json",
                    0,
                    format!(
                        "platform {}",
                        want.map(|w| w.to_string()).unwrap_or_default()
                    ),
                    plats
                        .iter()
                        .map(|p| p.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                ))
            }
            None => {
                return Err(ArchiveError::new(
                    ErrorKind::NotFound,
                    "index.json",
                    0,
                    "linux/amd64 among several platforms (choose one with --platform)",
                    plats
                        .iter()
                        .map(|p| p.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                ))
            }
        }
    }
    let kept = images
        .into_iter()
        .filter(|i| match (chosen.get(&i.group), &i.platform) {
            (Some(c), Some(p)) => c == p,
            _ => true,
        })
        .collect();
    Ok((kept, others))
}
