#!/usr/bin/env bash
# What a change costs: this tree's exportpipe against an earlier commit's,
# on one generated listings workload, in alternated pairs in one
# invocation (the machine's drift hits both alike), with the time of the
# steps that changed, read from each run's own debug log.
#
#   bench/against.sh REV [N] [PAIRS]     # e.g. bench/against.sh 17b7c67 1000000 2
#
# BENCH_MEMORY_LIMIT (default 256MB) caps DuckDB in both. Needs GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bench/against.sh REV [N] [PAIRS]}
n=${2:-1000000}
pairs=${3:-2}
out=bench/out/against
mkdir -p "$out"
base=$out/base-src

echo "== build this tree and $rev"
go build -tags duckdb_arrow -o "$out/exportpipe-new" ./cmd/exportpipe
go build -o "$out/genlistings" ./bench/genlistings
rm -rf "$base"
git worktree add -f --detach "$base" "$rev" >/dev/null
trap 'git worktree remove --force "$base"' EXIT
(cd "$base" && go build -tags duckdb_arrow -o "$OLDPWD/$out/exportpipe-base" ./cmd/exportpipe)

w=$out/n$n
if [ ! -f "$w/listings.ndjson" ]; then
  echo "== workload: $n listings"
  "$out/genlistings" -n "$n" -out "$w"
fi

# run WHICH CONFIG I: one run into a fresh warehouse; prints a result line.
run() {
  local which=$1 config=$2 i=$3 data="$out/wh-$1-$3"
  rm -rf "$data"
  BENCH_WORKLOAD=$PWD/$w BENCH_DATA=$PWD/$data BENCH_LISTINGS=$PWD/$w/listings.ndjson \
    BENCH_MEMORY_LIMIT=${BENCH_MEMORY_LIMIT:-256MB} \
    /usr/bin/time -f "%e %M" -o "$out/$which-$i.time" \
    "$out/exportpipe-$which" --log-level debug run --config "$config" >/dev/null 2>"$out/$which-$i.log"
  read -r secs rss < "$out/$which-$i.time"
  # Step times: the merge steps and marts log a duration in seconds
  # (duration_seconds) or, before issue 14, in nanoseconds (duration).
  steps=$(grep -E '"msg":"(dataset staged|merge step|built mart)"' "$out/$which-$i.log" |
    sed -nE 's/.*"msg":"([^"]*)".*"(dataset|step|mart)":"([^"]*)".*"duration(_seconds)?":"?([0-9.]+)(ms|s)?"?.*/\1|\3|\5|\4\6/p' |
    awk -F'|' '{v=$3; if ($4=="") v=v/1e9; else if ($4=="ms") v=v/1000;
      k=($1=="built mart") ? "marts" : ($1=="dataset staged" ? "stage " $2 : $2);
      if ($2=="listings" || $1=="built mart" || $2 ~ /^sql\/merges\/listings/) t[k]+=v}
      END {for (k in t) printf "%s=%.1fs ", k, t[k]}')
  printf "%s\tpair %d\t%s s\t%d MB\t%s\n" "$which" "$i" "$secs" "$((rss / 1024))" "$steps"
}

echo "== $pairs alternated pairs, $n listings, memory_limit ${BENCH_MEMORY_LIMIT:-256MB}"
for i in $(seq 1 "$pairs"); do
  run base "$base/bench/bench.yaml" "$i"
  run new bench/bench.yaml "$i"
done
