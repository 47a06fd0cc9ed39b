#!/usr/bin/env bash
# Checks that a snapshot and its Parquet exports open in DuckDB's Node
# client of the same engine version as the Go driver (DuckDB 1.5.6): the
# marts answer and every exported file holds the rows its manifest says.
# Needs node and npm.
#   scripts/node-client-check.sh data/analytics.duckdb [data/exports/latest]
# Exit codes: 0 checked, 1 a mismatch or an unreadable file, 3 the Node
# client could not be installed (no registry), so nothing was checked.
set -euo pipefail
snap=$(realpath "${1:-data/analytics.duckdb}")
exports=$(realpath "${2:-$(dirname "$snap")/exports/latest}")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
if ! npm install --silent --no-audit --no-fund @duckdb/node-api@1.5.6-r.1 >/dev/null; then
  echo "node-client-check: could not install @duckdb/node-api@1.5.6-r.1; nothing checked" >&2
  exit 3
fi
cp "$here/node-client-check.mjs" .
node node-client-check.mjs "$snap" "$exports"
