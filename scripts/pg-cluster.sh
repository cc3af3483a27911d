#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and local trials, from Debian's PostgreSQL binaries.
#
#   eval "$(scripts/pg-cluster.sh start)"   # initdb in a temp folder, start on a free localhost port;
#                                           # prints `export DATABASE_URL=…` and `export PG_CLUSTER_DIR=…`
#   scripts/pg-cluster.sh stop [DIR]        # stop it and remove the folder (DIR defaults to $PG_CLUSTER_DIR)
#   scripts/pg-cluster.sh bindir            # prints the binaries' folder, or exits 1 when there are none
#
# Through npm: eval "$(npm run -s pg:cluster start)" and npm run -s pg:cluster stop (-s keeps npm's
# banner out of the eval). Binaries: $PG_BIN if set, else /usr/lib/postgresql/15/bin, else the newest
# /usr/lib/postgresql/*/bin (Debian's `postgresql` package). Node tests use this script through
# tests/support/pg-cluster.ts (startPgCluster).
#
# FOR TESTS ONLY: the cluster trusts every local connection (no password) and runs with fsync=off,
# synchronous_commit=off and full_page_writes=off, so that creating and migrating databases is quick.
# A power cut or an OS crash can corrupt it; that is fine for data thrown away at `stop`, never for a
# database anyone keeps. The locale is C (byte order, like SQLite's BINARY collation), encoding UTF8.
# max_connections is 50, or $PG_MAX_CONNECTIONS (a cluster shared by parallel test workers, each with
# its own pools and servers, needs more).
#
# PostgreSQL refuses to run as root: as root, initdb, pg_ctl and the server run as `postgres` when that
# user exists, else as a system user `vivencia-pg` created here, owner of the temp folder.
set -euo pipefail

PREFERRED_VERSION=15
MARKER=".vivencia-pg-cluster"

bindir() {
  if [ -n "${PG_BIN:-}" ]; then
    [ -x "$PG_BIN/initdb" ] && { echo "$PG_BIN"; return 0; }
    return 1
  fi
  if [ -x "/usr/lib/postgresql/$PREFERRED_VERSION/bin/initdb" ]; then
    echo "/usr/lib/postgresql/$PREFERRED_VERSION/bin"; return 0
  fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$found" ] && [ -x "$found/initdb" ] && { echo "$found"; return 0; }
  return 1
}

# The user the server runs as: ourselves, unless we are root.
run_user() {
  if [ "$(id -u)" -ne 0 ]; then id -un; return; fi
  if id postgres >/dev/null 2>&1; then echo postgres; return; fi
  if ! id vivencia-pg >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin vivencia-pg >/dev/null
  fi
  echo vivencia-pg
}

# Runs a command as the server's user (directly when that is us).
as_user() {
  local user=$1; shift
  if [ "$(id -un)" = "$user" ]; then "$@"; return; fi
  if command -v runuser >/dev/null 2>&1; then runuser -u "$user" -- "$@"; return; fi
  su -s /bin/sh "$user" -c "$(printf '%q ' "$@")"
}

free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

start() {
  local bin user dir port attempt
  bin=$(bindir) || { echo "pg-cluster: no PostgreSQL binaries (looked for /usr/lib/postgresql/*/bin/initdb; set PG_BIN or apt-get install postgresql)" >&2; exit 1; }
  user=$(run_user)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/vivencia-pg.XXXXXX")
  touch "$dir/$MARKER"
  chmod 700 "$dir"
  [ "$(id -un)" = "$user" ] || chown -R "$user:" "$dir"
  # On any failure from here, leave nothing behind.
  trap 'as_user "$user" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$dir"' ERR

  # --no-sync: nothing in a throwaway cluster needs to reach the disk.
  as_user "$user" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; false; }
  cat >>"$dir/data/postgresql.conf" <<CONF

# vivencia throwaway test cluster (scripts/pg-cluster.sh): fast, NOT crash-safe.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = ${PG_MAX_CONNECTIONS:-50}
CONF

  # The free port is only known free until the server binds it: try again on a collision.
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if as_user "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "-p $port" -w -t 60 start >/dev/null; then
      break
    fi
    if [ "$attempt" -eq 5 ]; then cat "$dir/server.log" >&2; false; fi
  done
  echo "$port" >"$dir/port"
  trap - ERR

  local url="postgres://postgres@127.0.0.1:$port/postgres"
  echo "pg-cluster: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port as $user in $dir (stop: scripts/pg-cluster.sh stop $dir)" >&2
  echo "export DATABASE_URL='$url'"
  echo "export PG_CLUSTER_DIR='$dir'"
}

stop() {
  local dir=${1:-${PG_CLUSTER_DIR:-}}
  [ -n "$dir" ] || { echo "pg-cluster: stop needs the cluster's folder (argument or \$PG_CLUSTER_DIR)" >&2; exit 2; }
  # Only ever remove a folder this script made.
  [ -f "$dir/$MARKER" ] || { echo "pg-cluster: $dir is not a cluster made by this script; left alone" >&2; exit 2; }
  local bin user
  bin=$(bindir) || bin=""
  user=$(stat -c %U "$dir/data" 2>/dev/null || id -un)
  if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
    # Immediate: the data is about to be deleted, so there is nothing to flush.
    as_user "$user" "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) shift; stop "${1:-}" ;;
  bindir) bindir ;;
  *) echo "usage: $0 start | stop [DIR] | bindir" >&2; exit 2 ;;
esac
