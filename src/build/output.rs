//! Docker's build output texts per builder: the classic builder's `Step i/N : …`,
//! ` ---> Running in …`, ` ---> Using cache`, `Successfully built …`, and BuildKit's plain
//! progress (`#4 [2/3] RUN …`, `#4 CACHED`, `#4 DONE 0.0s`), plus `docker image inspect`
//! RootFS.Layers. Durations are printed as 0.0s and ids are layerscope's (both are what a
//! comparison with a real capture normalises). Steps the simulator did not run are marked.

use super::engine::{BuildResult, StepReport, StepStatus};
use super::{Builder, Engine};

/// The human size `docker build` prints (`units.HumanSize`: 4 significant digits, decimal).
pub fn human_size(n: u64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1000.0 && i + 1 < units.len() {
        v /= 1000.0;
        i += 1;
    }
    let s = format!("{:.4}", v);
    // %.4g: four significant digits, trailing zeros dropped.
    let digits_before = format!("{}", v.trunc() as u64).len();
    let decimals = 4usize.saturating_sub(digits_before);
    let mut s2 = format!("{:.*}", decimals, v);
    if s2.contains('.') {
        s2 = s2.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    let _ = s;
    format!("{s2}{}", units[i])
}

fn tagged(t: &str) -> String {
    let last = t.rsplit('/').next().unwrap_or(t);
    if last.contains(':') {
        t.to_string()
    } else {
        format!("{t}:latest")
    }
}

/// `name` → `docker.io/library/name`, `user/name` → `docker.io/user/name`; registries kept.
fn qualified(r: &str) -> String {
    let first = r.split('/').next().unwrap_or(r);
    if r.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost") {
        r.to_string()
    } else if r.contains('/') {
        format!("docker.io/{r}")
    } else {
        format!("docker.io/library/{r}")
    }
}

/// The qualified reference with its tag (`:latest` when none is given).
fn full_ref(r: &str) -> String {
    tagged(&qualified(r))
}

fn notes(s: &StepReport) -> Vec<String> {
    let mut v: Vec<String> = s
        .outcome
        .not_simulated
        .iter()
        .map(|c| format!("layerscope: not simulated: {c} (no file changes recorded)"))
        .collect();
    for p in &s.outcome.installed {
        v.push(format!("layerscope: installed {p} from the bundled catalogue (file list real, contents simulated)"));
    }
    v
}

/// The whole `docker build` output for this result.
pub fn render_build_output(r: &BuildResult) -> String {
    match r.builder {
        Builder::Classic => classic(r),
        Builder::BuildKit => buildkit(r),
    }
}

fn classic(r: &BuildResult) -> String {
    let mut o = format!(
        "Sending build context to Docker daemon {:>8}\n",
        human_size(r.context_size)
    );
    let mut last_id = String::new();
    for s in &r.steps {
        if !s.trigger {
            o.push_str(&format!(
                "Step {}/{} : {}\n",
                s.classic_number, s.classic_total, s.text
            ));
        }
        match s.status {
            StepStatus::Base => {
                o.push_str(&format!(" ---> {}\n", s.image_id));
                let triggers = r
                    .steps
                    .iter()
                    .filter(|t| t.trigger && t.stage == s.stage)
                    .count();
                if triggers > 0 {
                    let plural = if triggers == 1 { "trigger" } else { "triggers" };
                    o.push_str(&format!("# Executing {triggers} build {plural}\n"));
                }
            }
            StepStatus::Cached => {
                o.push_str(" ---> Using cache\n");
                o.push_str(&format!(" ---> {}\n", s.image_id));
            }
            StepStatus::Executed | StepStatus::ConfigOnly => {
                if let Some(c) = &s.container_id {
                    o.push_str(&format!(" ---> Running in {c}\n"));
                    o.push_str(&s.outcome.stdout);
                    if !s.outcome.stdout.is_empty() && !s.outcome.stdout.ends_with('\n') {
                        o.push('\n');
                    }
                    for n in notes(s) {
                        o.push_str(&n);
                        o.push('\n');
                    }
                    match r.engine {
                        Engine::V20 => {
                            o.push_str(&format!("Removing intermediate container {c}\n"))
                        }
                        Engine::V26 => {
                            o.push_str(&format!(" ---> Removed intermediate container {c}\n"))
                        }
                    }
                }
                o.push_str(&format!(" ---> {}\n", s.image_id));
            }
        }
        if !s.image_id.is_empty() {
            last_id = s.image_id.clone();
        }
    }
    o.push_str(&format!("Successfully built {last_id}\n"));
    if let Some(t) = &r.tag {
        o.push_str(&format!("Successfully tagged {}\n", tagged(t)));
    }
    o
}

fn buildkit(r: &BuildResult) -> String {
    let mut o = String::new();
    let mut n = 0;
    let mut block = |o: &mut String, lines: &[String]| {
        n += 1;
        for l in lines {
            o.push_str(&format!("#{n} {l}\n"));
        }
        o.push('\n');
    };
    if r.engine == Engine::V26 {
        o.push_str("#0 building with \"default\" instance using docker driver\n\n");
    }
    block(
        &mut o,
        &[
            format!(
                "[internal] load build definition from {}",
                r.dockerfile_name
            ),
            format!("transferring dockerfile: {}B done", r.dockerfile_size),
            "DONE 0.0s".into(),
        ],
    );
    for b in &r.external_bases {
        block(
            &mut o,
            &[
                format!("[internal] load metadata for {}", full_ref(b)),
                "DONE 0.0s".into(),
            ],
        );
    }
    block(
        &mut o,
        &[
            "[internal] load .dockerignore".into(),
            "transferring context: 2B done".into(),
            "DONE 0.0s".into(),
        ],
    );
    let mut context_shown = false;
    for s in &r.steps {
        let Some(num) = s.bk_number else { continue };
        let prefix = match &s.stage_label {
            Some(l) => format!("[{l} {num}/{}]", s.bk_total),
            None => format!("[{num}/{}]", s.bk_total),
        };
        let text = if s.status == StepStatus::Base {
            // Docker 20.10 names the base as written, qualified; Docker 26 adds the tag.
            let base = s.text.split_whitespace().nth(1).unwrap_or("");
            match r.engine {
                Engine::V20 => format!("FROM {}", qualified(base)),
                Engine::V26 => format!("FROM {}", full_ref(base)),
            }
        } else {
            s.text.clone()
        };
        let mut lines = vec![format!("{prefix} {text}")];
        match s.status {
            StepStatus::Cached => lines.push("CACHED".into()),
            _ => {
                for line in s.outcome.stdout.lines() {
                    lines.push(format!("0.100 {line}"));
                }
                for note in notes(s) {
                    lines.push(format!("0.000 {note}"));
                }
                lines.push("DONE 0.0s".into());
            }
        }
        if !context_shown && r.uses_context && matches!(s.keyword.as_str(), "COPY" | "ADD") {
            context_shown = true;
            block(
                &mut o,
                &[
                    "[internal] load build context".into(),
                    format!("transferring context: {} done", human_size(r.context_size)),
                    "DONE 0.0s".into(),
                ],
            );
        }
        block(&mut o, &lines);
    }
    // Layers are exported only when a step ran; Docker 20.10 first prints the bare line.
    let mut export = vec!["exporting to image".to_string()];
    let ran = r.steps.iter().any(|s| {
        s.bk_number.is_some() && !matches!(s.status, StepStatus::Cached | StepStatus::Base)
    });
    match (ran, r.engine) {
        (false, _) => export.push("exporting layers done".into()),
        (true, Engine::V20) => {
            export.push("exporting layers".into());
            export.push("exporting layers 0.0s done".into());
        }
        (true, Engine::V26) => export.push("exporting layers 0.0s done".into()),
    }
    export.push(format!("writing image {} done", r.image.config_digest));
    // The graph-driver store names the image as given (`-t app-a`), without adding `:latest`.
    if let Some(t) = &r.tag {
        export.push(format!("naming to {} done", qualified(t)));
    }
    export.push("DONE 0.0s".into());
    block(&mut o, &export);
    o
}

/// `docker image inspect --format '{{json .RootFS.Layers}}'`.
pub fn render_rootfs_layers(r: &BuildResult) -> String {
    serde_json::to_string(&r.rootfs_layers()).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes_like_docker() {
        assert_eq!(human_size(5120), "5.12kB");
        assert_eq!(human_size(2560), "2.56kB");
        assert_eq!(human_size(2_132_000), "2.132MB");
        assert_eq!(human_size(26), "26B");
        assert_eq!(format!("{:>8}", human_size(5120)), "  5.12kB");
    }
}

#[cfg(test)]
mod numbering_tests {
    use super::*;
    use crate::build::{build_text, BuildCache, BuildContext, BuildOptions, OverlayShell};

    /// The build output of a Dockerfile built with an empty context and a fresh cache.
    fn output_of(dockerfile: &str, o: &BuildOptions) -> String {
        let r = build_text(
            dockerfile,
            &BuildContext::new(),
            o,
            &[],
            &mut BuildCache::new(),
            &OverlayShell,
        )
        .unwrap();
        render_build_output(&r)
    }

    #[test]
    fn buildkit_blocks_are_numbered_from_one_after_the_driver_line() {
        let o = BuildOptions {
            tag: Some("t".into()),
            ..Default::default()
        };
        let out = output_of("FROM busybox\nRUN true\n", &o);
        assert!(out.starts_with(
            "#0 building with \"default\" instance using docker driver\n\n#1 [internal] load build definition from Dockerfile\n"
        ), "{out}");
        assert!(
            out.contains("#4 [1/2] FROM docker.io/library/busybox:latest\n#4 DONE 0.0s\n"),
            "{out}"
        );
        assert!(out.contains("#5 [2/2] RUN true\n#5 DONE 0.0s\n"), "{out}");
        assert!(
            out.contains("#6 exporting to image\n#6 exporting layers 0.0s done\n"),
            "{out}"
        );
        assert!(
            out.contains("#6 naming to docker.io/library/t done\n"),
            "{out}"
        );
    }

    #[test]
    fn buildkit_names_run_vertices_with_arguments_substituted() {
        let o = BuildOptions {
            build_args: vec![("FLAVOR".into(), "mint".into())],
            ..Default::default()
        };
        let df = "FROM busybox\nARG FLAVOR\nENV DIR=/srv\n\
                  RUN echo \"flavor=$FLAVOR\" '$FLAVOR' $UNSET > ${DIR}/f\n\
                  RUN <<EOT\necho one\necho two\nEOT\n";
        let out = output_of(df, &o);
        assert!(
            out.contains("[2/3] RUN echo \"flavor=mint\" '$FLAVOR' $UNSET > /srv/f\n"),
            "{out}"
        );
        assert!(out.contains("[3/3] RUN <<EOT (echo one...)\n"), "{out}");
    }
}
