//! The commands the shell knows, with the options a Dockerfile RUN line typically uses: echo,
//! printf, cat, head, tail, yes, seq, wc, touch, mkdir, rm, rmdir, cp, mv, ln, chmod, chown,
//! truncate, dd, true, false, cd, pwd, test and `[` here; `:`, set, exit, id, whoami, sleep, date,
//! ls, mkfifo and mknod in `extra`. Messages follow GNU coreutils' wording.
//! `/dev/null`, `/dev/zero` and `/dev/urandom` (deterministic) are built in. It does not parse.

use super::exec::{Io, Shell, STREAM_LIMIT};
use super::extra;
use super::fs::{Fs, FsError, SetMeta};
use crate::image::EntryKind;
use crate::overlay::container::READ_LIMIT;
use crate::overlay::data::Data;

pub const NAMES: [&str; 36] = [
    "[", "cat", "cd", "chmod", "chown", "cp", "dd", "echo", "false", "head", "ln", "mkdir", "mv",
    "printf", "pwd", "rm", "rmdir", "seq", "tail", "test", "touch", "true", "truncate", "wc",
    "yes", "export", ":", "set", "exit", "id", "whoami", "sleep", "date", "ls", "mkfifo", "mknod",
];

pub fn is_known(name: &str) -> bool {
    NAMES.contains(&name)
}

/// The built-in devices.
pub fn is_device(path: &[u8]) -> bool {
    matches!(path, b"dev/null" | b"dev/zero" | b"dev/urandom")
}

fn show(p: &[u8]) -> String {
    format!("/{}", String::from_utf8_lossy(p))
}

/// Read a whole file (or device) as bytes.
pub fn read_all(sh: &mut Shell, fs: &dyn Fs, path: &[u8]) -> Result<Vec<u8>, FsError> {
    read_some(sh, fs, path, None)
}

/// Read up to `want` bytes (endless devices need a `want`).
fn read_some(
    sh: &mut Shell,
    fs: &dyn Fs,
    path: &[u8],
    want: Option<u64>,
) -> Result<Vec<u8>, FsError> {
    match path {
        b"dev/null" => Ok(Vec::new()),
        b"dev/zero" | b"dev/urandom" => {
            let Some(n) = want.filter(|n| *n <= READ_LIMIT) else {
                return Err(FsError::Other(format!(
                    "endless input: the simulator reads at most {READ_LIMIT} bytes of a device, with a count"
                )));
            };
            Ok(if path == b"dev/zero" {
                vec![0; n as usize]
            } else {
                sh.random_bytes(n as usize)
            })
        }
        _ => {
            let m = fs.stat(path)?;
            if m.kind == EntryKind::Dir {
                return Err(FsError::IsDir);
            }
            let data = fs.data(path)?;
            let mut b = fs.materialise(&data, READ_LIMIT)?;
            if let Some(n) = want {
                b.truncate(n as usize);
            }
            Ok(b)
        }
    }
}

/// Run one command; `argv[0]` is known.
pub fn run(sh: &mut Shell, fs: &mut dyn Fs, argv: &[String], io: &mut Io) -> i32 {
    let args = &argv[1..];
    match argv[0].as_str() {
        "true" => 0,
        "false" => 1,
        "echo" => echo(args, io),
        "printf" => printf(args, io),
        "cat" => cat(sh, fs, args, io),
        "head" => head_tail(sh, fs, args, io, true),
        "tail" => head_tail(sh, fs, args, io, false),
        "yes" => yes(args, io),
        "seq" => seq(args, io),
        "wc" => wc(sh, fs, args, io),
        "touch" => touch(sh, fs, args, io),
        "mkdir" => mkdir(sh, fs, args, io),
        "rm" => rm(sh, fs, args, io),
        "rmdir" => rmdir(sh, fs, args, io),
        "cp" => cp(sh, fs, args, io),
        "mv" => mv(sh, fs, args, io),
        "ln" => ln(sh, fs, args, io),
        "chmod" => chmod(sh, fs, args, io),
        "chown" => chown(sh, fs, args, io),
        "truncate" => truncate(sh, fs, args, io),
        "dd" => dd(sh, fs, args, io),
        "cd" => cd(sh, fs, args, io),
        "pwd" => {
            io.out(format!("{}\n", show(&sh.cwd)).as_bytes());
            0
        }
        "export" => {
            for a in args {
                if let Some((n, v)) = a.split_once('=') {
                    sh.vars.insert(n.to_string(), v.to_string());
                }
            }
            0
        }
        "test" => test_cmd(sh, fs, args, io),
        ":" => 0,
        "set" => extra::set(sh, args, io),
        "exit" => extra::exit(sh, args, io),
        "id" => extra::id(sh, fs, args, io),
        "whoami" => extra::whoami(sh, fs, io),
        "sleep" => extra::sleep(args, io),
        "date" => extra::date(sh, args, io),
        "ls" => extra::ls(sh, fs, args, io),
        "mkfifo" => extra::mkfifo(sh, fs, args, io),
        "mknod" => extra::mknod(sh, fs, args, io),
        "[" => {
            if args.last().map(String::as_str) != Some("]") {
                io.err("[: missing ']'");
                return 2;
            }
            test_cmd(sh, fs, &args[..args.len() - 1], io)
        }
        other => {
            io.err(&format!("sh: {other}: command not found"));
            127
        }
    }
}

/// Split `-abc` style flags from operands (`--` ends flags). Flags taking a value are given in
/// `with_value`; their values are returned in order.
pub(super) struct Opts {
    flags: Vec<char>,
    values: Vec<(char, String)>,
    pub(super) operands: Vec<String>,
}

pub(super) fn opts(args: &[String], with_value: &str) -> Result<Opts, String> {
    let mut o = Opts {
        flags: Vec::new(),
        values: Vec::new(),
        operands: Vec::new(),
    };
    let mut i = 0;
    let mut done = false;
    while i < args.len() {
        let a = &args[i];
        if done || !a.starts_with('-') || a == "-" || a.len() == 1 {
            o.operands.push(a.clone());
        } else if a == "--" {
            done = true;
        } else {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut k = 0;
            while k < chars.len() {
                let c = chars[k];
                if with_value.contains(c) {
                    let rest: String = chars[k + 1..].iter().collect();
                    let v = if !rest.is_empty() {
                        rest
                    } else {
                        i += 1;
                        args.get(i)
                            .cloned()
                            .ok_or_else(|| format!("option requires an argument -- '{c}'"))?
                    };
                    o.values.push((c, v));
                    break;
                }
                o.flags.push(c);
                k += 1;
            }
        }
        i += 1;
    }
    Ok(o)
}

impl Opts {
    pub(super) fn has(&self, c: char) -> bool {
        self.flags.contains(&c)
    }
    pub(super) fn value(&self, c: char) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(k, _)| *k == c)
            .map(|(_, v)| v.as_str())
    }
}

fn unescape(s: &str) -> (String, bool) {
    let mut out = String::new();
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('a') => out.push('\x07'),
            Some('b') => out.push('\x08'),
            Some('f') => out.push('\x0c'),
            Some('v') => out.push('\x0b'),
            Some('e') => out.push('\x1b'),
            Some('c') => return (out, true),
            Some('0') => {
                let mut v = 0u32;
                for _ in 0..3 {
                    match it.peek() {
                        Some(d @ '0'..='7') => {
                            v = v * 8 + d.to_digit(8).unwrap_or(0);
                            it.next();
                        }
                        _ => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('\0'));
            }
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

fn echo(args: &[String], io: &mut Io) -> i32 {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| "neE".contains(c)) {
            for c in a[1..].chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            i += 1;
        } else {
            break;
        }
    }
    let mut s = args[i..].join(" ");
    if escapes {
        let (u, stop) = unescape(&s);
        s = u;
        if stop {
            newline = false;
        }
    }
    if newline {
        s.push('\n');
    }
    io.out(s.as_bytes());
    0
}

fn printf(args: &[String], io: &mut Io) -> i32 {
    let Some(fmt) = args.first() else {
        io.err("printf: missing operand");
        return 1;
    };
    let (fmt, _) = unescape(fmt);
    let mut rest = &args[1..];
    let mut status = 0;
    loop {
        let mut out = String::new();
        let mut used = 0;
        let chars: Vec<char> = fmt.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] != '%' {
                out.push(chars[i]);
                i += 1;
                continue;
            }
            i += 1;
            let mut spec = String::new();
            while i < chars.len() && "-+ 0#0123456789.".contains(chars[i]) {
                spec.push(chars[i]);
                i += 1;
            }
            let Some(&conv) = chars.get(i) else {
                out.push('%');
                out.push_str(&spec);
                break;
            };
            i += 1;
            if conv == '%' {
                out.push('%');
                continue;
            }
            let arg = rest.get(used).cloned().unwrap_or_default();
            used += 1;
            let left = spec.contains('-');
            let zero = spec.starts_with('0') || spec.contains("+0") || spec.contains("-0");
            let width: usize = spec
                .trim_start_matches(['-', '+', ' ', '#', '0'])
                .split('.')
                .next()
                .and_then(|w| w.parse().ok())
                .unwrap_or(0);
            let prec: Option<usize> = spec.split_once('.').and_then(|(_, p)| p.parse().ok());
            let body = match conv {
                's' => match prec {
                    Some(p) => arg.chars().take(p).collect(),
                    None => arg,
                },
                'b' => unescape(&arg).0,
                'c' => arg.chars().next().map(String::from).unwrap_or_default(),
                'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                    let t = arg.trim();
                    let n: i64 = if t.is_empty() {
                        0
                    } else if let Ok(v) = t.parse() {
                        v
                    } else {
                        io.err(&format!("printf: '{arg}': expected a numeric value"));
                        status = 1;
                        0
                    };
                    match conv {
                        'x' => format!("{n:x}"),
                        'X' => format!("{n:X}"),
                        'o' => format!("{n:o}"),
                        _ => n.to_string(),
                    }
                }
                other => {
                    io.err(&format!(
                        "printf: %{other}: invalid conversion specification"
                    ));
                    return 1;
                }
            };
            let pad = width.saturating_sub(body.chars().count());
            if left {
                out.push_str(&body);
                out.push_str(&" ".repeat(pad));
            } else if zero && "diuxXo".contains(conv) {
                let (sign, digits) = body
                    .strip_prefix('-')
                    .map_or(("", body.as_str()), |d| ("-", d));
                out.push_str(sign);
                out.push_str(&"0".repeat(pad));
                out.push_str(digits);
            } else {
                out.push_str(&" ".repeat(pad));
                out.push_str(&body);
            }
        }
        io.out(out.as_bytes());
        if used == 0 || used >= rest.len() {
            break;
        }
        rest = &rest[used..];
    }
    status
}

fn inputs(
    sh: &mut Shell,
    fs: &dyn Fs,
    name: &str,
    operands: &[String],
    io: &mut Io,
) -> Vec<(String, Result<Vec<u8>, String>)> {
    if operands.is_empty() {
        return vec![("-".into(), Ok(io.stdin.to_vec()))];
    }
    operands
        .iter()
        .map(|a| {
            if a == "-" {
                return (a.clone(), Ok(io.stdin.to_vec()));
            }
            let r = sh
                .resolve(fs, a, true)
                .and_then(|p| read_all(sh, fs, &p))
                .map_err(|e| format!("{name}: {a}: {e}"));
            (a.clone(), r)
        })
        .collect()
}

fn cat(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    let mut st = 0;
    for (_, r) in inputs(sh, fs, "cat", args, io) {
        match r {
            Ok(b) => {
                if !io.out(&b) {
                    io.err(&format!("cat: output larger than {STREAM_LIMIT} bytes"));
                    return 1;
                }
            }
            Err(e) => {
                io.err(&e);
                st = 1;
            }
        }
    }
    st
}

fn parse_count(s: &str) -> Option<u64> {
    let (num, mult) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => (&s[..i], size_suffix(&s[i..])?),
        None => (s, 1),
    };
    num.parse::<u64>().ok()?.checked_mul(mult)
}

fn size_suffix(s: &str) -> Option<u64> {
    Some(match s {
        "" | "c" => 1,
        "w" => 2,
        "b" => 512,
        "k" | "K" | "KiB" => 1 << 10,
        "M" | "MiB" => 1 << 20,
        "G" | "GiB" => 1 << 30,
        "T" | "TiB" => 1 << 40,
        "kB" | "KB" => 1000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        _ => return None,
    })
}

fn head_tail(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io, head: bool) -> i32 {
    let name = if head { "head" } else { "tail" };
    // `-5` means `-n 5`.
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| c.is_ascii_digit()) {
                format!("-n{}", &a[1..])
            } else {
                a.clone()
            }
        })
        .collect();
    let o = match opts(&args, "nc") {
        Ok(o) => o,
        Err(e) => {
            io.err(&format!("{name}: {e}"));
            return 1;
        }
    };
    let (by_bytes, spec) = match (o.value('c'), o.value('n')) {
        (Some(c), _) => (true, c.to_string()),
        (None, Some(n)) => (false, n.to_string()),
        _ => (false, "10".to_string()),
    };
    let from_start = !head && spec.starts_with('+');
    let Some(count) = parse_count(spec.trim_start_matches('+')) else {
        io.err(&format!(
            "{name}: invalid number of {}: '{spec}'",
            if by_bytes { "bytes" } else { "lines" }
        ));
        return 1;
    };
    let mut st = 0;
    let many = o.operands.len() > 1;
    let operands = o.operands.clone();
    let mut list: Vec<(String, Result<Vec<u8>, String>)> = Vec::new();
    if operands.is_empty() {
        list.push(("-".into(), Ok(io.stdin.to_vec())));
    }
    for a in &operands {
        if a == "-" {
            list.push((a.clone(), Ok(io.stdin.to_vec())));
            continue;
        }
        let r = sh.resolve(fs, a, true).and_then(|p| {
            let want = if head && by_bytes {
                Some(count)
            } else if head && is_device(&p) {
                Some((count.saturating_mul(4096)).min(1 << 20))
            } else {
                None
            };
            read_some(sh, fs, &p, want)
        });
        list.push((
            a.clone(),
            r.map_err(|e| format!("{name}: cannot open '{a}' for reading: {e}")),
        ));
    }
    for (k, (a, r)) in list.into_iter().enumerate() {
        let b = match r {
            Ok(b) => b,
            Err(e) => {
                io.err(&e);
                st = 1;
                continue;
            }
        };
        if many {
            let sep = if k > 0 { "\n" } else { "" };
            io.out(format!("{sep}==> {a} <==\n").as_bytes());
        }
        let out: &[u8] = if by_bytes {
            let n = (count as usize).min(b.len());
            if head {
                &b[..n]
            } else if from_start {
                &b[(count.saturating_sub(1) as usize).min(b.len())..]
            } else {
                &b[b.len() - n..]
            }
        } else {
            let ends: Vec<usize> = b
                .iter()
                .enumerate()
                .filter(|(_, &c)| c == b'\n')
                .map(|(i, _)| i + 1)
                .collect();
            if head {
                let end = ends.get(count.saturating_sub(1) as usize).copied();
                if count == 0 {
                    &b[..0]
                } else {
                    &b[..end.unwrap_or(b.len())]
                }
            } else if from_start {
                let skip = count.saturating_sub(1) as usize;
                let start = if skip == 0 {
                    0
                } else {
                    ends.get(skip - 1).copied().unwrap_or(b.len())
                };
                &b[start..]
            } else {
                // Last `count` lines; a final line without newline counts as a line.
                let mut lines = ends.len();
                if !b.is_empty() && !b.ends_with(b"\n") {
                    lines += 1;
                }
                let skip = lines.saturating_sub(count as usize);
                let start = if skip == 0 {
                    0
                } else {
                    ends.get(skip - 1).copied().unwrap_or(b.len())
                };
                &b[start..]
            }
        };
        io.out(out);
    }
    st
}

fn yes(args: &[String], io: &mut Io) -> i32 {
    let line = if args.is_empty() {
        "y\n".to_string()
    } else {
        format!("{}\n", args.join(" "))
    };
    // There is no endless output here: stop at 1 MiB (enough for `yes | head`).
    while io.stdout.len() + line.len() <= 1 << 20 {
        io.out(line.as_bytes());
    }
    0
}

fn seq(args: &[String], io: &mut Io) -> i32 {
    let o = match opts(args, "s") {
        Ok(o) => o,
        Err(e) => {
            io.err(&format!("seq: {e}"));
            return 1;
        }
    };
    let nums: Result<Vec<i64>, _> = o.operands.iter().map(|a| a.parse::<i64>()).collect();
    let Ok(nums) = nums else {
        io.err("seq: only whole numbers are supported");
        return 1;
    };
    let (first, incr, last) = match nums.as_slice() {
        [l] => (1, 1, *l),
        [f, l] => (*f, 1, *l),
        [f, i, l] => (*f, *i, *l),
        _ => {
            io.err("seq: missing operand");
            return 1;
        }
    };
    if incr == 0 {
        io.err("seq: invalid Zero increment value: '0'");
        return 1;
    }
    let sep = o.value('s').unwrap_or("\n").to_string();
    let mut out = String::new();
    let mut x = first;
    let mut first_item = true;
    while (incr > 0 && x <= last) || (incr < 0 && x >= last) {
        if !first_item {
            out.push_str(&sep);
        }
        first_item = false;
        out.push_str(&x.to_string());
        if out.len() > STREAM_LIMIT {
            io.err("seq: output too large for the simulator");
            return 1;
        }
        x = match x.checked_add(incr) {
            Some(v) => v,
            None => break,
        };
    }
    if !first_item {
        out.push('\n');
    }
    io.out(out.as_bytes());
    0
}

fn wc(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    let o = match opts(args, "") {
        Ok(o) => o,
        Err(e) => {
            io.err(&format!("wc: {e}"));
            return 1;
        }
    };
    let mut which: Vec<char> = o
        .flags
        .iter()
        .copied()
        .filter(|c| "lwc".contains(*c))
        .collect();
    if which.is_empty() {
        which = vec!['l', 'w', 'c'];
    }
    which.sort_by_key(|c| "lwc".find(*c));
    which.dedup();
    let ins = inputs(sh, fs, "wc", &o.operands, io);
    let mut rows: Vec<(Vec<u64>, Option<String>)> = Vec::new();
    let mut st = 0;
    let mut total = vec![0u64; which.len()];
    for (name, r) in &ins {
        match r {
            Ok(b) => {
                let counts: Vec<u64> = which
                    .iter()
                    .map(|c| match c {
                        'l' => b.iter().filter(|&&x| x == b'\n').count() as u64,
                        'w' => String::from_utf8_lossy(b).split_whitespace().count() as u64,
                        _ => b.len() as u64,
                    })
                    .collect();
                for (t, c) in total.iter_mut().zip(&counts) {
                    *t += c;
                }
                rows.push((
                    counts,
                    (o.operands.is_empty())
                        .then_some(())
                        .map_or(Some(name.clone()), |_| None),
                ));
            }
            Err(e) => {
                io.err(e);
                st = 1;
            }
        }
    }
    if o.operands.len() > 1 {
        rows.push((total, Some("total".into())));
    }
    // GNU wc: one count from stdin is printed bare; otherwise columns share a width (7 for stdin).
    let width = if o.operands.is_empty() {
        if which.len() == 1 {
            1
        } else {
            7
        }
    } else {
        rows.iter()
            .flat_map(|(c, _)| c.iter())
            .map(|n| n.to_string().len())
            .max()
            .unwrap_or(1)
    };
    for (counts, name) in rows {
        let mut line: Vec<String> = counts.iter().map(|n| format!("{n:>width$}")).collect();
        if let Some(n) = name {
            line.push(n);
        }
        io.out(format!("{}\n", line.join(" ")).as_bytes());
    }
    st
}

fn parse_touch_date(s: &str) -> Option<i64> {
    if let Some(n) = s.strip_prefix('@') {
        return n.parse().ok();
    }
    // YYYY-MM-DD[ HH:MM[:SS]] in UTC.
    let (date, time) = s.split_once([' ', 'T']).unwrap_or((s, "00:00:00"));
    let d: Vec<i64> = date
        .split('-')
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    let t: Vec<i64> = time
        .split(':')
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    let [y, m, day] = d[..] else { return None };
    if !(-1_000_000..=1_000_000).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&day)
    {
        return None;
    }
    let (hh, mm, ss) = (
        t.first().copied()?,
        t.get(1).copied().unwrap_or(0),
        t.get(2).copied().unwrap_or(0),
    );
    // Days from civil (Howard Hinnant).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146097 + doe - 719468;
    Some(days * 86400 + hh * 3600 + mm * 60 + ss)
}

fn touch(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    let o = match opts(args, "dtr") {
        Ok(o) => o,
        Err(e) => {
            io.err(&format!("touch: {e}"));
            return 1;
        }
    };
    let when = match o.value('d') {
        Some(d) => match parse_touch_date(d) {
            Some(t) => Some(t),
            None => {
                io.err(&format!("touch: invalid date format '{d}'"));
                return 1;
            }
        },
        None => None,
    };
    let mut st = 0;
    for a in &o.operands {
        let res = sh.resolve(fs, a, true).and_then(|p| {
            if is_device(&p) {
                return Ok(());
            }
            match fs.stat(&p) {
                Ok(_) => fs.set_meta(
                    &p,
                    SetMeta {
                        mtime: Some(when),
                        ..SetMeta::default()
                    },
                ),
                Err(FsError::NotFound) if o.has('c') => Ok(()),
                Err(FsError::NotFound) => {
                    fs.write(&p, &Data::new(), false)?;
                    if when.is_some() {
                        fs.set_meta(
                            &p,
                            SetMeta {
                                mtime: Some(when),
                                ..SetMeta::default()
                            },
                        )?;
                    }
                    Ok(())
                }
                Err(e) => Err(e),
            }
        });
        if let Err(e) = res {
            io.err(&format!("touch: cannot touch '{a}': {e}"));
            st = 1;
        }
    }
    st
}

pub(super) fn parse_mode(spec: &str, old: u32, is_dir: bool) -> Option<u32> {
    if !spec.is_empty() && spec.chars().all(|c| c.is_digit(8)) {
        return u32::from_str_radix(spec, 8).ok().filter(|m| *m <= 0o7777);
    }
    let mut mode = old;
    for clause in spec.split(',') {
        let who_end = clause.find(['+', '-', '=']).unwrap_or(clause.len());
        let who = &clause[..who_end];
        if who_end == clause.len() || !who.chars().all(|c| "ugoa".contains(c)) {
            return None;
        }
        let mut rest = &clause[who_end..];
        let who_mask = if who.is_empty() || who.contains('a') {
            0o7777
        } else {
            let mut m = 0;
            if who.contains('u') {
                m |= 0o4700;
            }
            if who.contains('g') {
                m |= 0o2070;
            }
            if who.contains('o') {
                m |= 0o1007;
            }
            m
        };
        while let Some(op) = rest.chars().next() {
            let perms_end = rest[1..]
                .find(['+', '-', '='])
                .map_or(rest.len(), |i| i + 1);
            let perms = &rest[1..perms_end];
            let mut bits = 0;
            for p in perms.chars() {
                bits |= match p {
                    'r' => 0o444,
                    'w' => 0o222,
                    'x' => 0o111,
                    'X' => {
                        if is_dir || old & 0o111 != 0 {
                            0o111
                        } else {
                            0
                        }
                    }
                    's' => 0o6000,
                    't' => 0o1000,
                    _ => return None,
                };
            }
            let bits = bits & who_mask;
            match op {
                '+' => mode |= bits,
                '-' => mode &= !bits,
                _ => mode = (mode & !(who_mask & 0o7777)) | bits,
            }
            rest = &rest[perms_end..];
        }
    }
    Some(mode)
}

fn walk(fs: &dyn Fs, path: &[u8], out: &mut Vec<Vec<u8>>) {
    out.push(path.to_vec());
    if let Ok(m) = fs.stat(path) {
        if m.kind == EntryKind::Dir {
            for n in fs.list(path).unwrap_or_default() {
                let child = if path.is_empty() {
                    n
                } else {
                    [path, b"/", &n].concat()
                };
                walk(fs, &child, out);
            }
        }
    }
}

/// `SPEC FILE…` of chmod and chown, after dropping the `flags`; prints the "missing operand"
/// errors.
fn spec_and_files<'a>(
    cmd: &str,
    args: &'a [String],
    flags: &[&str],
    io: &mut Io,
) -> Option<(&'a String, Vec<&'a String>)> {
    let rest: Vec<&String> = args
        .iter()
        .filter(|a| !flags.contains(&a.as_str()))
        .collect();
    let Some((spec, files)) = rest.split_first() else {
        io.err(&format!("{cmd}: missing operand"));
        return None;
    };
    if files.is_empty() {
        io.err(&format!("{cmd}: missing operand after '{spec}'"));
        return None;
    }
    Some((spec, files.to_vec()))
}

/// The path `a` names, and with `recursive` everything below it; prints "cannot access".
fn targets(
    sh: &Shell,
    fs: &dyn Fs,
    cmd: &str,
    a: &str,
    recursive: bool,
    io: &mut Io,
) -> Option<Vec<Vec<u8>>> {
    match sh.resolve(fs, a, true) {
        Ok(p) => {
            let mut v = Vec::new();
            if recursive {
                walk(fs, &p, &mut v);
            } else {
                v.push(p);
            }
            Some(v)
        }
        Err(e) => {
            io.err(&format!("{cmd}: cannot access '{a}': {e}"));
            None
        }
    }
}

fn chmod(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    let recursive = args.iter().any(|a| a == "-R");
    let Some((spec, files)) = spec_and_files("chmod", args, &["-R"], io) else {
        return 1;
    };
    let mut st = 0;
    for a in files {
        let Some(targets) = targets(sh, fs, "chmod", a, recursive, io) else {
            st = 1;
            continue;
        };
        for p in targets {
            let m = match fs.stat(&p) {
                Ok(m) => m,
                Err(e) => {
                    io.err(&format!("chmod: cannot access '{a}': {e}"));
                    st = 1;
                    continue;
                }
            };
            let Some(mode) = parse_mode(spec, m.mode, m.kind == EntryKind::Dir) else {
                io.err(&format!("chmod: invalid mode: '{spec}'"));
                return 1;
            };
            if m.kind == EntryKind::Symlink {
                continue;
            }
            if let Err(e) = fs.set_meta(
                &p,
                SetMeta {
                    mode: Some(mode),
                    ..SetMeta::default()
                },
            ) {
                io.err(&format!("chmod: changing permissions of '{a}': {e}"));
                st = 1;
            }
        }
    }
    st
}

fn id_of(s: &str, names: &[(&str, u64)]) -> Option<u64> {
    s.parse()
        .ok()
        .or_else(|| names.iter().find(|(n, _)| *n == s).map(|(_, v)| *v))
}

fn chown(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    const USERS: [(&str, u64); 3] = [("root", 0), ("nobody", 65534), ("daemon", 1)];
    const GROUPS: [(&str, u64); 3] = [("root", 0), ("nogroup", 65534), ("daemon", 1)];
    let recursive = args.iter().any(|a| a == "-R");
    let Some((spec, files)) = spec_and_files("chown", args, &["-R", "-h"], io) else {
        return 1;
    };
    let (u, g) = match spec.split_once([':', '.']) {
        Some((u, g)) => (u, Some(g)),
        None => (spec.as_str(), None),
    };
    let uid = if u.is_empty() {
        None
    } else {
        match id_of(u, &USERS) {
            Some(v) => Some(v),
            None => {
                io.err(&format!("chown: invalid user: '{spec}'"));
                return 1;
            }
        }
    };
    let gid = match g {
        None | Some("") => None,
        Some(g) => match id_of(g, &GROUPS) {
            Some(v) => Some(v),
            None => {
                io.err(&format!("chown: invalid group: '{spec}'"));
                return 1;
            }
        },
    };
    let mut st = 0;
    for a in files {
        let Some(targets) = targets(sh, fs, "chown", a, recursive, io) else {
            st = 1;
            continue;
        };
        for p in targets {
            if let Err(e) = fs.set_meta(
                &p,
                SetMeta {
                    uid,
                    gid,
                    ..SetMeta::default()
                },
            ) {
                io.err(&format!("chown: cannot access '{a}': {e}"));
                st = 1;
            }
        }
    }
    st
}

fn mkdir(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    let o = match opts(args, "m") {
        Ok(o) => o,
        Err(e) => {
            io.err(&format!("mkdir: {e}"));
            return 1;
        }
    };
    let mode = match o.value('m') {
        Some(m) => match parse_mode(m, 0o755, true) {
            Some(v) => v,
            None => {
                io.err(&format!("mkdir: invalid mode '{m}'"));
                return 1;
            }
        },
        None => 0o755,
    };
    if o.operands.is_empty() {
        io.err("mkdir: missing operand");
        return 1;
    }
    let mut st = 0;
    for a in &o.operands {
        let p = match sh.resolve(fs, a, true) {
            Ok(p) => p,
            Err(e) => {
                io.err(&format!("mkdir: cannot create directory '{a}': {e}"));
                st = 1;
                continue;
            }
        };
        let res = if o.has('p') {
            let comps: Vec<&[u8]> = p.split(|&b| b == b'/').filter(|c| !c.is_empty()).collect();
            let mut r = Ok(());
            for k in 1..=comps.len() {
                let q = comps[..k].join(&b'/');
                match fs.stat(&q) {
                    Ok(m) if m.kind == EntryKind::Dir => continue,
                    Ok(_) => {
                        r = Err(FsError::Exists);
                        break;
                    }
                    Err(_) => {
                        if let Err(e) = fs.mkdir(&q, mode) {
                            r = Err(e);
                            break;
                        }
                    }
                }
            }
            r
        } else {
            fs.mkdir(&p, mode)
        };
        if let Err(e) = res {
            io.err(&format!("mkdir: cannot create directory '{a}': {e}"));
            st = 1;
        }
    }
    st
}

fn remove_tree(fs: &mut dyn Fs, p: &[u8]) -> Result<(), FsError> {
    let m = fs.stat(p)?;
    if m.kind == EntryKind::Dir {
        for n in fs.list(p)? {
            remove_tree(fs, &[p, b"/", &n].concat())?;
        }
    }
    fs.remove(p)
}

fn rm(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    let o = match opts(args, "") {
        Ok(o) => o,
        Err(e) => {
            io.err(&format!("rm: {e}"));
            return 1;
        }
    };
    let recursive = o.has('r') || o.has('R');
    let force = o.has('f');
    if o.operands.is_empty() && !force {
        io.err("rm: missing operand");
        return 1;
    }
    let mut st = 0;
    for a in &o.operands {
        let p = match sh.resolve(fs, a, false) {
            Ok(p) => p,
            Err(e) => {
                io.err(&format!("rm: cannot remove '{a}': {e}"));
                st = 1;
                continue;
            }
        };
        if p.is_empty() {
            io.err("rm: it is dangerous to operate recursively on '/'");
            st = 1;
            continue;
        }
        let res = match fs.stat(&p) {
            Err(FsError::NotFound) if force => Ok(()),
            Err(e) => Err(e),
            Ok(m) if m.kind == EntryKind::Dir && !recursive => Err(FsError::IsDir),
            Ok(_) => remove_tree(fs, &p),
        };
        if let Err(e) = res {
            io.err(&format!("rm: cannot remove '{a}': {e}"));
            st = 1;
        }
    }
    st
}

fn rmdir(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    let mut st = 0;
    if args.is_empty() {
        io.err("rmdir: missing operand");
        return 1;
    }
    for a in args {
        let res = sh.resolve(fs, a, false).and_then(|p| match fs.stat(&p) {
            Ok(m) if m.kind != EntryKind::Dir => Err(FsError::NotDir),
            Ok(_) => fs.remove(&p),
            Err(e) => Err(e),
        });
        if let Err(e) = res {
            io.err(&format!("rmdir: failed to remove '{a}': {e}"));
            st = 1;
        }
    }
    st
}

fn base_name(p: &[u8]) -> &[u8] {
    match p.iter().rposition(|&b| b == b'/') {
        Some(i) => &p[i + 1..],
        None => p,
    }
}

fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    if dir.is_empty() {
        name.to_vec()
    } else {
        [dir, b"/", name].concat()
    }
}

/// Destination for `cp`/`mv`/`ln` with `n` sources: into DEST when it is a directory.
fn destination(
    sh: &Shell,
    fs: &dyn Fs,
    dest: &str,
    src: &[u8],
    n: usize,
) -> Result<Vec<u8>, FsError> {
    let d = sh.resolve(fs, dest, true)?;
    match fs.stat(&d) {
        Ok(m) if m.kind == EntryKind::Dir => Ok(join(&d, base_name(src))),
        _ if n > 1 => Err(FsError::NotDir),
        _ => sh.resolve(fs, dest, false),
    }
}

fn copy(
    fs: &mut dyn Fs,
    from: &[u8],
    to: &[u8],
    keep: bool,
    recursive: bool,
) -> Result<(), FsError> {
    let m = fs.stat(from)?;
    let meta = |fs: &mut dyn Fs, mode: u32| {
        fs.set_meta(
            to,
            SetMeta {
                mode: Some(mode),
                uid: keep.then_some(m.uid),
                gid: keep.then_some(m.gid),
                mtime: keep.then_some(Some(m.mtime)),
            },
        )
    };
    match m.kind {
        EntryKind::Dir => {
            if !recursive {
                return Err(FsError::Other(format!(
                    "-r not specified; omitting directory '{}'",
                    show(from)
                )));
            }
            match fs.stat(to) {
                Ok(t) if t.kind == EntryKind::Dir => {}
                Ok(_) => return Err(FsError::Exists),
                Err(_) => fs.mkdir(to, m.mode)?,
            }
            for n in fs.list(from)? {
                copy(fs, &join(from, &n), &join(to, &n), keep, true)?;
            }
            meta(fs, m.mode)
        }
        EntryKind::Symlink if keep || recursive => {
            if fs.stat(to).is_ok() {
                fs.remove(to)?;
            }
            fs.symlink(&m.link_target.unwrap_or_default(), to)
        }
        EntryKind::File | EntryKind::Symlink => {
            let data = fs.data(from)?;
            let existed = fs.stat(to).is_ok();
            fs.write(to, &data, false)?;
            if !existed || keep {
                meta(fs, m.mode)?;
            }
            Ok(())
        }
        _ => Err(FsError::Other("cannot copy a special file".into())),
    }
}

fn cp(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    let o = match opts(args, "") {
        Ok(o) => o,
        Err(e) => {
            io.err(&format!("cp: {e}"));
            return 1;
        }
    };
    let recursive = o.has('r') || o.has('R') || o.has('a');
    let keep = o.has('a') || o.has('p');
    let Some((dest, srcs)) = o.operands.split_last() else {
        io.err("cp: missing file operand");
        return 1;
    };
    if srcs.is_empty() {
        io.err(&format!(
            "cp: missing destination file operand after '{dest}'"
        ));
        return 1;
    }
    let mut st = 0;
    for a in srcs {
        let res = sh
            .resolve(fs, a, !(o.has('a') || o.has('P')))
            .and_then(|from| {
                fs.stat(&from)?;
                let to = destination(sh, fs, dest, &from, srcs.len())?;
                if to == from {
                    return Err(FsError::Other(format!(
                        "'{a}' and '{dest}' are the same file"
                    )));
                }
                if from.is_empty() || (to.starts_with(&from) && to.get(from.len()) == Some(&b'/')) {
                    return Err(FsError::Other(format!(
                        "cannot copy a directory, '{a}', into itself, '{dest}'"
                    )));
                }
                copy(fs, &from, &to, keep, recursive)
            });
        if let Err(e) = res {
            match e {
                FsError::Other(m) if m.starts_with("-r not") || m.starts_with("cannot copy") => {
                    io.err(&format!("cp: {m}"))
                }
                e => io.err(&format!("cp: cannot stat '{a}': {e}")),
            }
            st = 1;
        }
    }
    st
}

fn mv(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    let o = match opts(args, "") {
        Ok(o) => o,
        Err(e) => {
            io.err(&format!("mv: {e}"));
            return 1;
        }
    };
    let Some((dest, srcs)) = o.operands.split_last() else {
        io.err("mv: missing file operand");
        return 1;
    };
    if srcs.is_empty() {
        io.err(&format!(
            "mv: missing destination file operand after '{dest}'"
        ));
        return 1;
    }
    let mut st = 0;
    for a in srcs {
        let res = sh.resolve(fs, a, false).and_then(|from| {
            fs.stat(&from)?;
            let to = destination(sh, fs, dest, &from, srcs.len())?;
            fs.rename(&from, &to)
        });
        if let Err(e) = res {
            io.err(&format!("mv: cannot move '{a}' to '{dest}': {e}"));
            st = 1;
        }
    }
    st
}

fn ln(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    let o = match opts(args, "") {
        Ok(o) => o,
        Err(e) => {
            io.err(&format!("ln: {e}"));
            return 1;
        }
    };
    let symbolic = o.has('s');
    let force = o.has('f');
    let no_deref = o.has('n');
    let (target, link) = match o.operands.as_slice() {
        [t] => (t.clone(), ".".to_string()),
        [t, l] => (t.clone(), l.clone()),
        _ => {
            io.err("ln: expected TARGET [LINK_NAME]");
            return 1;
        }
    };
    let res = (|| {
        let l = sh.resolve(fs, &link, !no_deref)?;
        let l = match fs.stat(&l) {
            Ok(m) if m.kind == EntryKind::Dir => {
                join(&l, base_name(target.trim_end_matches('/').as_bytes()))
            }
            _ => sh.resolve(fs, &link, false)?,
        };
        if fs.stat(&l).is_ok() {
            if !force {
                return Err(FsError::Exists);
            }
            fs.remove(&l)?;
        }
        if symbolic {
            fs.symlink(target.as_bytes(), &l)
        } else {
            let t = sh.resolve(fs, &target, false)?;
            fs.hardlink(&t, &l)
        }
    })();
    match res {
        Ok(()) => 0,
        Err(e) => {
            let what = if symbolic {
                "symbolic link"
            } else {
                "hard link"
            };
            io.err(&format!("ln: failed to create {what} '{link}': {e}"));
            1
        }
    }
}

fn truncate(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    let o = match opts(args, "s") {
        Ok(o) => o,
        Err(e) => {
            io.err(&format!("truncate: {e}"));
            return 1;
        }
    };
    let Some(spec) = o.value('s') else {
        io.err("truncate: you must specify '--size'");
        return 1;
    };
    let (rel, num) = match spec.chars().next() {
        Some(c @ ('+' | '-')) => (Some(c), &spec[1..]),
        _ => (None, spec),
    };
    let Some(n) = parse_count(num) else {
        io.err(&format!("truncate: Invalid number: '{spec}'"));
        return 1;
    };
    let mut st = 0;
    for a in &o.operands {
        let res = sh.resolve(fs, a, true).and_then(|p| {
            let cur = match fs.stat(&p) {
                Ok(m) if m.kind == EntryKind::Dir => return Err(FsError::IsDir),
                Ok(m) => m.size,
                Err(FsError::NotFound) if o.has('c') => return Ok(()),
                Err(FsError::NotFound) => 0,
                Err(e) => return Err(e),
            };
            let size = match rel {
                Some('+') => cur.saturating_add(n),
                Some(_) => cur.saturating_sub(n),
                None => n,
            };
            fs.truncate(&p, size)
        });
        if let Err(e) = res {
            io.err(&format!("truncate: cannot open '{a}' for writing: {e}"));
            st = 1;
        }
    }
    st
}

fn dd(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    let mut input: Option<String> = None;
    let mut output: Option<String> = None;
    let mut bs: u64 = 512;
    let mut count: Option<u64> = None;
    let mut quiet = false;
    for a in args {
        let Some((k, v)) = a.split_once('=') else {
            io.err(&format!("dd: unrecognized operand '{a}'"));
            return 1;
        };
        let num = || parse_count(v);
        match k {
            "if" => input = Some(v.to_string()),
            "of" => output = Some(v.to_string()),
            "bs" => match num() {
                Some(n) if n > 0 => bs = n,
                _ => {
                    io.err(&format!("dd: invalid number: '{v}'"));
                    return 1;
                }
            },
            "count" => match num() {
                Some(n) => count = Some(n),
                None => {
                    io.err(&format!("dd: invalid number: '{v}'"));
                    return 1;
                }
            },
            "status" => quiet = v == "none",
            _ => {
                io.err(&format!("dd: unrecognized operand '{a}'"));
                return 1;
            }
        }
    }
    let want = count.map(|c| c.saturating_mul(bs));
    // Read the input (zeros stay symbolic so big files cost nothing).
    let data = match &input {
        None => {
            let mut b = io.stdin.to_vec();
            if let Some(w) = want {
                b.truncate(w as usize);
            }
            Data::bytes(b)
        }
        Some(name) => match sh.resolve(fs, name, true) {
            Ok(p) if p == b"dev/zero" => match want {
                Some(w) => Data::zeros(w),
                None => {
                    io.err("dd: /dev/zero is endless: give count=");
                    return 1;
                }
            },
            Ok(p) => match p.as_slice() {
                b"dev/urandom" | b"dev/null" => match read_some(sh, fs, &p, want) {
                    Ok(b) => Data::bytes(b),
                    Err(e) => {
                        io.err(&format!("dd: {name}: {e}"));
                        return 1;
                    }
                },
                _ => match fs.data(&p) {
                    Ok(mut d) => {
                        if let Some(w) = want {
                            if w < d.len() {
                                d.truncate(w);
                            }
                        }
                        d
                    }
                    Err(e) => {
                        io.err(&format!("dd: failed to open '{name}': {e}"));
                        return 1;
                    }
                },
            },
            Err(e) => {
                io.err(&format!("dd: failed to open '{name}': {e}"));
                return 1;
            }
        },
    };
    let n = data.len();
    match &output {
        None => match fs.materialise(&data, STREAM_LIMIT as u64) {
            Ok(b) => {
                io.out(&b);
            }
            Err(e) => {
                io.err(&format!("dd: {e}"));
                return 1;
            }
        },
        Some(name) => {
            let res = sh.resolve(fs, name, true).and_then(|p| {
                if is_device(&p) {
                    Ok(())
                } else {
                    fs.write(&p, &data, false)
                }
            });
            if let Err(e) = res {
                io.err(&format!("dd: failed to open '{name}': {e}"));
                return 1;
            }
        }
    }
    if !quiet {
        let full = n / bs;
        let part = u64::from(n % bs != 0);
        io.err(&format!(
            "{full}+{part} records in\n{full}+{part} records out\n{n} bytes copied"
        ));
    }
    0
}

fn cd(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    let target = args.first().map_or("/root", String::as_str);
    match sh.resolve(fs, target, true) {
        Ok(p) => match fs.stat(&p) {
            Ok(m) if m.kind == EntryKind::Dir => {
                sh.cwd = p;
                0
            }
            Ok(_) => {
                io.err(&format!("sh: cd: {target}: Not a directory"));
                1
            }
            Err(e) => {
                io.err(&format!("sh: cd: {target}: {e}"));
                1
            }
        },
        Err(e) => {
            io.err(&format!("sh: cd: {target}: {e}"));
            1
        }
    }
}

fn test_cmd(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    match eval_test(sh, fs, args) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(e) => {
            io.err(&format!("test: {e}"));
            2
        }
    }
}

fn eval_test(sh: &mut Shell, fs: &mut dyn Fs, a: &[String]) -> Result<bool, String> {
    let s: Vec<&str> = a.iter().map(String::as_str).collect();
    if let Some(pos) = s.iter().position(|x| *x == "-o") {
        return Ok(eval_test(sh, fs, &a[..pos])? || eval_test(sh, fs, &a[pos + 1..])?);
    }
    if let Some(pos) = s.iter().position(|x| *x == "-a") {
        if pos > 0 {
            return Ok(eval_test(sh, fs, &a[..pos])? && eval_test(sh, fs, &a[pos + 1..])?);
        }
    }
    match s.as_slice() {
        [] => Ok(false),
        ["!", rest @ ..] => Ok(!eval_test(sh, fs, &a[a.len() - rest.len()..])?),
        [x] => Ok(!x.is_empty()),
        ["-n", x] => Ok(!x.is_empty()),
        ["-z", x] => Ok(x.is_empty()),
        [op, path] if op.len() == 2 && op.starts_with('-') => {
            let follow = *op != "-L" && *op != "-h";
            let m = sh.resolve(fs, path, follow).ok().and_then(|p| {
                if is_device(&p) {
                    Some(None)
                } else {
                    fs.stat(&p).ok().map(Some)
                }
            });
            Ok(match (*op, m) {
                (_, None) => false,
                ("-e", Some(_)) => true,
                ("-c", Some(None)) => true,
                (_, Some(None)) => false,
                ("-f", Some(Some(m))) => m.kind == EntryKind::File,
                ("-d", Some(Some(m))) => m.kind == EntryKind::Dir,
                ("-L" | "-h", Some(Some(m))) => m.kind == EntryKind::Symlink,
                ("-s", Some(Some(m))) => m.size > 0,
                ("-r" | "-w", Some(Some(_))) => true,
                ("-x", Some(Some(m))) => m.mode & 0o111 != 0,
                (o, _) => return Err(format!("{o}: unary operator expected")),
            })
        }
        [x, op, y] => {
            let num = |v: &str| {
                v.trim()
                    .parse::<i64>()
                    .map_err(|_| format!("{v}: integer expression expected"))
            };
            Ok(match *op {
                "=" | "==" => x == y,
                "!=" => x != y,
                "-eq" => num(x)? == num(y)?,
                "-ne" => num(x)? != num(y)?,
                "-lt" => num(x)? < num(y)?,
                "-le" => num(x)? <= num(y)?,
                "-gt" => num(x)? > num(y)?,
                "-ge" => num(x)? >= num(y)?,
                o => return Err(format!("{o}: binary operator expected")),
            })
        }
        _ => Err("too many arguments".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_and_dates() {
        assert_eq!(parse_mode("755", 0, false), Some(0o755));
        assert_eq!(parse_mode("u+x", 0o644, false), Some(0o744));
        assert_eq!(parse_mode("go-w", 0o666, false), Some(0o644));
        assert_eq!(parse_mode("a=r", 0o777, false), Some(0o444));
        assert_eq!(parse_mode("+s", 0o755, false), Some(0o6755));
        assert_eq!(parse_mode("u+q", 0o755, false), None);
        assert_eq!(parse_touch_date("2001-02-03 04:05:06"), Some(981_173_106));
        assert_eq!(parse_touch_date("1960-06-15 12:00:00"), Some(-301_233_600));
        assert_eq!(parse_touch_date("@42"), Some(42));
        assert_eq!(parse_count("1M"), Some(1 << 20));
        assert_eq!(parse_count("10k"), Some(10240));
    }
}
