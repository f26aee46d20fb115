//! The JSON documents of an archive, as serde shapes: docker `manifest.json`, OCI `index.json`,
//! image manifests, descriptors and platforms. Parsing failures become `BadJson` errors naming
//! the member and the line/column. It does not walk indexes (see `oci`).

use super::error::{ArchiveError, ErrorKind};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One entry of docker `manifest.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct DockerManifestEntry {
    #[serde(rename = "Config")]
    pub config: String,
    #[serde(rename = "RepoTags", default)]
    pub repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers")]
    pub layers: Vec<String>,
    #[serde(rename = "LayerSources", default)]
    pub layer_sources: Option<BTreeMap<String, Descriptor>>,
}

/// An OCI platform object.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct OciPlatform {
    #[serde(default)]
    pub architecture: String,
    #[serde(default)]
    pub os: String,
    #[serde(default)]
    pub variant: Option<String>,
}

/// An OCI content descriptor.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct Descriptor {
    #[serde(rename = "mediaType", default)]
    pub media_type: String,
    pub digest: String,
    #[serde(default)]
    pub size: Option<i64>,
    #[serde(default)]
    pub annotations: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub platform: Option<OciPlatform>,
}

impl Descriptor {
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations.as_ref()?.get(key).map(String::as_str)
    }
    /// The archive member holding this blob in an OCI layout: `blobs/<alg>/<hex>`.
    pub fn blob_path(&self) -> Option<String> {
        let (alg, hex) = self.digest.split_once(':')?;
        let ok = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+._-".contains(&b))
        };
        if ok(alg) && ok(hex) {
            Some(format!("blobs/{alg}/{hex}"))
        } else {
            None
        }
    }
}

/// An OCI image index (or docker manifest list), or the top `index.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct OciIndex {
    pub manifests: Vec<Descriptor>,
}

/// An OCI image manifest (or docker v2 schema 2 manifest).
#[derive(Debug, Clone, Deserialize)]
pub struct OciManifest {
    pub config: Descriptor,
    #[serde(default)]
    pub layers: Vec<Descriptor>,
}

pub const MT_OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const MT_DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";

/// Whether a descriptor media type names an index rather than a manifest.
pub fn is_index_type(mt: &str) -> bool {
    mt == MT_OCI_INDEX || mt == MT_DOCKER_LIST
}

/// Parse a JSON member into `T`, mapping failures to a `BadJson` error at the right place.
pub fn parse<T: DeserializeOwned>(
    bytes: &[u8],
    member: &str,
    offset: u64,
    what: &str,
) -> Result<T, ArchiveError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ArchiveError::new(
            ErrorKind::BadJson,
            member,
            offset,
            what.to_string(),
            format!("{e} (line {}, column {})", e.line(), e.column()),
        )
    })
}
