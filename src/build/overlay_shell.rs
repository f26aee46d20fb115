//! RUN execution. [`RunExecutor`] is the seam: the builder hands it the tree, the command and the
//! environment, and gets back what happened. [`OverlayShell`] is the built-in executor: the
//! project's container shell (`crate::overlay::shell`, the same interpreter and commands as
//! `layerscope run`) over the build's [`Tree`] exposed as the shell's `Fs`. That file system
//! also provides the package managers (pip, apk, apt-get, npm installs from the bundled
//! catalogue) and takes every other command the shell does not know: it is recorded as "not
//! simulated", changes nothing and succeeds, so the rest of the script still runs. Never a
//! silent guess.

use super::catalogue::{install_packages, PackageManager};
use crate::image::EntryKind;
use crate::overlay::data::{Data, FileData};
use crate::overlay::edit::clean;
use crate::overlay::shell::exec::Io;
use crate::overlay::shell::{Fs, FsError, Meta, SetMeta, Shell};
use crate::overlay::tree::{Node, Tree};
use std::rc::Rc;
use std::sync::Arc;

/// What RUN sees: environment (ENV plus ARGs in scope), working directory, user.
#[derive(Debug, Clone, Default)]
pub struct RunEnv {
    pub env: Vec<(String, String)>,
    pub workdir: String,
    pub uid: u64,
    pub gid: u64,
}

/// The result of one RUN.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunOutcome {
    /// Commands the executor does not know (they changed nothing), and scripts it cannot parse.
    pub not_simulated: Vec<String>,
    /// Packages installed from the catalogue, as `manager:name==version`.
    pub installed: Vec<String>,
    /// Packages asked for that the catalogue does not have.
    pub unknown_packages: Vec<String>,
    pub stdout: String,
    pub exit_code: i32,
}

/// Runs a RUN command against a file tree.
pub trait RunExecutor {
    /// `argv` is the exec-form argv, or `[shell…, script]` for the shell form.
    fn run(&self, tree: &mut Tree, argv: &[String], env: &RunEnv) -> RunOutcome;
}

/// Files larger than this are kept as sizes only when the shell writes them.
const WRITE_LIMIT: u64 = 64 << 20;

struct TreeFs<'a> {
    tree: &'a mut Tree,
    uid: u64,
    gid: u64,
    /// What the provided commands did.
    out: RunOutcome,
}

fn p(path: &[u8]) -> String {
    String::from_utf8_lossy(path).into_owned()
}

fn parent(path: &str) -> &str {
    path.rfind('/').map(|i| &path[..i]).unwrap_or("")
}

impl TreeFs<'_> {
    fn node(&self, path: &[u8]) -> Result<Rc<Node>, FsError> {
        self.tree.get(path).cloned().ok_or(FsError::NotFound)
    }
    fn need_parent_dir(&self, path: &str) -> Result<(), FsError> {
        let par = parent(path);
        if par.is_empty() || self.tree.is_dir(par) {
            Ok(())
        } else if self.tree.get(par).is_some() {
            Err(FsError::NotDir)
        } else {
            Err(FsError::NotFound)
        }
    }
    /// Put a node the shell made, owned by the RUN user.
    fn create(&mut self, path: &str, n: Node) -> Result<(), FsError> {
        if path.is_empty() || self.tree.get(path).is_some() {
            return Err(FsError::Exists);
        }
        self.need_parent_dir(path)?;
        self.tree.put(path, n.owned(self.uid, self.gid));
        Ok(())
    }
    fn body_bytes(n: &Node) -> Vec<u8> {
        n.data
            .as_ref()
            .and_then(|d| d.bytes())
            .map(<[u8]>::to_vec)
            .unwrap_or_default()
    }
}

impl Fs for TreeFs<'_> {
    fn stat(&self, path: &[u8]) -> Result<Meta, FsError> {
        let n = self.node(path)?;
        Ok(Meta {
            kind: n.kind(),
            mode: n.mode(),
            uid: n.uid(),
            gid: n.gid(),
            size: n.size(),
            mtime: n.entry.mtime,
            link_target: n.link().map(String::into_bytes),
        })
    }
    fn list(&self, path: &[u8]) -> Result<Vec<Vec<u8>>, FsError> {
        let n = self.node(path)?;
        if !n.is_dir() {
            return Err(FsError::NotDir);
        }
        Ok(n.children.keys().cloned().collect())
    }
    fn data(&self, path: &[u8]) -> Result<Data, FsError> {
        let n = self.node(path)?;
        match n.body() {
            Some(FileData::Bytes(b)) => Ok(Data::bytes(b.to_vec())),
            // Contents the model does not have (package files, archive bases) read as zeros.
            Some(FileData::Sized { size, .. }) => Ok(Data::zeros(size)),
            None if n.is_dir() => Err(FsError::IsDir),
            None => Ok(Data::new()),
        }
    }
    fn materialise(&self, data: &Data, limit: u64) -> Result<Vec<u8>, FsError> {
        data.read(None, limit)
            .map_err(|e| FsError::Other(e.to_string()))
    }
    fn write(&mut self, path: &[u8], data: &Data, append: bool) -> Result<(), FsError> {
        let s = p(path);
        self.need_parent_dir(&s)?;
        let existing = self.tree.get(&s).cloned();
        if existing.as_ref().is_some_and(|n| n.is_dir()) {
            return Err(FsError::IsDir);
        }
        let mut bytes = match (&existing, append) {
            (Some(n), true) => TreeFs::body_bytes(n),
            _ => Vec::new(),
        };
        bytes.extend(self.materialise(data, WRITE_LIMIT)?);
        let (mode, uid, gid) = match &existing {
            Some(n) => (n.mode(), n.uid(), n.gid()),
            None => (0o644, self.uid, self.gid),
        };
        let n = Node::file(mode, FileData::Bytes(Arc::new(bytes))).owned(uid, gid);
        self.tree.put(&s, n);
        Ok(())
    }
    fn mkdir(&mut self, path: &[u8], mode: u32) -> Result<(), FsError> {
        self.create(&p(path), Node::dir(mode))
    }
    fn remove(&mut self, path: &[u8]) -> Result<(), FsError> {
        let n = self.node(path)?;
        if n.is_dir() && !n.children.is_empty() {
            return Err(FsError::NotEmpty);
        }
        self.tree.delete(&p(path));
        Ok(())
    }
    fn rename(&mut self, from: &[u8], to: &[u8]) -> Result<(), FsError> {
        let (f, t) = (p(from), p(to));
        let moving = self.node(from)?;
        self.need_parent_dir(&t)?;
        if let Some(d) = self.tree.get(&t) {
            if d.is_dir() && !d.children.is_empty() {
                return Err(FsError::NotEmpty);
            }
        }
        // The node moves with its whole subtree.
        self.tree.delete(&f);
        self.tree.delete(&t);
        *self.tree = self.tree.insert(t.as_bytes(), moving, 0);
        Ok(())
    }
    fn symlink(&mut self, target: &[u8], path: &[u8]) -> Result<(), FsError> {
        self.create(&p(path), Node::symlink(&p(target)))
    }
    fn hardlink(&mut self, existing: &[u8], new: &[u8]) -> Result<(), FsError> {
        let n = self.node(existing)?;
        if n.is_dir() {
            return Err(FsError::IsDir);
        }
        let s = p(new);
        if self.tree.get(&s).is_some() {
            return Err(FsError::Exists);
        }
        self.need_parent_dir(&s)?;
        // The new name shares the file's identity (its first node) for the layer diff.
        let mut link = (*n).clone();
        link.link_target = Some(n.link_target.clone().unwrap_or_else(|| n.clone()));
        self.tree.put(&s, link);
        Ok(())
    }
    fn set_meta(&mut self, path: &[u8], change: SetMeta) -> Result<(), FsError> {
        self.node(path)?;
        self.tree.update(&p(path), |n| {
            *n = n.clone().with(|e| {
                if let Some(m) = change.mode {
                    e.mode = m & 0o7777;
                }
                if let Some(u) = change.uid {
                    e.uid = u;
                }
                if let Some(g) = change.gid {
                    e.gid = g;
                }
                // The build keeps no clock: "now" is a time the file did not have.
                if let Some(t) = change.mtime {
                    e.mtime = t.unwrap_or(e.mtime + 1);
                }
            })
        });
        Ok(())
    }
    fn mknod(
        &mut self,
        path: &[u8],
        kind: EntryKind,
        mode: u32,
        _dev: (u32, u32),
    ) -> Result<(), FsError> {
        self.create(&p(path), Node::special(kind, mode))
    }
    /// Every command the shell does not know: the package managers, and the rest as "not
    /// simulated".
    fn provides(&self, _name: &str) -> bool {
        true
    }
    fn run_provided(&mut self, argv: &[String], cwd: &[u8], _io: &mut Io) -> i32 {
        let (name, args) = match argv.split_first() {
            Some((n, a)) => (n.as_str(), a),
            None => return 0,
        };
        package_command(self, name, args, &p(cwd));
        0
    }
    fn truncate(&mut self, path: &[u8], size: u64) -> Result<(), FsError> {
        let n = self.node(path)?;
        let mut bytes = TreeFs::body_bytes(&n);
        bytes.resize(size.min(WRITE_LIMIT) as usize, 0);
        self.tree.update(&p(path), |m| {
            let sized = FileData::Bytes(Arc::new(bytes));
            *m = m.clone().with(|e| e.size = sized.size());
            m.data = Some(sized);
        });
        Ok(())
    }
}

/// A package manager's command: installs from the catalogue; anything else is not simulated.
fn package_command(fs: &mut TreeFs, name: &str, args: &[String], cwd: &str) {
    let words: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    let (manager, pkgs): (PackageManager, Vec<&str>) = match (name, words.as_slice()) {
        ("pip" | "pip3", ["install", rest @ ..]) => (PackageManager::Pip, operands_of(rest)),
        ("python" | "python3", ["-m", "pip", "install", rest @ ..]) => {
            (PackageManager::Pip, operands_of(rest))
        }
        ("apk", ["add", rest @ ..]) => (PackageManager::Apk, operands_of(rest)),
        ("apk", ["update", ..]) | ("apt-get" | "apt", ["clean", ..]) => return,
        ("apt-get" | "apt", ["update", ..]) => (PackageManager::AptUpdate, Vec::new()),
        ("apt-get" | "apt", ["install", rest @ ..]) => (PackageManager::Apt, operands_of(rest)),
        ("apt-get" | "apt", [f, "install", rest @ ..]) if f.starts_with('-') => {
            (PackageManager::Apt, operands_of(rest))
        }
        ("npm" | "yarn", ["install" | "i" | "add", rest @ ..]) => {
            (PackageManager::Npm, operands_of(rest))
        }
        ("pip" | "pip3" | "python" | "python3" | "apk" | "apt-get" | "apt" | "npm" | "yarn", _) => {
            fs.out
                .not_simulated
                .push(format!("{name} {}", args.join(" ")));
            return;
        }
        _ => {
            fs.out.not_simulated.push(name.to_string());
            return;
        }
    };
    let r = install_packages(fs.tree, manager, &pkgs, cwd);
    fs.out.installed.extend(r.installed);
    fs.out.unknown_packages.extend(r.unknown.iter().cloned());
    for u in r.unknown {
        fs.out.not_simulated.push(format!(
            "{} package `{u}` (not in the bundled catalogue)",
            manager.as_str()
        ));
    }
}

/// Package names among a package manager's arguments (options and their values dropped).
fn operands_of<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    const WITH_VALUE: [&str; 6] = ["-r", "--requirement", "-t", "--target", "-i", "--index-url"];
    let mut out = Vec::new();
    let mut skip = false;
    for w in rest {
        if std::mem::take(&mut skip) {
            continue;
        }
        if WITH_VALUE.contains(w) {
            skip = true;
        } else if !w.starts_with('-') {
            out.push(*w);
        }
    }
    out
}

/// The project's container shell as the RUN executor.
#[derive(Debug, Clone, Copy, Default)]
pub struct OverlayShell;

/// The script of a RUN: a shell form's `sh -c SCRIPT`, or an exec form's argv quoted as one
/// command.
fn script_of(argv: &[String]) -> String {
    let is_shell = argv
        .first()
        .is_some_and(|a| a.ends_with("/sh") || a.ends_with("/bash") || a == "sh" || a == "bash");
    if is_shell {
        let pos = argv.iter().position(|a| {
            a == "-c" || (a.starts_with('-') && a.ends_with('c') && !a.starts_with("--"))
        });
        if let Some(script) = pos.and_then(|i| argv.get(i + 1)) {
            return script.clone();
        }
    }
    argv.iter()
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect::<Vec<_>>()
        .join(" ")
}

impl RunExecutor for OverlayShell {
    fn run(&self, tree: &mut Tree, argv: &[String], env: &RunEnv) -> RunOutcome {
        let mut sh = Shell::new();
        for (k, v) in &env.env {
            sh.vars.insert(k.clone(), v.clone());
        }
        sh.cwd = clean(&env.workdir).into_bytes();
        sh.uid = env.uid;
        sh.gid = env.gid;
        let mut fs = TreeFs {
            tree,
            uid: env.uid,
            gid: env.gid,
            out: RunOutcome::default(),
        };
        let out = sh.run(&mut fs, &script_of(argv));
        let mut outcome = fs.out;
        if out.status == 2 {
            // A syntax the shell does not have: nothing ran.
            let stderr = String::from_utf8_lossy(&out.stderr);
            if let Some(line) = stderr.lines().find(|l| l.starts_with("sh: syntax error")) {
                outcome
                    .not_simulated
                    .push(line.trim_start_matches("sh: ").to_string());
            }
        }
        outcome.stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        outcome.exit_code = out.status;
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `argv`; returns the changed paths as `kind path mode size [uid:gid]`.
    fn run_as(argv: &[&str], uid: u64) -> (Vec<String>, RunOutcome) {
        let mut t = Tree::empty();
        t.mkdir_p("usr/local/lib/python3.8/site-packages", 0o755);
        let before = t.clone();
        let argv: Vec<String> = argv.iter().map(|a| a.to_string()).collect();
        let o = OverlayShell.run(
            &mut t,
            &argv,
            &RunEnv {
                workdir: "/".into(),
                uid,
                gid: uid,
                ..Default::default()
            },
        );
        let changed = t
            .paths()
            .into_iter()
            .filter(|(k, n)| !before.get(k).is_some_and(|b| b.same(n)))
            .map(|(k, n)| {
                let owner = if n.uid() == 0 {
                    String::new()
                } else {
                    format!(" {}:{}", n.uid(), n.gid())
                };
                format!(
                    "{} {k} {:o} {}{owner}",
                    n.kind().ls_char(),
                    n.mode(),
                    n.size()
                )
            })
            .collect();
        (changed, o)
    }

    #[test]
    fn scripts_change_the_tree_and_report_what_is_not_simulated() {
        let cases: &[(&str, &[&str], &[&str], &str)] = &[
            // (script, changed paths as `kind path mode size`, not simulated, stdout)
            (
                "mkdir -p /usr/local/lib/python3.8/site-packages/flask && echo '__version__ = \"2.0.0\"' > /usr/local/lib/python3.8/site-packages/flask/__init__.py && printf '#!/bin/sh\\necho \"x $*\"\\n' > /usr/local/bin/py 2>/dev/null || mkdir -p /usr/local/bin && printf '#!/bin/sh\\n' > /usr/local/bin/py && chmod 755 /usr/local/bin/py && for m in a b; do echo \"# $m\" > /usr/local/lib/python3.8/site-packages/flask/$m.py; done",
                &[
                    "d usr/local/bin 755 0",
                    "- usr/local/bin/py 755 10",
                    "d usr/local/lib/python3.8/site-packages/flask 755 0",
                    "- usr/local/lib/python3.8/site-packages/flask/__init__.py 644 22",
                    "- usr/local/lib/python3.8/site-packages/flask/a.py 644 4",
                    "- usr/local/lib/python3.8/site-packages/flask/b.py 644 4",
                ],
                &[],
                "",
            ),
            (
                "mkdir -p /f; for m in a bb; do echo \"# $m\" > /f/$m.py; done; frobnicate --now; rm -rf /f/a.py",
                &["d f 755 0", "- f/bb.py 644 5"],
                &["frobnicate"],
                "",
            ),
            (
                "id > /who && make -j4 && echo done > /done",
                &["- done 644 5", "- who 644 21"],
                &["make"],
                "",
            ),
            (
                "echo \"uid $(id -u)\" > /x; true || echo no > /y; date -u; ls /usr/local/lib",
                &["- x 644 6"],
                &[],
                "Thu Jan  1 00:00:00 UTC 1970\npython3.8\n",
            ),
            (
                "set -e; i=0; while [ $i -lt 3 ]; do mkdir -p /d/$i; i=$((i+1)); done; mkfifo /p; sleep 3",
                &["d d 755 0", "d d/0 755 0", "d d/1 755 0", "d d/2 755 0", "p p 644 0"],
                &[],
                "",
            ),
            (
                "set -e; mknod /null c 1 3 2>/dev/null || echo failed > /failed; false; echo never > /never",
                &["c null 644 0"],
                &[],
                "",
            ),
            (
                "pip install flask==2.0.1 no-such-package-here > /dev/null",
                &[],
                &["pip package `no-such-package-here` (not in the bundled catalogue)"],
                "",
            ),
            (
                "echo kept > /kept; { echo y; }",
                &[],
                &["syntax error at offset 19: `{` is not supported"],
                "",
            ),
        ];
        for (script, files, not_simulated, stdout) in cases {
            let (mut got, o) = run_as(&["/bin/sh", "-c", script], 0);
            if script.starts_with("pip") {
                // The catalogue's files are checked in `catalogue`; here only what was reported.
                got.clear();
                assert!(
                    o.installed
                        .iter()
                        .any(|p| p.starts_with("pip:Flask==") || p.starts_with("pip:flask==")),
                    "{:?}",
                    o.installed
                );
            }
            assert_eq!(got, *files, "{script}");
            assert_eq!(o.not_simulated, *not_simulated, "{script}");
            assert_eq!(o.stdout, *stdout, "{script}");
        }
    }

    #[test]
    fn user_exec_form_and_non_root_mknod() {
        let (t, o) = run_as(&["/bin/sh", "-c", "touch /mine; id; whoami"], 1000);
        assert_eq!(t, vec!["- mine 644 0 1000:1000"]);
        assert_eq!(o.stdout, "uid=1000 gid=1000 groups=1000\n");
        let (t, o) = run_as(
            &["/bin/sh", "-c", "mknod /null c 1 3 || echo no > /no"],
            1000,
        );
        assert_eq!(t, vec!["- no 644 3 1000:1000"]);
        assert_eq!(o.exit_code, 0);
        let (t, o) = run_as(&["echo", "it's", "exec form"], 0);
        assert!(t.is_empty());
        assert_eq!(o.stdout, "it's exec form\n");
    }
}
