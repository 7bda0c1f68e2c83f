#!/usr/bin/env bash
# The whole suite: type check, stale-schema check and build, then every test
# on SQLite and again on a throw-away PostgreSQL cluster this script starts
# (and installs from Debian's packages when missing, as it does Chromium for
# the GraphiQL test).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci

echo "== typed example operations, type check and build"
npx graphql-codegen --config codegen.ts
npx tsc --noEmit -p .
# The production test starts the built server (dist/), as the README says.
npm run build --silent

echo "== Chromium for the GraphiQL test"
test/support/chromium.sh

echo "== tests on SQLite"
npx vitest run "$@"

pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/content-planning-pg.XXXXXX")
# Below Linux's range for outgoing connections' ports (32768 and up), and apart from the tests' own servers.
port=${TEST_PG_PORT:-$((10000 + RANDOM % 5000))}
trap 'test/support/postgres.sh stop "$pg_dir"; rm -rf "$pg_dir"' EXIT
url=$(test/support/postgres.sh start "$pg_dir" "$port" | tail -n 1)

echo "== tests on PostgreSQL"
TEST_DATABASE_URL="$url" npx vitest run "$@"
