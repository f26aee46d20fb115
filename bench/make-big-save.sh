#!/bin/bash
# Build a >= 1 GB `docker save` the way the corpus's `many` image is built (Docker 20.10 daemon,
# vfs, classic builder, FROM the corpus base image), for the reader benchmark.
# Needs root, /usr/sbin/dockerd + /usr/bin/docker (Debian docker.io 20.10) and a corpus built by
# tools/make-image-corpus.sh (for base/base.docker20.save.tar).
# Usage: CORPUS_ROOT=/tmp/corpus OUT=/tmp/bench bash bench/make-big-save.sh
set -euo pipefail
CORPUS_ROOT=${CORPUS_ROOT:-/tmp/corpus}
OUT=${OUT:-/tmp/bench}
FILES=${FILES:-150000}     # files in total, over 3 layers
BYTES=${BYTES:-9400}       # bytes per file (150,000 x 9,400 = 1.41 GB)
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
S=$OUT/.state
mkdir -p "$S" "$OUT/big"
D() { /usr/bin/docker -H "unix://$S/docker.sock" "$@"; }
( setsid /usr/sbin/dockerd --storage-driver vfs --data-root "$S/data" --exec-root "$S/exec" \
    --pidfile "$S/dockerd.pid" -H "unix://$S/docker.sock" --iptables=false --ip6tables=false \
    --bridge=none > "$S/dockerd.log" 2>&1 & echo $! > "$S/launcher.pid" )
for _ in $(seq 60); do D version > /dev/null 2>&1 && break; sleep 1; done
trap 'kill "$(cat "$S/launcher.pid")" 2>/dev/null || true; sleep 5' EXIT
D load -i "$CORPUS_ROOT/base/base.docker20.save.tar" > /dev/null
per=$((FILES / 3 / 100))
cat > "$OUT/big/Dockerfile" <<DOCKERFILE
# $FILES files of $BYTES bytes in three layers, then a deletion layer.
FROM corpus/base:latest
RUN set -e; c=\$(head -c $BYTES /dev/zero | tr '\\0' x); for L in 0; do i=0; while [ \$i -lt 100 ]; do d=/big/l\$L/dir-\$i; mkdir -p \$d; j=0; \\
      while [ \$j -lt $per ]; do echo -n "\$c" > \$d/f-\$j; j=\$((j+1)); done; i=\$((i+1)); done; done
RUN set -e; c=\$(head -c $BYTES /dev/zero | tr '\\0' y); for L in 1; do i=0; while [ \$i -lt 100 ]; do d=/big/l\$L/dir-\$i; mkdir -p \$d; j=0; \\
      while [ \$j -lt $per ]; do echo -n "\$c" > \$d/f-\$j; j=\$((j+1)); done; i=\$((i+1)); done; done
RUN set -e; c=\$(head -c $BYTES /dev/zero | tr '\\0' z); for L in 2; do i=0; while [ \$i -lt 100 ]; do d=/big/l\$L/dir-\$i; mkdir -p \$d; j=0; \\
      while [ \$j -lt $per ]; do echo -n "\$c" > \$d/f-\$j; j=\$((j+1)); done; i=\$((i+1)); done; done
RUN rm -rf /big/l0/dir-0 && rm /big/l1/dir-1/f-0
DOCKERFILE
DOCKER_BUILDKIT=0 D build --network none -q -t corpus/big:latest "$OUT/big" > /dev/null
D save -o "$OUT/big/big.docker20.save.tar" corpus/big:latest
D rmi corpus/big:latest > /dev/null
ls -l "$OUT/big/big.docker20.save.tar"
pid=$(cat "$S/launcher.pid"); kill "$pid" 2>/dev/null || true
for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
rm -rf "$S/data" "$S/exec"
