#!/usr/bin/env bash
# Makes sure Debian's Chromium is there for the GraphiQL browser test and
# prints its path. Installs Debian's chromium package when it is missing, as
# test/support/postgres.sh does for PostgreSQL; never downloads a browser
# build of its own.
set -euo pipefail

bin=/usr/bin/chromium

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x "$bin" ]; then
  echo "Chromium not found: installing Debian's chromium package" >&2
  as_root apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends chromium >&2
fi
echo "$bin"
