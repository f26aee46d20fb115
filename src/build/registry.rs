//! A simulated local image store and registry: layers are stored once however many images use
//! them, and `docker push` prints `Pushed`, `Layer already exists` (same repository) or
//! `Mounted from <repo>` (another repository of the registry) per layer, top layer first, as the
//! CLI does. The registry remembers every push of the session. It does no networking.

use crate::image::Image;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// What a push did with one layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushStatus {
    Pushed,
    AlreadyExists,
    MountedFrom(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushLine {
    /// 12 hex digits of the layer's diff id.
    pub id: String,
    pub status: PushStatus,
    /// Bytes uploaded (0 unless pushed).
    pub uploaded: u64,
}

/// The registry: repositories and the blobs they hold.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    repos: BTreeMap<String, BTreeSet<String>>,
    blob_sizes: BTreeMap<String, u64>,
    uploaded: u64,
}

/// `app` → (`docker.io`, `library/app`, `latest`).
pub fn split_reference(r: &str) -> (String, String, String) {
    let (name, tag) = match r.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n.to_string(), t.to_string()),
        _ => (r.to_string(), "latest".to_string()),
    };
    let first = name.split('/').next().unwrap_or(&name).to_string();
    if name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost") {
        let rest = name[first.len() + 1..].to_string();
        (first, rest, tag)
    } else if name.contains('/') {
        ("docker.io".into(), name, tag)
    } else {
        ("docker.io".into(), format!("library/{name}"), tag)
    }
}

impl Registry {
    pub fn new() -> Self {
        Registry::default()
    }

    /// Total bytes uploaded in this session.
    pub fn uploaded_bytes(&self) -> u64 {
        self.uploaded
    }
    /// Bytes the registry stores (each blob once).
    pub fn stored_bytes(&self) -> u64 {
        self.blob_sizes.values().sum()
    }

    /// Push an image under `reference`; returns the per-layer lines and the full CLI text.
    pub fn push(&mut self, image: &Image, reference: &str) -> (Vec<PushLine>, String) {
        let (host, repo, tag) = split_reference(reference);
        let mut lines = Vec::new();
        let mut seen = BTreeSet::new();
        for l in image.layers.iter().rev() {
            if !seen.insert(l.diff_id.clone()) {
                continue;
            }
            let id: String = l
                .diff_id
                .trim_start_matches("sha256:")
                .chars()
                .take(12)
                .collect();
            let in_repo = self
                .repos
                .get(&repo)
                .map(|b| b.contains(&l.diff_id))
                .unwrap_or(false);
            let status = if in_repo {
                PushStatus::AlreadyExists
            } else if let Some((other, _)) = self.repos.iter().find(|(_, b)| b.contains(&l.diff_id))
            {
                PushStatus::MountedFrom(other.clone())
            } else {
                PushStatus::Pushed
            };
            let uploaded = if status == PushStatus::Pushed {
                l.blob_size
            } else {
                0
            };
            self.uploaded += uploaded;
            self.blob_sizes.insert(l.diff_id.clone(), l.blob_size);
            lines.push(PushLine {
                id,
                status,
                uploaded,
            });
        }
        let set = self.repos.entry(repo.clone()).or_default();
        for l in &image.layers {
            set.insert(l.diff_id.clone());
        }
        let shown_repo = if host == "docker.io" {
            format!("docker.io/{repo}")
        } else {
            format!("{host}/{repo}")
        };
        let mut text = format!("The push refers to repository [{shown_repo}]\n");
        for l in &lines {
            let s = match &l.status {
                PushStatus::Pushed => "Pushed".to_string(),
                PushStatus::AlreadyExists => "Layer already exists".to_string(),
                PushStatus::MountedFrom(r) => format!("Mounted from {r}"),
            };
            text.push_str(&format!("{}: {s}\n", l.id));
        }
        let manifest_size = 262 + 214 * image.layers.len();
        let mut h = Sha256::new();
        h.update(image.config_digest.as_bytes());
        for l in &image.layers {
            h.update(l.digest.as_bytes());
        }
        let digest = crate::overlay::snapshot::hex(&h.finalize());
        text.push_str(&format!(
            "{tag}: digest: sha256:{digest} size: {manifest_size}\n"
        ));
        (lines, text)
    }
}

/// A local store: the images' total size as `docker image ls` adds it up, and the bytes actually
/// stored when shared layers are kept once.
pub fn store_usage(images: &[&Image]) -> (u64, u64) {
    let virtual_total: u64 = images
        .iter()
        .flat_map(|i| i.layers.iter())
        .map(|l| l.regular_file_bytes())
        .sum();
    let mut unique = BTreeMap::new();
    for l in images.iter().flat_map(|i| i.layers.iter()) {
        unique.insert(l.diff_id.clone(), l.regular_file_bytes());
    }
    (virtual_total, unique.values().sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(
            split_reference("app"),
            ("docker.io".into(), "library/app".into(), "latest".into())
        );
        assert_eq!(
            split_reference("lab/app:1.0"),
            ("docker.io".into(), "lab/app".into(), "1.0".into())
        );
        assert_eq!(
            split_reference("localhost:5000/x"),
            ("localhost:5000".into(), "x".into(), "latest".into())
        );
    }
}
