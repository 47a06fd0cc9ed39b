#!/usr/bin/env bash
# Runs every fuzz target in the repository for a bounded time each.
#
#   scripts/fuzz.sh                 # 10s per target
#   FUZZTIME=2m scripts/fuzz.sh     # longer
#   scripts/fuzz.sh ./transforms/...  # only targets under these packages
#
# Go keeps any input that makes a target fail under the package's
# testdata/fuzz/<Target>/, where plain `go test` replays it from then on:
# commit those files as regression cases together with the fix.
# Targets are found with: grep -r "func Fuzz" --include=*_test.go
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-10s}
roots=("${@:-.}")
failed=()
count=0
while IFS=: read -r file name; do
  pkg="./$(dirname "${file#./}")"
  tags=()
  if grep -q '^//go:build.*duckdb_arrow' "$file"; then tags=(-tags duckdb_arrow); fi
  count=$((count + 1))
  echo "== $pkg $name ($fuzztime)"
  if ! go test "${tags[@]}" -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg"; then
    failed+=("$pkg $name")
  fi
done < <(grep -rho --include='*_test.go' -H '^func Fuzz[A-Za-z0-9_]*' "${roots[@]}" | sed 's/:func /:/' | sort)

echo "== $count fuzz targets, ${#failed[@]} failed"
if [ ${#failed[@]} -gt 0 ]; then
  printf '  %s\n' "${failed[@]}"
  echo "crashers are saved under each package's testdata/fuzz/; commit them with the fix"
  exit 1
fi
