//! The interpreter: expands words (variables, command substitution, arithmetic, field splitting
//! of unquoted expansions, pathname expansion of unquoted `*?[`), runs lists, pipelines (stage by
//! stage, each stage's output is the next one's input), `for`/`while`/`until` loops, `if`, `set
//! -e` and `exit`, and simple commands with their redirections, on any `Fs` (which may provide
//! more commands). Unknown commands fail with status 127 before any redirection is opened, so they
//! change nothing. Loops stop after [`LOOP_LIMIT`] iterations in one script. It holds no command
//! implementations (see `commands`).

use super::commands;
use super::fs::{Fs, FsError};
use super::parse::{parse, Ast, Part, RedirKind, Word};
use crate::overlay::data::Data;
use std::collections::BTreeMap;

/// Bytes any one stream (pipe, command output) may hold.
pub const STREAM_LIMIT: usize = 16 << 20;

/// Loop iterations (all loops together) one script may run before it is stopped.
pub const LOOP_LIMIT: u64 = 100_000;

/// What running a script printed and returned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub status: i32,
}

/// Shell state kept between scripts: variables, working directory, `$?`, the `/dev/urandom` state.
#[derive(Debug, Clone)]
pub struct Shell {
    pub vars: BTreeMap<String, String>,
    /// Normalised, without leading `/`; `""` is the root.
    pub cwd: Vec<u8>,
    pub status: i32,
    /// The user the commands run as (`id`, `whoami`; `mknod` needs root).
    pub uid: u64,
    pub gid: u64,
    /// Seconds since the epoch that `date` shows.
    pub now: i64,
    /// `set -e`.
    pub(crate) errexit: bool,
    /// `exit` (or `set -e`) ended the script with this status.
    pub(crate) exit: Option<i32>,
    /// Depth of conditions (`if`/`while` tests, left of `&&`/`||`), where `set -e` does not apply.
    cond: usize,
    iterations: u64,
    rng: u64,
    depth: usize,
}

impl Default for Shell {
    fn default() -> Self {
        Shell::new()
    }
}

/// The streams of one command.
pub struct Io<'a> {
    pub stdin: &'a [u8],
    pub stdout: &'a mut Vec<u8>,
    pub stderr: &'a mut Vec<u8>,
}

impl Io<'_> {
    pub fn out(&mut self, b: &[u8]) -> bool {
        if self.stdout.len() + b.len() > STREAM_LIMIT {
            return false;
        }
        self.stdout.extend_from_slice(b);
        true
    }
    pub fn err(&mut self, s: &str) {
        self.stderr.extend_from_slice(s.as_bytes());
        if !s.ends_with('\n') {
            self.stderr.push(b'\n');
        }
    }
}

impl Shell {
    pub fn new() -> Shell {
        let mut vars = BTreeMap::new();
        vars.insert(
            "PATH".into(),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
        );
        vars.insert("HOME".into(), "/root".into());
        Shell {
            vars,
            cwd: Vec::new(),
            status: 0,
            uid: 0,
            gid: 0,
            now: 0,
            errexit: false,
            exit: None,
            cond: 0,
            iterations: 0,
            rng: 0x9E37_79B9_7F4A_7C15,
            depth: 0,
        }
    }

    /// Run a script; a syntax error runs nothing and returns status 2.
    pub fn run(&mut self, fs: &mut dyn Fs, script: &str) -> Output {
        let mut out = Output::default();
        self.exit = None;
        self.iterations = 0;
        self.cond = 0;
        match parse(script) {
            Ok(ast) => {
                let mut io = Io {
                    stdin: &[],
                    stdout: &mut out.stdout,
                    stderr: &mut out.stderr,
                };
                let st = self.exec(fs, &ast, &mut io);
                out.status = self.exit.take().unwrap_or(st);
            }
            Err(e) => {
                out.stderr = format!("sh: {e}\n").into_bytes();
                out.status = 2;
            }
        }
        self.status = out.status;
        out
    }

    /// Deterministic `/dev/urandom` bytes (xorshift64*, same sequence in every run).
    pub fn random_bytes(&mut self, n: usize) -> Vec<u8> {
        let mut v = Vec::with_capacity(n);
        while v.len() < n {
            self.rng ^= self.rng >> 12;
            self.rng ^= self.rng << 25;
            self.rng ^= self.rng >> 27;
            let x = self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D);
            for b in x.to_le_bytes() {
                if v.len() < n {
                    v.push(b);
                }
            }
        }
        v
    }

    /// Resolve a path argument to a normalised absolute path, following symlinks in every
    /// component but the last (and the last too when `follow_last`).
    pub fn resolve(&self, fs: &dyn Fs, arg: &str, follow_last: bool) -> Result<Vec<u8>, FsError> {
        let mut todo: Vec<Vec<u8>> = arg
            .as_bytes()
            .split(|&b| b == b'/')
            .filter(|c| !c.is_empty())
            .map(<[u8]>::to_vec)
            .rev()
            .collect();
        let mut cur: Vec<Vec<u8>> = if arg.starts_with('/') {
            Vec::new()
        } else {
            self.cwd
                .split(|&b| b == b'/')
                .filter(|c| !c.is_empty())
                .map(<[u8]>::to_vec)
                .collect()
        };
        let mut hops = 0;
        while let Some(c) = todo.pop() {
            match c.as_slice() {
                b"." => continue,
                b".." => {
                    cur.pop();
                    continue;
                }
                _ => {}
            }
            cur.push(c);
            let is_last = todo.is_empty();
            if is_last && !follow_last {
                break;
            }
            let path = cur.join(&b'/');
            if let Ok(m) = fs.stat(&path) {
                if let Some(t) = m
                    .link_target
                    .filter(|_| m.kind == crate::image::EntryKind::Symlink)
                {
                    hops += 1;
                    if hops > 40 {
                        return Err(FsError::Other("Too many levels of symbolic links".into()));
                    }
                    cur.pop();
                    if t.starts_with(b"/") {
                        cur.clear();
                    }
                    for part in t.split(|&b| b == b'/').filter(|c| !c.is_empty()).rev() {
                        todo.push(part.to_vec());
                    }
                }
            }
        }
        Ok(cur.join(&b'/'))
    }

    /// Expand a word to fields: split unquoted expansions, then expand unquoted `*`, `?`, `[`
    /// against the file system (a pattern that matches nothing stays as it is).
    fn expand_word(&mut self, fs: &mut dyn Fs, w: &Word, err: &mut Vec<u8>) -> Vec<String> {
        /// One field: its text, the same as a pattern (quoted magic characters escaped), and
        /// whether it has unquoted magic characters.
        #[derive(Default)]
        struct Field {
            text: String,
            pattern: String,
            magic: bool,
        }
        let mut fields: Vec<Field> = Vec::new();
        let mut cur = Field::default();
        let mut have = false;
        for p in w {
            let (text, quoted) = match p {
                Part::Lit { text, quoted } => (text.clone(), *quoted),
                Part::Var { name, quoted } => (self.var(name), *quoted),
                Part::Cmd { script, quoted } => (self.substitute(fs, script, err), *quoted),
                Part::Arith { expr, quoted } => (self.arith(expr, err), *quoted),
                Part::Param {
                    name,
                    op,
                    word,
                    quoted,
                } => (self.param(fs, name, op, word, err), *quoted),
            };
            let split = !quoted && !matches!(p, Part::Lit { .. });
            for ch in text.chars() {
                if split && (ch == ' ' || ch == '\t' || ch == '\n') {
                    if have {
                        fields.push(std::mem::take(&mut cur));
                        have = false;
                    }
                    continue;
                }
                cur.text.push(ch);
                let magic = matches!(ch, '*' | '?' | '[');
                if quoted && (magic || ch == '\\') {
                    cur.pattern.push('\\');
                }
                cur.pattern.push(ch);
                cur.magic |= magic && !quoted;
                have = true;
            }
            have |= quoted;
        }
        if have {
            fields.push(cur);
        }
        let mut out = Vec::new();
        for f in fields {
            let matches = if f.magic && super::glob::has_magic(f.pattern.as_bytes()) {
                super::glob::expand(self, fs, &f.pattern)
            } else {
                Vec::new()
            };
            if matches.is_empty() {
                out.push(f.text);
            } else {
                out.extend(matches);
            }
        }
        out
    }

    /// Expand a word that must be one string (assignment values, redirection targets).
    fn expand_one(&mut self, fs: &mut dyn Fs, w: &Word, err: &mut Vec<u8>) -> String {
        let mut s = String::new();
        for p in w {
            match p {
                Part::Lit { text, .. } => s.push_str(text),
                Part::Var { name, .. } => s.push_str(&self.var(name)),
                Part::Cmd { script, .. } => s.push_str(&self.substitute(fs, script, err)),
                Part::Arith { expr, .. } => s.push_str(&self.arith(expr, err)),
                Part::Param { name, op, word, .. } => {
                    s.push_str(&self.param(fs, name, op, word, err))
                }
            }
        }
        s
    }

    fn var(&self, name: &str) -> String {
        if name == "?" {
            return self.status.to_string();
        }
        if name == "PWD" {
            return format!("/{}", String::from_utf8_lossy(&self.cwd));
        }
        self.vars.get(name).cloned().unwrap_or_default()
    }

    /// `${NAME:-word}` and its kin (`op` is `:-`, `-`, `:+`, `+` or `#` for the length).
    fn param(
        &mut self,
        fs: &mut dyn Fs,
        name: &str,
        op: &str,
        word: &Word,
        err: &mut Vec<u8>,
    ) -> String {
        let value = self.var(name);
        let set = self.vars.contains_key(name);
        let use_word = match op {
            "#" => return value.chars().count().to_string(),
            ":-" => value.is_empty(),
            "-" => !set,
            ":+" => !value.is_empty(),
            _ => set,
        };
        if use_word {
            self.expand_one(fs, word, err)
        } else if op.ends_with('+') {
            String::new()
        } else {
            value
        }
    }

    /// `$((expr))`; an error is printed and ends the script (status 2), as in dash.
    fn arith(&mut self, expr: &str, err: &mut Vec<u8>) -> String {
        match super::arith::eval(expr, &|name| self.var(name)) {
            Ok(v) => v.to_string(),
            Err(e) => {
                err.extend_from_slice(format!("sh: {e}\n").as_bytes());
                self.exit.get_or_insert(2);
                String::new()
            }
        }
    }

    /// Count one loop iteration; false (and the script ends) past [`LOOP_LIMIT`].
    fn iterate(&mut self, io: &mut Io) -> bool {
        self.iterations += 1;
        if self.iterations > LOOP_LIMIT {
            io.err(&format!(
                "sh: loop stopped after {LOOP_LIMIT} iterations (the simulator's limit)"
            ));
            self.exit.get_or_insert(2);
            return false;
        }
        self.exit.is_none()
    }

    /// Run `ast` as a condition: `set -e` does not apply inside.
    fn exec_cond(&mut self, fs: &mut dyn Fs, ast: &Ast, io: &mut Io) -> i32 {
        self.cond += 1;
        let st = self.exec(fs, ast, io);
        self.cond -= 1;
        st
    }

    /// `set -e`: a failed command outside a condition ends the script.
    fn check_errexit(&mut self, st: i32) {
        if self.errexit && self.cond == 0 && st != 0 {
            self.exit.get_or_insert(st);
        }
    }

    fn substitute(&mut self, fs: &mut dyn Fs, script: &str, err: &mut Vec<u8>) -> String {
        if self.depth > 20 {
            err.extend_from_slice(b"sh: command substitution nested too deeply\n");
            return String::new();
        }
        // `exit` in `$(…)` ends only the substitution's subshell.
        let outer_exit = self.exit.take();
        self.depth += 1;
        let mut out = Vec::new();
        let status = match parse(script) {
            Ok(ast) => {
                let mut io = Io {
                    stdin: &[],
                    stdout: &mut out,
                    stderr: err,
                };
                self.exec(fs, &ast, &mut io)
            }
            Err(e) => {
                err.extend_from_slice(format!("sh: {e}\n").as_bytes());
                2
            }
        };
        self.depth -= 1;
        let status = self.exit.take().unwrap_or(status);
        self.exit = outer_exit;
        self.status = status;
        let mut s = String::from_utf8_lossy(&out).into_owned();
        while s.ends_with('\n') {
            s.pop();
        }
        s
    }

    pub(crate) fn exec(&mut self, fs: &mut dyn Fs, ast: &Ast, io: &mut Io) -> i32 {
        let st = match ast {
            Ast::Seq(items) => {
                let mut st = 0;
                for a in items {
                    if self.exit.is_some() {
                        break;
                    }
                    st = self.exec(fs, a, io);
                    self.status = st;
                }
                st
            }
            Ast::And(a, b) | Ast::Or(a, b) => {
                let st = self.exec_cond(fs, a, io);
                self.status = st;
                if self.exit.is_none() && ((st == 0) == matches!(ast, Ast::And(..))) {
                    self.exec(fs, b, io)
                } else {
                    st
                }
            }
            Ast::Pipeline { negate, stages } => {
                let mut input: Vec<u8> = io.stdin.to_vec();
                let mut st = 0;
                self.cond += 1;
                for (k, stage) in stages.iter().enumerate() {
                    let mut out = Vec::new();
                    {
                        let mut sub = Io {
                            stdin: &input,
                            stdout: &mut out,
                            stderr: io.stderr,
                        };
                        st = self.exec(fs, stage, &mut sub);
                    }
                    if k + 1 == stages.len() {
                        io.out(&out);
                    }
                    input = out;
                }
                self.cond -= 1;
                if *negate {
                    i32::from(st == 0)
                } else {
                    self.check_errexit(st);
                    st
                }
            }
            Ast::For { var, items, body } => {
                let mut words = Vec::new();
                for w in items {
                    words.extend(self.expand_word(fs, w, io.stderr));
                }
                let mut st = 0;
                for w in words {
                    if !self.iterate(io) {
                        break;
                    }
                    self.vars.insert(var.clone(), w);
                    st = self.exec(fs, body, io);
                    self.status = st;
                }
                st
            }
            Ast::While { until, cond, body } => {
                let mut st = 0;
                while self.iterate(io) {
                    let c = self.exec_cond(fs, cond, io);
                    self.status = c;
                    if self.exit.is_some() || (c == 0) == *until {
                        break;
                    }
                    st = self.exec(fs, body, io);
                    self.status = st;
                }
                st
            }
            Ast::If {
                branches,
                otherwise,
            } => {
                let mut chosen = otherwise.as_deref();
                for (c, body) in branches {
                    let st = self.exec_cond(fs, c, io);
                    self.status = st;
                    if self.exit.is_some() {
                        chosen = None;
                        break;
                    }
                    if st == 0 {
                        chosen = Some(body);
                        break;
                    }
                }
                match chosen {
                    Some(body) => self.exec(fs, body, io),
                    None => 0,
                }
            }
            Ast::Simple {
                assigns,
                words,
                redirs,
            } => {
                let st = self.simple(fs, assigns, words, redirs, io);
                self.check_errexit(st);
                st
            }
        };
        self.status = st;
        st
    }

    fn simple(
        &mut self,
        fs: &mut dyn Fs,
        assigns: &[(String, Word)],
        words: &[Word],
        redirs: &[super::parse::Redir],
        io: &mut Io,
    ) -> i32 {
        let mut argv: Vec<String> = Vec::new();
        for w in words {
            argv.extend(self.expand_word(fs, w, io.stderr));
        }
        let mut values = Vec::new();
        for (name, w) in assigns {
            values.push((name.clone(), self.expand_one(fs, w, io.stderr)));
        }
        if argv.is_empty() {
            for (n, v) in values {
                self.vars.insert(n, v);
            }
            return 0;
        }
        let name = argv[0].clone();
        // `/bin/echo` runs the built-in `echo`.
        let base = name.rsplit('/').next().unwrap_or(&name).to_string();
        let provided = fs.provides(&base);
        if !commands::is_known(&base) && !provided {
            io.err(&format!(
                "sh: {name}: command not found (this simulator knows: {})",
                commands::NAMES.join(", ")
            ));
            return 127;
        }
        argv[0] = base;
        // Prefix assignments apply to this command only.
        let saved: Vec<(String, Option<String>)> = values
            .iter()
            .map(|(n, _)| (n.clone(), self.vars.get(n).cloned()))
            .collect();
        for (n, v) in values {
            self.vars.insert(n, v);
        }
        // Redirections.
        let mut stdin_buf: Option<Vec<u8>> = None;
        let mut out_target: Option<(Vec<u8>, bool)> = None;
        let mut err_target: Option<(Vec<u8>, bool)> = None;
        let mut err_to_out = false;
        let mut status = None;
        for r in redirs {
            let target = self.expand_one(fs, &r.target, io.stderr);
            if r.kind == RedirKind::ErrToOut {
                err_to_out = true;
                continue;
            }
            let path = match self.resolve(fs, &target, true) {
                Ok(p) => p,
                Err(e) => {
                    io.err(&format!("sh: {target}: {e}"));
                    status = Some(1);
                    break;
                }
            };
            match r.kind {
                RedirKind::Read => match commands::read_all(self, fs, &path) {
                    Ok(b) => stdin_buf = Some(b),
                    Err(e) => {
                        io.err(&format!("sh: {target}: {e}"));
                        status = Some(1);
                        break;
                    }
                },
                RedirKind::Write | RedirKind::Append => {
                    let append = r.kind == RedirKind::Append;
                    if !commands::is_device(&path) {
                        // The shell opens (creates or truncates) the file before the command runs.
                        let res = match fs.stat(&path) {
                            Ok(m) if m.kind == crate::image::EntryKind::Dir => Err(FsError::IsDir),
                            Ok(_) if append => Ok(()),
                            _ => fs.write(&path, &Data::new(), false),
                        };
                        if let Err(e) = res {
                            io.err(&format!("sh: can't create {target}: {e}"));
                            status = Some(1);
                            break;
                        }
                    }
                    if r.fd == 2 {
                        err_target = Some((path, true));
                    } else {
                        out_target = Some((path, true));
                    }
                }
                RedirKind::ErrToOut => {}
            }
        }
        let status = match status {
            Some(s) => s,
            None => {
                let stdin_owned;
                let stdin: &[u8] = match &stdin_buf {
                    Some(b) => {
                        stdin_owned = b.clone();
                        &stdin_owned
                    }
                    None => io.stdin,
                };
                let mut out = Vec::new();
                let mut err = Vec::new();
                let st = {
                    let mut sub = Io {
                        stdin,
                        stdout: &mut out,
                        stderr: &mut err,
                    };
                    if provided && !commands::is_known(&argv[0]) {
                        let cwd = self.cwd.clone();
                        fs.run_provided(&argv, &cwd, &mut sub)
                    } else {
                        commands::run(self, fs, &argv, &mut sub)
                    }
                };
                if err_to_out {
                    out.extend_from_slice(&err);
                    err.clear();
                }
                let mut st = st;
                for (target, buf) in [(&out_target, &out), (&err_target, &err)] {
                    if let Some((path, _)) = target {
                        if !commands::is_device(path) {
                            if let Err(e) = fs.write(path, &Data::bytes(buf.clone()), true) {
                                io.err(&format!("sh: write error: {e}"));
                                st = 1;
                            }
                        }
                    }
                }
                if out_target.is_none() {
                    io.out(&out);
                }
                if err_target.is_none() {
                    io.stderr.extend_from_slice(&err);
                }
                st
            }
        };
        for (n, v) in saved {
            match v {
                Some(v) => self.vars.insert(n, v),
                None => self.vars.remove(&n),
            };
        }
        status
    }
}
