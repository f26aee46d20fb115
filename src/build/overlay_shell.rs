//! RUN through the project's container shell (`crate::overlay::shell`): the build's [`Tree`]
//! exposed as the shell's `Fs`, so RUN gets the same interpreter and commands as `layerscope run`.
//! That shell knows fewer commands than a build needs (no `set`, `id`, `ls`, `sleep`, package
//! managers) and stops `&&` chains at an unknown command, so [`OverlayShell`] first runs the
//! script on a copy; if the shell reports a command it does not know, the step is run by
//! [`MiniShell`] instead (which reports what *it* does not know as "not simulated").

use super::shell::{MiniShell, RunEnv, RunExecutor, RunOutcome};
use super::tree::{FileData, Node, Tree};
use crate::image::EntryKind;
use crate::overlay::data::Data;
use crate::overlay::shell::{Fs, FsError, Meta, SetMeta, Shell};
use std::sync::Arc;

/// Files larger than this are kept as sizes only when the shell writes them.
const WRITE_LIMIT: u64 = 64 << 20;

struct TreeFs<'a> {
    tree: &'a mut Tree,
    uid: u64,
    gid: u64,
}

fn p(path: &[u8]) -> String {
    String::from_utf8_lossy(path).into_owned()
}

fn parent(path: &str) -> &str {
    path.rfind('/').map(|i| &path[..i]).unwrap_or("")
}

impl TreeFs<'_> {
    fn node(&self, path: &[u8]) -> Result<Node, FsError> {
        let s = p(path);
        if s.is_empty() {
            return Ok(Node::dir(0o755));
        }
        self.tree.get(&s).cloned().ok_or(FsError::NotFound)
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
}

impl Fs for TreeFs<'_> {
    fn stat(&self, path: &[u8]) -> Result<Meta, FsError> {
        let n = self.node(path)?;
        Ok(Meta {
            kind: n.kind,
            mode: n.mode,
            uid: n.uid,
            gid: n.gid,
            size: n.size(),
            mtime: 0,
            link_target: n.link.as_ref().map(|l| l.as_bytes().to_vec()),
        })
    }
    fn list(&self, path: &[u8]) -> Result<Vec<Vec<u8>>, FsError> {
        let n = self.node(path)?;
        if n.kind != EntryKind::Dir {
            return Err(FsError::NotDir);
        }
        Ok(self
            .tree
            .children(&p(path))
            .into_iter()
            .map(|c| c.into_bytes())
            .collect())
    }
    fn data(&self, path: &[u8]) -> Result<Data, FsError> {
        let n = self.node(path)?;
        match n.data {
            Some(FileData::Bytes(b)) => Ok(Data::bytes(b.to_vec())),
            // Contents the model does not have (package files, archive bases) read as zeros.
            Some(FileData::Sized { size, .. }) => Ok(Data::zeros(size)),
            None if n.kind == EntryKind::Dir => Err(FsError::IsDir),
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
        if matches!(&existing, Some(n) if n.kind == EntryKind::Dir) {
            return Err(FsError::IsDir);
        }
        let mut bytes = match (&existing, append) {
            (Some(n), true) => match &n.data {
                Some(FileData::Bytes(b)) => b.to_vec(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        bytes.extend(self.materialise(data, WRITE_LIMIT)?);
        let (mode, uid, gid) = match &existing {
            Some(n) => (n.mode, n.uid, n.gid),
            None => (0o644, self.uid, self.gid),
        };
        let mut n = Node::file(mode, FileData::Bytes(Arc::new(bytes)));
        n.uid = uid;
        n.gid = gid;
        self.tree.insert(&s, n);
        Ok(())
    }
    fn mkdir(&mut self, path: &[u8], mode: u32) -> Result<(), FsError> {
        let s = p(path);
        if s.is_empty() || self.tree.get(&s).is_some() {
            return Err(FsError::Exists);
        }
        self.need_parent_dir(&s)?;
        let mut n = Node::dir(mode);
        n.uid = self.uid;
        n.gid = self.gid;
        self.tree.insert(&s, n);
        Ok(())
    }
    fn remove(&mut self, path: &[u8]) -> Result<(), FsError> {
        let s = p(path);
        let n = self.node(path)?;
        if n.kind == EntryKind::Dir && !self.tree.children(&s).is_empty() {
            return Err(FsError::NotEmpty);
        }
        self.tree.remove(&s);
        Ok(())
    }
    fn rename(&mut self, from: &[u8], to: &[u8]) -> Result<(), FsError> {
        let (f, t) = (p(from), p(to));
        self.node(from)?;
        self.need_parent_dir(&t)?;
        if let Some(d) = self.tree.get(&t) {
            if d.kind == EntryKind::Dir && !self.tree.children(&t).is_empty() {
                return Err(FsError::NotEmpty);
            }
            self.tree.remove(&t);
        }
        for (k, n) in self.tree.subtree(&f) {
            let rel = &k[f.len()..];
            self.tree.insert(&format!("{t}{rel}"), n);
        }
        self.tree.remove(&f);
        Ok(())
    }
    fn symlink(&mut self, target: &[u8], path: &[u8]) -> Result<(), FsError> {
        let s = p(path);
        if self.tree.get(&s).is_some() {
            return Err(FsError::Exists);
        }
        self.need_parent_dir(&s)?;
        let mut n = Node::symlink(&p(target));
        n.uid = self.uid;
        n.gid = self.gid;
        self.tree.insert(&s, n);
        Ok(())
    }
    fn hardlink(&mut self, existing: &[u8], new: &[u8]) -> Result<(), FsError> {
        let n = self.node(existing)?;
        if n.kind == EntryKind::Dir {
            return Err(FsError::IsDir);
        }
        let s = p(new);
        if self.tree.get(&s).is_some() {
            return Err(FsError::Exists);
        }
        self.need_parent_dir(&s)?;
        self.tree.insert(&s, n);
        Ok(())
    }
    fn set_meta(&mut self, path: &[u8], change: SetMeta) -> Result<(), FsError> {
        self.node(path)?;
        self.tree.set(&p(path), |n| {
            if let Some(m) = change.mode {
                n.mode = m & 0o7777;
            }
            if let Some(u) = change.uid {
                n.uid = u;
            }
            if let Some(g) = change.gid {
                n.gid = g;
            }
        });
        Ok(())
    }
    fn truncate(&mut self, path: &[u8], size: u64) -> Result<(), FsError> {
        let n = self.node(path)?;
        let mut bytes = match &n.data {
            Some(FileData::Bytes(b)) => b.to_vec(),
            _ => Vec::new(),
        };
        bytes.resize(size.min(WRITE_LIMIT) as usize, 0);
        self.tree.set(&p(path), |m| {
            m.data = Some(FileData::Bytes(Arc::new(bytes)))
        });
        Ok(())
    }
}

/// The project's container shell as the RUN executor, with [`MiniShell`] as the fallback for
/// scripts it cannot run completely.
#[derive(Debug, Clone, Copy, Default)]
pub struct OverlayShell;

/// The script of a shell-form RUN (`sh -c SCRIPT`), or `None` for an exec form the container
/// shell cannot take as a script.
fn script_of(argv: &[String]) -> Option<&str> {
    let first = argv.first()?;
    if !(first.ends_with("/sh") || first == "sh" || first.ends_with("/bash")) {
        return None;
    }
    let pos = argv.iter().position(|a| {
        a == "-c" || (a.starts_with('-') && a.ends_with('c') && !a.starts_with("--"))
    })?;
    argv.get(pos + 1).map(|s| s.as_str())
}

impl RunExecutor for OverlayShell {
    fn run(&self, tree: &mut Tree, argv: &[String], env: &RunEnv) -> RunOutcome {
        let Some(script) = script_of(argv) else {
            return MiniShell.run(tree, argv, env);
        };
        let mut copy = tree.clone();
        let mut sh = Shell::new();
        for (k, v) in &env.env {
            sh.vars.insert(k.clone(), v.clone());
        }
        sh.cwd = super::tree::clean(&env.workdir).into_bytes();
        let out = {
            let mut fs = TreeFs {
                tree: &mut copy,
                uid: env.uid,
                gid: env.gid,
            };
            sh.run(&mut fs, script)
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stderr.contains("command not found") || out.status == 2 {
            // The container shell lacks a command (or the syntax): the build's own executor runs
            // the step and names what it cannot simulate.
            return MiniShell.run(tree, argv, env);
        }
        *tree = copy;
        RunOutcome {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            exit_code: out.status,
            ran_in: "container shell",
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(exec: &dyn RunExecutor, script: &str) -> (Tree, RunOutcome) {
        let mut t = Tree::new();
        t.mkdir_p("usr/local/lib/python3.8/site-packages", 0o755);
        let o = exec.run(
            &mut t,
            &["/bin/sh".into(), "-c".into(), script.into()],
            &RunEnv {
                workdir: "/".into(),
                ..Default::default()
            },
        );
        (t, o)
    }

    #[test]
    fn container_shell_and_mini_shell_agree_on_the_seed_lab_run() {
        let script = "mkdir -p /usr/local/lib/python3.8/site-packages/flask &&     echo '__version__ = \"2.0.0\"' > /usr/local/lib/python3.8/site-packages/flask/__init__.py &&     printf '#!/bin/sh\\necho \"x $*\"\\n' > /usr/local/bin/py 2>/dev/null || mkdir -p /usr/local/bin && printf '#!/bin/sh\\n' > /usr/local/bin/py && chmod 755 /usr/local/bin/py && for m in a b; do echo \"# $m\" > /usr/local/lib/python3.8/site-packages/flask/$m.py; done";
        let (a, oa) = run(&OverlayShell, script);
        let (b, ob) = run(&MiniShell, script);
        assert_eq!(oa.not_simulated, ob.not_simulated);
        let list = |t: &Tree| {
            t.iter()
                .map(|(k, n)| (k.clone(), n.kind, n.mode, n.size()))
                .collect::<Vec<_>>()
        };
        assert_eq!(list(&a), list(&b));
    }

    #[test]
    fn unknown_commands_fall_back_to_the_mini_shell() {
        let (t, o) = run(&OverlayShell, "id > /who && frobnicate");
        assert_eq!(t.get("who").map(|n| n.size()), Some(24));
        assert_eq!(o.not_simulated, vec!["frobnicate".to_string()]);
    }
}
