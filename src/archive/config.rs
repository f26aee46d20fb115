//! The image config blob: platform, creation time, runtime config (env, cmd, entrypoint,
//! workdir, user, labels, ports, volumes, healthcheck, …), `rootfs.diff_ids` and history, mapped
//! onto the `image` model. Unknown fields are ignored; fields of the wrong type are errors.

use super::error::ArchiveError;
use super::json::parse;
use crate::image::{Healthcheck, HistoryRow, ImageConfig, Platform};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Deserialize)]
struct RawHealthcheck {
    #[serde(rename = "Test", default)]
    test: Option<Vec<String>>,
    #[serde(rename = "Interval", default)]
    interval: Option<i64>,
    #[serde(rename = "Timeout", default)]
    timeout: Option<i64>,
    #[serde(rename = "StartPeriod", default)]
    start_period: Option<i64>,
    #[serde(rename = "StartInterval", default)]
    start_interval: Option<i64>,
    #[serde(rename = "Retries", default)]
    retries: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct RawRuntime {
    #[serde(rename = "Env", default)]
    env: Option<Vec<String>>,
    #[serde(rename = "Cmd", default)]
    cmd: Option<Vec<String>>,
    #[serde(rename = "Entrypoint", default)]
    entrypoint: Option<Vec<String>>,
    #[serde(rename = "WorkingDir", default)]
    working_dir: Option<String>,
    #[serde(rename = "User", default)]
    user: Option<String>,
    #[serde(rename = "Labels", default)]
    labels: Option<BTreeMap<String, String>>,
    #[serde(rename = "ExposedPorts", default)]
    exposed_ports: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(rename = "Volumes", default)]
    volumes: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(rename = "Healthcheck", default)]
    healthcheck: Option<RawHealthcheck>,
    #[serde(rename = "StopSignal", default)]
    stop_signal: Option<String>,
    #[serde(rename = "Shell", default)]
    shell: Option<Vec<String>>,
    #[serde(rename = "OnBuild", default)]
    on_build: Option<Vec<String>>,
    #[serde(rename = "ArgsEscaped", default)]
    args_escaped: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct RawHistory {
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    created_by: Option<String>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    empty_layer: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct RawRootfs {
    #[serde(default)]
    diff_ids: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct RawConfig {
    #[serde(default)]
    architecture: Option<String>,
    #[serde(default)]
    os: Option<String>,
    #[serde(default)]
    variant: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    config: Option<RawRuntime>,
    #[serde(default)]
    rootfs: Option<RawRootfs>,
    #[serde(default)]
    history: Option<Vec<RawHistory>>,
}

/// What an image config says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedConfig {
    pub platform: Platform,
    pub created: Option<String>,
    pub author: Option<String>,
    pub config: ImageConfig,
    pub diff_ids: Vec<String>,
    /// History rows, not yet mapped to layers.
    pub history: Vec<HistoryRow>,
}

/// Parse a config blob.
pub fn parse_config(bytes: &[u8], member: &str, offset: u64) -> Result<ParsedConfig, ArchiveError> {
    let raw: RawConfig = parse(bytes, member, offset, "an image config object")?;
    let rt = raw.config.unwrap_or_default();
    let config = ImageConfig {
        env: rt.env.unwrap_or_default(),
        cmd: rt.cmd,
        entrypoint: rt.entrypoint,
        working_dir: rt.working_dir.unwrap_or_default(),
        user: rt.user.unwrap_or_default(),
        labels: rt.labels.unwrap_or_default(),
        exposed_ports: rt.exposed_ports.unwrap_or_default().into_keys().collect(),
        volumes: rt.volumes.unwrap_or_default().into_keys().collect(),
        healthcheck: rt.healthcheck.map(|h| Healthcheck {
            test: h.test.unwrap_or_default(),
            interval: h.interval,
            timeout: h.timeout,
            start_period: h.start_period,
            start_interval: h.start_interval,
            retries: h.retries,
        }),
        stop_signal: rt.stop_signal,
        shell: rt.shell,
        on_build: rt.on_build.unwrap_or_default(),
        args_escaped: rt.args_escaped.unwrap_or(false),
    };
    let history = raw
        .history
        .unwrap_or_default()
        .into_iter()
        .map(|h| HistoryRow {
            created: h.created,
            created_by: h.created_by.unwrap_or_default(),
            comment: h.comment.unwrap_or_default(),
            author: h.author.unwrap_or_default(),
            empty_layer: h.empty_layer.unwrap_or(false),
            layer_index: None,
        })
        .collect();
    Ok(ParsedConfig {
        platform: Platform {
            os: raw.os.unwrap_or_default(),
            architecture: raw.architecture.unwrap_or_default(),
            variant: raw.variant.filter(|v| !v.is_empty()),
        },
        created: raw.created,
        author: raw.author,
        config,
        diff_ids: raw.rootfs.and_then(|r| r.diff_ids).unwrap_or_default(),
        history,
    })
}
