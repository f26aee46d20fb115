//! The shell's commands about the shell itself, the user, time and special files, as Dockerfile
//! RUN lines use them: `set` (`-e`/`+e` and `-o errexit` act; `-u -x -v -f -C` and `-o pipefail`
//! are accepted and do nothing), `exit`, `id` and `whoami` (names from the file system's
//! `/etc/passwd` and `/etc/group`), `sleep` (returns at once), `date` (the
//! shell's clock, UTC), `ls` (names only: `-1 -a -A`), `mkfifo` and `mknod`. Messages follow
//! busybox/coreutils. The file commands are in `commands`.

use super::commands::{opts, parse_mode};
use super::exec::{Io, Shell};
use super::fs::{Fs, FsError};
use crate::image::EntryKind;

/// `set [-+euxvfC] [-o NAME]`; with no arguments, the variables as `NAME='value'` lines.
pub fn set(sh: &mut Shell, args: &[String], io: &mut Io) -> i32 {
    if args.is_empty() {
        let text: String = sh
            .vars
            .iter()
            .map(|(k, v)| format!("{k}='{}'\n", v.replace('\'', "'\\''")))
            .collect();
        io.out(text.as_bytes());
        return 0;
    }
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let on = a.starts_with('-');
        if a == "--" || a == "-" || !(on || a.starts_with('+')) {
            io.err("sh: set: positional parameters are not supported");
            return 2;
        }
        for c in a[1..].chars() {
            match c {
                'e' => sh.errexit = on,
                'u' | 'x' | 'v' | 'f' | 'C' => {}
                'o' => match it.next().map(String::as_str) {
                    Some("errexit") => sh.errexit = on,
                    Some("pipefail" | "nounset" | "xtrace" | "verbose" | "noglob") => {}
                    Some(other) => {
                        io.err(&format!("sh: set: Illegal option -o {other}"));
                        return 2;
                    }
                    None => {
                        io.err("sh: set: -o needs an option name");
                        return 2;
                    }
                },
                other => {
                    io.err(&format!("sh: set: Illegal option -{other}"));
                    return 2;
                }
            }
        }
    }
    0
}

/// `exit [N]`: ends the script with N (default: the last status).
pub fn exit(sh: &mut Shell, args: &[String], io: &mut Io) -> i32 {
    let code = match args.first() {
        None => sh.status,
        Some(a) => match a.parse::<u32>() {
            Ok(n) => (n & 0xff) as i32,
            Err(_) => {
                io.err(&format!("sh: exit: Illegal number: {a}"));
                2
            }
        },
    };
    sh.exit = Some(code);
    code
}

/// The `name:x:id:…` lines of `/etc/passwd` or `/etc/group` in the file system: (name, id,
/// fourth field: the primary group, or the member list).
fn account_file(sh: &mut Shell, fs: &dyn Fs, path: &str) -> Vec<(String, u64, String)> {
    let Ok(p) = sh.resolve(fs, path, true) else {
        return Vec::new();
    };
    let Ok(bytes) = super::commands::read_all(sh, fs, &p) else {
        return Vec::new();
    };
    String::from_utf8_lossy(&bytes)
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            let id = f.get(2)?.parse().ok()?;
            Some((f[0].to_string(), id, f.get(3).unwrap_or(&"").to_string()))
        })
        .collect()
}

fn name_in(table: &[(String, u64, String)], id: u64) -> Option<&str> {
    table
        .iter()
        .find(|(_, i, _)| *i == id)
        .map(|(n, _, _)| n.as_str())
}

fn with_name(table: &[(String, u64, String)], id: u64) -> String {
    match name_in(table, id) {
        Some(n) => format!("{id}({n})"),
        None => id.to_string(),
    }
}

/// `id [-u|-g|-G] [-n]`, with the names of `/etc/passwd` and `/etc/group`; the groups are the
/// primary one and those that list the user as a member.
pub fn id(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    let o = match opts(args, "") {
        Ok(o) => o,
        Err(e) => {
            io.err(&format!("id: {e}"));
            return 1;
        }
    };
    if let Some(user) = o.operands.first() {
        io.err(&format!("id: unknown user {user}"));
        return 1;
    }
    let users = account_file(sh, fs, "/etc/passwd");
    let groups = account_file(sh, fs, "/etc/group");
    let user = name_in(&users, sh.uid).map(str::to_string);
    let mut gids = vec![sh.gid];
    for (_, gid, members) in &groups {
        let member = user
            .as_deref()
            .is_some_and(|u| members.split(',').any(|m| m == u));
        if member && !gids.contains(gid) {
            gids.push(*gid);
        }
    }
    let (values, table) = if o.has('u') {
        (vec![sh.uid], &users)
    } else if o.has('g') {
        (vec![sh.gid], &groups)
    } else if o.has('G') {
        (gids, &groups)
    } else {
        let list: Vec<String> = gids.iter().map(|g| with_name(&groups, *g)).collect();
        let text = format!(
            "uid={} gid={} groups={}\n",
            with_name(&users, sh.uid),
            with_name(&groups, sh.gid),
            list.join(",")
        );
        io.out(text.as_bytes());
        return 0;
    };
    let mut words = Vec::new();
    for v in values {
        if o.has('n') {
            match name_in(table, v) {
                Some(n) => words.push(n.to_string()),
                None => {
                    io.err(&format!("id: unknown ID {v}"));
                    return 1;
                }
            }
        } else {
            words.push(v.to_string());
        }
    }
    io.out(format!("{}\n", words.join(" ")).as_bytes());
    0
}

/// The user's name from `/etc/passwd`.
pub fn whoami(sh: &mut Shell, fs: &mut dyn Fs, io: &mut Io) -> i32 {
    let users = account_file(sh, fs, "/etc/passwd");
    match name_in(&users, sh.uid) {
        Some(n) => {
            io.out(format!("{n}\n").as_bytes());
            0
        }
        None => {
            io.err(&format!("whoami: unknown uid {}", sh.uid));
            1
        }
    }
}

/// `sleep DURATION…` (`1`, `0.5`, `2m`, `1h`, `1d`): checked, then no time passes.
pub fn sleep(args: &[String], io: &mut Io) -> i32 {
    if args.is_empty() {
        io.err("sleep: missing operand");
        return 1;
    }
    for a in args {
        let num = a.trim_end_matches(['s', 'm', 'h', 'd']);
        let ok = a.len() - num.len() <= 1
            && !num.is_empty()
            && num.parse::<f64>().is_ok_and(|v| v >= 0.0 && v.is_finite());
        if !ok {
            io.err(&format!("sleep: invalid number '{a}'"));
            return 1;
        }
    }
    0
}

/// Civil date (year, month, day) from days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `t` formatted by a `date` format (`%Y %m %d %H %M %S %s %a %b %e %j %y %F %T %Z %%`).
fn format_time(t: i64, fmt: &str) -> Result<String, String> {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let year_start = days - (1..m).map(|mm| month_len(y, mm)).sum::<i64>() - i64::from(d) + 1;
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(spec) = chars.next() else {
            out.push('%');
            break;
        };
        let piece = match spec {
            'Y' => y.to_string(),
            'y' => format!("{:02}", y.rem_euclid(100)),
            'm' => format!("{m:02}"),
            'd' => format!("{d:02}"),
            'e' => format!("{d:2}"),
            'H' => format!("{:02}", secs / 3600),
            'M' => format!("{:02}", secs / 60 % 60),
            'S' => format!("{:02}", secs % 60),
            's' => t.to_string(),
            'a' => DAYS[days.rem_euclid(7) as usize].to_string(),
            'b' => MONTHS[(m - 1) as usize].to_string(),
            'j' => format!("{:03}", days - year_start + 1),
            'F' => format!("{y}-{m:02}-{d:02}"),
            'T' => format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60),
            'Z' => "UTC".to_string(),
            '%' => "%".to_string(),
            other => return Err(format!("date: %{other} is not simulated")),
        };
        out.push_str(&piece);
    }
    Ok(out)
}

fn month_len(y: i64, m: u32) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `date [-u] [+FORMAT]`: the shell's clock (`Shell::now`), always UTC.
pub fn date(sh: &mut Shell, args: &[String], io: &mut Io) -> i32 {
    let mut fmt = "%a %b %e %H:%M:%S UTC %Y";
    for a in args {
        match a.as_str() {
            "-u" | "--utc" => {}
            f if f.starts_with('+') => fmt = &f[1..],
            other => {
                io.err(&format!("date: option {other} is not simulated"));
                return 1;
            }
        }
    }
    match format_time(sh.now, fmt) {
        Ok(s) => {
            io.out(format!("{s}\n").as_bytes());
            0
        }
        Err(e) => {
            io.err(&e);
            1
        }
    }
}

/// `ls [-1aA] [PATH…]`: names one per line, byte order, as when the output is not a terminal.
pub fn ls(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    let o = match opts(args, "") {
        Ok(o) => o,
        Err(e) => {
            io.err(&format!("ls: {e}"));
            return 2;
        }
    };
    if let Some(bad) = args
        .iter()
        .filter(|a| a.starts_with('-') && a.len() > 1 && *a != "--")
        .flat_map(|a| a[1..].chars())
        .find(|c| !matches!(c, '1' | 'a' | 'A'))
    {
        io.err(&format!("ls: option -{bad} is not simulated"));
        return 2;
    }
    let all = o.has('a');
    let hidden = all || o.has('A');
    let operands = if o.operands.is_empty() {
        vec![".".to_string()]
    } else {
        o.operands.clone()
    };
    let mut st = 0;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for a in &operands {
        match sh.resolve(fs, a, true).and_then(|p| Ok((fs.stat(&p)?, p))) {
            Ok((m, p)) if m.kind == EntryKind::Dir => dirs.push((a, p)),
            Ok(_) => files.push(a),
            Err(e) => {
                io.err(&format!("ls: cannot access '{a}': {e}"));
                st = 2;
            }
        }
    }
    let mut out = String::new();
    files.sort();
    for f in &files {
        out.push_str(f);
        out.push('\n');
    }
    let headers = operands.len() > 1;
    for (k, (a, p)) in dirs.iter().enumerate() {
        if headers {
            if k > 0 || !files.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("{a}:\n"));
        }
        let mut names: Vec<Vec<u8>> = match fs.list(p) {
            Ok(n) => n,
            Err(e) => {
                io.err(&format!("ls: cannot open directory '{a}': {e}"));
                st = 2;
                continue;
            }
        };
        if all {
            names.splice(0..0, [b".".to_vec(), b"..".to_vec()]);
        }
        for n in names.iter().filter(|n| hidden || !n.starts_with(b".")) {
            out.push_str(&String::from_utf8_lossy(n));
            out.push('\n');
        }
    }
    io.out(out.as_bytes());
    st
}

/// `mkfifo [-m MODE] NAME…` (mode 0644 by default: 0666 under umask 022).
pub fn mkfifo(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    let Some((mode, o)) = mode_and_operands("mkfifo", args, io) else {
        return 1;
    };
    if o.is_empty() {
        io.err("mkfifo: missing operand");
        return 1;
    }
    let mut st = 0;
    for a in &o {
        let res = sh
            .resolve(fs, a, false)
            .and_then(|p| fs.mknod(&p, EntryKind::Fifo, mode, (0, 0)));
        if let Err(e) = res {
            io.err(&format!("mkfifo: cannot create fifo '{a}': {e}"));
            st = 1;
        }
    }
    st
}

/// `[-m MODE] OPERAND…` of mkfifo and mknod: the mode (0644 by default) and the operands.
fn mode_and_operands(cmd: &str, args: &[String], io: &mut Io) -> Option<(u32, Vec<String>)> {
    let o = match opts(args, "m") {
        Ok(o) => o,
        Err(e) => {
            io.err(&format!("{cmd}: {e}"));
            return None;
        }
    };
    let mode = match o.value('m') {
        None => 0o644,
        Some(m) => match parse_mode(m, 0o666, false) {
            Some(v) => v,
            None => {
                io.err(&format!("{cmd}: invalid mode '{m}'"));
                return None;
            }
        },
    };
    Some((mode, o.operands))
}

/// `mknod [-m MODE] NAME TYPE [MAJOR MINOR]` with TYPE `b`, `c`/`u` or `p`; only root may make
/// devices.
pub fn mknod(sh: &mut Shell, fs: &mut dyn Fs, args: &[String], io: &mut Io) -> i32 {
    let Some((mode, ops)) = mode_and_operands("mknod", args, io) else {
        return 1;
    };
    let (kind, needs_numbers) = match ops.get(1).map(String::as_str) {
        Some("b") => (EntryKind::Block, true),
        Some("c" | "u") => (EntryKind::Char, true),
        Some("p") => (EntryKind::Fifo, false),
        Some(t) => {
            io.err(&format!("mknod: invalid device type '{t}'"));
            return 1;
        }
        None => {
            io.err("mknod: missing operand");
            return 1;
        }
    };
    let want = if needs_numbers { 4 } else { 2 };
    if ops.len() != want {
        io.err(if ops.len() < want {
            "mknod: missing operand"
        } else {
            "mknod: extra operand"
        });
        return 1;
    }
    let dev = if needs_numbers {
        match (ops[2].parse::<u32>(), ops[3].parse::<u32>()) {
            (Ok(a), Ok(b)) => (a, b),
            _ => {
                io.err("mknod: invalid major or minor device number");
                return 1;
            }
        }
    } else {
        (0, 0)
    };
    let name = &ops[0];
    if needs_numbers && sh.uid != 0 {
        io.err(&format!("mknod: {name}: Operation not permitted"));
        return 1;
    }
    match sh
        .resolve(fs, name, false)
        .and_then(|p| fs.mknod(&p, kind, mode, dev))
    {
        Ok(()) => 0,
        Err(FsError::Exists) => {
            io.err(&format!("mknod: {name}: File exists"));
            1
        }
        Err(e) => {
            io.err(&format!("mknod: {name}: {e}"));
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::overlay::container::{Container, ImageFs};
    use crate::overlay::tree::Tree;
    use std::rc::Rc;

    fn container() -> Container {
        Container::new("t", Rc::new(ImageFs::new(Tree::empty(), &[], None)))
    }

    /// Runs `script` as `uid` in a fresh container at `now`: (stdout, stderr, status).
    fn sh_as(script: &str, uid: u64, now: i64) -> (String, String, i32) {
        let mut c = container();
        let mut sh = Shell::new();
        sh.uid = uid;
        sh.gid = uid;
        sh.now = now;
        let o = sh.run(&mut c, script);
        (
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
            o.status,
        )
    }

    #[test]
    fn commands_print_and_fail_like_busybox() {
        #[rustfmt::skip]
        let cases: &[(&str, u64, &str, &str, i32)] = &[
            // (script, uid, stdout, stderr, status)
            ("id", 0, "uid=0 gid=0 groups=0\n", "", 0),
            ("mkdir /etc; printf 'root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n' > /etc/passwd; printf 'root:x:0:\nwheel:x:10:root,app\napp:x:1000:\n' > /etc/group; id; id -G; id -Gn", 0, "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n0 10\nroot wheel\n", "", 0),
            ("mkdir /etc; echo 'app:x:1000:1000::/home/app:/bin/sh' > /etc/passwd; echo 'app:x:1000:' > /etc/group; id; id -un; whoami", 1000, "uid=1000(app) gid=1000(app) groups=1000(app)\napp\napp\n", "", 0),
            ("id -u; id -g; id -un", 1000, "1000\n1000\n", "id: unknown ID 1000\n", 1),
            ("whoami", 1000, "", "whoami: unknown uid 1000\n", 1),
            ("sleep 3 0.5 1m && echo woke", 0, "woke\n", "", 0),
            ("sleep x", 0, "", "sleep: invalid number 'x'\n", 1),
            ("date; date -u +%F_%T_%j_%s", 0, "Thu Jan  1 00:00:00 UTC 1970\n1970-01-01_00:00:00_001_0\n", "", 0),
            ("date -d now", 0, "", "date: option -d is not simulated\n", 1),
            ("set -e; echo a; false; echo b", 0, "a\n", "", 1),
            ("set -e; false || echo rescued; ! true; false && x; echo end", 0, "rescued\nend\n", "", 0),
            ("set -e; set +e; false; echo on", 0, "on\n", "", 0),
            ("set -o pipefail -eux; set -Q", 0, "", "sh: set: Illegal option -Q\n", 2),
            ("X=1; set", 0, "HOME='/root'\nPATH='/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'\nX='1'\n", "", 0),
            ("echo a; exit 3; echo b", 0, "a\n", "", 3),
            ("echo $(exit 4; echo no)$?", 0, "4\n", "", 0),
            (": > /e; ls /; ls -a /", 0, "e\n.\n..\ne\n", "", 0),
            ("mkdir -p /d/s; touch /d/.h /d/f; ls /d /d/f; ls -A /d", 0, "/d/f\n\n/d:\nf\ns\n.h\nf\ns\n", "", 0),
            ("ls -l /; ls /nope", 0, "", "ls: option -l is not simulated\nls: cannot access '/nope': No such file or directory\n", 2),
            ("mkfifo /p && mkfifo -m 600 /q && mkfifo /p", 0, "", "mkfifo: cannot create fifo '/p': File exists\n", 1),
            ("mknod /c c 1 3 && mknod /b b 8 0 && mknod /f p && mknod /c c 1 3", 0, "", "mknod: /c: File exists\n", 1),
            ("mknod /c c 1 3", 1000, "", "mknod: /c: Operation not permitted\n", 1),
            ("mknod /c x 1 3", 0, "", "mknod: invalid device type 'x'\n", 1),
            ("mknod /c c 1", 0, "", "mknod: missing operand\n", 1),
            ("i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done", 0, "0\n1\n2\n", "", 0),
            ("i=5; until [ $i -le 3 ]; do i=$((i - 1)); done; echo $i", 0, "3\n", "", 0),
            ("for x in 1 2 3; do if [ $x = 1 ]; then echo one; elif [ $x = 2 ]; then echo two; else echo other; fi; done", 0, "one\ntwo\nother\n", "", 0),
            ("if false; then echo no; fi; echo $?", 0, "0\n", "", 0),
            ("echo $((7 / 0)); echo after", 0, "\n", "sh: arithmetic expression: division by zero\n", 2),
            ("/bin/echo via path", 0, "via path\n", "", 0),
            ("A=; B=b; echo \"${A:-dflt}|${A-unset}|${B:+alt}|${C+x}|${#B}|${U:-$B c}\" ${U:-x y}", 0, "dflt||alt||1|b c x y\n", "", 0),
            ("mkdir -p /l/d; touch /l/b /l/a /l/.h /l/d/x; echo /l/*; echo '/l/*' \"/l/*\" /l/\\* /none*", 0, "/l/a /l/b /l/d\n/l/* /l/* /l/* /none*\n", "", 0),
            ("mkdir -p /l/d; touch /l/a /l/.h /l/d/x; cd /l; echo * .h* */x ?; rm -rf /l/*; ls -A /l", 0, "a d .h d/x a d\n.h\n", "", 0),
            ("mkdir /l; touch /l/a1 /l/a2 /l/b1; p='a*'; for f in /l/$p /l/[!a]?; do echo $f; done", 0, "/l/a1\n/l/a2\n/l/b1\n", "", 0),
        ];
        for (script, uid, out, err, status) in cases {
            let got = sh_as(script, *uid, 0);
            assert_eq!(got, (out.to_string(), err.to_string(), *status), "{script}");
        }
    }

    #[test]
    fn date_formats_the_shells_clock() {
        for (now, want) in [
            (1_700_000_000, "Tue Nov 14 22:13:20 UTC 2023"),
            (951_782_400, "Tue Feb 29 00:00:00 UTC 2000"),
            (-1, "Wed Dec 31 23:59:59 UTC 1969"),
        ] {
            let (out, _, _) = sh_as("date", 0, now);
            assert_eq!(out, format!("{want}\n"), "{now}");
        }
        assert_eq!(sh_as("date +%j", 0, 951_782_400).0, "060\n");
    }

    #[test]
    fn special_files_land_in_the_upper_layer() {
        let mut c = container();
        let mut sh = Shell::new();
        let o = sh.run(&mut c, "mkdir /s && mkfifo /s/fifo && mknod /s/null c 1 3");
        assert_eq!(o.status, 0, "{}", String::from_utf8_lossy(&o.stderr));
        let kinds: Vec<(EntryKind, u32)> = [&b"s/fifo"[..], b"s/null"]
            .iter()
            .map(|p| {
                c.stat(p)
                    .map(|m| (m.kind, m.mode))
                    .unwrap_or((EntryKind::File, 0))
            })
            .collect();
        assert_eq!(
            kinds,
            vec![(EntryKind::Fifo, 0o644), (EntryKind::Char, 0o644)]
        );
    }

    #[test]
    fn runaway_loops_stop() {
        let (_, err, status) = sh_as("while true; do :; done", 0, 0);
        assert_eq!(
            (err.as_str(), status),
            (
                "sh: loop stopped after 100000 iterations (the simulator's limit)\n",
                2
            )
        );
    }
}
