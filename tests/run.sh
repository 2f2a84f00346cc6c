#!/usr/bin/env bash
# The test command (see README.md): runs Ordo's whole test suite against real
# services on this machine's loopback, then stops them.
#
#   PostgreSQL  a throw-away cluster (initdb + pg_ctl), run as an unprivileged user
#   S3          Ceph's RADOS Gateway on a single-node memstore cluster
#   Browser     headless Chromium driven through chromedriver (WebDriver)
#
# Anything missing is installed from Debian's packages first. Extra arguments go to
# `cargo test` (e.g. `tests/run.sh cross_tenant`).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/ordo-test.XXXXXX)
PG_USER=ordo-pg
log() { printf '\033[1m[ordo-test]\033[0m %s\n' "$*" >&2; }

pids=()
cleanup() {
  local status=$?
  log "stopping services"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -d "$WORK/pg" ] && runuser -u "$PG_USER" -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  "$ROOT/tests/harness/ceph-rgw.sh" stop "$WORK/ceph" >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_for() { # name, seconds, command...
  local name=$1 seconds=$2; shift 2
  for _ in $(seq "$seconds"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  log "$name did not come up within ${seconds}s"; return 1
}

install_missing() {
  local wanted=()
  [ -x /usr/lib/postgresql/15/bin/initdb ] || wanted+=(postgresql-15)
  command -v radosgw >/dev/null || wanted+=(ceph-mon ceph-osd radosgw ceph-common)
  command -v chromium >/dev/null || wanted+=(chromium)
  command -v chromedriver >/dev/null || wanted+=(chromium-driver)
  command -v curl >/dev/null || wanted+=(curl)
  if [ ${#wanted[@]} -gt 0 ]; then
    log "installing ${wanted[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
  fi
}

start_postgres() {
  PG_BIN=/usr/lib/postgresql/15/bin
  id "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
  PG_PORT=$(free_port)
  mkdir -p "$WORK/pg" "$WORK/pgsock" "$WORK/pglog"
  chown "$PG_USER" "$WORK/pg" "$WORK/pgsock" "$WORK/pglog"
  chmod 755 "$WORK"
  runuser -u "$PG_USER" -- "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  # fsync off: a throw-away cluster for tests; benchmarks use their own settings.
  runuser -u "$PG_USER" -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pglog/postgresql.log" -w start \
    -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$WORK/pgsock -c fsync=off -c max_connections=300" >/dev/null
  export ORDO_TEST_PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  log "PostgreSQL on 127.0.0.1:$PG_PORT"
}

start_s3() {
  local port; port=$(free_port)
  local settings
  settings=$("$ROOT/tests/harness/ceph-rgw.sh" start "$WORK/ceph" "$port")
  eval "$settings"
  export ORDO_TEST_S3_ENDPOINT=$S3_ENDPOINT ORDO_TEST_S3_ACCESS_KEY=$S3_ACCESS_KEY \
         ORDO_TEST_S3_SECRET_KEY=$S3_SECRET_KEY ORDO_TEST_S3_REGION=$S3_REGION
  log "S3 (Ceph RADOS Gateway) at $S3_ENDPOINT"
}

start_browser() {
  local port; port=$(free_port)
  chromedriver --port="$port" --allowed-ips=127.0.0.1 >"$WORK/chromedriver.log" 2>&1 &
  pids+=($!)
  wait_for chromedriver 30 curl -sf "http://127.0.0.1:$port/status"
  export ORDO_TEST_WEBDRIVER="http://127.0.0.1:$port" ORDO_TEST_CHROMIUM=$(command -v chromium)
  log "chromedriver at $ORDO_TEST_WEBDRIVER"
}

install_missing
start_postgres
start_s3
start_browser

cd "$ROOT"
log "running the test suite"
cargo test --workspace --locked "$@"
