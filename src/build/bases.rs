//! Base images a build can start FROM: `scratch`, images the caller loaded (from archives, or
//! built earlier in the session), and bundled teaching bases. The bundled `python:3.8-alpine` is a
//! *model*: its layer structure and history rows follow the real image's Dockerfile
//! (docker-library/python `3.8/alpine3.20`, on `alpine:3.20`), and its file lists have realistic
//! names and sizes, but the files are not the real ones and every layer is labelled as a model.

use crate::image::EntryKind;
use crate::image::{HistoryRow, Image, ImageConfig, Layer};
use crate::overlay::apply::Stack;
use crate::overlay::data::FileData;
use crate::overlay::snapshot::{diff_entries, hex, layer_from_entries};
use crate::overlay::tree::{Node, Tree};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// A base image: its model plus the merged file tree, and which history rows carry local image
/// ids (`docker image history` shows `<missing>` for the others).
#[derive(Debug, Clone)]
pub struct BaseImage {
    /// Names it answers to in FROM (`python:3.8-alpine`, `python-like`).
    pub names: Vec<String>,
    pub image: Image,
    pub tree: Tree,
    /// Per history row (oldest first): the local image id of that row, if any. A pulled or
    /// loaded image has only its top row's id; a classic local build has one per row.
    pub row_ids: Vec<Option<String>>,
}

impl BaseImage {
    /// A base from an image whose layers carry entries (an archive the user loaded): the tree is
    /// the layers applied in order; only the top history row has an id, as for a pulled image.
    pub fn from_image(names: Vec<String>, image: Image) -> Self {
        let tree = tree_of_layers(&image.layers);
        let mut row_ids = vec![None; image.history.len()];
        if let Some(last) = row_ids.last_mut() {
            *last = Some(image.short_id().to_string());
        }
        BaseImage {
            names,
            image,
            tree,
            row_ids,
        }
    }

    /// Whether `reference` (as written after FROM) names this base: `name`, `name:latest`,
    /// `docker.io/library/name:latest` and `localhost/…` forms match.
    pub fn answers_to(&self, reference: &str) -> bool {
        let r = normalize_ref(reference);
        self.names.iter().any(|n| normalize_ref(n) == r)
    }
}

/// `docker.io/library/x:latest` → `x:latest`; a missing tag becomes `latest`.
pub fn normalize_ref(r: &str) -> String {
    let mut s = r.trim().to_string();
    for p in [
        "docker.io/library/",
        "docker.io/",
        "index.docker.io/library/",
        "localhost/",
    ] {
        if let Some(rest) = s.strip_prefix(p) {
            s = rest.to_string();
        }
    }
    let last = s.rsplit('/').next().unwrap_or(&s);
    if !last.contains(':') && !s.contains('@') {
        s.push_str(":latest");
    }
    s
}

/// The merged tree of a stack of layers (`overlay::apply`). A hard link becomes a regular file of
/// its own entry's size, as the build's layers record it.
pub fn tree_of_layers(layers: &[Layer]) -> Tree {
    let mut t = Stack::new(layers).top();
    let links: Vec<String> = t
        .walk()
        .into_iter()
        .filter(|(_, n)| n.kind() == EntryKind::Hardlink)
        .map(|(p, _)| String::from_utf8_lossy(&p).into_owned())
        .collect();
    for p in links {
        t.update(&p, |n| {
            n.link_target = None;
            *n = n.clone().with(|e| {
                e.kind = EntryKind::File;
                e.link_target = None;
            });
        });
    }
    t
}

/// Build an image from (history text, empty?, files) rows, for bundled bases.
pub fn image_from_tree_layers(
    tag: &str,
    rows: Vec<(String, String, Option<Tree>)>,
    config: ImageConfig,
) -> BaseImage {
    let mut tree = Tree::empty();
    let mut layers = Vec::new();
    let mut history = Vec::new();
    for (created_by, comment, upper) in rows {
        let mut row = HistoryRow {
            created: Some("2024-09-06T22:37:00Z".to_string()),
            created_by,
            comment,
            ..Default::default()
        };
        match upper {
            Some(changes) => {
                let before = tree.clone();
                for (p, n) in changes.paths() {
                    tree.put(&p, (*n).clone());
                }
                let entries = diff_entries(&tree, &before);
                row.layer_index = Some(layers.len());
                layers.push(layer_from_entries(layers.len(), entries));
            }
            None => row.empty_layer = true,
        }
        history.push(row);
    }
    let mut h = Sha256::new();
    h.update(tag.as_bytes());
    for l in &layers {
        h.update(l.diff_id.as_bytes());
    }
    let id = format!("sha256:{}", hex(&h.finalize()));
    let image = Image {
        tags: vec![tag.to_string()],
        config_digest: id,
        platform: crate::image::Platform {
            os: "linux".into(),
            architecture: "amd64".into(),
            variant: None,
        },
        created: Some("2024-09-06T22:37:00Z".to_string()),
        config,
        layers,
        history,
        ..Default::default()
    };
    BaseImage::from_image(vec![tag.to_string()], image)
}

/// Names of the bundled bases.
pub fn bundled_base_names() -> Vec<&'static str> {
    vec!["python:3.8-alpine", "alpine:3.20", "busybox:latest"]
}

/// A bundled base by FROM reference.
pub fn bundled_base(reference: &str) -> Option<BaseImage> {
    match normalize_ref(reference).as_str() {
        "python:3.8-alpine" | "python:3.8.19-alpine3.20" => Some(python_38_alpine()),
        "alpine:3.20" | "alpine:latest" => Some(alpine()),
        "busybox:latest" => Some(busybox()),
        _ => None,
    }
}

const MODEL: &str = "model of the real image: paths and sizes are typical, contents are not";

fn sized(tree: &mut Tree, label: &Arc<str>, path: &str, size: u64, mode: u32) {
    let fp: [u8; 32] = Sha256::digest(format!("{label}\0{path}").as_bytes()).into();
    let n = Node::file(
        mode,
        FileData::Sized {
            size,
            fingerprint: fp,
        },
    );
    tree.put(path, n);
}

/// `alpine:3.20`'s minirootfs, abridged to its largest and best-known files.
fn alpine_rootfs() -> Tree {
    let l: Arc<str> = Arc::from(format!("alpine:3.20 minirootfs ({MODEL})"));
    let mut t = Tree::empty();
    for d in [
        "dev",
        "home",
        "media",
        "mnt",
        "opt",
        "proc",
        "root",
        "run",
        "srv",
        "sys",
        "tmp",
        "var/cache",
        "var/log",
        "var/tmp",
        "usr/local/bin",
        "usr/local/lib",
        "etc/apk/keys",
    ] {
        t.mkdir_p(
            d,
            if d == "tmp" || d == "var/tmp" {
                0o1777
            } else {
                0o755
            },
        );
    }
    sized(&mut t, &l, "bin/busybox", 796_720, 0o755);
    for app in [
        "sh", "ls", "cat", "cp", "mv", "rm", "mkdir", "echo", "chmod", "ln", "grep", "sed", "tar",
        "gzip", "vi",
    ] {
        t.put(&format!("bin/{app}"), Node::symlink("/bin/busybox"));
    }
    for (p, s) in [
        ("lib/ld-musl-x86_64.so.1", 654_176u64),
        ("lib/libc.musl-x86_64.so.1", 0),
        ("lib/libcrypto.so.3", 4_465_560),
        ("lib/libssl.so.3", 602_232),
        ("lib/libz.so.1.3.1", 100_712),
        ("lib/libapk.so.2.14.0", 227_672),
        ("sbin/apk", 67_064),
        ("usr/bin/ssl_client", 14_272),
        ("usr/bin/scanelf", 67_072),
        ("usr/bin/getconf", 34_296),
        ("usr/lib/engines-3/afalg.so", 18_080),
        ("usr/lib/ossl-modules/legacy.so", 125_232),
        ("etc/ssl/certs/ca-certificates.crt", 219_703),
        ("etc/ssl/openssl.cnf", 12_324),
        ("etc/os-release", 164),
        ("etc/alpine-release", 7),
        ("etc/passwd", 1_172),
        ("etc/group", 682),
        ("etc/shadow", 448),
        ("etc/profile", 1_123),
        ("etc/apk/repositories", 103),
        ("etc/apk/world", 67),
        ("lib/apk/db/installed", 17_498),
        (
            "usr/share/apk/keys/alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub",
            800,
        ),
    ] {
        if s == 0 {
            t.put(p, Node::symlink("ld-musl-x86_64.so.1"));
        } else {
            sized(
                &mut t,
                &l,
                p,
                s,
                if p.contains("bin/") { 0o755 } else { 0o644 },
            );
        }
    }
    t
}

fn busybox() -> BaseImage {
    let l: Arc<str> = Arc::from(format!("busybox:latest ({MODEL})"));
    let mut t = Tree::empty();
    sized(&mut t, &l, "bin/busybox", 1_131_168, 0o755);
    for app in [
        "sh", "ls", "cat", "cp", "mv", "rm", "mkdir", "echo", "chmod", "ln", "vi",
    ] {
        t.put(&format!("bin/{app}"), Node::symlink("busybox"));
    }
    for d in [
        "dev",
        "home",
        "root",
        "tmp",
        "usr/sbin",
        "var/spool/mail",
        "var/www",
    ] {
        t.mkdir_p(d, if d == "tmp" { 0o1777 } else { 0o755 });
    }
    for (p, s) in [
        ("etc/passwd", 340u64),
        ("etc/group", 286),
        ("etc/shadow", 243),
    ] {
        sized(&mut t, &l, p, s, 0o644);
    }
    image_from_tree_layers(
        "busybox:latest",
        vec![
            (
                "BusyBox 1.36.1 (glibc), Debian 12".to_string(),
                String::new(),
                Some(t),
            ),
            (
                "CMD [\"sh\"]".to_string(),
                "buildkit.dockerfile.v0".to_string(),
                None,
            ),
        ],
        ImageConfig {
            env: vec!["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()],
            cmd: Some(vec!["sh".into()]),
            ..Default::default()
        },
    )
}

fn alpine_rows() -> Vec<(String, String, Option<Tree>)> {
    vec![
        (
            "/bin/sh -c #(nop) ADD file:5758b97d8301c84a204a6e516241275d785a7cade40b2fb99f01fe122482e283 in / "
                .to_string(),
            String::new(),
            Some(alpine_rootfs()),
        ),
        ("/bin/sh -c #(nop)  CMD [\"/bin/sh\"]".to_string(), String::new(), None),
    ]
}

fn alpine() -> BaseImage {
    image_from_tree_layers(
        "alpine:3.20",
        alpine_rows(),
        ImageConfig {
            env: vec!["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()],
            cmd: Some(vec!["/bin/sh".into()]),
            ..Default::default()
        },
    )
}

/// The python:3.8-alpine model: rows as in the official Dockerfile, built with BuildKit.
fn python_38_alpine() -> BaseImage {
    let bk = "buildkit.dockerfile.v0".to_string();
    let mut rows = alpine_rows();
    let env = |s: &str| (format!("ENV {s}"), bk.clone(), None);
    rows.push(env(
        "PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    ));
    rows.push(env("LANG=C.UTF-8"));
    // Runtime dependencies.
    let l: Arc<str> = Arc::from(format!("apk add ca-certificates tzdata ({MODEL})"));
    let mut t = Tree::empty();
    sized(
        &mut t,
        &l,
        "etc/ssl/certs/ca-certificates.crt",
        219_703,
        0o644,
    );
    sized(
        &mut t,
        &l,
        "usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt",
        1_939,
        0o644,
    );
    for (zone, size) in [
        ("Europe/Berlin", 2_298u64),
        ("America/New_York", 3_552),
        ("Asia/Tokyo", 309),
        ("UTC", 114),
        ("Etc/UTC", 114),
    ] {
        sized(
            &mut t,
            &l,
            &format!("usr/share/zoneinfo/{zone}"),
            size,
            0o644,
        );
    }
    sized(&mut t, &l, "usr/share/zoneinfo/tzdata.zi", 107_143, 0o644);
    sized(&mut t, &l, "usr/share/zoneinfo/zone1970.tab", 17_883, 0o644);
    sized(&mut t, &l, "usr/bin/posixtz", 18_248, 0o755);
    sized(&mut t, &l, "lib/apk/db/installed", 22_910, 0o644);
    rows.push((
        "RUN /bin/sh -c set -eux; \tapk add --no-cache \t\tca-certificates \t\ttzdata \t; # buildkit".to_string(),
        bk.clone(),
        Some(t),
    ));
    rows.push(env("GPG_KEY=E3FF2839C048B25C084DEBE9B26995E310250568"));
    rows.push(env("PYTHON_VERSION=3.8.19"));
    // The interpreter build: CPython installed under /usr/local.
    let l: Arc<str> = Arc::from(format!("python 3.8.19 built from source ({MODEL})"));
    let mut t = Tree::empty();
    sized(&mut t, &l, "usr/local/bin/python3.8", 14_432, 0o755);
    sized(
        &mut t,
        &l,
        "usr/local/lib/libpython3.8.so.1.0",
        3_578_072,
        0o755,
    );
    sized(&mut t, &l, "usr/local/bin/python3.8-config", 3_112, 0o755);
    sized(&mut t, &l, "usr/local/bin/pydoc3.8", 82, 0o755);
    sized(&mut t, &l, "usr/local/bin/idle3.8", 80, 0o755);
    for (name, target) in [
        ("python3", "python3.8"),
        ("pydoc3", "pydoc3.8"),
        ("idle3", "idle3.8"),
        ("python3-config", "python3.8-config"),
    ] {
        t.put(&format!("usr/local/bin/{name}"), Node::symlink(target));
    }
    let stdlib: &[(&str, u64)] = &[
        ("os.py", 38_995),
        ("re.py", 15_770),
        ("typing.py", 68_403),
        ("subprocess.py", 77_757),
        ("collections/__init__.py", 48_324),
        ("json/__init__.py", 14_019),
        ("json/decoder.py", 12_472),
        ("json/encoder.py", 16_072),
        ("asyncio/base_events.py", 74_257),
        ("asyncio/tasks.py", 34_519),
        ("email/message.py", 47_060),
        ("http/client.py", 55_231),
        ("http/server.py", 47_254),
        ("urllib/request.py", 101_308),
        ("unittest/case.py", 57_510),
        ("logging/__init__.py", 77_608),
        ("pathlib.py", 52_977),
        ("datetime.py", 88_107),
        ("argparse.py", 96_015),
        ("ssl.py", 50_707),
        ("socket.py", 35_243),
        ("threading.py", 50_585),
        ("tarfile.py", 93_403),
        ("zipfile.py", 87_730),
        ("pydoc_data/topics.py", 691_810),
        ("lib-dynload/_ssl.cpython-38-x86_64-linux-gnu.so", 246_984),
        (
            "lib-dynload/_sqlite3.cpython-38-x86_64-linux-gnu.so",
            157_480,
        ),
        (
            "lib-dynload/_decimal.cpython-38-x86_64-linux-gnu.so",
            349_400,
        ),
        (
            "lib-dynload/unicodedata.cpython-38-x86_64-linux-gnu.so",
            1_075_824,
        ),
        (
            "lib-dynload/_codecs_jp.cpython-38-x86_64-linux-gnu.so",
            264_064,
        ),
        ("config-3.8-x86_64-linux-gnu/Makefile", 113_938),
        ("tkinter/__init__.py", 172_057),
        ("idlelib/editor.py", 69_337),
        ("distutils/ccompiler.py", 47_418),
        ("ensurepip/__init__.py", 6_990),
        ("site-packages/README.txt", 119),
    ];
    for (p, s) in stdlib {
        sized(
            &mut t,
            &l,
            &format!("usr/local/lib/python3.8/{p}"),
            *s,
            0o644,
        );
    }
    // The rest of the standard library in bulk files, so the layer has the real image's size.
    let rest: u64 = 33_000_000 - stdlib.iter().map(|(_, s)| *s).sum::<u64>();
    for i in 0..40 {
        sized(
            &mut t,
            &l,
            &format!("usr/local/lib/python3.8/(model)/module-{i:02}.py"),
            rest / 40,
            0o644,
        );
    }
    sized(
        &mut t,
        &l,
        "usr/local/include/python3.8/Python.h",
        3_221,
        0o644,
    );
    sized(&mut t, &l, "lib/apk/db/installed", 31_540, 0o644);
    sized(&mut t, &l, "usr/lib/libsqlite3.so.0.8.6", 1_185_176, 0o755);
    sized(&mut t, &l, "usr/lib/libffi.so.8.1.4", 43_720, 0o755);
    sized(&mut t, &l, "usr/lib/libncursesw.so.6.4", 379_240, 0o755);
    rows.push((
        "RUN /bin/sh -c set -eux; \t\tapk add --no-cache --virtual .build-deps \t\tgnupg \t\ttar \t\txz \t\t… (configure, make, make install of Python-$PYTHON_VERSION; apk del .build-deps) \tpython3 --version # buildkit".to_string(),
        bk.clone(),
        Some(t),
    ));
    let mut t = Tree::empty();
    for (name, target) in [
        ("idle", "idle3"),
        ("pydoc", "pydoc3"),
        ("python", "python3"),
        ("python-config", "python3-config"),
    ] {
        t.put(&format!("usr/local/bin/{name}"), Node::symlink(target));
    }
    rows.push((
        "RUN /bin/sh -c set -eux; \tfor src in idle3 pydoc3 python3 python3-config; do \t\tdst=\"$(echo \"$src\" | tr -d 3)\"; \t\t[ -s \"/usr/local/bin/$src\" ]; \t\t[ ! -e \"/usr/local/bin/$dst\" ]; \t\tln -svT \"$src\" \"/usr/local/bin/$dst\"; \tdone # buildkit".to_string(),
        bk.clone(),
        Some(t),
    ));
    rows.push(env("PYTHON_PIP_VERSION=23.0.1"));
    rows.push(env("PYTHON_SETUPTOOLS_VERSION=57.5.0"));
    rows.push(env("PYTHON_GET_PIP_URL=https://github.com/pypa/get-pip/raw/def4aec84b261b939137dd1c69eff0aabb4a7bf4/public/get-pip.py"));
    rows.push(env(
        "PYTHON_GET_PIP_SHA256=bc37786ec99618416cc0a0ca32833da447f4d91ab51d2c138dd15b7af21e8e9a",
    ));
    let l: Arc<str> = Arc::from(format!(
        "pip 23.0.1 + setuptools 57.5.0 via get-pip.py ({MODEL})"
    ));
    let mut t = Tree::empty();
    let sp = "usr/local/lib/python3.8/site-packages";
    for (p, s) in [
        ("pip/__init__.py", 357u64),
        ("pip/_internal/cli/main.py", 2_473),
        ("pip/_internal/req/req_install.py", 35_786),
        ("pip/_vendor/rich/console.py", 98_978),
        ("pip/_vendor/pygments/lexers/_mapping.py", 70_385),
        ("pip/_vendor/distlib/t64.exe", 108_032),
        ("pip/_vendor/certifi/cacert.pem", 284_932),
        ("pip-23.0.1.dist-info/RECORD", 71_064),
        ("setuptools/__init__.py", 7_768),
        ("setuptools/dist.py", 43_288),
        ("pkg_resources/__init__.py", 108_287),
        ("setuptools-57.5.0.dist-info/RECORD", 17_960),
    ] {
        sized(&mut t, &l, &format!("{sp}/{p}"), s, 0o644);
    }
    for i in 0..30 {
        sized(
            &mut t,
            &l,
            &format!("{sp}/pip/(model)/vendored-{i:02}.py"),
            300_000,
            0o644,
        );
    }
    sized(&mut t, &l, "usr/local/bin/pip", 230, 0o755);
    sized(&mut t, &l, "usr/local/bin/pip3", 230, 0o755);
    sized(&mut t, &l, "usr/local/bin/pip3.8", 230, 0o755);
    rows.push((
        "RUN /bin/sh -c set -eux; \t\twget -O get-pip.py \"$PYTHON_GET_PIP_URL\"; \techo \"$PYTHON_GET_PIP_SHA256 *get-pip.py\" | sha256sum -c -; \t\texport PYTHONDONTWRITEBYTECODE=1; \t\tpython get-pip.py \t\t--disable-pip-version-check \t\t--no-cache-dir \t\t--no-compile \t\t\"pip==$PYTHON_PIP_VERSION\" \t\t\"setuptools==$PYTHON_SETUPTOOLS_VERSION\" \t; \trm -f get-pip.py; \t\tpip --version # buildkit".to_string(),
        bk.clone(),
        Some(t),
    ));
    rows.push(("CMD [\"python3\"]".to_string(), bk, None));
    image_from_tree_layers(
        "python:3.8-alpine",
        rows,
        ImageConfig {
            env: vec![
                "PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
                "LANG=C.UTF-8".into(),
                "GPG_KEY=E3FF2839C048B25C084DEBE9B26995E310250568".into(),
                "PYTHON_VERSION=3.8.19".into(),
                "PYTHON_PIP_VERSION=23.0.1".into(),
                "PYTHON_SETUPTOOLS_VERSION=57.5.0".into(),
                "PYTHON_GET_PIP_URL=https://github.com/pypa/get-pip/raw/def4aec84b261b939137dd1c69eff0aabb4a7bf4/public/get-pip.py".into(),
                "PYTHON_GET_PIP_SHA256=bc37786ec99618416cc0a0ca32833da447f4d91ab51d2c138dd15b7af21e8e9a".into(),
            ],
            cmd: Some(vec!["python3".into()]),
            ..Default::default()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_model_follows_the_official_dockerfile_shape() {
        let b = bundled_base("python:3.8-alpine").unwrap();
        // alpine ADD + CMD, ENV PATH, ENV LANG, RUN apk, ENV×2, RUN build, RUN symlinks, ENV×4,
        // RUN get-pip, CMD: 15 rows, 5 layers.
        assert_eq!(b.image.history.len(), 15);
        assert_eq!(b.image.layers.len(), 5);
        assert!(b
            .tree
            .get("usr/local/lib/python3.8/site-packages/pip/__init__.py")
            .is_some());
        let total: u64 = b.image.layers.iter().map(|l| l.regular_file_bytes()).sum();
        assert!((40_000_000..60_000_000).contains(&total), "{total}");
        assert!(b.answers_to("docker.io/library/python:3.8-alpine"));
        assert_eq!(b.row_ids.iter().filter(|r| r.is_some()).count(), 1);
    }
}
