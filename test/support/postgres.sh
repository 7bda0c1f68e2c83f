#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on a loopback port and prints its
# connection URL on the last line. Installs Debian's postgresql package first
# when no server binaries are found.
#   test/support/postgres.sh start <dir> [port]    test/support/postgres.sh stop <dir>
# PG_OPTIONS adds server settings (e.g. "-c wal_level=replica", see replica.sh).
set -euo pipefail

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_installed() {
  if [ -z "$(find_bin)" ]; then
    echo "PostgreSQL server not found: installing Debian's postgresql package" >&2
    as_root apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >&2
  fi
}

# initdb refuses to run as root: as root, the cluster belongs to the
# postgres system user the Debian package creates.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cmd=${1:?usage: postgres.sh start|stop <dir> [port]}
dir=${2:?usage: postgres.sh start|stop <dir> [port]}
bin=""

case "$cmd" in
  start)
    port=${3:-55432}
    ensure_installed
    bin=$(find_bin)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 ${PG_OPTIONS:-}" >&2
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    bin=$(find_bin)
    [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    ;;
  *) echo "usage: postgres.sh start|stop <dir> [port]" >&2; exit 2 ;;
esac
