//! A `docker diff` case for every shell command: each script runs in a fresh container of a small
//! image built here, and the expected `docker diff` lines and `docker ps -s` SIZE are written out
//! by hand from the rules of docs/docker-semantics.md §1.2 and §4 (overlay2).

use layerscope::image::{Compression, Entry, EntryKind, Layer, RawPath};
use layerscope::overlay::data::ContentSource;
use layerscope::overlay::shell::Shell;
use layerscope::overlay::{diff_text, docker_diff, ps_size, Container, ImageFs, Stack};
use std::collections::BTreeMap;
use std::rc::Rc;

fn entry(path: &str, kind: EntryKind, mode: u32, size: u64) -> Entry {
    let mut e = Entry::new(path, kind, mode, size);
    e.mtime = 1_600_000_000;
    e
}

/// The image: one layer; file bodies are served by `Bodies`.
fn image_layers() -> (Vec<Layer>, BTreeMap<String, Vec<u8>>) {
    let mut bodies = BTreeMap::new();
    let mut entries = Vec::new();
    let mut file = |p: &str, body: Vec<u8>, mode: u32| {
        entries.push(entry(p, EntryKind::File, mode, body.len() as u64));
        bodies.insert(p.to_string(), body);
    };
    file("bin/sh", vec![0x7f; 1000], 0o755);
    file(
        "etc/passwd",
        b"root:x:0:0:root:/root:/bin/sh\n".repeat(3)[..90]
            .to_vec()
            .into_iter()
            .chain(b"nobody:x:\n".iter().copied())
            .collect(),
        0o644,
    );
    file("etc/hosts", b"127.0.0.1 localhost\n".to_vec(), 0o644);
    file("data/keep.txt", b"keep me\n".to_vec(), 0o644);
    file("data/old.txt", b"old\n".to_vec(), 0o644);
    file("data/dir/a.txt", b"a\n".to_vec(), 0o644);
    file("data/dir/sub/b.txt", b"bb\n".to_vec(), 0o644);
    let dirs = [
        "bin/",
        "etc/",
        "data/",
        "data/dir/",
        "data/dir/sub/",
        "tmp/",
        "root/",
    ];
    let mut all: Vec<Entry> = dirs
        .iter()
        .map(|d| {
            entry(
                d,
                EntryKind::Dir,
                if *d == "tmp/" { 0o1777 } else { 0o755 },
                0,
            )
        })
        .collect();
    let mut link = entry("data/link", EntryKind::Symlink, 0o777, 0);
    link.link_target = Some(RawPath::new("keep.txt"));
    all.push(link);
    all.extend(entries);
    let layer = Layer {
        index: 0,
        digest: String::new(),
        diff_id: "sha256:0".into(),
        media_type: String::new(),
        compression: Compression::None,
        blob_size: 0,
        uncompressed_size: 0,
        member: String::new(),
        entries: all,
    };
    (vec![layer], bodies)
}

struct Bodies(BTreeMap<String, Vec<u8>>);
impl ContentSource for Bodies {
    fn read(&self, _layer: usize, e: &Entry) -> Option<Vec<u8>> {
        self.0
            .get(&String::from_utf8_lossy(e.path.normalized()).into_owned())
            .cloned()
    }
}

fn image() -> Rc<ImageFs> {
    let (layers, bodies) = image_layers();
    let stack = Stack::new(&layers);
    Rc::new(ImageFs::new(
        stack.top(),
        &layers,
        Some(Rc::new(Bodies(bodies))),
    ))
}

/// Run `script` line by line in a fresh container; return (docker diff, ps -s size, stdout, stderr, last status).
fn run(script: &str) -> (String, String, String, String, i32) {
    let mut c = Container::new("test", image());
    let mut sh = Shell::new();
    let mut out = String::new();
    let mut err = String::new();
    let mut status = 0;
    for line in script.lines() {
        let o = sh.run(&mut c, line);
        out.push_str(&String::from_utf8_lossy(&o.stdout));
        err.push_str(&String::from_utf8_lossy(&o.stderr));
        status = o.status;
    }
    (diff_text(&docker_diff(&c)), ps_size(&c), out, err, status)
}

#[test]
fn docker_diff_for_every_command() {
    // (script, docker diff, docker ps -s SIZE). The image holds 1137 bytes of files plus an
    // 8-byte symlink target: 1.15kB.
    let cases: &[(&str, &str, &str)] = &[
        ("echo hi > /tmp/new.txt", "C /tmp\nA /tmp/new.txt\n", "3B (virtual 1.15kB)"),
        ("printf '%s-%d\\n' a 1 >> /data/keep.txt", "C /data/keep.txt\n", "12B (virtual 1.16kB)"),
        ("cat /data/keep.txt > /tmp/copy", "C /tmp\nA /tmp/copy\n", "8B (virtual 1.15kB)"),
        ("head -c 3 /dev/urandom > /tmp/r", "C /tmp\nA /tmp/r\n", "3B (virtual 1.15kB)"),
        ("tail -n 1 /etc/passwd > /root/last", "C /root\nA /root/last\n", "10B (virtual 1.16kB)"),
        ("yes | head -n 3 > /tmp/y", "C /tmp\nA /tmp/y\n", "6B (virtual 1.15kB)"),
        ("seq 1 10 > /tmp/s", "C /tmp\nA /tmp/s\n", "21B (virtual 1.17kB)"),
        ("wc -l /etc/passwd > /tmp/wc", "C /tmp\nA /tmp/wc\n", "14B (virtual 1.16kB)"),
        ("touch /data/old.txt", "C /data/old.txt\n", "4B (virtual 1.15kB)"),
        ("touch /data/new", "C /data\nA /data/new\n", "0B (virtual 1.15kB)"),
        (
            "mkdir -p /data/x/y/z",
            "C /data\nA /data/x\nA /data/x/y\nA /data/x/y/z\n",
            "0B (virtual 1.15kB)",
        ),
        ("mkdir /data/keep.txt", "", "0B (virtual 1.15kB)"),
        ("rm /data/old.txt", "C /data\nD /data/old.txt\n", "0B (virtual 1.15kB)"),
        ("rm -r /data/dir", "C /data\nD /data/dir\n", "0B (virtual 1.15kB)"),
        ("rm -f /data/nothing", "", "0B (virtual 1.15kB)"),
        (
            "rm /data/dir/sub/b.txt && rmdir /data/dir/sub",
            "C /data/dir\nD /data/dir/sub\n",
            "0B (virtual 1.15kB)",
        ),
        ("cp /data/keep.txt /tmp/k", "C /tmp\nA /tmp/k\n", "8B (virtual 1.15kB)"),
        (
            "cp -r /data/dir /tmp/d",
            "C /tmp\nA /tmp/d\nA /tmp/d/a.txt\nA /tmp/d/sub\nA /tmp/d/sub/b.txt\n",
            "5B (virtual 1.15kB)",
        ),
        (
            "mv /data/old.txt /tmp/old.txt",
            "C /data\nD /data/old.txt\nC /tmp\nA /tmp/old.txt\n",
            "4B (virtual 1.15kB)",
        ),
        (
            "mv /data/dir /data/moved",
            "C /data\nD /data/dir\nA /data/moved\nA /data/moved/a.txt\nA /data/moved/sub\nA /data/moved/sub/b.txt\n",
            "5B (virtual 1.15kB)",
        ),
        ("ln -s /data/keep.txt /tmp/sl", "C /tmp\nA /tmp/sl\n", "14B (virtual 1.16kB)"),
        ("ln /data/keep.txt /data/hard", "C /data\nA /data/hard\n", "8B (virtual 1.15kB)"),
        ("chmod 600 /data/keep.txt", "C /data/keep.txt\n", "8B (virtual 1.15kB)"),
        ("chmod 700 /data/dir", "C /data/dir\n", "0B (virtual 1.15kB)"),
        ("chown 1000:1000 /etc/passwd", "C /etc/passwd\n", "100B (virtual 1.25kB)"),
        ("chown 1000 /data/dir", "", "0B (virtual 1.15kB)"),
        ("truncate -s 1M /tmp/big", "C /tmp\nA /tmp/big\n", "1.05MB (virtual 1.05MB)"),
        ("truncate -s 2 /data/keep.txt", "C /data/keep.txt\n", "2B (virtual 1.15kB)"),
        (
            "dd if=/dev/zero of=/tmp/z bs=1k count=4",
            "C /tmp\nA /tmp/z\n",
            "4.1kB (virtual 5.24kB)",
        ),
        ("dd if=/dev/urandom of=/tmp/u bs=100 count=1 status=none", "C /tmp\nA /tmp/u\n", "100B (virtual 1.25kB)"),
        ("true", "", "0B (virtual 1.15kB)"),
        ("false", "", "0B (virtual 1.15kB)"),
        ("cd /data && echo x > here", "C /data\nA /data/here\n", "2B (virtual 1.15kB)"),
        ("cd /data/link", "", "0B (virtual 1.15kB)"),
        (
            "test -f /data/keep.txt && echo yes > /tmp/t",
            "C /tmp\nA /tmp/t\n",
            "4B (virtual 1.15kB)",
        ),
        ("[ -d /nope ] || echo no > /tmp/t", "C /tmp\nA /tmp/t\n", "3B (virtual 1.15kB)"),
        (
            "for i in 1 2 3; do touch /tmp/f$i; done",
            "C /tmp\nA /tmp/f1\nA /tmp/f2\nA /tmp/f3\n",
            "0B (virtual 1.15kB)",
        ),
        ("echo hi > /dev/null", "", "0B (virtual 1.15kB)"),
        // Write then delete a new file: nothing for it; the new directory that held it stays.
        (
            "mkdir /tmp/n && echo x > /tmp/n/f && rm /tmp/n/f",
            "C /tmp\nA /tmp/n\n",
            "0B (virtual 1.15kB)",
        ),
        // A lower directory replaced by a file: one C line.
        ("rm -r /data/dir && echo f > /data/dir", "C /data/dir\n", "2B (virtual 1.15kB)"),
        // A lower directory deleted and made again: opaque, so D, then its new children.
        (
            "rm -rf /data/dir && mkdir /data/dir && echo n > /data/dir/new",
            "C /data\nD /data/dir\nA /data/dir/new\n",
            "2B (virtual 1.15kB)",
        ),
        // Rewriting identical content is still a change.
        ("echo 'keep me' > /data/keep.txt", "C /data/keep.txt\n", "8B (virtual 1.15kB)"),
        // A file whose mtime alone changed is C; a directory whose mtime alone changed is not.
        ("touch /data/dir", "", "0B (virtual 1.15kB)"),
        ("echo $(cat /etc/hosts | wc -c) > /tmp/n", "C /tmp\nA /tmp/n\n", "3B (virtual 1.15kB)"),
        // Writing through a symlink changes its target.
        ("echo new > /data/link", "C /data/keep.txt\n", "4B (virtual 1.15kB)"),
    ];
    let mut failures = Vec::new();
    for (script, want_diff, want_size) in cases {
        let (diff, size, _, err, _) = run(script);
        if diff != *want_diff || size != *want_size {
            failures.push(format!(
                "script: {script}\n  diff: {diff:?}\n  want: {want_diff:?}\n  size: {size} want {want_size}\n  stderr: {err}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn unknown_commands_fail_and_change_nothing() {
    let (diff, size, out, err, status) = run("frobnicate > /tmp/x");
    assert_eq!(diff, "");
    assert_eq!(size, "0B (virtual 1.15kB)");
    assert_eq!(out, "");
    assert_eq!(status, 127);
    assert!(err.starts_with("sh: frobnicate: command not found (this simulator knows: ["));
    // A syntax error runs nothing at all.
    let (diff, _, _, err, status) = run("touch /tmp/a; { touch /tmp/b; }");
    assert_eq!((diff.as_str(), status), ("", 2));
    assert_eq!(err, "sh: syntax error at offset 14: `{` is not supported\n");
}

#[test]
fn shell_outputs() {
    let cases: &[(&str, &str)] = &[
        ("X='a  b'; echo \"$X\" $X '$X' \\$X", "a  b a b $X $X\n"),
        ("echo -n a; echo b", "ab\n"),
        ("echo -e 'a\\tb'", "a\tb\n"),
        ("printf '%05d|%-3s|%x\\n' 42 ab 255", "00042|ab |ff\n"),
        ("printf '%s\\n' a b c", "a\nb\nc\n"),
        ("seq 3 | wc -l", "3\n"),
        ("seq 2 2 7", "2\n4\n6\n"),
        ("seq -s , 3", "1,2,3\n"),
        ("yes ab | head -n 2", "ab\nab\n"),
        ("cat /etc/hosts | wc", "      1       2      20\n"),
        (
            "wc -c /data/keep.txt /etc/hosts",
            " 8 /data/keep.txt\n20 /etc/hosts\n28 total\n",
        ),
        ("head -n 1 /etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
        ("tail -c 3 /data/keep.txt", "me\n"),
        ("tail -n +2 /etc/passwd | head -c 4", "root"),
        (
            "true && echo and; false || echo or; false && echo no",
            "and\nor\n",
        ),
        ("false; echo $?", "1\n"),
        ("! false && echo negated", "negated\n"),
        (
            "cd /data; pwd; cd dir/sub; pwd; cd ../..; pwd",
            "/data\n/data/dir/sub\n/data\n",
        ),
        ("cat /data/link", "keep me\n"),
        ("for f in $(seq 1 3); do printf $f; done; echo", "123\n"),
        ("echo \"$(echo \"in $(echo deep)\")\"", "in deep\n"),
        ("head -c 8 /dev/urandom | wc -c", "8\n"),
        ("head -c 4 /dev/zero | wc -c", "4\n"),
        (
            "[ 3 -gt 2 ] && [ abc = abc ] && [ -n x ] && [ -z '' ] && echo ok",
            "ok\n",
        ),
        (
            "test -L /data/link && test -e /data/link && ! test -e /nope && echo links",
            "links\n",
        ),
        ("A=1; A=2 echo $A; echo $A", "1\n1\n"),
        ("echo a > /tmp/f; echo b >> /tmp/f; cat /tmp/f", "a\nb\n"),
        ("cat /nope 2>/dev/null || echo missing", "missing\n"),
        ("cat /nope 2>&1 | wc -l", "1\n"),
    ];
    let mut failures = Vec::new();
    for (script, want) in cases {
        let (_, _, out, err, _) = run(script);
        if out != *want {
            failures.push(format!(
                "script: {script}\n  got: {out:?}\n want: {want:?}\n  err: {err}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn urandom_is_deterministic() {
    let a = run("head -c 16 /dev/urandom > /tmp/a; cat /tmp/a").2;
    let b = run("head -c 16 /dev/urandom > /tmp/a; cat /tmp/a").2;
    assert_eq!(a, b);
    assert!(!a.is_empty());
    // The stream goes on: a second read in the same shell gives other bytes.
    let mut c = Container::new("t", image());
    let mut sh = Shell::new();
    let first = sh.run(&mut c, "head -c 16 /dev/urandom").stdout;
    let second = sh.run(&mut c, "head -c 16 /dev/urandom").stdout;
    assert_eq!(first.len(), 16);
    assert_ne!(first, second);
}

#[test]
fn containers_are_independent_and_commit_to_a_layer() {
    let img = image();
    let mut c1 = Container::new("one", img.clone());
    let mut c2 = Container::new("two", img.clone());
    let mut sh = Shell::new();
    sh.run(&mut c1, "rm -rf /data/dir && mkdir /data/dir && echo n > /data/dir/new && rm /data/old.txt && ln /data/keep.txt /data/h && chmod 600 /etc/hosts");
    sh.run(&mut c2, "echo two > /tmp/two");
    assert_eq!(diff_text(&docker_diff(&c2)), "C /tmp\nA /tmp/two\n");
    assert_eq!(
        diff_text(&docker_diff(&c1)),
        "C /data\nD /data/dir\nA /data/dir/new\nA /data/h\nD /data/old.txt\nC /etc/hosts\n"
    );
    // Commit: the layer, applied on the image, gives exactly the container's view.
    let (layers, _) = image_layers();
    let (committed, bodies) = c1.commit(1);
    let names: Vec<String> = committed
        .entries
        .iter()
        .map(|e| format!("{} {:o} {}", e.kind.as_str(), e.mode, e.path))
        .collect();
    assert_eq!(
        names,
        vec![
            "dir 755 data/",
            "dir 755 data/dir/",
            "file 755 data/dir/.wh..wh..opq",
            "file 644 data/dir/new",
            // Like Go's tar writer: the name that sorts first holds the body, the other links to it.
            "file 644 data/h",
            "hardlink 644 data/keep.txt",
            "file 600 data/.wh.old.txt",
            "dir 755 etc/",
            "file 600 etc/hosts",
        ]
    );
    assert_eq!(bodies.len(), 3);
    let mut all = layers.clone();
    all.push(committed);
    let stack = Stack::new(&all);
    let top = stack.top();
    let merged: Vec<String> = top
        .walk()
        .iter()
        .map(|(p, n)| {
            format!(
                "{} /{}",
                n.resolved().kind.as_str(),
                String::from_utf8_lossy(p)
            )
        })
        .collect();
    let mut view = Vec::new();
    fn walk(fs: &dyn layerscope::overlay::shell::Fs, p: &[u8], out: &mut Vec<String>) {
        for n in fs.list(p).unwrap() {
            let q = if p.is_empty() {
                n.clone()
            } else {
                [p, b"/", &n].concat()
            };
            let m = fs.stat(&q).unwrap();
            out.push(format!(
                "{} /{}",
                m.kind.as_str(),
                String::from_utf8_lossy(&q)
            ));
            if m.kind == EntryKind::Dir {
                walk(fs, &q, out);
            }
        }
    }
    walk(&c1, b"", &mut view);
    assert_eq!(merged, view);
    assert!(view.contains(&"file /data/h".to_string()));
    assert!(!view
        .iter()
        .any(|l| l.contains("old.txt") || l.contains("a.txt")));
}

#[test]
fn odd_input_never_panics_and_fails_cleanly() {
    // (script, exit status, start of stderr)
    let cases: &[(&str, i32, &str)] = &[
        ("printf a | tail -n 0", 0, ""),
        ("tail -n 0 /data/keep.txt", 0, ""),
        (
            "cp -r /data /data/inside",
            1,
            "cp: cannot copy a directory, '/data', into itself",
        ),
        ("cp -r / /x", 1, "cp: cannot copy a directory"),
        (
            "touch -d 99999999999999-01-01 /tmp/x",
            1,
            "touch: invalid date format",
        ),
        ("cat /dev/zero", 1, "cat: /dev/zero: endless input"),
        (
            "dd if=/dev/zero of=/tmp/huge bs=1G count=1000000",
            0,
            "1000000+0 records in",
        ),
        (
            "dd if=/dev/zero of=/tmp/huge bs=1G count=1000000 status=none; cat /tmp/huge",
            1,
            "cat: /tmp/huge: 1073741824000000 bytes is more than",
        ),
        ("seq 1 0 5", 1, "seq: invalid Zero increment"),
        ("rm -r /", 1, "rm: it is dangerous"),
        (
            "mv /data /data/x",
            1,
            "mv: cannot move '/data' to '/data/x': Invalid argument",
        ),
        (
            "ln -s a /tmp/l; ln -s /tmp/l /tmp/a; cat /tmp/a",
            1,
            "cat: /tmp/a: Too many levels of symbolic links",
        ),
        (
            "mkdir /data/keep.txt/x",
            1,
            "mkdir: cannot create directory '/data/keep.txt/x': Not a directory",
        ),
        (
            "echo x > /data",
            1,
            "sh: can't create /data: Is a directory",
        ),
        (
            "rmdir /data/dir",
            1,
            "rmdir: failed to remove '/data/dir': Directory not empty",
        ),
        ("chmod 99 /data/keep.txt", 1, "chmod: invalid mode: '99'"),
        (
            "chown alice /data/keep.txt",
            1,
            "chown: invalid user: 'alice'",
        ),
        (
            "head -n x /data/keep.txt",
            1,
            "head: invalid number of lines: 'x'",
        ),
        ("printf '%q' a", 1, "printf: %q: invalid conversion"),
        ("[ 1 -lt", 2, "[: missing ']'"),
        ("test 1 -zz 2", 2, "test: -zz: binary operator expected"),
        (
            "echo \"$(",
            2,
            "sh: syntax error at offset 6: unterminated `$(`",
        ),
        ("cd /nope", 1, "sh: cd: /nope: No such file or directory"),
    ];
    let mut failures = Vec::new();
    for (script, status, err_start) in cases {
        let (_, _, _, err, st) = run(script);
        if st != *status || !err.starts_with(err_start) {
            failures.push(format!("{script}: status {st}, stderr {err:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn nginx_example_from_dockers_docs() {
    // docker/cli man/src/container/diff.md shows, for an nginx container (the /dev lines left out
    // here, they come from the runtime's /dev):
    //   C /run, A /run/nginx.pid, C /var/lib/nginx/tmp, A /var/lib/nginx/tmp/{client_body,fastcgi,
    //   proxy,scgi,uwsgi}, C /var/log/nginx, A /var/log/nginx/{access,error}.log
    // Only the immediate parent of an A line is listed: no /var, /var/lib, /var/lib/nginx, /var/log.
    let dirs = [
        "run/",
        "var/",
        "var/lib/",
        "var/lib/nginx/",
        "var/lib/nginx/tmp/",
        "var/log/",
        "var/log/nginx/",
    ];
    let layer = Layer {
        index: 0,
        digest: String::new(),
        diff_id: "sha256:0".into(),
        media_type: String::new(),
        compression: Compression::None,
        blob_size: 0,
        uncompressed_size: 0,
        member: String::new(),
        entries: dirs
            .iter()
            .map(|d| entry(d, EntryKind::Dir, 0o755, 0))
            .collect(),
    };
    let layers = vec![layer];
    let img = Rc::new(ImageFs::new(Stack::new(&layers).top(), &layers, None));
    let mut c = Container::new("nginx", img);
    let out = Shell::new().run(
        &mut c,
        "echo 7 > /run/nginx.pid; for d in client_body fastcgi proxy scgi uwsgi; do mkdir /var/lib/nginx/tmp/$d; done; touch /var/log/nginx/access.log /var/log/nginx/error.log",
    );
    assert_eq!(out.status, 0);
    assert_eq!(
        diff_text(&docker_diff(&c)),
        "C /run
A /run/nginx.pid
C /var/lib/nginx/tmp
A /var/lib/nginx/tmp/client_body
A /var/lib/nginx/tmp/fastcgi
A /var/lib/nginx/tmp/proxy
A /var/lib/nginx/tmp/scgi
A /var/lib/nginx/tmp/uwsgi
C /var/log/nginx
A /var/log/nginx/access.log
A /var/log/nginx/error.log
"
    );
}

#[test]
fn moving_an_image_directory_keeps_its_hard_links() {
    let mut b = entry("h/b", EntryKind::Hardlink, 0o644, 0);
    b.link_target = Some(RawPath::new("h/a"));
    let layer = Layer {
        index: 0,
        digest: String::new(),
        diff_id: "sha256:0".into(),
        media_type: String::new(),
        compression: Compression::None,
        blob_size: 0,
        uncompressed_size: 0,
        member: String::new(),
        entries: vec![
            entry("h/", EntryKind::Dir, 0o755, 0),
            entry("h/a", EntryKind::File, 0o644, 5),
            b,
        ],
    };
    let layers = vec![layer];
    let img = Rc::new(ImageFs::new(Stack::new(&layers).top(), &layers, None));
    let mut c = Container::new("mv", img);
    let out = Shell::new().run(&mut c, "mv /h /h2");
    assert_eq!(out.status, 0);
    // The directory is copied whole (EXDEV); a and b stay one inode, so the upper layer holds 5 bytes.
    assert_eq!(
        diff_text(&docker_diff(&c)),
        "D /h\nA /h2\nA /h2/a\nA /h2/b\n"
    );
    assert_eq!(ps_size(&c), "5B (virtual 10B)");
}

#[test]
fn chmod_of_a_mebibyte_file_copies_it_whole() {
    // docs/docker-semantics.md §4: "chmod on a 1 MiB file gives 1.05MB".
    let layer = Layer {
        index: 0,
        digest: String::new(),
        diff_id: "sha256:0".into(),
        media_type: String::new(),
        compression: Compression::None,
        blob_size: 0,
        uncompressed_size: 0,
        member: String::new(),
        entries: vec![entry("big", EntryKind::File, 0o644, 1 << 20)],
    };
    let layers = vec![layer];
    let img = Rc::new(ImageFs::new(Stack::new(&layers).top(), &layers, None));
    let mut c = Container::new("chmod", img);
    assert_eq!(ps_size(&c), "0B (virtual 1.05MB)");
    assert_eq!(Shell::new().run(&mut c, "chmod 600 /big").status, 0);
    assert_eq!(diff_text(&docker_diff(&c)), "C /big\n");
    assert_eq!(ps_size(&c), "1.05MB (virtual 2.1MB)");
}
