#!/usr/bin/env bash
# A throw-away PostgreSQL primary and a streaming replica of it, both on
# loopback and from the same server packages (postgres.sh installs them):
# the replica is made with pg_basebackup -R, so it follows the primary's
# WAL from then on. Prints the primary's URL, then the replica's, on the
# last two lines.
#   test/support/replica.sh start <dir> <primary port> <replica port>
#   test/support/replica.sh stop <dir>
#   test/support/replica.sh stop-replica <dir>     (the replica alone: pg_ctl stop)
#   test/support/replica.sh start-replica <dir> <replica port>
set -euo pipefail
here=$(dirname "$0")

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# The replica gets the same settings as the primary (postgres.sh), on its own port.
replica_options() { echo "-p $1 -k $dir/replica -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300 -c hot_standby=on -c hot_standby_feedback=on"; }

start_replica() {
  as_owner "$(find_bin)/pg_ctl" -D "$dir/replica/data" -l "$dir/replica/server.log" -w -t 60 start -o "$(replica_options "$1")" >&2
}

cmd=${1:?usage: replica.sh start|stop|stop-replica|start-replica <dir> ...}
dir=${2:?usage: replica.sh start|stop|stop-replica|start-replica <dir> ...}

case "$cmd" in
  start)
    primary_port=${3:?primary port}
    replica_port=${4:?replica port}
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    primary=$(PG_OPTIONS="-c wal_level=replica -c max_wal_senders=4" "$here/postgres.sh" start "$dir/primary" "$primary_port" | tail -n 1)
    bin=$(find_bin)
    mkdir -p "$dir/replica"
    [ "$(id -u)" = 0 ] && chown postgres "$dir/replica"
    if [ ! -f "$dir/replica/data/PG_VERSION" ]; then
      # -R writes standby.signal and the connection to the primary; -X stream copies the WAL made meanwhile.
      as_owner "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir/replica/data" -R -X stream -c fast --no-sync >&2
    fi
    start_replica "$replica_port"
    echo "$primary"
    echo "postgresql://postgres@127.0.0.1:$replica_port/postgres"
    ;;
  stop-replica)
    bin=$(find_bin)
    [ -f "$dir/replica/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/replica/data" -m fast -w stop >&2 || true
    ;;
  start-replica)
    start_replica "${3:?replica port}"
    ;;
  stop)
    bin=$(find_bin)
    [ -f "$dir/replica/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/replica/data" -m fast -w stop >&2 || true
    "$here/postgres.sh" stop "$dir/primary"
    ;;
  *) echo "usage: replica.sh start|stop|stop-replica|start-replica <dir> ..." >&2; exit 2 ;;
esac
