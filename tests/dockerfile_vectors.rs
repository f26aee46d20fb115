//! BuildKit's shell-expansion vectors (`envVarTest`, `wordsTest`,
//! `derived/expansion-with-matches.json`) and the derived parser vectors (heredoc words,
//! parse-words, JSON arrays, name-val, directives) from the shared corpus.

use layerscope::dockerfile::directives::detect;
use layerscope::dockerfile::expand::{Lexer, MapEnv};
use layerscope::dockerfile::heredoc::{heredocs_from_line, parse_heredoc};
use layerscope::dockerfile::json_array::{parse_json_array, JsonArray};
use layerscope::dockerfile::line_parsers::{node_from_line, parse_words};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dockerfile/buildkit");
    if p.is_dir() {
        Some(p)
    } else {
        println!("note: ../shared corpus not found; vector conformance skipped");
        None
    }
}

fn read_json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json")
}

#[test]
fn env_var_test() {
    let Some(c) = corpus() else { return };
    let text =
        std::fs::read_to_string(c.join("frontend/dockerfile/shell/envVarTest")).expect("read");
    let (mut unix_pass, mut unix_total, mut win_pass, mut win_total) = (0, 0, 0, 0);
    let mut fails = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('|').collect();
        assert_eq!(f.len(), 3, "bad line {line}");
        let (plat, input, want) = (f[0].trim(), f[1].trim(), f[2].trim());
        for windows in [false, true] {
            if (windows && plat == "U") || (!windows && plat == "W") {
                continue;
            }
            let mut env = MapEnv::from_pairs([
                ("PWD", "/home"),
                ("SHELL", "bash"),
                ("KOREAN", "한국어"),
                ("NULL", ""),
            ]);
            env.case_insensitive = windows;
            let got = Lexer::new('\\').process_word(input, &env);
            let ok = match (&got, want) {
                (Err(_), "error") => true,
                (Ok(g), w) => w != "error" && g == w,
                _ => false,
            };
            if windows {
                win_total += 1;
                win_pass += ok as usize;
            } else {
                unix_total += 1;
                unix_pass += ok as usize;
            }
            if !ok {
                fails.push(format!(
                    "{plat} win={windows} {input:?}: got {got:?} want {want:?}"
                ));
            }
        }
    }
    println!("envVarTest: unix {unix_pass}/{unix_total}, windows {win_pass}/{win_total}");
    for f in &fails {
        println!("  FAIL {f}");
    }
    assert_eq!(unix_total, 228);
    assert_eq!(win_total, 228);
    assert!(fails.is_empty());
}

#[test]
fn words_test() {
    let Some(c) = corpus() else { return };
    let text =
        std::fs::read_to_string(c.join("frontend/dockerfile/shell/wordsTest")).expect("read");
    let mut env = MapEnv::default();
    let (mut pass, mut total) = (0, 0);
    let mut fails = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("ENV ") {
            let rest = rest.trim_start();
            let (k, v) = rest.split_once('=').expect("ENV k=v");
            env.set(k, v);
            continue;
        }
        let (input, want) = line.split_once('|').expect("one |");
        let (input, want) = (input.trim(), want.trim_start());
        total += 1;
        let got = Lexer::new('\\').process_words(input, &env);
        let ok = match &got {
            Err(_) => want == "error",
            Ok(words) => want != "error" && words.join(",") == want,
        };
        pass += ok as usize;
        if !ok {
            fails.push(format!("{input:?}: got {got:?} want {want:?}"));
        }
    }
    println!("wordsTest: {pass}/{total}");
    for f in &fails {
        println!("  FAIL {f}");
    }
    assert_eq!(total, 24);
    assert_eq!(pass, total);
}

fn names(v: &Value) -> Vec<String> {
    let mut n: Vec<String> = v
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    n.sort();
    n
}

#[test]
fn expansion_with_matches() {
    let Some(c) = corpus() else { return };
    let spec = read_json(&c.join("derived/expansion-with-matches.json"));
    let cases = spec["cases"].as_array().expect("cases");
    let (mut pass, mut fails) = (0, Vec::new());
    for case in cases {
        let input = case["input"].as_str().expect("input");
        let env = MapEnv::from_pairs(
            case["env"]
                .as_object()
                .expect("env")
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string())),
        );
        let got = Lexer::new('\\').process_word_with_matches(input, &env);
        let ok = match &got {
            Err(e) => {
                case["error"] == Value::Bool(true)
                    && case["error_contains"]
                        .as_str()
                        .is_none_or(|s| e.message.contains(s))
            }
            Ok(x) => {
                case["expected"].as_str() == Some(x.result.as_str())
                    && case
                        .get("matched")
                        .is_none_or(|m| names(m) == x.matched.iter().cloned().collect::<Vec<_>>())
                    && case
                        .get("unmatched")
                        .is_none_or(|m| names(m) == x.unmatched.iter().cloned().collect::<Vec<_>>())
            }
        };
        pass += ok as usize;
        if !ok {
            fails.push(format!("{input:?}: got {got:?}"));
        }
    }
    println!("expansion-with-matches: {pass}/{}", cases.len());
    for f in &fails {
        println!("  FAIL {f}");
    }
    assert_eq!(cases.len(), 56);
    assert_eq!(pass, cases.len());
}

#[test]
fn heredoc_words() {
    let Some(c) = corpus() else { return };
    let spec = read_json(&c.join("derived/heredoc-words.json"));
    let ph = &spec["parse_heredoc"];
    let mut n = 0;
    for w in ph["valid_all_named_EOF"].as_array().expect("valid") {
        let w = w.as_str().expect("str");
        let h = parse_heredoc(w).expect(w).expect(w);
        assert_eq!(h.name, "EOF", "{w}");
        n += 1;
    }
    for w in ph["error"].as_array().expect("error") {
        let w = w.as_str().expect("str");
        assert!(parse_heredoc(w).is_err(), "{w} should fail");
        n += 1;
    }
    for w in ph["not_a_heredoc"].as_array().expect("not") {
        let w = w.as_str().expect("str");
        assert_eq!(parse_heredoc(w), Ok(None), "{w}");
        n += 1;
    }
    for case in spec["heredocs_from_line"].as_array().expect("lines") {
        let line = case["line"].as_str().expect("line");
        let got: Vec<String> = heredocs_from_line(line.as_bytes())
            .expect(line)
            .into_iter()
            .map(|h| h.name)
            .collect();
        let want: Vec<String> = case["names"]
            .as_array()
            .expect("names")
            .iter()
            .map(|v| v.as_str().unwrap_or("").to_string())
            .collect();
        assert_eq!(got, want, "{line}");
        n += 1;
    }
    println!("heredoc-words: {n}/29");
    assert_eq!(n, 29);
}

#[test]
fn parse_words_name_val_json_arrays() {
    let Some(c) = corpus() else { return };
    let spec = read_json(&c.join("derived/parse-words.json"));
    let mut n = 0;
    for case in spec["cases"].as_array().expect("cases") {
        let input = case["input"].as_str().expect("input");
        let got: Vec<String> = parse_words(input.as_bytes(), b'\\')
            .into_iter()
            .map(|w| String::from_utf8(w).expect("utf8"))
            .collect();
        assert_eq!(Value::from(got), case["words"], "{input}");
        n += 1;
    }
    println!("parse-words: {n}/8");
    assert_eq!(n, 8);

    let spec = read_json(&c.join("derived/name-val.json"));
    let mut n = 0;
    for case in spec["cases"].as_array().expect("cases") {
        let line = format!(
            "{} {}",
            case["instruction"].as_str().expect("instr"),
            case["rest"].as_str().expect("rest")
        );
        match node_from_line(line.as_bytes(), b'\\', vec![]) {
            Ok(node) => {
                let got: Vec<String> = node.args_text();
                assert_eq!(Value::from(got), case["nodes"], "{line}");
            }
            Err(e) => assert_eq!(Some(e.as_str()), case["error"].as_str(), "{line}"),
        }
        n += 1;
    }
    println!("name-val: {n}/3");
    assert_eq!(n, 3);

    let spec = read_json(&c.join("derived/json-arrays.json"));
    let mut n = 0;
    for case in spec["valid"].as_array().expect("valid") {
        let input = case["input"].as_str().expect("input");
        match parse_json_array(input.as_bytes()) {
            JsonArray::Strings(v) => {
                let got: Vec<String> = v
                    .into_iter()
                    .map(|s| String::from_utf8(s).expect("utf8"))
                    .collect();
                assert_eq!(Value::from(got), case["values"], "{input}");
            }
            other => panic!("{input}: {other:?}"),
        }
        n += 1;
    }
    for input in spec["non_string_error"].as_array().expect("errs") {
        let input = input.as_str().expect("str");
        assert_eq!(
            parse_json_array(input.as_bytes()),
            JsonArray::NotStrings,
            "{input}"
        );
        let line = format!("CMD {input}");
        assert!(node_from_line(line.as_bytes(), b'\\', vec![]).is_err());
        n += 1;
    }
    println!("json-arrays: {n}/16");
    assert_eq!(n, 16);
}

#[test]
fn directive_vectors() {
    let Some(c) = corpus() else { return };
    let spec = read_json(&c.join("derived/directives.json"));
    let mut n = 0;
    for case in spec["parse_all"].as_array().expect("parse_all") {
        let input = case["input"].as_str().expect("input");
        let mut p = layerscope::dockerfile::directives::DirectiveParser::new();
        let mut got = Vec::new();
        for line in input.lines() {
            if p.is_done() {
                break;
            }
            if let Ok(Some(d)) = p.parse_line(line.as_bytes()) {
                got.push(serde_json::json!({"name": d.name, "value": d.value}));
            }
        }
        assert_eq!(Value::Array(got), case["directives"], "{input}");
        n += 1;
    }
    for (group, key) in [
        ("detect_syntax", "syntax"),
        ("parse_directive_check", "check"),
    ] {
        for case in spec[group].as_array().expect("group") {
            let mut input = Vec::new();
            if let Some(h) = case["input_hex_prefix"].as_str() {
                assert_eq!(h, "efbbbf");
                input.extend_from_slice(b"\xEF\xBB\xBF");
            }
            input.extend_from_slice(case["input"].as_str().expect("input").as_bytes());
            let got = detect(key, &input);
            let found = case["found"].as_bool().expect("found");
            assert_eq!(got.is_some(), found, "{group} {:?}", case["input"]);
            if let Some(d) = got {
                if let Some(r) = case["ref"].as_str() {
                    assert_eq!(d.value, r);
                }
                if let Some(r) = case["cmdline"].as_str() {
                    assert_eq!(d.cmdline, r);
                }
                if let Some(l) = case["line"].as_u64() {
                    assert_eq!(d.line, Some(l as usize));
                }
            }
            n += 1;
        }
    }
    println!("directives: {n}/17");
    assert_eq!(n, 17);
}
