//! The `inspect`, `history` and `tree` subcommands on a small docker save written by this test
//! (tar crate Builder), compared with hand-checked expected outputs.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::process::Command;

fn digest(b: &[u8]) -> String {
    let h = Sha256::digest(b);
    format!(
        "sha256:{}",
        h.iter().map(|x| format!("{x:02x}")).collect::<String>()
    )
}

fn tar_of(members: &[(&str, &[u8], tar::EntryType, u32)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, body, kind, mode) in members {
        let mut h = tar::Header::new_ustar();
        h.set_entry_type(*kind);
        h.set_mode(*mode);
        h.set_size(body.len() as u64);
        h.set_uid(1000);
        h.set_gid(1000);
        h.set_mtime(1_700_000_000);
        b.append_data(&mut h, name, *body).unwrap();
    }
    b.into_inner().unwrap()
}

/// Written once per test (`name`), since tests run in parallel.
/// Two layers: a base with a directory and a 1,500,000-byte file; a top one deleting it.
fn fixture(name: &str) -> PathBuf {
    let big = vec![b'x'; 1_500_000];
    let l0 = tar_of(&[
        ("etc/", b"", tar::EntryType::Directory, 0o755),
        ("etc/big.bin", &big, tar::EntryType::Regular, 0o4755),
    ]);
    let l1 = tar_of(&[
        ("etc/", b"", tar::EntryType::Directory, 0o755),
        ("etc/.wh.big.bin", b"", tar::EntryType::Regular, 0),
    ]);
    let config = serde_json::to_vec(&json!({
        "architecture": "amd64", "os": "linux",
        "config": {"Cmd": ["sh"]},
        "rootfs": {"type": "layers", "diff_ids": [digest(&l0), digest(&l1)]},
        "history": [
            {"created": "2026-01-01T00:00:00Z", "created_by": "/bin/sh -c #(nop) ADD file:0123456789abcdef0123456789abcdef in / "},
            {"created": "2026-01-01T00:00:00Z", "created_by": "/bin/sh -c #(nop)  CMD [\"sh\"]", "empty_layer": true},
            {"created": "2026-01-02T00:00:00Z", "created_by": "RUN /bin/sh -c rm /etc/big.bin # buildkit", "comment": "buildkit.dockerfile.v0"},
        ],
    }))
    .unwrap();
    let cfg_name = format!("{}.json", &digest(&config)[7..]);
    let manifest = serde_json::to_vec(&json!([{"Config": cfg_name, "RepoTags": ["demo:1"], "Layers": ["a/layer.tar", "b/layer.tar"]}])).unwrap();
    let archive = tar_of(&[
        ("a/layer.tar", &l0, tar::EntryType::Regular, 0o644),
        ("b/layer.tar", &l1, tar::EntryType::Regular, 0o644),
        (&cfg_name, &config, tar::EntryType::Regular, 0o644),
        ("manifest.json", &manifest, tar::EntryType::Regular, 0o644),
    ]);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let p = dir.join(format!("archive_cli_{name}.tar"));
    std::fs::write(&p, archive).unwrap();
    p
}

fn run(args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_layerscope"))
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn history_table() {
    let p = fixture("history");
    let p = p.to_str().unwrap();
    let (out, code) = run(&["history", p, "--now", "2026-01-02T00:05:00Z"]);
    assert_eq!(code, 0);
    let (cfg_line, _) = run(&["inspect", "--json", p]);
    let v: Value = serde_json::from_str(&cfg_line).unwrap();
    let id = v["images"][0]["config_digest"].as_str().unwrap()[7..19].to_string();
    let want = format!(
        "IMAGE          CREATED         CREATED BY                                      SIZE      COMMENT\n\
         {id}   5 minutes ago   RUN /bin/sh -c rm /etc/big.bin # buildkit       0B        buildkit.dockerfile.v0\n\
         <missing>      24 hours ago    /bin/sh -c #(nop)  CMD [\"sh\"]                   0B        \n\
         <missing>      24 hours ago    /bin/sh -c #(nop) ADD file:0123456789abcdef0…   1.5MB     \n"
    );
    assert_eq!(out, want);
    let (out, _) = run(&["history", p, "--human=false"]);
    assert!(
        out.starts_with("IMAGE          CREATED AT             CREATED BY"),
        "{out}"
    );
    assert!(
        out.contains(
            "2026-01-01T00:00:00Z   /bin/sh -c #(nop) ADD file:0123456789abcdef0…   1500000   \n"
        ),
        "{out}"
    );
}

#[test]
fn inspect_json_shape() {
    let p = fixture("inspect");
    let (out, code) = run(&["inspect", "--json", p.to_str().unwrap()]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    let im = &v["images"][0];
    assert_eq!(im["tags"], json!(["demo:1"]));
    assert_eq!(
        im["platform"],
        json!({"os": "linux", "architecture": "amd64"})
    );
    let l1 = &im["layers"][1];
    assert_eq!(l1["compression"], "none");
    assert_eq!(
        l1["media_type"],
        "application/vnd.docker.image.rootfs.diff.tar"
    );
    assert_eq!(l1["entry_count"], 2);
    assert_eq!(
        l1["whiteouts"],
        json!([{"entry": "etc/.wh.big.bin", "deletes": "etc/big.bin"}])
    );
    assert_eq!(l1["opaque_whiteouts"], json!([]));
    assert_eq!(im["layers"][0]["regular_file_bytes"], 1_500_000);
    assert_eq!(
        im["layers"][0]["counts_by_type"],
        json!({"file": 1, "dir": 1, "symlink": 0, "hardlink": 0, "char": 0, "block": 0, "fifo": 0})
    );
    assert_eq!(
        im["history"][1],
        json!({"created": "2026-01-01T00:00:00Z", "created_by": "/bin/sh -c #(nop)  CMD [\"sh\"]", "comment": "", "empty_layer": true, "layer_index": null})
    );
    assert_eq!(im["history"][2]["layer_index"], 1);
}

#[test]
fn tree_of_a_layer() {
    let p = fixture("tree");
    let (out, code) = run(&["tree", p.to_str().unwrap(), "--layer", "0"]);
    assert_eq!(code, 0);
    let body: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(
        body,
        vec![
            "drwxr-xr-x       1000:1000            0  etc/",
            "-rwsr-xr-x       1000:1000      1500000    big.bin",
        ]
    );
    let (_, code) = run(&["tree", p.to_str().unwrap(), "--layer", "7"]);
    assert_eq!(code, 1);
}
