#!/usr/bin/env bash
# Command 2: every test suite; exits non-zero on the first failure.
#   formatting, clippy (native and wasm32), native cargo test (core, CLI, SSR components, and the
#   ../shared corpus suites when ../shared exists), wasm-bindgen tests in headless Chromium,
#   the release build, and end-to-end tests of dist/ in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER=/usr/bin/chromedriver
step() { printf '\n==> %s\n' "$*"; }
T0=$(date +%s)

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native, all targets)"
cargo clippy --all-targets --locked -- -D warnings

step "cargo clippy (wasm32: lib, bin, browser tests)"
cargo clippy --target wasm32-unknown-unknown --lib --bins --test web --locked -- -D warnings

step "cargo test (native)"
cargo test --locked

step "wasm-bindgen tests in headless Chromium"
cargo test --target wasm32-unknown-unknown --test web --locked

step "trunk build --release (std rebuilt for size: scripts/page-build-env.sh)"
(source scripts/page-build-env.sh && trunk build index.html --release)

step "end-to-end tests (playwright-core, headless Chromium)"
node --test --test-concurrency=1 tests/e2e/

printf '\nall suites passed in %ss\n' "$(( $(date +%s) - T0 ))"
