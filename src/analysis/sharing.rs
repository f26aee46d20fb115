//! Layer sharing between images: layers are the same content when their diff_ids are equal, and
//! the same stored layer (one snapshot on disk) when their chain ids are equal
//! (`chain(0) = diff_id(0)`, `chain(n) = sha256(chain(n-1) + " " + diff_id(n))`, OCI image-spec
//! config.md). Bytes stored once (each chain id counted once) versus per image (each image alone).
//! It reads no archives and prints nothing.

use crate::image::Image;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The chain ids of an image's layers.
pub fn chain_ids(diff_ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(diff_ids.len());
    for d in diff_ids {
        let id = match out.last() {
            None => d.clone(),
            Some(prev) => {
                let h = Sha256::digest(format!("{prev} {d}").as_bytes());
                format!("sha256:{}", hex(&h))
            }
        };
        out.push(id);
    }
    out
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// One distinct stored layer (by chain id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharedLayer {
    pub chain_id: String,
    pub diff_id: String,
    pub size: u64,
    /// (image index, layer index) of every use.
    pub used_by: Vec<(usize, usize)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sharing {
    pub layers: Vec<SharedLayer>,
    /// Σ of each image's layer sizes, as if every image were stored alone.
    pub bytes_per_image: u64,
    /// Σ over distinct chain ids: what a store holding all the images keeps.
    pub bytes_stored_once: u64,
    /// diff_ids that appear under more than one chain id (same content on another base).
    pub same_content_other_chain: Vec<String>,
}

/// Sharing of layers between `images`; a layer's size is its uncompressed size.
pub fn sharing(images: &[&Image]) -> Sharing {
    let mut by_chain: BTreeMap<String, SharedLayer> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut bytes_per_image = 0u64;
    for (ii, img) in images.iter().enumerate() {
        let diffs: Vec<String> = img.layers.iter().map(|l| l.diff_id.clone()).collect();
        for (li, (chain, layer)) in chain_ids(&diffs).into_iter().zip(&img.layers).enumerate() {
            bytes_per_image += layer.uncompressed_size;
            let e = by_chain.entry(chain.clone()).or_insert_with(|| {
                order.push(chain.clone());
                SharedLayer {
                    chain_id: chain.clone(),
                    diff_id: layer.diff_id.clone(),
                    size: layer.uncompressed_size,
                    used_by: Vec::new(),
                }
            });
            e.used_by.push((ii, li));
        }
    }
    let layers: Vec<SharedLayer> = order.iter().filter_map(|c| by_chain.remove(c)).collect();
    let bytes_stored_once = layers.iter().map(|l| l.size).sum();
    let mut chains_per_diff: BTreeMap<&str, usize> = BTreeMap::new();
    for l in &layers {
        *chains_per_diff.entry(&l.diff_id).or_default() += 1;
    }
    let same_content_other_chain = chains_per_diff
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(d, _)| d.to_string())
        .collect();
    Sharing {
        layers,
        bytes_per_image,
        bytes_stored_once,
        same_content_other_chain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_id_of_two_layers() {
        // sha256("sha256:aa sha256:bb"), computed independently with `printf %s ... | sha256sum`.
        let c = chain_ids(&["sha256:aa".into(), "sha256:bb".into()]);
        assert_eq!(c[0], "sha256:aa");
        assert_eq!(
            c[1],
            "sha256:b68ad689d6d1ec110ea1c13617437ad6f3766d4b3b309f6a603a222e07a0164f"
        );
    }
}
