#!/usr/bin/env bash
# Start (or find already running) a throwaway PostgreSQL server for the writer tests and print its
# SQLAlchemy URL on stdout -- nothing else goes to stdout.  Idempotent: a second call finds the
# running server and prints the same URL.  Installs the Debian package "postgresql" when no
# PostgreSQL server binaries are found (needs root or sudo).
#
# The server listens on 127.0.0.1:$EXTRACT_PG_PORT (default 54329) and on a Unix socket in its
# data folder, trusts local connections (test data only), and runs with fsync off.
# Environment:
#   EXTRACT_PG_DIR   data folder      (default ${TMPDIR:-/tmp}/bcubnd-extract-pg-<uid>)
#   EXTRACT_PG_PORT  TCP port         (default 54329)
#   EXTRACT_PG_DB    database name    (default extract_test)
# Usage: scripts/postgres.sh [stop|status]   (status: exit 0 when this server is running)
set -euo pipefail

PG_DIR=${EXTRACT_PG_DIR:-${TMPDIR:-/tmp}/bcubnd-extract-pg-$(id -u)}
PG_PORT=${EXTRACT_PG_PORT:-54329}
PG_DB=${EXTRACT_PG_DB:-extract_test}
PG_USER=extract
DATA="$PG_DIR/data"
LOG="$PG_DIR/server.log"

say() { echo "postgres.sh: $*" >&2; }

find_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir 2>/dev/null || true)
    [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return 0
  fi
  return 1
}

BIN=$(find_bindir || true)
if [ "${1:-}" = "status" ]; then
  [ -n "$BIN" ] && [ -f "$DATA/PG_VERSION" ] || exit 1
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
  else
    "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
  fi
  exit $?
fi
if [ -z "$BIN" ]; then
  say "no PostgreSQL server found: installing the Debian package postgresql"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends postgresql >&2
  BIN=$(find_bindir) || { say "PostgreSQL installed but initdb/pg_ctl not found"; exit 1; }
fi

# PostgreSQL refuses to run as root: run the server as the "postgres" system user then.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
  say "running as root and there is no 'postgres' user to run the server as"; exit 1
fi

mkdir -p "$PG_DIR"
[ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
chmod 700 "$PG_DIR"

if [ "${1:-}" = "stop" ]; then
  as_owner "$BIN/pg_ctl" -D "$DATA" -m fast stop >&2 || true
  exit 0
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
  say "initialising a test cluster in $DATA"
  as_owner "$BIN/initdb" -D "$DATA" -U "$PG_USER" -A trust -E UTF8 --locale=C.UTF-8 >&2 \
    || as_owner "$BIN/initdb" -D "$DATA" -U "$PG_USER" -A trust -E UTF8 --locale=C >&2
fi

if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  say "starting the server on 127.0.0.1:$PG_PORT (log: $LOG)"
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2 || { say "the server did not start; its log:"; tail -n 20 "$LOG" >&2 || true; exit 1; }
fi

# the database (created once; "already exists" is fine)
if ! as_owner "$BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'" | grep -q 1; then
  as_owner "$BIN/createdb" -h "$PG_DIR" -p "$PG_PORT" -U "$PG_USER" "$PG_DB" >&2 || true
fi

echo "postgresql+psycopg://$PG_USER@127.0.0.1:$PG_PORT/$PG_DB"
