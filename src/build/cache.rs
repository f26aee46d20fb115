//! The build cache: results of earlier steps keyed by Docker's rules. The classic builder keys a
//! step on its parent image and its instruction (with `file:` hashes for COPY/ADD, so content and
//! not mtime counts); BuildKit keys LLB steps (FROM, RUN, COPY, ADD, WORKDIR) on the chain of
//! earlier LLB steps plus ENV/ARG/USER/SHELL/WORKDIR state and source checksums, and ignores
//! CMD, LABEL, EXPOSE and the like. A miss changes every later key, so everything after it is
//! rebuilt. It does not decide what a step does (that is the engine).

use super::engine::StageState;
use crate::overlay::snapshot::hex;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// A cached step: the stage state right after it.
#[derive(Debug, Clone)]
pub(crate) struct CacheEntry {
    pub state: StageState,
    pub outcome: super::engine::StepOutcome,
}

/// Cache shared by the builds of one session (both builders keep separate keys).
#[derive(Debug, Clone, Default)]
pub struct BuildCache {
    entries: HashMap<String, CacheEntry>,
}

impl BuildCache {
    pub fn new() -> Self {
        BuildCache::default()
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    pub(crate) fn get(&self, key: &str) -> Option<&CacheEntry> {
        self.entries.get(key)
    }
    pub(crate) fn put(&mut self, key: String, entry: CacheEntry) {
        self.entries.insert(key, entry);
    }
}

/// sha256 of the parts, separated so that `["ab","c"]` ≠ `["a","bc"]`.
pub(crate) fn key(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    hex(&h.finalize())
}
