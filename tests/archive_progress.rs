//! `read_archive_observed` reports the layer blobs to read once the manifests are known and each
//! blob after it is read (the explore page's progress bar shows them), and reads exactly what
//! `read_archive` reads. Synthetic docker saves built here with the `tar` crate.

use flate2::write::GzEncoder;
use layerscope::archive::{
    read_archive, read_archive_observed, sha256_digest, LayerProgress, ReadOptions,
};
use serde_json::json;
use std::io::{Cursor, Write};

fn tar_of(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, body) in members {
        let mut h = tar::Header::new_gnu();
        h.set_path(name).unwrap();
        h.set_mode(0o644);
        h.set_size(body.len() as u64);
        h.set_mtime(1_700_000_000);
        h.set_cksum();
        b.append(&h, body.as_slice()).unwrap();
    }
    b.into_inner().unwrap()
}

fn layer(files: &[&str]) -> Vec<u8> {
    tar_of(
        &files
            .iter()
            .map(|f| (f.to_string(), f.as_bytes().to_vec()))
            .collect::<Vec<_>>(),
    )
}

/// A legacy docker save of `images`, each a tag and its layers given as indexes into `blobs`.
fn docker_save(blobs: &[Vec<u8>], images: &[(&str, Vec<usize>)]) -> Vec<u8> {
    let mut members = Vec::new();
    let mut manifest = Vec::new();
    for (tag, ls) in images {
        let diff_ids: Vec<String> = ls.iter().map(|&i| sha256_digest(&blobs[i])).collect();
        let history: Vec<_> = ls
            .iter()
            .map(|i| json!({"created": "2026-01-01T00:00:00Z", "created_by": format!("RUN {i}")}))
            .collect();
        let config = serde_json::to_vec(&json!({
            "architecture": "amd64", "os": "linux", "config": {},
            "rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": history,
        }))
        .unwrap();
        let cfg_name = format!(
            "{}.json",
            sha256_digest(&config).trim_start_matches("sha256:")
        );
        manifest.push(json!({
            "Config": cfg_name, "RepoTags": [tag],
            "Layers": ls.iter().map(|i| format!("l{i}/layer.tar")).collect::<Vec<_>>(),
        }));
        members.push((cfg_name, config));
    }
    members.insert(
        0,
        (
            "manifest.json".to_string(),
            serde_json::to_vec(&manifest).unwrap(),
        ),
    );
    for (i, b) in blobs.iter().enumerate() {
        members.push((format!("l{i}/layer.tar"), b.clone()));
    }
    tar_of(&members)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn observed(bytes: &[u8]) -> (Vec<LayerProgress>, layerscope::archive::Archive) {
    let mut seen = Vec::new();
    let a = read_archive_observed(Cursor::new(bytes), &ReadOptions::default(), &mut |p| {
        seen.push(p)
    });
    (seen, a)
}

fn p(read: usize, total: usize) -> LayerProgress {
    LayerProgress {
        read,
        total: Some(total),
    }
}

#[test]
fn each_layer_blob_is_reported_after_the_total() {
    let blobs = vec![
        layer(&["etc/a", "etc/b"]),
        layer(&["app/x"]),
        layer(&["tmp/y"]),
    ];
    let bytes = docker_save(&blobs, &[("t/app:1", vec![0, 1, 2])]);
    let (seen, a) = observed(&bytes);
    assert_eq!(seen, vec![p(0, 3), p(1, 3), p(2, 3), p(3, 3)]);
    assert!(a.error.is_none(), "{:?}", a.error);
    assert_eq!(
        a,
        read_archive(Cursor::new(&bytes), &ReadOptions::default())
    );
    assert_eq!(a.images[0].layers.len(), 3);
    // Whole-archive gzip: the same reports, all after the one pass.
    let (seen, g) = observed(&gzip(&bytes));
    assert_eq!(seen, vec![p(0, 3), p(1, 3), p(2, 3), p(3, 3)]);
    assert_eq!(g.images, a.images);
}

#[test]
fn a_blob_shared_by_two_images_is_counted_once() {
    let blobs = vec![layer(&["etc/a"]), layer(&["app/x"]), layer(&["app/z"])];
    let bytes = docker_save(&blobs, &[("t/a:1", vec![0, 1]), ("t/b:1", vec![0, 2])]);
    let (seen, a) = observed(&bytes);
    assert_eq!(a.images.len(), 2);
    assert_eq!(seen, vec![p(0, 3), p(1, 3), p(2, 3), p(3, 3)]);
}

#[test]
fn a_missing_blob_still_counts_and_the_error_names_it() {
    let blobs = vec![layer(&["etc/a"]), layer(&["app/x"])];
    let mut bytes = docker_save(&blobs, &[("t/a:1", vec![0, 1])]);
    // The manifest (first member) names a second blob that is not there.
    let at = bytes
        .windows(12)
        .position(|w| w == b"l1/layer.tar")
        .expect("manifest entry");
    bytes[at] = b'm';
    let (seen, a) = observed(&bytes);
    assert_eq!(seen, vec![p(0, 2), p(1, 2), p(2, 2)]);
    let e = a.error.expect("an error");
    assert!(
        e.to_string().starts_with("m1/layer.tar at offset 0: "),
        "{e}"
    );
}
