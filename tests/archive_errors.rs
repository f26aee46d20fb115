//! Synthetic archives, built here with the `tar` crate's Builder, for every error path of the
//! archive reader: cuts at many offsets, corrupt gzip/zstd, media type vs magic bytes, wrong
//! digests under verify, missing blobs, manifests pointing nowhere, JSON of the wrong shape,
//! absolute and `..` names, decompression and entry caps; plus the lossless header cases (PAX
//! long names, base-256 ids, non-UTF-8 names, xattrs), previews, gzip-wrapped archives and
//! platform selection. Every reading must end without a panic and with the member and offset.

use flate2::write::GzEncoder;
use layerscope::archive::{
    read_archive, read_entry_bytes, sha256_digest, Archive, ErrorKind, ReadOptions,
};
use layerscope::image::{Compression, EntryKind};
use serde_json::json;
use std::io::{Cursor, Write};

// ---------------------------------------------------------------- builders

fn raw_header(name: &[u8], kind: tar::EntryType, size: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.as_old_mut().name[..name.len()].copy_from_slice(name);
    h.set_entry_type(kind);
    h.set_mode(0o644);
    h.set_size(size);
    h.set_mtime(1_700_000_000);
    h.set_cksum();
    h
}

/// A tar of (name, body) files, names written raw (no validation), in order.
fn tar_of(members: &[(&[u8], Vec<u8>)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, body) in members {
        let h = raw_header(name, tar::EntryType::Regular, body.len() as u64);
        b.append(&h, body.as_slice()).unwrap();
    }
    b.into_inner().unwrap()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(bytes, ruzstd::encoding::CompressionLevel::Fastest)
}

fn hex_of(digest: &str) -> &str {
    digest.strip_prefix("sha256:").unwrap()
}

fn config_json(diff_ids: &[String], os: &str, arch: &str) -> Vec<u8> {
    let history: Vec<_> = diff_ids
        .iter()
        .enumerate()
        .map(|(i, _)| json!({"created": "2026-01-01T00:00:00Z", "created_by": format!("RUN step {i}")}))
        .collect();
    serde_json::to_vec(&json!({
        "architecture": arch, "os": os,
        "config": {"Env": ["PATH=/bin"], "Cmd": ["sh"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    }))
    .unwrap()
}

/// A legacy docker save with manifest.json and config first, then the layers.
fn docker_save(layers: &[Vec<u8>]) -> Vec<u8> {
    let diff_ids: Vec<String> = layers.iter().map(|l| sha256_digest(l)).collect();
    let config = config_json(&diff_ids, "linux", "amd64");
    let cfg_name = format!("{}.json", hex_of(&sha256_digest(&config)));
    let layer_names: Vec<String> = (0..layers.len())
        .map(|i| format!("l{i}/layer.tar"))
        .collect();
    let manifest = serde_json::to_vec(&json!([{
        "Config": cfg_name, "RepoTags": ["t/app:latest"], "Layers": layer_names,
    }]))
    .unwrap();
    let mut members: Vec<(&[u8], Vec<u8>)> =
        vec![(b"manifest.json", manifest), (cfg_name.as_bytes(), config)];
    for (n, l) in layer_names.iter().zip(layers) {
        members.push((n.as_bytes(), l.clone()));
    }
    tar_of(&members)
}

/// An OCI archive: blobs, then index.json. Each layer is (uncompressed tar, compression).
fn oci_archive(layers: &[(Vec<u8>, Compression)], media_override: Option<&str>) -> Vec<u8> {
    oci_archive_ordered(layers, media_override, false)
}

/// As `oci_archive`; with `index_first`, index.json, config and manifest come before the layers.
fn oci_archive_ordered(
    layers: &[(Vec<u8>, Compression)],
    media_override: Option<&str>,
    index_first: bool,
) -> Vec<u8> {
    let mut blobs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut descs = Vec::new();
    let mut diff_ids = Vec::new();
    for (tar, c) in layers {
        let (blob, mt) = match c {
            Compression::None => (tar.clone(), "application/vnd.oci.image.layer.v1.tar"),
            Compression::Gzip => (gzip(tar), "application/vnd.oci.image.layer.v1.tar+gzip"),
            Compression::Zstd => (zstd(tar), "application/vnd.oci.image.layer.v1.tar+zstd"),
        };
        let d = sha256_digest(&blob);
        descs.push(
            json!({"mediaType": media_override.unwrap_or(mt), "digest": d, "size": blob.len()}),
        );
        diff_ids.push(sha256_digest(tar));
        blobs.push((d, blob));
    }
    let config = config_json(&diff_ids, "linux", "amd64");
    let cd = sha256_digest(&config);
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": config.len()},
        "layers": descs,
    }))
    .unwrap();
    let md = sha256_digest(&manifest);
    let index = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md,
            "size": manifest.len(), "annotations": {"org.opencontainers.image.ref.name": "latest"}}],
    }))
    .unwrap();
    if index_first {
        blobs.insert(0, (cd, config));
        blobs.insert(1, (md, manifest));
    } else {
        blobs.push((cd, config));
        blobs.push((md, manifest));
    }
    let names: Vec<String> = blobs
        .iter()
        .map(|(d, _)| format!("blobs/sha256/{}", hex_of(d)))
        .collect();
    let mut members: Vec<(&[u8], Vec<u8>)> =
        vec![(b"oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec())];
    if index_first {
        members.push((b"index.json", index.clone()));
    }
    for (n, (_, b)) in names.iter().zip(&blobs) {
        members.push((n.as_bytes(), b.clone()));
    }
    if !index_first {
        members.push((b"index.json", index));
    }
    tar_of(&members)
}

/// A layer of `n` small files f0..f{n-1} under `d/`.
fn files_layer(n: usize) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let mut h = raw_header(b"d/", tar::EntryType::Directory, 0);
    h.set_mode(0o755);
    h.set_cksum();
    b.append(&h, &[][..]).unwrap();
    for i in 0..n {
        let body = format!("content of file {i}\n").into_bytes();
        let h = raw_header(
            format!("d/f{i}").as_bytes(),
            tar::EntryType::Regular,
            body.len() as u64,
        );
        b.append(&h, body.as_slice()).unwrap();
    }
    b.into_inner().unwrap()
}

fn read(bytes: &[u8], opts: &ReadOptions) -> Archive {
    read_archive(Cursor::new(bytes.to_vec()), opts)
}

fn defaults() -> ReadOptions {
    ReadOptions::default()
}

// ---------------------------------------------------------------- tests

#[test]
fn valid_synthetic_archives_read_completely() {
    let layer = files_layer(20);
    for (name, bytes) in [
        ("docker", docker_save(std::slice::from_ref(&layer))),
        (
            "oci-none",
            oci_archive(&[(layer.clone(), Compression::None)], None),
        ),
        (
            "oci-gzip",
            oci_archive(&[(layer.clone(), Compression::Gzip)], None),
        ),
        (
            "oci-zstd",
            oci_archive(&[(layer.clone(), Compression::Zstd)], None),
        ),
    ] {
        for verify in [false, true] {
            let a = read(
                &bytes,
                &ReadOptions {
                    verify,
                    ..defaults()
                },
            );
            assert!(a.error.is_none(), "{name}: {:?}", a.error);
            assert!(
                a.verify_failures.is_empty(),
                "{name}: {:?}",
                a.verify_failures
            );
            assert_eq!(a.images.len(), 1, "{name}");
            let l = &a.images[0].layers[0];
            assert_eq!(l.entries.len(), 21, "{name}");
            assert_eq!(l.uncompressed_size, layer.len() as u64, "{name}");
            assert_eq!(l.diff_id, sha256_digest(&layer), "{name}");
        }
        // Opt-in content hashing: each file's sha256, in both readers.
        let opts = ReadOptions {
            hash_contents: true,
            ..defaults()
        };
        for a in [read(&bytes, &opts), read(&gzip(&bytes), &opts)] {
            let e = &a.images[0].layers[0].entries[3];
            assert_eq!(e.path.as_bytes(), b"d/f2");
            let want = sha256_digest(b"content of file 2\n");
            let got = format!(
                "sha256:{}",
                e.content_sha256
                    .unwrap()
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            );
            assert_eq!(got, want, "{name}");
            assert!(
                a.images[0].layers[0].entries[0].content_sha256.is_none(),
                "directories are not hashed"
            );
        }
        // The gzip-wrapped archive (read in one pass) gives the same images.
        let plain = read(&bytes, &defaults());
        let wrapped = read(&gzip(&bytes), &defaults());
        assert!(
            wrapped.outer_gzip && wrapped.error.is_none(),
            "{name}: {:?}",
            wrapped.error
        );
        assert_eq!(wrapped.images, plain.images, "{name}");
    }
}

#[test]
fn cut_at_many_offsets_gives_errors_with_member_and_partial_results() {
    let layer = files_layer(40);
    for (name, bytes) in [
        ("docker", docker_save(std::slice::from_ref(&layer))),
        (
            "oci-gzip",
            oci_archive_ordered(&[(layer.clone(), Compression::Gzip)], None, true),
        ),
        (
            "oci-zstd",
            oci_archive_ordered(&[(layer.clone(), Compression::Zstd)], None, true),
        ),
    ] {
        let full = read(&bytes, &defaults());
        assert!(full.error.is_none());
        let layer_member = full.images[0].layers[0].member.clone();
        let mut partial_seen = 0;
        let step = 97; // not a multiple of 512: cuts land in headers, bodies and padding
                       // Cuts that keep the first end-of-archive zero block lose nothing and are accepted (as
                       // Go's reader does), so they are left out.
        let last = bytes.len() - 512;
        for cut in (1..last).step_by(step).chain((512..last).step_by(512)) {
            for gz in [false, true] {
                let data = if gz {
                    gzip(&bytes[..cut])
                } else {
                    bytes[..cut].to_vec()
                };
                let a = read(&data, &defaults());
                let e = a
                    .error
                    .as_ref()
                    .unwrap_or_else(|| panic!("{name} cut {cut} gz={gz}: no error"));
                assert!(!e.to_string().is_empty());
                let limit = if e.in_layer_stream { layer.len() } else { cut };
                assert!(e.offset <= limit as u64, "{name} cut {cut} gz={gz}: {e}");
                if let Some(l) = a.images.first().and_then(|i| i.layers.first()) {
                    // A partial layer: fewer entries, and the error names the layer member.
                    if l.entries.len() < 41 {
                        assert_eq!(e.member, layer_member, "{name} cut {cut} gz={gz}: {e}");
                        assert_eq!(
                            l.entries[..],
                            full.images[0].layers[0].entries[..l.entries.len()]
                        );
                        partial_seen += 1;
                    }
                }
            }
        }
        assert!(
            partial_seen > 5,
            "{name}: only {partial_seen} partial results"
        );
    }
}

#[test]
fn archive_cut_before_manifest_names_missing_member() {
    // docker save writes manifest.json last: a cut loses it, and the error says where.
    let bytes = tar_of(&[
        (b"l0/layer.tar", files_layer(3)),
        (b"manifest.json", b"[]".to_vec()),
    ]);
    let a = read(&bytes[..1024 + 512], &defaults());
    let e = a.error.expect("error");
    assert_eq!(e.kind, ErrorKind::Truncated);
    assert!(e.offset > 0 && e.offset <= 1536, "{e}");
}

#[test]
fn corrupt_gzip_and_zstd_layers() {
    let layer = files_layer(200);
    for c in [Compression::Gzip, Compression::Zstd] {
        let good = oci_archive(&[(layer.clone(), c)], None);
        let a = read(&good, &defaults());
        let member = a.images[0].layers[0].member.clone();
        let off = a.members.get(&member).unwrap().offset as usize;
        let size = a.members.get(&member).unwrap().size as usize;
        let mut bad = good.clone();
        for b in &mut bad[off + 20..off + size - 10] {
            *b ^= 0x5a;
        }
        let r = read(&bad, &defaults());
        let e = r
            .error
            .unwrap_or_else(|| panic!("{c:?}: corrupt data not noticed"));
        assert_eq!(e.member, member, "{c:?}: {e}");
        assert!(
            matches!(
                e.kind,
                ErrorKind::BadCompression | ErrorKind::Truncated | ErrorKind::BadTar
            ),
            "{c:?}: {e}"
        );
    }
}

#[test]
fn media_type_and_magic_must_agree() {
    let layer = files_layer(2);
    // Declared gzip, stored plain.
    let bytes = oci_archive(
        &[(layer, Compression::None)],
        Some("application/vnd.oci.image.layer.v1.tar+gzip"),
    );
    for data in [bytes.clone(), gzip(&bytes)] {
        let e = read(&data, &defaults()).error.expect("mismatch noticed");
        assert_eq!(e.kind, ErrorKind::BadCompression, "{e}");
        assert!(e.member.starts_with("blobs/sha256/"), "{e}");
        assert!(
            e.expected.contains("gzip") && e.found.contains("none"),
            "{e}"
        );
    }
}

#[test]
fn wrong_digests_are_reported_with_verify() {
    let layer = files_layer(3);
    // docker save whose config lists a wrong diff_id.
    let mut bytes = docker_save(std::slice::from_ref(&layer));
    let a = read(&bytes, &defaults());
    let cfg_member = a.members.members[1].clone();
    let cfg_off = cfg_member.offset as usize;
    let cfg =
        String::from_utf8(bytes[cfg_off..cfg_off + cfg_member.size as usize].to_vec()).unwrap();
    let wrong = cfg.replacen(&hex_of(&sha256_digest(&layer))[..8], "00000000", 1);
    bytes[cfg_off..cfg_off + wrong.len()].copy_from_slice(wrong.as_bytes());
    let quiet = read(&bytes, &defaults());
    assert!(quiet.verify_failures.is_empty() && quiet.error.is_none());
    let v = read(
        &bytes,
        &ReadOptions {
            verify: true,
            ..defaults()
        },
    );
    let texts: Vec<String> = v.verify_failures.iter().map(|e| e.to_string()).collect();
    // The config no longer matches its file name, and the layer no longer matches its diff_id.
    assert!(
        texts
            .iter()
            .any(|t| t.contains(&cfg_member.name) && t.contains("config")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("l0/layer.tar") && t.contains("diff_id")),
        "{texts:?}"
    );
    assert!(v
        .verify_failures
        .iter()
        .all(|e| e.kind == ErrorKind::DigestMismatch));

    // OCI blob whose bytes differ from its descriptor digest.
    let good = oci_archive(&[(layer, Compression::Gzip)], None);
    let a = read(&good, &defaults());
    let m = a
        .members
        .get(&a.images[0].layers[0].member)
        .unwrap()
        .clone();
    let mut bad = good.clone();
    // Flip a byte of the gzip trailer's mtime field area (header byte 4): still decodes.
    bad[m.offset as usize + 4] ^= 1;
    let v = read(
        &bad,
        &ReadOptions {
            verify: true,
            ..defaults()
        },
    );
    assert!(v.error.is_none(), "{:?}", v.error);
    assert_eq!(v.verify_failures.len(), 1, "{:?}", v.verify_failures);
    assert_eq!(v.verify_failures[0].member, m.name);
    assert!(v.verify_failures[0].expected.contains("digest"));
}

#[test]
fn missing_blobs_and_manifests_pointing_nowhere() {
    let layer = files_layer(2);
    // manifest.json names a layer that is not there.
    let manifest = serde_json::to_vec(
        &json!([{"Config": "c.json", "RepoTags": null, "Layers": ["nope/layer.tar"]}]),
    )
    .unwrap();
    let config = config_json(&[sha256_digest(&layer)], "linux", "amd64");
    let a = read(
        &tar_of(&[(b"manifest.json", manifest), (b"c.json", config)]),
        &defaults(),
    );
    let e = a.error.expect("missing layer");
    assert_eq!(e.kind, ErrorKind::Missing);
    assert_eq!(e.member, "nope/layer.tar");
    assert_eq!(a.images.len(), 1, "the image is still listed");

    // manifest.json names a config that is not there.
    let manifest = serde_json::to_vec(&json!([{"Config": "gone.json", "Layers": []}])).unwrap();
    let e = read(&tar_of(&[(b"manifest.json", manifest)]), &defaults())
        .error
        .unwrap();
    assert_eq!(
        (e.kind, e.member.as_str()),
        (ErrorKind::Missing, "gone.json")
    );

    // index.json points at a manifest blob that is not there.
    let index = serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": format!("sha256:{}", "ab".repeat(32)), "size": 10}]}))
    .unwrap();
    let e = read(&tar_of(&[(b"index.json", index)]), &defaults())
        .error
        .unwrap();
    assert_eq!(e.kind, ErrorKind::Missing);
    assert_eq!(e.member, format!("blobs/sha256/{}", "ab".repeat(32)));

    // Neither manifest.json nor index.json.
    let e = read(&tar_of(&[(b"hello.txt", b"hi".to_vec())]), &defaults())
        .error
        .unwrap();
    assert_eq!(e.kind, ErrorKind::UnknownLayout);
}

#[test]
fn json_of_the_wrong_shape() {
    for (member, body) in [
        (&b"manifest.json"[..], br#"{"Config": "x"}"#.to_vec()),
        (
            &b"manifest.json"[..],
            b"[{\"Config\": 5, \"Layers\": []}]".to_vec(),
        ),
        (&b"manifest.json"[..], b"not json".to_vec()),
        (&b"index.json"[..], br#"{"manifests": {"a": 1}}"#.to_vec()),
    ] {
        let e = read(&tar_of(&[(member, body)]), &defaults())
            .error
            .expect("error");
        assert_eq!(e.kind, ErrorKind::BadJson, "{e}");
        assert_eq!(e.member.as_bytes(), member);
        assert!(e.found.contains("line"), "{e}");
    }
    // A config whose history is a string.
    let manifest = serde_json::to_vec(&json!([{"Config": "c.json", "Layers": []}])).unwrap();
    let e = read(
        &tar_of(&[
            (b"manifest.json", manifest),
            (b"c.json", br#"{"history": "x"}"#.to_vec()),
        ]),
        &defaults(),
    )
    .error
    .unwrap();
    assert_eq!((e.kind, e.member.as_str()), (ErrorKind::BadJson, "c.json"));
    assert_eq!(e.offset, 1536, "offset of c.json's body");
}

#[test]
fn absolute_and_dotdot_names() {
    for name in [&b"/etc/passwd"[..], b"../escape", b"a/../../b"] {
        let bytes = tar_of(&[(b"manifest.json", b"[]".to_vec()), (name, b"x".to_vec())]);
        for data in [bytes.clone(), gzip(&bytes)] {
            let e = read(&data, &defaults()).error.expect("unsafe name refused");
            assert_eq!(e.kind, ErrorKind::UnsafePath, "{e}");
            assert_eq!(e.offset, 1024, "header offset of the second member");
        }
    }
    // Inside a layer.
    let layer = tar_of(&[(b"ok", b"1".to_vec()), (b"../../etc/shadow", b"2".to_vec())]);
    let a = read(&docker_save(&[layer]), &defaults());
    let e = a.error.expect("unsafe entry refused");
    assert_eq!(
        (e.kind, e.member.as_str(), e.offset),
        (ErrorKind::UnsafePath, "l0/layer.tar", 1024)
    );
    assert_eq!(
        a.images[0].layers[0].entries.len(),
        1,
        "the entry before it is kept"
    );
    // A symlinked layer that points outside the archive.
    let mut b = tar::Builder::new(Vec::new());
    let manifest =
        serde_json::to_vec(&json!([{"Config": "c.json", "Layers": ["l/layer.tar"]}])).unwrap();
    b.append(
        &raw_header(
            b"manifest.json",
            tar::EntryType::Regular,
            manifest.len() as u64,
        ),
        manifest.as_slice(),
    )
    .unwrap();
    let cfg = config_json(&["sha256:00".into()], "linux", "amd64");
    b.append(
        &raw_header(b"c.json", tar::EntryType::Regular, cfg.len() as u64),
        cfg.as_slice(),
    )
    .unwrap();
    let mut h = raw_header(b"l/layer.tar", tar::EntryType::Symlink, 0);
    h.set_link_name("../../outside.tar").unwrap();
    h.set_cksum();
    b.append(&h, &[][..]).unwrap();
    let e = read(&b.into_inner().unwrap(), &defaults()).error.unwrap();
    assert_eq!(e.kind, ErrorKind::UnsafePath, "{e}");
}

#[test]
fn decompression_bomb_and_entry_caps() {
    // 8 MiB of zeros in one file: a gzip layer of a few kB.
    let mut b = tar::Builder::new(Vec::new());
    let zeros = vec![0u8; 8 << 20];
    b.append(
        &raw_header(b"zeros", tar::EntryType::Regular, zeros.len() as u64),
        zeros.as_slice(),
    )
    .unwrap();
    let layer = b.into_inner().unwrap();
    let bytes = oci_archive(&[(layer, Compression::Gzip)], None);
    assert!(bytes.len() < 100_000);
    let opts = ReadOptions {
        max_bytes: 1 << 20,
        ..defaults()
    };
    for data in [bytes.clone(), gzip(&bytes)] {
        let e = read(&data, &opts).error.expect("cap reached");
        assert_eq!(e.kind, ErrorKind::LimitExceeded, "{e}");
        assert!(e.member.starts_with("blobs/sha256/"));
        assert!(e.to_string().contains("--max-bytes"), "{e}");
    }
    // Raising the cap reads it.
    assert!(read(
        &bytes,
        &ReadOptions {
            max_bytes: 16 << 20,
            ..defaults()
        }
    )
    .error
    .is_none());
    // Entry cap.
    let bytes = docker_save(&[files_layer(50)]);
    let a = read(
        &bytes,
        &ReadOptions {
            max_entries: 10,
            ..defaults()
        },
    );
    let e = a.error.expect("entry cap");
    assert_eq!(e.kind, ErrorKind::LimitExceeded);
    assert!(e.to_string().contains("--max-entries"));
    assert_eq!(a.images[0].layers[0].entries.len(), 10);
    // Plain layer on a seekable source: the cap is checked against the blob size.
    let a = read(
        &bytes,
        &ReadOptions {
            max_bytes: 1000,
            ..defaults()
        },
    );
    assert_eq!(a.error.unwrap().kind, ErrorKind::LimitExceeded);
}

#[test]
fn lossless_headers_and_previews() {
    let mut b = tar::Builder::new(Vec::new());
    // PAX record: long path, xattr, negative mtime.
    let long = format!("deep/{}/file.txt", "x".repeat(180));
    let mut pax = Vec::new();
    for (k, v) in [
        ("path", long.as_bytes()),
        ("SCHILY.xattr.user.comment", b"hi"),
        ("mtime", b"-86400.5"),
    ] {
        let rec_len = k.len() + v.len() + 3;
        let mut len = rec_len + rec_len.to_string().len();
        if len.to_string().len() != rec_len.to_string().len() {
            len += 1;
        }
        pax.extend_from_slice(format!("{len} {k}=").as_bytes());
        pax.extend_from_slice(v);
        pax.push(b'\n');
    }
    b.append(
        &raw_header(b"PaxHeaders/x", tar::EntryType::XHeader, pax.len() as u64),
        pax.as_slice(),
    )
    .unwrap();
    b.append(
        &raw_header(b"short", tar::EntryType::Regular, 5),
        &b"hello"[..],
    )
    .unwrap();
    // base-256 uid, non-UTF-8 name.
    let mut h = raw_header(b"caf\xe9.txt", tar::EntryType::Regular, 3);
    h.set_uid(3_000_000_000);
    h.set_cksum();
    b.append(&h, &b"abc"[..]).unwrap();
    // GNU long name via the builder (it writes an `L` record for long paths).
    let mut h = tar::Header::new_gnu();
    h.set_size(4);
    h.set_mode(0o600);
    h.set_entry_type(tar::EntryType::Regular);
    let gnu_long = format!("gnu/{}/n", "y".repeat(150));
    b.append_data(&mut h, &gnu_long, &b"long"[..]).unwrap();
    let layer = b.into_inner().unwrap();

    for c in [Compression::None, Compression::Gzip, Compression::Zstd] {
        let bytes = oci_archive(&[(layer.clone(), c)], None);
        let a = read(&bytes, &defaults());
        assert!(a.error.is_none(), "{c:?}: {:?}", a.error);
        let l = &a.images[0].layers[0];
        assert_eq!(
            l.entries.len(),
            3,
            "{c:?}: PAX and L records are not entries"
        );
        let e0 = &l.entries[0];
        assert_eq!(e0.path.as_bytes(), long.as_bytes());
        assert_eq!(
            e0.xattrs,
            vec![("user.comment".to_string(), b"hi".to_vec())]
        );
        assert_eq!(e0.mtime, -86401);
        let e1 = &l.entries[1];
        assert_eq!(e1.path.as_bytes(), b"caf\xe9.txt");
        assert_eq!(e1.uid, 3_000_000_000);
        assert_eq!(l.entries[2].path.as_bytes(), gnu_long.as_bytes());
        assert_eq!(l.entries[2].kind, EntryKind::File);
        // Previews: the bytes of each file, capped.
        for (e, want) in l.entries.iter().zip([&b"hello"[..], b"abc", b"long"]) {
            let got = read_entry_bytes(
                &mut Cursor::new(bytes.clone()),
                false,
                &a.members,
                l,
                e,
                100,
            )
            .unwrap();
            assert_eq!(got, want, "{c:?}");
            let got = read_entry_bytes(&mut Cursor::new(bytes.clone()), false, &a.members, l, e, 2)
                .unwrap();
            assert_eq!(got, &want[..2]);
        }
        let gz = gzip(&bytes);
        let g = read(&gz, &defaults());
        let gl = &g.images[0].layers[0];
        let got = read_entry_bytes(
            &mut Cursor::new(gz),
            true,
            &g.members,
            gl,
            &gl.entries[0],
            100,
        )
        .unwrap();
        assert_eq!(got, b"hello");
    }
}

#[test]
fn platform_selection() {
    let layer = files_layer(1);
    let diff = sha256_digest(&layer);
    let mut blobs: Vec<(String, Vec<u8>)> = vec![(diff.clone(), layer.clone())];
    let mut manifests = Vec::new();
    for (os, arch) in [("linux", "arm64"), ("linux", "amd64"), ("linux", "s390x")] {
        let cfg = config_json(std::slice::from_ref(&diff), os, arch);
        let cd = sha256_digest(&cfg);
        let m = serde_json::to_vec(&json!({"schemaVersion": 2,
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cfg.len()},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": diff, "size": layer.len()}]}))
        .unwrap();
        let md = sha256_digest(&m);
        manifests.push(
            json!({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md,
            "size": m.len(), "platform": {"os": os, "architecture": arch}}),
        );
        blobs.push((cd, cfg));
        blobs.push((md, m));
    }
    let nested = serde_json::to_vec(&json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests})).unwrap();
    let nd = sha256_digest(&nested);
    let index = serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.index.v1+json", "digest": nd, "size": nested.len(),
        "annotations": {"org.opencontainers.image.ref.name": "multi"}}]}))
    .unwrap();
    blobs.push((nd, nested));
    let names: Vec<String> = blobs
        .iter()
        .map(|(d, _)| format!("blobs/sha256/{}", hex_of(d)))
        .collect();
    let mut members: Vec<(&[u8], Vec<u8>)> = names
        .iter()
        .zip(&blobs)
        .map(|(n, (_, b))| (n.as_bytes(), b.clone()))
        .collect();
    members.push((b"index.json", index));
    let bytes = tar_of(&members);

    let a = read(&bytes, &defaults());
    assert!(a.error.is_none(), "{:?}", a.error);
    assert_eq!(a.images.len(), 1);
    assert_eq!(a.images[0].platform.to_string(), "linux/amd64");
    assert_eq!(a.images[0].tags, vec!["multi".to_string()]);
    assert_eq!(a.other_platforms.len(), 2);
    let a = read(
        &bytes,
        &ReadOptions {
            platform: Some("linux/s390x".into()),
            ..defaults()
        },
    );
    assert_eq!(a.images[0].platform.architecture, "s390x");
    let e = read(
        &bytes,
        &ReadOptions {
            platform: Some("windows/amd64".into()),
            ..defaults()
        },
    )
    .error
    .unwrap();
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert!(e.found.contains("linux/arm64"), "{e}");
}

#[test]
fn garbage_never_panics() {
    // Random-looking bytes, a header-only archive with a bad checksum, and empty input.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut noise = vec![0u8; 4096];
    for b in &mut noise {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        *b = seed as u8;
    }
    for data in [noise.clone(), gzip(&noise), Vec::new(), vec![0u8; 1024], {
        let mut t = tar_of(&[(b"manifest.json", b"[]".to_vec())]);
        t[148] = b'9';
        t
    }] {
        let a = read(&data, &defaults());
        assert!(a.error.is_some(), "{} bytes accepted", data.len());
    }
}
