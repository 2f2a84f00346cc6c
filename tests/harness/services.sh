# Real services on loopback for Ordo's tests and benchmarks. Sourced by
# tests/run.sh and tests/bench.sh; each start_* function exports what clients need.
#
#   start_postgres  a throw-away cluster (initdb + pg_ctl) run as an unprivileged user
#   start_s3        Ceph's RADOS Gateway on a single-node memstore cluster
#   start_browser   chromedriver, driving headless Chromium
#   start_smtp      an SMTP server keeping what it accepts in a maildir
#   start_oidc      an OpenID Provider (npm oidc-provider) with test accounts
#   prepare_axe     axe-core, for accessibility checks in Chromium
#
# Everything lives under $WORK and is stopped by stop_services (set as an EXIT trap).

HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=${WORK:-$(mktemp -d /tmp/ordo-services.XXXXXX)}
PG_USER=ordo-pg
PG_BIN=/usr/lib/postgresql/15/bin
service_pids=()

log() { printf '\033[1m[ordo]\033[0m %s\n' "$*" >&2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_for() { # name, seconds, command...
  local name=$1 seconds=$2; shift 2
  for _ in $(seq "$seconds"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  log "$name did not come up within ${seconds}s"; return 1
}

# Installs, from Debian's packages, whatever of the given commands is missing.
install_missing() {
  local wanted=()
  for need in "$@"; do
    case $need in
      postgres) [ -x "$PG_BIN/initdb" ] || wanted+=(postgresql-15) ;;
      ceph) command -v radosgw >/dev/null || wanted+=(ceph-mon ceph-osd radosgw ceph-common) ;;
      chromium) command -v chromium >/dev/null || wanted+=(chromium) ;;
      chromedriver) command -v chromedriver >/dev/null || wanted+=(chromium-driver) ;;
      node) command -v node >/dev/null || wanted+=(nodejs npm) ;;
      pdftotext) command -v pdftotext >/dev/null || wanted+=(poppler-utils) ;;
      clamd) [ -x /usr/sbin/clamd ] || command -v clamd >/dev/null || wanted+=(clamav-daemon) ;;
      *) command -v "$need" >/dev/null || wanted+=("$need") ;;
    esac
  done
  if [ ${#wanted[@]} -gt 0 ]; then
    log "installing ${wanted[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
  fi
}

# start_postgres [extra server settings…]
start_postgres() {
  id "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
  PG_PORT=$(free_port)
  mkdir -p "$WORK/pg" "$WORK/pgsock" "$WORK/pglog"
  chown "$PG_USER" "$WORK/pg" "$WORK/pgsock" "$WORK/pglog"
  chmod 755 "$WORK"
  runuser -u "$PG_USER" -- "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  local options="-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$WORK/pgsock -c max_connections=300"
  for setting in "$@"; do options+=" -c $setting"; done
  runuser -u "$PG_USER" -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pglog/postgresql.log" -w start -o "$options" >/dev/null
  export PG_PORT ORDO_TEST_PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  log "PostgreSQL on 127.0.0.1:$PG_PORT"
}

start_s3() {
  local port settings
  port=$(free_port)
  settings=$("$HARNESS_DIR/ceph-rgw.sh" start "$WORK/ceph" "$port")
  eval "$settings"
  export ORDO_TEST_S3_ENDPOINT=$S3_ENDPOINT ORDO_TEST_S3_ACCESS_KEY=$S3_ACCESS_KEY \
         ORDO_TEST_S3_SECRET_KEY=$S3_SECRET_KEY ORDO_TEST_S3_REGION=$S3_REGION
  log "S3 (Ceph RADOS Gateway) at $S3_ENDPOINT"
}

start_browser() {
  local port
  port=$(free_port)
  chromedriver --port="$port" --allowed-ips=127.0.0.1 >"$WORK/chromedriver.log" 2>&1 &
  service_pids+=($!)
  wait_for chromedriver 30 curl -sf "http://127.0.0.1:$port/status"
  export ORDO_TEST_WEBDRIVER="http://127.0.0.1:$port" ORDO_TEST_CHROMIUM
  ORDO_TEST_CHROMIUM=$(command -v chromium)
  log "chromedriver at $ORDO_TEST_WEBDRIVER"
}

stop_services() {
  local status=$?
  log "stopping services"
  for pid in "${service_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -d "$WORK/pg" ]; then
    runuser -u "$PG_USER" -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  "$HARNESS_DIR/ceph-rgw.sh" stop "$WORK/ceph" >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit $status
}

# A real SMTP server (aiosmtpd, from PyPI) that keeps every message it accepts in a
# maildir the tests read back. The same Python has the Library of Congress's
# bagit.py, which validates the bags an export writes, and check-jsonschema, which
# validates the exchange's envelopes and receipts against their schemas.
start_smtp() {
  if [ ! -x "$WORK/py/bin/check-jsonschema" ]; then
    [ -x "$WORK/py/bin/python" ] || python3 -m venv "$WORK/py"
    "$WORK/py/bin/pip" install --quiet --disable-pip-version-check aiosmtpd bagit check-jsonschema
  fi
  export ORDO_TEST_BAGIT="$WORK/py/bin/bagit.py"
  export ORDO_TEST_CHECK_JSONSCHEMA="$WORK/py/bin/check-jsonschema"
  local port
  port=$(free_port)
  mkdir -p "$WORK/maildir/cur" "$WORK/maildir/new" "$WORK/maildir/tmp"
  "$WORK/py/bin/python" -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$WORK/maildir" \
    >"$WORK/smtp.log" 2>&1 &
  service_pids+=($!)
  wait_for smtp 30 python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)"
  # Tests start a private server of their own with the same Python (SMTP down, then back).
  export ORDO_TEST_SMTP_URL="smtp://127.0.0.1:$port" ORDO_TEST_MAILDIR="$WORK/maildir" ORDO_TEST_PYTHON="$WORK/py/bin/python"
  log "SMTP (aiosmtpd) on 127.0.0.1:$port, messages kept in $ORDO_TEST_MAILDIR"
}

# A real OpenID Provider: panva's oidc-provider (from the npm registry, pinned by
# tests/harness/oidc/package-lock.json), run by tests/harness/oidc/provider.mjs.
# Test apps register their own client (dynamic registration) at ORDO_TEST_OIDC_ISSUER.
start_oidc() {
  if [ ! -d "$HARNESS_DIR/oidc/node_modules/oidc-provider" ]; then
    (cd "$HARNESS_DIR/oidc" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  local port
  port=$(free_port)
  OIDC_PORT=$port node "$HARNESS_DIR/oidc/provider.mjs" >"$WORK/oidc.log" 2>&1 &
  service_pids+=($!)
  wait_for oidc 30 curl -sf "http://127.0.0.1:$port/.well-known/openid-configuration"
  export ORDO_TEST_OIDC_ISSUER="http://127.0.0.1:$port"
  log "OpenID Provider (oidc-provider) at $ORDO_TEST_OIDC_ISSUER"
}

# axe-core (from the npm registry, pinned by tests/harness/axe/package-lock.json),
# which the suite injects into pages shown in Chromium to check WCAG 2.1 AA.
prepare_axe() {
  if [ ! -f "$HARNESS_DIR/axe/node_modules/axe-core/axe.min.js" ]; then
    (cd "$HARNESS_DIR/axe" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  export ORDO_TEST_AXE="$HARNESS_DIR/axe/node_modules/axe-core"
}
