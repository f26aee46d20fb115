//! Shared by `tests/dockerfile_fuzz.rs` and `examples/fuzz_dockerfile.rs`: the seeded random
//! generator (`common/rng.rs`), Dockerfile byte mutators, random expansion words, and the checks run on
//! each input (no panic, spans inside the input, outputs well-formed). No external crates.

#![allow(dead_code)]

use layerscope::dockerfile::expand::{Lexer, MapEnv};
use layerscope::dockerfile::instructions::{build_program, Options};
use layerscope::dockerfile::{dump::dump, json::oracle_json, parse};
use std::path::Path;

#[path = "../common/rng.rs"]
mod rng;
pub use rng::Rng;

/// Fragments that exercise the parser's special paths.
pub const TOKENS: &[&[u8]] = &[
    b"\\\n",
    b"`\n",
    b"\\",
    b"`",
    b"<<EOF\n",
    b"<<-EOF",
    b"<<'EOF'",
    b"EOF\n",
    b"\tEOF\n",
    b"# escape=`\n",
    b"# escape=\\\n",
    b"# syntax=x\n",
    b"#",
    b"\n",
    b"\r\n",
    b"\r",
    b" ",
    b"\t",
    b"ONBUILD ",
    b"RUN ",
    b"COPY ",
    b"ADD ",
    b"ENV ",
    b"LABEL ",
    b"ARG ",
    b"FROM ",
    b"HEALTHCHECK ",
    b"CMD ",
    b"SHELL ",
    b"--mount=type=cache,target=/x ",
    b"--from=a ",
    b"-- ",
    b"[\"a\", \"b\"]",
    b"[",
    b"]",
    b"\"",
    b"'",
    b"=",
    b"${",
    b"}",
    b"$A",
    b"${A:-x}",
    b"\xEF\xBB\xBF",
    b"\xff",
    b"\xc2\xa0",
    b"\xe2\x80\x83",
    b"\x00",
    b"[1, 2]",
    b"[\"\\u0000\"]",
    b"AS x ",
];

/// Load seed Dockerfiles: the corpus when present, else the committed fixtures.
pub fn seeds() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut stack = vec![
        root.join("../shared/corpus/dockerfile"),
        root.join("tests/fixtures/dockerfile"),
    ];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if name.contains("Dockerfile") && !name.ends_with(".dump") {
                    if let Ok(b) = std::fs::read(&p) {
                        if b.len() < 100_000 {
                            out.push(b);
                        }
                    }
                }
            }
        }
    }
    out.sort();
    out
}

/// Produce one test input: random bytes, a mutated seed, or a splice of two seeds.
pub fn input(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    if seeds.is_empty() || rng.below(8) == 0 {
        let n = rng.below(200);
        return (0..n)
            .map(|_| {
                if rng.below(2) == 0 {
                    *rng.pick(b"FROMRUN \\\n\t#<EOF\"'[]$={}-`:x")
                } else {
                    rng.next() as u8
                }
            })
            .collect();
    }
    let mut data = rng.pick(seeds).clone();
    if rng.below(4) == 0 {
        let other = rng.pick(seeds);
        let cut = rng.below(data.len() + 1);
        let from = rng.below(other.len() + 1);
        data.truncate(cut);
        data.extend_from_slice(&other[from..]);
    }
    for _ in 0..1 + rng.below(8) {
        let pos = rng.below(data.len() + 1);
        match rng.below(6) {
            0 => data
                .splice(pos..pos, rng.pick(TOKENS).iter().copied())
                .for_each(drop),
            1 if !data.is_empty() => {
                let end = (pos + rng.below(40)).min(data.len());
                data.drain(pos.min(end)..end);
            }
            2 if pos < data.len() => data[pos] = rng.next() as u8,
            3 if !data.is_empty() => {
                let end = (pos + rng.below(60)).min(data.len());
                let chunk = data[pos.min(end)..end].to_vec();
                data.splice(pos.min(end)..pos.min(end), chunk)
                    .for_each(drop);
            }
            _ => data
                .splice(pos..pos, rng.pick(TOKENS).iter().copied())
                .for_each(drop),
        }
    }
    data
}

/// Run every layer on `data` and check the invariants; panics on a violation.
pub fn check_parser(data: &[u8]) {
    let lines = data.split(|&b| b == b'\n').count();
    let outcome = parse(data);
    let json = oracle_json("f", data, &outcome);
    let v: serde_json::Value = serde_json::from_str(&json).expect("oracle JSON is valid JSON");
    assert_eq!(v["ok"].as_bool(), Some(outcome.is_ok()));
    match &outcome {
        Ok(r) => {
            let d = dump(r);
            assert_eq!(d.lines().count(), r.nodes.len(), "one dump line per node");
            assert!(d.ends_with('\n'));
            let mut prev_end = 0;
            for n in &r.nodes {
                let s = n.span;
                assert!(s.start_line >= 1 && s.start_line <= s.end_line && s.end_line <= lines);
                assert!(s.start_line > prev_end, "nodes in order");
                prev_end = s.end_line;
                assert!(s.start_byte < s.end_byte && s.end_byte <= data.len());
            }
            let _ = build_program(r, &Options::default());
        }
        Err(e) => {
            assert!(e.start_line <= e.end_line && e.end_line <= lines + 1);
            assert!(!e.message.is_empty());
        }
    }
}

const WORD_CHARS: &[char] = &[
    '$', '{', '}', ':', '-', '+', '?', '#', '%', '/', '\'', '"', '\\', '`', '*', '<', ' ', 'A',
    'B', 'x', '1', '@', '!', '\t', '\n', 'é', '한', '=', '.', '[', ']',
];

/// A random expansion word biased towards `${…}` syntax.
pub fn word(rng: &mut Rng) -> String {
    let n = rng.below(40);
    let mut s = String::new();
    for _ in 0..n {
        match rng.below(10) {
            0 => s.push_str(rng.pick(&[
                "${A", "${B:-", "${A#", "${A%%", "${A//", "${A/", "${A:?", "${A+",
            ])),
            _ => s.push(*rng.pick(WORD_CHARS)),
        }
    }
    s
}

/// Expand `w` in every lexer mode; panics only if the lexer panics.
pub fn check_expand(rng: &mut Rng, w: &str) {
    let mut env = MapEnv::from_pairs([("A", "abcabc*x"), ("B", ""), ("C", "a b  c")]);
    if rng.below(2) == 0 {
        let extra = word(rng);
        env.set("A", &extra);
    }
    env.case_insensitive = rng.below(4) == 0;
    for esc in ['\\', '`'] {
        let mut lex = Lexer::new(esc);
        lex.raw_quotes = rng.below(2) == 0;
        lex.raw_escapes = rng.below(2) == 0;
        lex.skip_unset_env = rng.below(2) == 0;
        lex.skip_process_quotes = rng.below(3) == 0;
        let single = lex.process_word_with_matches(w, &env);
        let words = lex.process_words(w, &env);
        assert_eq!(
            single.is_ok(),
            words.is_ok(),
            "word and words modes agree on errors"
        );
        if let Ok(ws) = words {
            assert!(ws.iter().all(|x| !x.is_empty()));
        }
    }
    let _ = layerscope::dockerfile::heredoc::parse_heredoc(w);
    let _ = layerscope::dockerfile::heredoc::heredocs_from_line(w.as_bytes());
}
