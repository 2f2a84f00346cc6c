#!/usr/bin/env bash
# The test command (see README.md): runs Ordo's whole test suite against real
# services on this machine's loopback (PostgreSQL, Ceph's S3 gateway, headless
# Chromium, an SMTP server, an OpenID Provider), installing what is missing first,
# and stops them.
# Extra arguments go to `cargo test` (e.g. `tests/run.sh -- tenancy`).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tests/harness/services.sh"
trap stop_services EXIT INT TERM

install_missing postgres ceph chromium chromedriver curl node qpdf pdftotext clamd
# Tests start their own clamd with a hand-made signature (no download here).
export ORDO_TEST_CLAMD=$(command -v clamd || echo /usr/sbin/clamd)
# fsync off: a throw-away cluster; the benchmarks run with full durability.
start_postgres fsync=off
start_s3
start_browser
start_smtp
start_oidc
prepare_axe

cd "$ROOT"
log "running the test suite"
cargo test --workspace --locked "$@"
