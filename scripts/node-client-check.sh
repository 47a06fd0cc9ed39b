#!/usr/bin/env bash
# Checks that a snapshot opens in DuckDB's Node client of the same engine
# version as the Go driver (DuckDB 1.5.6). Needs node and npm.
#   scripts/node-client-check.sh data/analytics.duckdb
set -euo pipefail
snap=$(realpath "${1:-data/analytics.duckdb}")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund @duckdb/node-api@1.5.6-r.1 >/dev/null
cp "$here/node-client-check.mjs" .
node node-client-check.mjs "$snap"
