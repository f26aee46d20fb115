//! RUN execution. [`RunExecutor`] is the seam: the builder hands it the tree, the command and the
//! environment, and gets back what happened. [`MiniShell`] is the built-in executor: a small POSIX
//! shell subset (quotes, `$VAR`, `$(…)`, `&&`, `||`, `;`, `|`, `>`/`>>`, `for … do … done`) with
//! the file commands a teaching Dockerfile uses, plus package installs from the bundled catalogue.
//! Any other command is recorded as "not simulated" and changes nothing: never a silent guess.

use super::catalogue::{install_packages, PackageManager};
use super::tree::{clean, join, FileData, Node, Tree};
use crate::image::EntryKind;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What RUN sees: environment (ENV plus ARGs in scope), working directory, user, shell.
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
    /// Commands the executor does not know (they changed nothing).
    pub not_simulated: Vec<String>,
    /// Packages installed from the catalogue, as `manager:name==version`.
    pub installed: Vec<String>,
    /// Packages asked for that the catalogue does not have.
    pub unknown_packages: Vec<String>,
    pub stdout: String,
    pub exit_code: i32,
    /// Which interpreter ran the step (`container shell` or `build shell`).
    pub ran_in: &'static str,
}

/// Runs a RUN command against a file tree.
pub trait RunExecutor {
    /// `argv` is the exec-form argv, or `[shell…, script]` for the shell form.
    fn run(&self, tree: &mut Tree, argv: &[String], env: &RunEnv) -> RunOutcome;
}

/// The built-in shell subset.
#[derive(Debug, Clone, Copy, Default)]
pub struct MiniShell;

impl RunExecutor for MiniShell {
    fn run(&self, tree: &mut Tree, argv: &[String], env: &RunEnv) -> RunOutcome {
        let mut st = State {
            vars: env.env.iter().cloned().collect(),
            cwd: clean(&env.workdir),
            uid: env.uid,
            gid: env.gid,
            out: RunOutcome::default(),
            depth: 0,
        };
        // `sh -c script` (any shell path, any flags before -c) runs the script; otherwise argv is
        // one command.
        let is_shell = argv
            .first()
            .map(|a| a.ends_with("/sh") || a.ends_with("/bash") || a == "sh" || a == "bash")
            .unwrap_or(false);
        if is_shell {
            if let Some(pos) = argv.iter().position(|a| {
                a == "-c" || (a.starts_with('-') && a.ends_with('c') && !a.starts_with("--"))
            }) {
                if let Some(script) = argv.get(pos + 1) {
                    let list = parse_script(script);
                    let code = st.run_list(tree, &list, "");
                    st.out.exit_code = code;
                    st.out.ran_in = "build shell";
                    return st.out;
                }
            }
        }
        let code = st.run_command(tree, argv, "", &mut String::new());
        st.out.exit_code = code;
        st.out.ran_in = "build shell";
        st.out
    }
}

// ---------- parsing ----------

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Op(&'static str),
}

fn tokenize(s: &str) -> Vec<Tok> {
    let c: Vec<char> = s.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut cur = String::new();
    let flush = |cur: &mut String, toks: &mut Vec<Tok>| {
        if !cur.is_empty() {
            toks.push(Tok::Word(std::mem::take(cur)));
        }
    };
    while i < c.len() {
        let ch = c[i];
        match ch {
            ' ' | '\t' => {
                flush(&mut cur, &mut toks);
                i += 1;
            }
            '\n' | ';' => {
                flush(&mut cur, &mut toks);
                toks.push(Tok::Op(";"));
                i += 1;
            }
            '#' if cur.is_empty() => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '&' if c.get(i + 1) == Some(&'&') => {
                flush(&mut cur, &mut toks);
                toks.push(Tok::Op("&&"));
                i += 2;
            }
            '|' if c.get(i + 1) == Some(&'|') => {
                flush(&mut cur, &mut toks);
                toks.push(Tok::Op("||"));
                i += 2;
            }
            '|' => {
                flush(&mut cur, &mut toks);
                toks.push(Tok::Op("|"));
                i += 1;
            }
            '&' if c.get(i + 1) == Some(&'>') => {
                flush(&mut cur, &mut toks);
                toks.push(Tok::Op("&>"));
                i += 2;
            }
            '&' => {
                flush(&mut cur, &mut toks);
                toks.push(Tok::Op(";"));
                i += 1;
            }
            '>' | '<' => {
                // A leading fd number belongs to the redirection.
                let fd2 = cur == "2";
                let fd1 = cur == "1";
                if fd2 || fd1 {
                    cur.clear();
                } else {
                    flush(&mut cur, &mut toks);
                }
                let op: &'static str = if ch == '<' {
                    i += 1;
                    "<"
                } else if c.get(i + 1) == Some(&'>') {
                    i += 2;
                    if fd2 {
                        "2>>"
                    } else {
                        ">>"
                    }
                } else if c.get(i + 1) == Some(&'&') {
                    i += 2;
                    // `2>&1` / `>&2`: swallow the fd.
                    while i < c.len() && c[i].is_ascii_digit() {
                        i += 1;
                    }
                    toks.push(Tok::Op("dup"));
                    continue;
                } else {
                    i += 1;
                    if fd2 {
                        "2>"
                    } else {
                        ">"
                    }
                };
                toks.push(Tok::Op(op));
            }
            '\'' => {
                let start = i;
                i += 1;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i = (i + 1).min(c.len());
                cur.extend(&c[start..i]);
            }
            '"' => {
                let start = i;
                i += 1;
                while i < c.len() && c[i] != '"' {
                    if c[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i = (i + 1).min(c.len());
                cur.extend(&c[start..i]);
            }
            '\\' => {
                if c.get(i + 1) == Some(&'\n') {
                    i += 2;
                } else {
                    cur.extend(&c[i..(i + 2).min(c.len())]);
                    i += 2;
                }
            }
            '$' if c.get(i + 1) == Some(&'(') => {
                let start = i;
                let mut depth = 0;
                while i < c.len() {
                    if c[i] == '(' {
                        depth += 1;
                    } else if c[i] == ')' {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            break;
                        }
                    }
                    i += 1;
                }
                cur.extend(&c[start..i.min(c.len())]);
            }
            _ => {
                cur.push(ch);
                i += 1;
            }
        }
    }
    flush(&mut cur, &mut toks);
    toks
}

#[derive(Debug, Clone)]
enum Cmd {
    Simple {
        words: Vec<String>,
        redirs: Vec<(&'static str, String)>,
    },
    For {
        var: String,
        items: Vec<String>,
        body: List,
    },
    Group(List),
    Unsupported(String),
}

type Pipeline = Vec<Cmd>;
/// `(pipeline, operator before it)`.
type AndOr = Vec<(&'static str, Pipeline)>;
type List = Vec<AndOr>;

fn parse_script(s: &str) -> List {
    let toks = tokenize(s);
    let mut pos = 0;
    parse_list(&toks, &mut pos, &[])
}

fn is_word(t: Option<&Tok>, w: &str) -> bool {
    matches!(t, Some(Tok::Word(x)) if x == w)
}

fn parse_list(toks: &[Tok], pos: &mut usize, until: &[&str]) -> List {
    let mut list = Vec::new();
    loop {
        while matches!(toks.get(*pos), Some(Tok::Op(";"))) {
            *pos += 1;
        }
        if *pos >= toks.len() || until.iter().any(|u| is_word(toks.get(*pos), u)) {
            return list;
        }
        let mut ao: AndOr = Vec::new();
        let mut op: &'static str = "";
        loop {
            let p = parse_pipeline(toks, pos, until);
            ao.push((op, p));
            match toks.get(*pos) {
                Some(Tok::Op(o)) if *o == "&&" || *o == "||" => {
                    op = o;
                    *pos += 1;
                }
                _ => break,
            }
        }
        list.push(ao);
    }
}

fn parse_pipeline(toks: &[Tok], pos: &mut usize, until: &[&str]) -> Pipeline {
    let mut p = vec![parse_command(toks, pos, until)];
    while matches!(toks.get(*pos), Some(Tok::Op("|"))) {
        *pos += 1;
        p.push(parse_command(toks, pos, until));
    }
    p
}

fn parse_command(toks: &[Tok], pos: &mut usize, until: &[&str]) -> Cmd {
    if is_word(toks.get(*pos), "for") {
        *pos += 1;
        let var = match toks.get(*pos) {
            Some(Tok::Word(w)) => w.clone(),
            _ => return Cmd::Unsupported("for".into()),
        };
        *pos += 1;
        let mut items = Vec::new();
        if is_word(toks.get(*pos), "in") {
            *pos += 1;
            while let Some(Tok::Word(w)) = toks.get(*pos) {
                if w == "do" {
                    break;
                }
                items.push(w.clone());
                *pos += 1;
            }
        }
        while matches!(toks.get(*pos), Some(Tok::Op(";"))) {
            *pos += 1;
        }
        if !is_word(toks.get(*pos), "do") {
            return Cmd::Unsupported("for".into());
        }
        *pos += 1;
        let body = parse_list(toks, pos, &["done"]);
        if is_word(toks.get(*pos), "done") {
            *pos += 1;
        }
        return Cmd::For { var, items, body };
    }
    if is_word(toks.get(*pos), "{") {
        *pos += 1;
        let body = parse_list(toks, pos, &["}"]);
        if is_word(toks.get(*pos), "}") {
            *pos += 1;
        }
        return Cmd::Group(body);
    }
    for kw in ["if", "while", "until", "case"] {
        if is_word(toks.get(*pos), kw) {
            // Skip to the matching terminator; the construct is reported, not run.
            let end = match kw {
                "if" => "fi",
                "case" => "esac",
                _ => "done",
            };
            let mut depth = 0;
            while let Some(t) = toks.get(*pos) {
                *pos += 1;
                if let Tok::Word(w) = t {
                    if w == kw {
                        depth += 1;
                    } else if w == end {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                }
            }
            return Cmd::Unsupported(kw.to_string());
        }
    }
    let mut words = Vec::new();
    let mut redirs = Vec::new();
    while let Some(t) = toks.get(*pos) {
        match t {
            Tok::Word(w) => {
                if words.is_empty() && until.contains(&w.as_str()) {
                    break;
                }
                words.push(w.clone());
                *pos += 1;
            }
            Tok::Op("dup") => *pos += 1,
            Tok::Op(o) if matches!(*o, ">" | ">>" | "<" | "2>" | "2>>" | "&>") => {
                *pos += 1;
                if let Some(Tok::Word(target)) = toks.get(*pos) {
                    redirs.push((*o, target.clone()));
                    *pos += 1;
                }
            }
            Tok::Op(_) => break,
        }
    }
    Cmd::Simple { words, redirs }
}

// ---------- execution ----------

struct State {
    vars: BTreeMap<String, String>,
    cwd: String,
    uid: u64,
    gid: u64,
    out: RunOutcome,
    depth: usize,
}

impl State {
    fn run_list(&mut self, tree: &mut Tree, list: &List, stdin: &str) -> i32 {
        let mut code = 0;
        for ao in list {
            code = self.run_and_or(tree, ao, stdin);
        }
        code
    }

    fn run_and_or(&mut self, tree: &mut Tree, ao: &AndOr, stdin: &str) -> i32 {
        let mut code = 0;
        for (op, p) in ao {
            if (*op == "&&" && code != 0) || (*op == "||" && code == 0) {
                continue;
            }
            code = self.run_pipeline(tree, p, stdin);
        }
        code
    }

    fn run_pipeline(&mut self, tree: &mut Tree, p: &Pipeline, stdin: &str) -> i32 {
        let mut input = stdin.to_string();
        let mut code = 0;
        for (i, cmd) in p.iter().enumerate() {
            let mut out = String::new();
            code = self.run_cmd(tree, cmd, &input, &mut out);
            if i + 1 == p.len() {
                self.out.stdout.push_str(&out);
            }
            input = out;
        }
        code
    }

    fn run_cmd(&mut self, tree: &mut Tree, cmd: &Cmd, stdin: &str, stdout: &mut String) -> i32 {
        match cmd {
            Cmd::Unsupported(kw) => {
                self.out.not_simulated.push(format!("`{kw}` construct"));
                0
            }
            Cmd::Group(l) => self.run_list(tree, l, stdin),
            Cmd::For { var, items, body } => {
                let values: Vec<String> = items
                    .iter()
                    .flat_map(|w| self.expand_fields(tree, w))
                    .collect();
                let mut code = 0;
                for v in values {
                    self.vars.insert(var.clone(), v);
                    code = self.run_list(tree, body, stdin);
                }
                code
            }
            Cmd::Simple { words, redirs } => {
                let mut argv: Vec<String> = Vec::new();
                let mut assigns = Vec::new();
                for w in words {
                    if argv.is_empty() && is_assignment(w) {
                        let (k, v) = w.split_once('=').unwrap_or((w, ""));
                        assigns.push((k.to_string(), self.expand_one(tree, v)));
                        continue;
                    }
                    argv.extend(self.expand_fields(tree, w));
                }
                if argv.is_empty() {
                    for (k, v) in assigns {
                        self.vars.insert(k, v);
                    }
                    return 0;
                }
                let mut input = stdin.to_string();
                for (op, t) in redirs {
                    if *op == "<" {
                        let e = self.expand_one(tree, t);
                        let p = join(&self.cwd, &e);
                        input = read_text(tree, &p).unwrap_or_default();
                    }
                }
                let mut out = String::new();
                let code = self.run_command(tree, &argv, &input, &mut out);
                let mut wrote = false;
                for (op, t) in redirs {
                    let target = self.expand_one(tree, t);
                    match *op {
                        ">" | ">>" | "&>" => {
                            wrote = true;
                            self.write_file(tree, &target, &out, *op == ">>");
                        }
                        "2>" | "2>>" if target != "/dev/null" => {
                            self.write_file(tree, &target, "", *op == "2>>");
                        }
                        _ => {}
                    }
                }
                if !wrote {
                    stdout.push_str(&out);
                }
                code
            }
        }
    }

    fn write_file(&mut self, tree: &mut Tree, target: &str, text: &str, append: bool) {
        if target == "/dev/null" || target.starts_with("/dev/") {
            return;
        }
        let p = join(&self.cwd, target);
        let mut data = if append {
            read_bytes(tree, &p).unwrap_or_default()
        } else {
            Vec::new()
        };
        data.extend_from_slice(text.as_bytes());
        let (mode, uid, gid) = match tree.get(&p) {
            Some(n) if n.kind == EntryKind::File => (n.mode, n.uid, n.gid),
            _ => (0o644, self.uid, self.gid),
        };
        let mut node = Node::file(mode, FileData::Bytes(Arc::new(data)));
        node.uid = uid;
        node.gid = gid;
        tree.insert(&p, node);
    }

    fn lookup(&self, name: &str) -> String {
        self.vars.get(name).cloned().unwrap_or_default()
    }

    /// Expand one word to fields (quotes removed, `$VAR`, `$(…)`, globs against the tree).
    fn expand_fields(&mut self, tree: &mut Tree, w: &str) -> Vec<String> {
        let (s, had_glob) = self.expand_inner(tree, w);
        if had_glob {
            let matches = glob_tree(tree, &self.cwd, &s);
            if !matches.is_empty() {
                return matches;
            }
        }
        vec![s]
    }

    fn expand_one(&mut self, tree: &mut Tree, w: &str) -> String {
        self.expand_inner(tree, w).0
    }

    /// Returns the expanded text and whether an unquoted glob character was present.
    fn expand_inner(&mut self, tree: &mut Tree, w: &str) -> (String, bool) {
        let c: Vec<char> = w.chars().collect();
        let mut out = String::new();
        let mut glob = false;
        let mut i = 0;
        let mut dq = false;
        while i < c.len() {
            let ch = c[i];
            if ch == '\'' && !dq {
                i += 1;
                while i < c.len() && c[i] != '\'' {
                    out.push(c[i]);
                    i += 1;
                }
                i += 1;
            } else if ch == '"' {
                dq = !dq;
                i += 1;
            } else if ch == '\\' && i + 1 < c.len() {
                if dq && !matches!(c[i + 1], '"' | '\\' | '$' | '`') {
                    out.push('\\');
                }
                out.push(c[i + 1]);
                i += 2;
            } else if ch == '$' && c.get(i + 1) == Some(&'(') {
                let mut depth = 0;
                let start = i + 2;
                let mut j = i + 1;
                while j < c.len() {
                    if c[j] == '(' {
                        depth += 1;
                    } else if c[j] == ')' {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    j += 1;
                }
                let inner: String = c[start..j.min(c.len())].iter().collect();
                let captured = self.capture(tree, &inner);
                out.push_str(captured.trim_end_matches('\n'));
                i = j + 1;
            } else if ch == '$' && c.get(i + 1) == Some(&'{') {
                let close = c[i..]
                    .iter()
                    .position(|&x| x == '}')
                    .map(|p| p + i)
                    .unwrap_or(c.len());
                let inner: String = c[i + 2..close.min(c.len())].iter().collect();
                let (name, def) = match inner.split_once(":-") {
                    Some((n, d)) => (n.to_string(), Some(d.to_string())),
                    None => (inner.clone(), None),
                };
                let v = self.lookup(&name);
                match def {
                    Some(d) if v.is_empty() => out.push_str(&d),
                    _ => out.push_str(&v),
                }
                i = close + 1;
            } else if ch == '$'
                && c.get(i + 1)
                    .map(|x| {
                        x.is_ascii_alphanumeric()
                            || *x == '_'
                            || *x == '*'
                            || *x == '@'
                            || *x == '?'
                    })
                    .unwrap_or(false)
            {
                let mut j = i + 1;
                if matches!(c[j], '*' | '@' | '?') || c[j].is_ascii_digit() {
                    j += 1;
                    let n: String = c[i + 1..j].iter().collect();
                    if n == "?" {
                        out.push('0');
                    }
                } else {
                    while j < c.len() && (c[j].is_ascii_alphanumeric() || c[j] == '_') {
                        j += 1;
                    }
                    let n: String = c[i + 1..j].iter().collect();
                    out.push_str(&self.lookup(&n));
                }
                i = j;
            } else {
                if !dq && matches!(ch, '*' | '?' | '[') {
                    glob = true;
                }
                out.push(ch);
                i += 1;
            }
        }
        (out, glob)
    }

    fn capture(&mut self, tree: &mut Tree, script: &str) -> String {
        if self.depth > 8 {
            return String::new();
        }
        self.depth += 1;
        let saved = std::mem::take(&mut self.out.stdout);
        let list = parse_script(script);
        self.run_list(tree, &list, "");
        let got = std::mem::replace(&mut self.out.stdout, saved);
        self.depth -= 1;
        got
    }

    fn not_simulated(&mut self, what: &str) -> i32 {
        self.out.not_simulated.push(what.to_string());
        0
    }

    fn path(&self, p: &str) -> String {
        join(&self.cwd, p)
    }

    /// Run one command with expanded argv.
    fn run_command(
        &mut self,
        tree: &mut Tree,
        argv: &[String],
        stdin: &str,
        out: &mut String,
    ) -> i32 {
        let Some(cmd) = argv.first() else { return 0 };
        let name = cmd.rsplit('/').next().unwrap_or(cmd).to_string();
        let args = &argv[1..];
        let (flags, operands) = split_opts(args);
        match name.as_str() {
            "true" | ":" | "sleep" | "sync" | "wait" => 0,
            "false" => 1,
            "set" | "umask" | "hash" | "trap" | "ulimit" => 0,
            "exit" => args.first().and_then(|a| a.parse().ok()).unwrap_or(0),
            "cd" => {
                let target = args.first().cloned().unwrap_or_else(|| "/root".into());
                self.cwd = self.path(&target);
                0
            }
            "export" => {
                for a in args {
                    if let Some((k, v)) = a.split_once('=') {
                        self.vars.insert(k.to_string(), v.to_string());
                    }
                }
                0
            }
            "echo" => {
                let mut n = false;
                let mut rest = args;
                while let Some(f) = rest.first() {
                    if f == "-n" {
                        n = true;
                        rest = &rest[1..];
                    } else if f == "-e" || f == "-E" {
                        rest = &rest[1..];
                    } else {
                        break;
                    }
                }
                out.push_str(&rest.join(" "));
                if !n {
                    out.push('\n');
                }
                0
            }
            "printf" => {
                if let Some(fmt) = args.first() {
                    out.push_str(&printf(fmt, &args[1..]));
                }
                0
            }
            "cat" => {
                if operands.is_empty() {
                    out.push_str(stdin);
                }
                for f in &operands {
                    match read_text(tree, &self.path(f)) {
                        Some(t) => out.push_str(&t),
                        None => return 1,
                    }
                }
                0
            }
            "mkdir" => {
                let parents = flags.iter().any(|f| f.contains('p'));
                let mode = mode_flag(args).unwrap_or(0o755);
                for d in operands
                    .iter()
                    .filter(|o| o.parse::<u32>().is_err() || !args.contains(&"-m".to_string()))
                {
                    let p = self.path(d);
                    if !parents && !tree.is_dir(parent(&p)) {
                        return 1;
                    }
                    if !tree.is_dir(&p) {
                        tree.mkdir_p(&p, mode);
                        tree.set(&p, |n| {
                            n.uid = self.uid;
                            n.gid = self.gid;
                        });
                    }
                }
                0
            }
            "rm" | "rmdir" => {
                for f in &operands {
                    tree.remove(&self.path(f));
                }
                0
            }
            "touch" => {
                let skip_next = args
                    .iter()
                    .position(|a| a == "-d" || a == "-t" || a == "-r");
                for (i, f) in args.iter().enumerate() {
                    if f.starts_with('-') || Some(i) == skip_next.map(|p| p + 1) {
                        continue;
                    }
                    let p = self.path(f);
                    if tree.get(&p).is_none() {
                        let mut n = Node::file(0o644, FileData::Bytes(Arc::new(Vec::new())));
                        n.uid = self.uid;
                        n.gid = self.gid;
                        tree.insert(&p, n);
                    } else {
                        // An mtime change re-emits the file in the layer: model as a touch.
                        tree.set(&p, |n| n.label = n.label.clone());
                    }
                }
                0
            }
            "chmod" => {
                let recursive = flags.iter().any(|f| f.contains('R'));
                let Some((spec, files)) = operands.split_first() else {
                    return 1;
                };
                for f in files {
                    let p = self.path(f);
                    let targets: Vec<String> = if recursive {
                        tree.subtree(&p).into_iter().map(|(k, _)| k).collect()
                    } else {
                        vec![clean(&p)]
                    };
                    for t in targets {
                        tree.set(&t, |n| {
                            n.mode = apply_chmod(n.mode, spec, n.kind == EntryKind::Dir)
                        });
                    }
                }
                0
            }
            "chown" | "chgrp" => {
                let recursive = flags.iter().any(|f| f.contains('R'));
                let Some((spec, files)) = operands.split_first() else {
                    return 1;
                };
                let (u, g) = parse_owner(spec);
                for f in files {
                    let p = self.path(f);
                    let targets: Vec<String> = if recursive {
                        tree.subtree(&p).into_iter().map(|(k, _)| k).collect()
                    } else {
                        vec![clean(&p)]
                    };
                    for t in targets {
                        tree.set(&t, |n| {
                            if name == "chown" {
                                if let Some(u) = u {
                                    n.uid = u;
                                }
                                if let Some(g) = g {
                                    n.gid = g;
                                }
                            } else if let Some(u) = u {
                                n.gid = u;
                            }
                        });
                    }
                }
                0
            }
            "cp" | "mv" => {
                if operands.len() < 2 {
                    return 1;
                }
                let dest = self.path(&operands[operands.len() - 1]);
                let many = operands.len() > 2;
                for s in &operands[..operands.len() - 1] {
                    let src = self.path(s);
                    if tree.get(&src).is_none() {
                        return 1;
                    }
                    let base = src.rsplit('/').next().unwrap_or(&src).to_string();
                    let to = if tree.is_dir(&dest) || many {
                        join(&dest, &base)
                    } else {
                        dest.clone()
                    };
                    for (p, n) in tree.subtree(&src) {
                        let rel = &p[src.len()..];
                        tree.insert(&format!("{to}{rel}"), n);
                    }
                    if name == "mv" {
                        tree.remove(&src);
                    }
                }
                0
            }
            "ln" => {
                let symbolic = flags.iter().any(|f| f.contains('s'));
                if operands.len() < 2 {
                    return 1;
                }
                let target = &operands[0];
                let mut link = self.path(&operands[1]);
                if tree.is_dir(&link) && !flags.iter().any(|f| f.contains('n')) {
                    link = join(&link, target.rsplit('/').next().unwrap_or(target));
                }
                if symbolic {
                    tree.insert(&link, Node::symlink(target));
                } else if let Some(n) = tree.get(&self.path(target)).cloned() {
                    tree.insert(&link, n);
                }
                0
            }
            "mkfifo" => {
                for f in &operands {
                    let mut n = Node::dir(0o644);
                    n.kind = EntryKind::Fifo;
                    tree.insert(&self.path(f), n);
                }
                0
            }
            "head" => {
                // `head -c N /dev/zero` makes N zero bytes; other inputs pass through.
                if let Some(i) = args.iter().position(|a| a == "-c") {
                    let n: usize = args
                        .get(i + 1)
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0)
                        .min(1 << 26);
                    if args.iter().any(|a| a == "/dev/zero") {
                        out.push_str(&"\0".repeat(n));
                        return 0;
                    }
                }
                self.not_simulated("head")
            }
            "id" => {
                let text = if args.iter().any(|a| a == "-u") {
                    format!("{}\n", self.uid)
                } else if args.iter().any(|a| a == "-g") {
                    format!("{}\n", self.gid)
                } else {
                    let un = if self.uid == 0 { "(root)" } else { "" };
                    let gn = if self.gid == 0 { "(root)" } else { "" };
                    format!("uid={}{un} gid={}{gn}\n", self.uid, self.gid)
                };
                out.push_str(&text);
                0
            }
            "whoami" => {
                out.push_str(if self.uid == 0 { "root\n" } else { "user\n" });
                0
            }
            "ls" => {
                let dir = operands
                    .first()
                    .map(|d| self.path(d))
                    .unwrap_or_else(|| self.cwd.clone());
                for c in tree.children(&dir) {
                    out.push_str(&c);
                    out.push('\n');
                }
                0
            }
            "date" => {
                // The real output is the build time; a fixed stand-in keeps builds reproducible.
                out.push_str("Thu Jan  1 00:00:00 UTC 1970\n");
                0
            }
            "pip" | "pip3" | "python" | "python3" | "apk" | "apt-get" | "apt" | "npm" | "yarn" => {
                self.package_command(tree, &name, args)
            }
            _ => self.not_simulated(&name),
        }
    }

    fn package_command(&mut self, tree: &mut Tree, name: &str, args: &[String]) -> i32 {
        let words: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
        let (manager, pkgs): (PackageManager, Vec<&str>) = match (name, words.as_slice()) {
            ("pip" | "pip3", ["install", rest @ ..]) => (PackageManager::Pip, operands_of(rest)),
            ("python" | "python3", ["-m", "pip", "install", rest @ ..]) => {
                (PackageManager::Pip, operands_of(rest))
            }
            ("apk", ["add", rest @ ..]) => (PackageManager::Apk, operands_of(rest)),
            ("apk", ["update", ..]) => return 0,
            ("apt-get" | "apt", ["update", ..]) => (PackageManager::AptUpdate, Vec::new()),
            ("apt-get" | "apt", ["install", rest @ ..]) => (PackageManager::Apt, operands_of(rest)),
            ("apt-get" | "apt", [f, "install", rest @ ..]) if f.starts_with('-') => {
                (PackageManager::Apt, operands_of(rest))
            }
            ("apt-get" | "apt", ["clean", ..]) => return 0,
            ("npm" | "yarn", ["install" | "i" | "add", rest @ ..]) => {
                (PackageManager::Npm, operands_of(rest))
            }
            _ => return self.not_simulated(&format!("{name} {}", args.join(" "))),
        };
        let r = install_packages(tree, manager, &pkgs, &self.cwd);
        self.out.installed.extend(r.installed);
        self.out.unknown_packages.extend(r.unknown.iter().cloned());
        for u in r.unknown {
            self.out.not_simulated.push(format!(
                "{} package `{u}` (not in the bundled catalogue)",
                manager.as_str()
            ));
        }
        0
    }
}

fn operands_of<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut skip = false;
    for w in rest {
        if skip {
            skip = false;
            continue;
        }
        if *w == "-r"
            || *w == "--requirement"
            || *w == "-t"
            || *w == "--target"
            || *w == "-i"
            || *w == "--index-url"
        {
            skip = true;
            continue;
        }
        if w.starts_with('-') {
            continue;
        }
        out.push(*w);
    }
    out
}

fn is_assignment(w: &str) -> bool {
    match w.split_once('=') {
        Some((k, _)) => {
            !k.is_empty()
                && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !k.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

fn parent(p: &str) -> &str {
    match p.rfind('/') {
        Some(i) => &p[..i],
        None => "",
    }
}

fn split_opts(args: &[String]) -> (Vec<String>, Vec<String>) {
    let mut flags = Vec::new();
    let mut ops = Vec::new();
    let mut done = false;
    let mut skip = false;
    for a in args {
        if skip {
            skip = false;
            continue;
        }
        if !done && a == "--" {
            done = true;
        } else if !done && a.starts_with('-') && a.len() > 1 && !a.starts_with("-0") {
            if a == "-m" {
                skip = true;
            }
            flags.push(a.clone());
        } else {
            ops.push(a.clone());
        }
    }
    (flags, ops)
}

fn mode_flag(args: &[String]) -> Option<u32> {
    let i = args.iter().position(|a| a == "-m")?;
    u32::from_str_radix(args.get(i + 1)?, 8).ok()
}

fn parse_owner(spec: &str) -> (Option<u64>, Option<u64>) {
    let name = |s: &str| -> Option<u64> {
        match s {
            "" => None,
            "root" => Some(0),
            "nobody" => Some(65534),
            x => x.parse().ok(),
        }
    };
    match spec.split_once([':', '.']) {
        Some((u, g)) => (name(u), name(g)),
        None => (name(spec), None),
    }
}

/// `chmod` with an octal or a simple symbolic mode (`+x`, `u+rw`, `go-w`, `a=r`).
fn apply_chmod(mode: u32, spec: &str, _is_dir: bool) -> u32 {
    if let Ok(m) = u32::from_str_radix(spec, 8) {
        return m & 0o7777;
    }
    let mut m = mode;
    for clause in spec.split(',') {
        let op_pos = clause.find(['+', '-', '=']).unwrap_or(clause.len());
        let who = &clause[..op_pos];
        let Some(op) = clause[op_pos..].chars().next() else {
            continue;
        };
        let perms = &clause[op_pos + 1..];
        let who_mask = if who.is_empty() || who.contains('a') {
            0o777
        } else {
            (if who.contains('u') { 0o700 } else { 0 })
                | (if who.contains('g') { 0o070 } else { 0 })
                | (if who.contains('o') { 0o007 } else { 0 })
        };
        let mut bits = 0;
        if perms.contains('r') {
            bits |= 0o444;
        }
        if perms.contains('w') {
            bits |= 0o222;
        }
        if perms.contains('x') {
            bits |= 0o111;
        }
        let bits = bits & who_mask;
        m = match op {
            '+' => m | bits,
            '-' => m & !bits,
            _ => (m & !who_mask) | bits,
        };
    }
    m
}

/// POSIX `printf` for `%s`, `%d`, `%%` and the backslash escapes.
fn printf(fmt: &str, args: &[String]) -> String {
    let mut out = String::new();
    let c: Vec<char> = fmt.chars().collect();
    let mut ai = 0;
    let mut i = 0;
    loop {
        while i < c.len() {
            match c[i] {
                '\\' if i + 1 < c.len() => {
                    match c[i + 1] {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        '\\' => out.push('\\'),
                        'r' => out.push('\r'),
                        x => {
                            out.push('\\');
                            out.push(x);
                        }
                    }
                    i += 2;
                }
                '%' if i + 1 < c.len() => {
                    match c[i + 1] {
                        '%' => out.push('%'),
                        's' | 'd' | 'b' => {
                            out.push_str(args.get(ai).map(|s| s.as_str()).unwrap_or(""));
                            ai += 1;
                        }
                        x => {
                            out.push('%');
                            out.push(x);
                        }
                    }
                    i += 2;
                }
                ch => {
                    out.push(ch);
                    i += 1;
                }
            }
        }
        if ai == 0 || ai >= args.len() {
            break;
        }
        i = 0;
    }
    out
}

fn read_bytes(tree: &Tree, p: &str) -> Option<Vec<u8>> {
    let n = tree.get(p)?;
    match &n.data {
        Some(FileData::Bytes(b)) => Some(b.to_vec()),
        Some(FileData::Sized { .. }) => Some(Vec::new()),
        None => None,
    }
}

fn read_text(tree: &Tree, p: &str) -> Option<String> {
    read_bytes(tree, p).map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// Expand a glob (`/var/lib/apt/lists/*`) against the tree; no matches → empty.
fn glob_tree(tree: &Tree, cwd: &str, pattern: &str) -> Vec<String> {
    let abs = pattern.starts_with('/');
    let full = join(cwd, pattern);
    let segs: Vec<&str> = full.split('/').collect();
    let mut cur: Vec<String> = vec![String::new()];
    for seg in segs {
        let mut next = Vec::new();
        for base in &cur {
            if seg.contains(['*', '?', '[']) {
                for child in tree.children(base) {
                    if super::context::glob_segment(seg.as_bytes(), child.as_bytes()) {
                        next.push(if base.is_empty() {
                            child
                        } else {
                            format!("{base}/{child}")
                        });
                    }
                }
            } else {
                let p = if base.is_empty() {
                    seg.to_string()
                } else {
                    format!("{base}/{seg}")
                };
                if tree.get(&p).is_some() {
                    next.push(p);
                }
            }
        }
        cur = next;
    }
    cur.into_iter()
        .map(|p| if abs { format!("/{p}") } else { p })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(tree: &mut Tree, script: &str) -> RunOutcome {
        MiniShell.run(
            tree,
            &["/bin/sh".into(), "-c".into(), script.into()],
            &RunEnv {
                workdir: "/".into(),
                ..Default::default()
            },
        )
    }

    #[test]
    fn seed_lab_run_makes_the_expected_files() {
        let mut t = Tree::new();
        let out = sh(
            &mut t,
            "mkdir -p /usr/local/lib/python3.8/site-packages/flask &&     echo '__version__ = \"2.0.0\"' > /usr/local/lib/python3.8/site-packages/flask/__init__.py &&     echo '# flask.app' > /usr/local/lib/python3.8/site-packages/flask/app.py",
        );
        assert!(out.not_simulated.is_empty());
        assert_eq!(
            t.get("usr/local/lib/python3.8/site-packages/flask/__init__.py")
                .map(|n| n.size()),
            Some(22)
        );
        let mut t = Tree::new();
        sh(
            &mut t,
            "mkdir -p /b && printf '#!/bin/sh\\necho \"x $*\"\\n' > /b/p && chmod 755 /b/p",
        );
        let n = t.get("b/p").unwrap();
        assert_eq!((n.mode, n.size()), (0o755, 22));
    }

    #[test]
    fn loops_variables_and_unknown_commands() {
        let mut t = Tree::new();
        let out = sh(&mut t, "mkdir -p /f; for m in a bb; do echo \"# $m\" > /f/$m.py; done; frobnicate --now; rm -rf /f/a.py");
        assert_eq!(t.get("f/bb.py").map(|n| n.size()), Some(5));
        assert!(t.get("f/a.py").is_none());
        assert_eq!(out.not_simulated, vec!["frobnicate".to_string()]);
        let mut t = Tree::new();
        sh(&mut t, "echo \"uid $(id -u)\" > /x; true || echo no > /y");
        assert_eq!(t.get("x").map(|n| n.size()), Some(6));
        assert!(t.get("y").is_none());
    }
}
