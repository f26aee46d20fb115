//! Robustness: seeded random and mutated inputs (corpus files when ../shared exists, else
//! the fixtures) through the parser, dump, oracle JSON and instruction layer, and random
//! words through every expansion mode. A small case count here; `examples/fuzz_dockerfile.rs`
//! runs the same checks for as long as asked.

mod dockerfile_support;
use dockerfile_support::{check_expand, check_parser, input, seeds, word, Rng};

#[test]
fn parser_survives_mutated_inputs() {
    let seeds = seeds();
    let mut rng = Rng(0x5eed_0001);
    for _ in 0..400 {
        let data = input(&mut rng, &seeds);
        check_parser(&data);
    }
}

#[test]
fn expansion_survives_random_words() {
    let mut rng = Rng(0x5eed_0002);
    for _ in 0..2000 {
        let w = word(&mut rng);
        check_expand(&mut rng, &w);
    }
}

#[test]
fn pathological_inputs() {
    // Deep JSON nesting, a 64 KiB line, a line just under the limit, many heredocs, many
    // ONBUILD levels, and a glob with many stars over a long value.
    let deep = format!("FROM a\nCMD {}\n", "[".repeat(50_000));
    check_parser(deep.as_bytes());
    let long = format!("FROM a\nRUN {}\n", "x".repeat(70_000));
    assert_eq!(
        layerscope::dockerfile::parse(long.as_bytes())
            .unwrap_err()
            .message,
        "dockerfile line greater than max allowed size of 65535"
    );
    let fits = format!("FROM a\nRUN {}\n", "x".repeat(65_535 - 4));
    assert!(layerscope::dockerfile::parse(fits.as_bytes()).is_ok());
    let heredocs = format!("FROM a\nRUN {}\n", "<<E ".repeat(5000));
    check_parser(heredocs.as_bytes());
    let onbuild = format!("FROM a\n{}RUN x\n", "ONBUILD ".repeat(5000));
    check_parser(onbuild.as_bytes());
    let env = layerscope::dockerfile::expand::MapEnv::from_pairs([("A", "ab".repeat(2000))]);
    let w = format!("${{A##{}}}", "*b".repeat(500));
    let r = layerscope::dockerfile::expand::expand_word(&w, &env, '\\');
    assert_eq!(r.unwrap(), "");
}
