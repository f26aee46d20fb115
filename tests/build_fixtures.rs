//! Build simulator cases that need no ../shared: the seed lab on the bundled python:3.8-alpine
//! model, cache results after editing app.py and after moving COPY above RUN, push lines for two
//! images on one base, the builder differences of finding 6 (WORKDIR, `RUN true`, VOLUME,
//! ONBUILD) on small hand-checked Dockerfiles, and ADD of a local tar (plain and gzip). Expected
//! texts follow docs/docker-semantics.md and the captured Docker outputs.

use layerscope::build::{
    build_text, render_build_output, BuildCache, BuildContext, BuildOptions, BuildResult, Builder,
    Engine, OverlayShell, PushStatus, Registry, StepStatus,
};
use layerscope::seed;

fn ctx() -> BuildContext {
    let mut c = BuildContext::new();
    c.add_file("app.py", 0o644, seed::APP_PY.as_bytes().to_vec());
    c.add_file("app2.py", 0o644, seed::APP2_PY.as_bytes().to_vec());
    c
}

fn opts(builder: Builder, tag: &str) -> BuildOptions {
    BuildOptions {
        builder,
        engine: Engine::V26,
        tag: Some(tag.into()),
        ..Default::default()
    }
}

fn go(df: &str, c: &BuildContext, o: &BuildOptions, cache: &mut BuildCache) -> BuildResult {
    build_text(df, c, o, &[], cache, &OverlayShell).unwrap()
}

fn statuses(r: &BuildResult) -> Vec<&'static str> {
    r.steps
        .iter()
        .filter(|s| r.builder == Builder::Classic || s.bk_number.is_some())
        .map(|s| match s.status {
            StepStatus::Base => "base",
            StepStatus::Cached => "cached",
            _ => "run",
        })
        .collect()
}

fn new_rows(r: &BuildResult, base_rows: usize) -> Vec<(String, bool)> {
    r.image.history[base_rows..]
        .iter()
        .map(|h| (h.created_by.clone(), h.empty_layer))
        .collect()
}

#[test]
fn seed_lab_on_the_python_model_buildkit() {
    let mut cache = BuildCache::new();
    let a = go(
        seed::DOCKERFILE_APP,
        &ctx(),
        &opts(Builder::BuildKit, "lab/app"),
        &mut cache,
    );
    let base_rows = 15;
    assert_eq!(
        new_rows(&a, base_rows),
        vec![
            (
                "RUN /bin/sh -c pip install flask # buildkit".to_string(),
                false
            ),
            ("CMD [\"python\" \"app.py\"]".to_string(), true),
            ("COPY app.py /app.py # buildkit".to_string(), false),
        ]
    );
    assert_eq!(a.image.layers.len(), 5 + 2);
    // pip install flask added the catalogue's flask files (and its dependencies) plus etc/.
    let run_layer = &a.image.layers[5];
    let paths: Vec<String> = run_layer
        .entries
        .iter()
        .map(|e| e.path.display().into_owned())
        .collect();
    assert!(paths.contains(&"usr/local/lib/python3.8/site-packages/flask/app.py".to_string()));
    assert!(paths.contains(&"etc/".to_string()));
    assert!(paths
        .iter()
        .any(|p| p.starts_with("usr/local/lib/python3.8/site-packages/werkzeug/")));
    let installed = &a
        .steps
        .iter()
        .find(|s| s.keyword == "RUN")
        .unwrap()
        .outcome
        .installed;
    assert!(
        installed.iter().any(|p| p.starts_with("pip:Flask==")),
        "{installed:?}"
    );
    // `<missing>` below the top row.
    assert_eq!(a.row_ids.iter().filter(|r| r.is_some()).count(), 1);
    assert!(a.row_ids.last().unwrap().is_some());
    // The app.py layer holds 24 bytes.
    assert_eq!(
        a.image.layers[6].regular_file_bytes(),
        seed::APP_PY.len() as u64
    );

    // Edit app.py: only COPY is rebuilt.
    let mut c2 = ctx();
    c2.add_file("app.py", 0o644, b"print(\"edited\")\n".to_vec());
    let a2 = go(
        seed::DOCKERFILE_APP,
        &c2,
        &opts(Builder::BuildKit, "lab/app"),
        &mut cache,
    );
    assert_eq!(statuses(&a2), vec!["base", "cached", "run"]);
    // B after A: RUN cached (CMD is not a BuildKit cache step), COPY app2.py runs.
    let b = go(
        seed::DOCKERFILE_APP2,
        &ctx(),
        &opts(Builder::BuildKit, "lab/app2"),
        &mut cache,
    );
    assert_eq!(statuses(&b), vec!["base", "cached", "run"]);
    let shared = a
        .rootfs_layers()
        .iter()
        .zip(b.rootfs_layers())
        .take_while(|(x, y)| **x == *y)
        .count();
    assert_eq!(shared, 6);

    // Push A then B: B uploads only its COPY layer.
    let mut reg = Registry::new();
    let (la, _) = reg.push(&a.image, "lab/app");
    assert!(la.iter().all(|l| l.status == PushStatus::Pushed));
    let (lb, text) = reg.push(&b.image, "lab/app2");
    assert_eq!(lb[0].status, PushStatus::Pushed);
    assert!(
        lb[1..]
            .iter()
            .all(|l| l.status == PushStatus::MountedFrom("lab/app".into())),
        "{text}"
    );
    assert!(text.starts_with("The push refers to repository [docker.io/lab/app2]\n"));
    let (again, _) = reg.push(&b.image, "lab/app2");
    assert!(again.iter().all(|l| l.status == PushStatus::AlreadyExists));
}

#[test]
fn seed_lab_classic_cache_and_copy_order() {
    let mut cache = BuildCache::new();
    let a = go(
        seed::DOCKERFILE_APP,
        &ctx(),
        &opts(Builder::Classic, "lab/app"),
        &mut cache,
    );
    let rows = new_rows(&a, 15);
    assert_eq!(
        rows[..2].to_vec(),
        vec![
            ("/bin/sh -c pip install flask".to_string(), false),
            (
                "/bin/sh -c #(nop)  CMD [\"python\" \"app.py\"]".to_string(),
                true
            ),
        ]
    );
    // Docker 26's classic `file:` hash: tarsum v1 of the context entry (mode without type bits).
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(format!(
        "nameapp.pymode420uid0gid0size{}typeflag0linknameunamegnamedevmajor0devminor0",
        seed::APP_PY.len()
    ));
    h.update(seed::APP_PY);
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        rows[2],
        (
            format!("/bin/sh -c #(nop) COPY file:{hex} in /app.py "),
            false
        )
    );
    // Classic rows carry ids down to the pulled base's top row.
    let ids: Vec<bool> = a.row_ids.iter().rev().map(|i| i.is_some()).collect();
    assert_eq!(&ids[..4], &[true, true, true, true]);
    assert!(ids[4..].iter().all(|i| !i));

    // B after A in the classic builder: CMD differs, so COPY is rebuilt too.
    let b = go(
        seed::DOCKERFILE_APP2,
        &ctx(),
        &opts(Builder::Classic, "lab/app2"),
        &mut cache,
    );
    assert_eq!(statuses(&b), vec!["base", "cached", "run", "run"]);
    let out = render_build_output(&b);
    assert!(out.contains(" ---> Using cache\n"), "{out}");
    assert!(
        out.contains("Step 3/4 : CMD [\"python\",\"app2.py\"]\n ---> Running in "),
        "{out}"
    );

    // COPY above RUN: an app.py edit now rebuilds the expensive RUN as well.
    let moved = "FROM python:3.8-alpine\nCOPY app.py /app.py\nRUN pip install flask\nCMD [\"python\",\"app.py\"]\n";
    let mut cache = BuildCache::new();
    go(
        moved,
        &ctx(),
        &opts(Builder::Classic, "lab/app"),
        &mut cache,
    );
    let mut c2 = ctx();
    c2.add_file("app.py", 0o644, b"print(\"edited\")\n".to_vec());
    let r = go(moved, &c2, &opts(Builder::Classic, "lab/app"), &mut cache);
    assert_eq!(statuses(&r), vec!["base", "run", "run", "run"]);
    let r = go(moved, &c2, &opts(Builder::Classic, "lab/app"), &mut cache);
    assert_eq!(statuses(&r), vec!["base", "cached", "cached", "cached"]);
}

/// Finding 6: which instructions make a layer per builder.
#[test]
fn layer_or_empty_row_per_builder() {
    let df = "FROM busybox\nRUN true\nWORKDIR /srv/app\nVOLUME /data\nRUN echo hi > /srv/app/x\nONBUILD RUN echo child\nUSER 1000\n";
    let mut cache = BuildCache::new();
    let c = BuildContext::new();
    let classic = go(df, &c, &opts(Builder::Classic, "t"), &mut cache);
    let bk = go(df, &c, &opts(Builder::BuildKit, "t"), &mut cache);
    let base = 2;
    let flags = |r: &BuildResult| {
        r.image.history[base..]
            .iter()
            .map(|h| h.empty_layer)
            .collect::<Vec<_>>()
    };
    // classic: RUN true empty; WORKDIR layer; VOLUME empty; RUN layer; ONBUILD empty; USER empty.
    assert_eq!(flags(&classic), vec![true, false, true, false, true, true]);
    // BuildKit: RUN true is a layer (mount points); no ONBUILD row.
    assert_eq!(flags(&bk), vec![false, false, true, false, true]);
    let top_classic = classic.image.layers.last().unwrap();
    let paths: Vec<String> = top_classic
        .entries
        .iter()
        .map(|e| e.path.display().into_owned())
        .collect();
    // The classic builder creates the VOLUME dir in the next RUN's layer; BuildKit does not.
    assert!(paths.contains(&"data/".to_string()), "{paths:?}");
    let top_bk = bk.image.layers.last().unwrap();
    assert!(!top_bk.entries.iter().any(|e| e.path.as_bytes() == b"data/"));
    let true_layer: Vec<String> = bk.image.layers[1]
        .entries
        .iter()
        .map(|e| e.path.display().into_owned())
        .collect();
    assert_eq!(true_layer, vec!["etc/", "proc/", "sys/"]);
    assert_eq!(bk.image.config.on_build, vec!["RUN echo child".to_string()]);
}

#[test]
fn unknown_commands_are_reported_not_guessed() {
    let mut cache = BuildCache::new();
    let r = go(
        "FROM alpine:3.20\nRUN make -j4 && echo done > /done\n",
        &BuildContext::new(),
        &opts(Builder::BuildKit, "t"),
        &mut cache,
    );
    let run = r.steps.iter().find(|s| s.keyword == "RUN").unwrap();
    assert_eq!(run.outcome.not_simulated, vec!["make".to_string()]);
    let out = render_build_output(&r);
    assert!(out.contains("layerscope: not simulated: make"), "{out}");
    let r = go(
        "FROM python:3.8-alpine\nRUN pip install no-such-package-here\n",
        &BuildContext::new(),
        &opts(Builder::BuildKit, "t"),
        &mut cache,
    );
    let run = r.steps.iter().find(|s| s.keyword == "RUN").unwrap();
    assert!(run.outcome.not_simulated[0].contains("no-such-package-here"));
}

#[test]
fn dockerignore_multistage_and_target() {
    let mut c = BuildContext::new();
    c.add_file(".dockerignore", 0o644, b"secret.txt\n".to_vec());
    c.add_file("secret.txt", 0o644, b"s3cr3t\n".to_vec());
    c.add_file("hello.sh", 0o755, b"#!/bin/sh\necho hi\n".to_vec());
    let mut cache = BuildCache::new();
    let e = build_text(
        "FROM scratch\nCOPY secret.txt /\n",
        &c,
        &opts(Builder::BuildKit, "t"),
        &[],
        &mut cache,
        &OverlayShell,
    )
    .unwrap_err();
    assert_eq!(e.line, Some(2));
    let df = "FROM busybox AS build\nCOPY hello.sh /src/\nRUN mkdir -p /out && cp /src/hello.sh /out/hello\nFROM busybox AS unused\nRUN echo x > /x\nFROM scratch\nCOPY --from=build /out/hello /hello\n";
    let r = go(df, &c, &opts(Builder::BuildKit, "t"), &mut cache);
    // BuildKit skips the unused stage; the final image is scratch + one COPY.
    assert!(!r.steps.iter().any(|s| s.stage == 1));
    assert_eq!(r.image.layers.len(), 1);
    assert_eq!(
        r.image.history[0].created_by,
        "COPY /out/hello /hello # buildkit"
    );
    assert_eq!(r.tree.get("hello").map(|n| n.mode()), Some(0o755));
    let classic = go(df, &c, &opts(Builder::Classic, "t"), &mut cache);
    assert!(
        classic.steps.iter().any(|s| s.stage == 1),
        "the classic builder builds every stage"
    );
    let mut o = opts(Builder::BuildKit, "t");
    o.target = Some("build".into());
    let t = go(df, &c, &o, &mut cache);
    assert!(t.tree.get("out/hello").is_some());
}

/// Every prefix of a Dockerfile that uses most instructions builds or fails with an error that
/// names a line; none panics.
#[test]
fn truncated_dockerfiles_never_panic() {
    let full = "ARG V=1\nFROM busybox AS b\nLABEL a=\"x y\" b=${V}\nENV P=/x Q=\"a b\"\nWORKDIR $P\nRUN <<EOT\necho \"$(id -u)\" > f; for i in 1 2; do echo $i >> g; done\nEOT\nCOPY --chown=1:1 a.txt ./\nHEALTHCHECK --interval=5s CMD true\nSHELL [\"/bin/sh\", \"-c\"]\nONBUILD RUN x\nFROM scratch\nCOPY --from=b /x /y\nEXPOSE 80 53/udp\nVOLUME [\"/v\"]\nCMD [\"a\"]\n";
    let mut c = BuildContext::new();
    c.add_file("a.txt", 0o644, b"a\n".to_vec());
    let mut cache = BuildCache::new();
    for builder in [Builder::BuildKit, Builder::Classic] {
        let mut cut = 0;
        while cut <= full.len() {
            if full.is_char_boundary(cut) {
                let r = build_text(
                    &full[..cut],
                    &c,
                    &opts(builder, "t"),
                    &[],
                    &mut cache,
                    &OverlayShell,
                );
                if let Ok(r) = r {
                    let _ = render_build_output(&r);
                }
            }
            cut += 1;
        }
    }
}

#[test]
fn cli_builds_pushes_and_reports_the_cache() {
    let dir = std::env::temp_dir().join(format!("layerscope-build-cli-{}", std::process::id()));
    let dir2 = dir.join("edited");
    std::fs::create_dir_all(&dir2).unwrap();
    std::fs::write(dir.join("Dockerfile.A"), seed::DOCKERFILE_APP).unwrap();
    std::fs::write(dir.join("Dockerfile.B"), seed::DOCKERFILE_APP2).unwrap();
    std::fs::write(dir.join("app.py"), seed::APP_PY).unwrap();
    std::fs::write(dir.join("app2.py"), seed::APP2_PY).unwrap();
    std::fs::write(dir2.join("app.py"), "print(1)\n").unwrap();
    std::fs::write(dir2.join("app2.py"), seed::APP2_PY).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_layerscope"))
        .args([
            "build",
            "--builder",
            "classic",
            "--push",
            "-t",
            "lab/app",
            "-t",
            "lab/app2",
        ])
        .arg(dir.join("Dockerfile.A"))
        .arg(dir.join("Dockerfile.B"))
        .arg("--context2")
        .arg(&dir2)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("Step 4/4 : COPY app.py /app.py\n"), "{text}");
    assert!(
        text.contains("Successfully tagged lab/app:latest\n"),
        "{text}"
    );
    assert!(
        text.contains("2 step(s) from the cache, 1 rebuilt"),
        "{text}"
    );
    assert!(
        text.contains("The push refers to repository [docker.io/lab/app2]"),
        "{text}"
    );
    assert!(text.contains(": Mounted from lab/app\n"), "{text}");
    let pushed_b = text.split("docker push lab/app2").nth(1).unwrap();
    assert_eq!(pushed_b.matches(": Pushed").count(), 1, "{pushed_b}");
}

/// A tar of two files (`a.txt`, `d/b.txt`) made by the tar crate's writer.
fn small_tar() -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, body) in [
        ("a.txt", &b"hello\n"[..]),
        ("d/b.txt", &b"twelve bytes"[..]),
    ] {
        let mut h = tar::Header::new_gnu();
        h.set_size(body.len() as u64);
        h.set_mode(0o640);
        h.set_cksum();
        b.append_data(&mut h, path, body).unwrap();
    }
    b.into_inner().unwrap()
}

#[test]
fn add_extracts_a_local_tar_plain_or_gzip_compressed() {
    let tar = small_tar();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &tar).unwrap();
    let mut c = BuildContext::new();
    c.add_file("files.tar", 0o644, tar);
    c.add_file("files.tgz", 0o644, gz.finish().unwrap());
    let df = "FROM busybox\nADD files.tar /plain/\nADD files.tgz /gz/\n";
    let r = go(
        df,
        &c,
        &opts(Builder::BuildKit, "t"),
        &mut BuildCache::new(),
    );
    let n = r.image.layers.len();
    for (layer, dir) in [
        (&r.image.layers[n - 2], "plain"),
        (&r.image.layers[n - 1], "gz"),
    ] {
        let files: Vec<(String, u64)> = layer
            .entries
            .iter()
            .filter(|e| e.kind == layerscope::image::EntryKind::File)
            .map(|e| (e.path.display().into_owned(), e.size))
            .collect();
        assert_eq!(
            files,
            vec![(format!("{dir}/a.txt"), 6), (format!("{dir}/d/b.txt"), 12)]
        );
    }
}
