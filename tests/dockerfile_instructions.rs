//! The instruction layer: hand-checked cases for flags, arity, stages, scoping, expansion and
//! dependencies, plus every real-world corpus file turned into stages without error.

use layerscope::dockerfile::instructions::{
    build_program, from_ast, CmdLine, Command, Dependency, Healthcheck, Options,
};
use layerscope::dockerfile::parse;
use std::path::Path;

fn err(src: &str) -> String {
    let r = parse(src.as_bytes()).expect("parses");
    match from_ast(&r) {
        Err(e) => format!("{}: {}", e.start_line, e.message),
        Ok(_) => "ok".into(),
    }
}

#[test]
fn instruction_errors() {
    let cases = [
        ("FROM a\nFROBNICATE x\n", "2: unknown instruction: FROBNICATE"),
        ("FROM a\nFORM x\n", "2: unknown instruction: FORM (did you mean from?)"),
        ("RUN x\n", "1: no build stage in current context"),
        ("ARG A=1\n", "0: dockerfile contains no stages to build"),
        ("FROM a b\n", "1: FROM requires either one or three arguments"),
        ("FROM a AS 1x\n", "1: invalid name for build stage: \"1x\", name can't start with a number or contain symbols"),
        ("FROM a AS x\nFROM b AS X\n", "2: duplicate stage name \"x\""),
        ("FROM a\nCOPY x\n", "2: COPY requires at least two arguments, but only one was provided. Destination could not be determined"),
        ("FROM a\nCOPY --form=x a b\n", "2: unknown flag: --form (did you mean from?)"),
        ("FROM a\nCOPY --link=maybe a b\n", "2: expecting boolean value for flag link, not: maybe"),
        ("FROM a\nCOPY --link= a b\n", "2: missing a value on flag: link"),
        ("FROM a\nCOPY --from=a --from=b a b\n", "2: duplicate flag specified: from"),
        ("FROM a\nWORKDIR --x=1 /a\n", "2: unknown flag: --x"),
        ("FROM a\nWORKDIR\n", "2: WORKDIR requires exactly one argument"),
        ("FROM a\nUSER\n", "2: USER requires exactly one argument"),
        ("FROM a\nSHELL sh -c\n", "2: SHELL requires the arguments to be in JSON form"),
        ("FROM a\nSHELL []\n", "2: SHELL requires at least one argument"),
        ("FROM a\nONBUILD\n", "2: ONBUILD requires at least one argument"),
        ("FROM a\nONBUILD ONBUILD RUN x\n", "2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
        ("FROM a\nONBUILD FROM x\n", "2: FROM isn't allowed as an ONBUILD trigger"),
        ("FROM a\nHEALTHCHECK NONE x\n", "2: HEALTHCHECK NONE takes no arguments"),
        ("FROM a\nHEALTHCHECK CMD\n", "2: Missing command after HEALTHCHECK CMD"),
        ("FROM a\nHEALTHCHECK FOO x\n", "2: Unknown type \"FOO\" in HEALTHCHECK (try CMD)"),
        ("FROM a\nHEALTHCHECK --interval=1us CMD x\n", "2: Interval \"interval\" cannot be less than 1ms"),
        ("FROM a\nHEALTHCHECK --retries=-1 CMD x\n", "2: --retries cannot be negative (-1)"),
        ("FROM a\nCOPY <<EOF <<DST\nx\nEOF\ny\nDST\n", "2: COPY cannot accept a heredoc as a destination"),
        ("FROM a\nENV A=${B\n", "2: failed to process \"${B\": unsupported modifier (\u{FFFD}) in substitution"),
        ("FROM a\nENV A=${B:-x\n", "2: failed to process \"${B:-x\": syntax error: missing '}'"),
        ("FROM a\nARG X=1\nCOPY --from=$X a b\n", "3: variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround"),
        ("FROM a\nRUN x\nCOPY --from=a /x /y\n", "ok"),
    ];
    for (src, want) in cases {
        assert_eq!(err(src), want, "{src:?}");
    }
    println!(
        "instruction errors: {}/{} hand-checked cases",
        cases.len(),
        cases.len()
    );
}

#[test]
fn scoping_and_expansion() {
    let src = "ARG BASE=alpine\nARG TAG\nFROM ${BASE}:${TAG:-3} AS build\nARG BASE\nENV abc=hello\nENV abc=bye def=$abc\nARG abc=argval\nWORKDIR /src/$abc/$BASE\nCOPY --chown=$def:$def a${def} /d/\nEXPOSE 80 $def\nRUN --mount=type=cache,target=/c/$def echo $abc\nFROM build\nLABEL x=$abc\nFROM scratch\nCOPY --from=build /a /b\nCOPY --from=0 /a /b\nCOPY --from=busybox /bin/sh /sh\nRUN --mount=from=build,target=/m true\n";
    let r = parse(src.as_bytes()).expect("parses");
    let p = build_program(&r, &Options::default()).expect("program");
    assert_eq!(
        p.meta_args,
        vec![
            ("BASE".to_string(), Some("alpine".to_string())),
            ("TAG".to_string(), None)
        ]
    );
    let s0 = &p.stages[0];
    assert_eq!(s0.base, "alpine:3");
    assert_eq!(s0.name.as_deref(), Some("build"));
    let ex: Vec<&Command> = s0.instructions.iter().map(|i| &i.expanded).collect();
    assert_eq!(
        ex[0],
        &Command::Arg(vec![("BASE".into(), Some("alpine".into()))])
    );
    assert_eq!(
        ex[2],
        &Command::Env(vec![
            ("abc".into(), "bye".into()),
            ("def".into(), "hello".into())
        ])
    );
    // ENV wins over ARG of the same name.
    assert_eq!(ex[4], &Command::Workdir("/src/bye/alpine".into()));
    match ex[5] {
        Command::Copy {
            sources,
            dest,
            chown,
            ..
        } => {
            assert_eq!(sources, &vec!["ahello".to_string()]);
            assert_eq!(dest, "/d/");
            assert_eq!(chown.as_deref(), Some("hello:hello"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(ex[6], &Command::Expose(vec!["80".into(), "hello".into()]));
    let run = &s0.instructions[7];
    assert_eq!(run.mounts[0].kind, "cache");
    assert_eq!(run.mounts[0].field("target"), Some("/c/hello"));
    match &run.expanded {
        Command::Run { cmd, .. } => assert_eq!(cmd, &CmdLine::Shell("echo $abc".into())),
        other => panic!("{other:?}"),
    }
    // Stage 1 is built on stage 0 and inherits its ENV, not its ARGs.
    let s1 = &p.stages[1];
    assert_eq!(s1.base_stage, Some(0));
    assert_eq!(s1.dependencies, vec![Dependency::Base { stage: 0 }]);
    assert_eq!(
        s1.instructions[0].expanded,
        Command::Label(vec![("x".into(), "bye".into())])
    );
    let s2 = &p.stages[2];
    assert_eq!(
        s2.dependencies,
        vec![
            Dependency::CopyFrom { stage: 0, line: 15 },
            Dependency::CopyFrom { stage: 0, line: 16 },
            Dependency::CopyFromImage {
                image: "busybox".into(),
                line: 17
            },
            Dependency::MountFrom { stage: 0, line: 18 },
        ]
    );
}

#[test]
fn heredocs_healthcheck_onbuild() {
    let src = "FROM a\nARG N=world\nCOPY <<-EOF <<'RAW' /dst/\n\thello $N\n\tEOF\nkeep $N\nRAW\nRUN <<EOF\necho $N\nEOF\nHEALTHCHECK --interval=30s --retries=3 CMD curl -f x\nONBUILD RUN <<EOF\nhi\nEOF\nMAINTAINER me\n";
    let r = parse(src.as_bytes()).expect("parses");
    let p = build_program(&r, &Options::default()).expect("program");
    let ins = &p.stages[0].instructions;
    match &ins[1].expanded {
        Command::Copy {
            inline, sources, ..
        } => {
            assert!(sources.is_empty());
            assert_eq!(inline[0].name, "EOF");
            assert_eq!(inline[0].content, "hello world\n");
            assert_eq!(inline[1].content, "keep $N\n");
        }
        other => panic!("{other:?}"),
    }
    match &ins[2].expanded {
        Command::Run { files, .. } => assert_eq!(files[0].content, "echo $N\n"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        ins[3].expanded,
        Command::Healthcheck(Healthcheck::Cmd {
            test: vec!["CMD-SHELL".into(), "curl -f x".into()],
            interval: 30_000_000_000,
            timeout: 0,
            start_period: 0,
            start_interval: 0,
            retries: 3,
        })
    );
    assert_eq!(
        ins[4].expanded,
        Command::Onbuild("RUN <<EOF\nhi\nEOF".into())
    );
    assert_eq!(p.lints.len(), 1);
    assert_eq!(p.lints[0].rule, "MaintainerDeprecated");
    assert_eq!(p.lints[0].line, 15);
}

#[test]
fn realworld_files_build_stages() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dockerfile/realworld");
    if !dir.is_dir() {
        println!("note: ../shared corpus not found; skipped");
        return;
    }
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("manifest");
    let (mut ok, mut total, mut edges) = (0, 0, 0);
    let mut failed = Vec::new();
    for line in manifest.lines().skip(1) {
        let path = line.split('\t').next().expect("path");
        let input = std::fs::read(dir.join(path)).expect("read");
        let r = parse(&input).expect("parses");
        total += 1;
        match from_ast(&r) {
            Ok(stages) => {
                let froms = r.nodes.iter().filter(|n| n.command() == "from").count();
                assert_eq!(stages.len(), froms, "{path}");
                edges += stages.iter().map(|s| s.dependencies.len()).sum::<usize>();
                ok += 1;
            }
            Err(e) => failed.push(format!("{path}: {e}")),
        }
    }
    println!("realworld instruction layer: {ok}/{total} files build stages ({edges} dependency edges); rejected: {failed:?}");
    // dive's deliberately broken test file is the one BuildKit also rejects.
    assert_eq!(
        failed,
        vec!["wagoodman/dive/cmd/dive/cli/testdata/invalid/Dockerfile: line 2: unknown instruction: INVALID".to_string()]
    );
    assert_eq!(total, 287);
    assert_eq!(ok, 286);
}
