#!/usr/bin/env bash
# Installs everything the build and the tests need, idempotently; fast when all is in place.
# Debian 12 with rustup, Node 20 and gcc, as root. Nothing is downloaded from GitHub:
# crates.io (trunk, wasm-bindgen-cli), npm (binaryen's wasm-opt, playwright-core), Debian (chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.22.1
CHANNEL=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
log() { printf '[setup] %s\n' "$*" >&2; }

# 1. The pinned Rust toolchain with the wasm32 target (no-op when present).
if ! rustup run "$CHANNEL" rustc --print target-list >/dev/null 2>&1 ||
   ! rustup target list --toolchain "$CHANNEL" --installed | grep -qx wasm32-unknown-unknown ||
   ! rustup component list --toolchain "$CHANNEL" --installed | grep -q '^clippy' ||
   ! rustup component list --toolchain "$CHANNEL" --installed | grep -q '^rust-src'; then
  log "installing Rust $CHANNEL with wasm32, rustfmt, clippy, rust-src"
  rustup toolchain install "$CHANNEL" --profile minimal -c rustfmt -c clippy -c rust-src -t wasm32-unknown-unknown
fi

# 2. trunk, built from crates.io (about 9 minutes on 2 cores, once per machine).
if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then
  log "installing trunk $TRUNK_VERSION from crates.io"
  cargo "+$CHANNEL" install --locked trunk --version "$TRUNK_VERSION"
fi

# 3. wasm-bindgen-cli matching Cargo.lock exactly (without --locked: its lockfile pins a yanked crate).
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WBG_VERSION\$"; then
  log "installing wasm-bindgen-cli $WBG_VERSION from crates.io"
  cargo "+$CHANNEL" install wasm-bindgen-cli --version "$WBG_VERSION"
fi

# 4. Debian's Chromium and ChromeDriver for the browser tests.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  log "installing Debian chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi

# 5. npm tools from the committed lock file (binaryen for wasm-opt, playwright-core).
LOCK_SUM=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.lock-sum ] || [ "$(cat node_modules/.lock-sum)" != "$LOCK_SUM" ]; then
  log "installing npm tools (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$LOCK_SUM" > node_modules/.lock-sum
fi

# 6. Crates for trunk's offline build, and the crates std itself depends on, which the release
#    page's rebuild of std needs (scripts/page-build-env.sh).
cargo fetch --locked -q
(source scripts/page-build-env.sh && cargo fetch --locked -q --target wasm32-unknown-unknown)
