#!/usr/bin/env bash
# Benchmarks (see docs/benchmarks.md): builds the release binaries, starts the real
# S3 server, installs `aws` (the plain client measured against), and runs ordo-bench.
# Usage: tests/bench.sh [all|registry|registry-sqlite|dispatch|portal|operator|exchange]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tests/harness/services.sh"
trap stop_services EXIT INT TERM

install_missing postgres ceph curl
if ! command -v aws >/dev/null; then
  log "installing the aws command line (PyPI awscli) in $WORK/venv"
  python3 -m venv "$WORK/venv" && "$WORK/venv/bin/pip" install -q awscli
  export PATH="$WORK/venv/bin:$PATH"
fi
cd "$ROOT"
cargo build --release --locked -p ordo -p ordo-tests --bin ordo --bin ordo-bench
# `tests/bench.sh dispatch` (or `registry`) runs one part; the default is all of it.
what=${1:-all}
[ "$what" = dispatch ] || [ "$what" = registry-sqlite ] || start_s3
if [ "$what" = all ] || [ "$what" = portal ] || [ "$what" = exchange ]; then start_smtp; fi
# Full durability (fsync, synchronous commit): the figures are those of production.
start_postgres
export ORDO_BENCH_PG_URL=$ORDO_TEST_PG_URL PATH="$PG_BIN:$PATH"
target/release/ordo-bench "$what" --ordo target/release/ordo
