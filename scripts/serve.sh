#!/usr/bin/env bash
# Command 1: build the page (release) and serve it on http://127.0.0.1:8080 until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
# The page is built with a smaller, rebuilt std (see the file).
source scripts/page-build-env.sh
exec trunk serve index.html --release --address 127.0.0.1 --port 8080 --no-autoreload
