#!/usr/bin/env bash
# What a change to extraction costs or saves: this tree's extractbench
# against an earlier commit's, on one generated listings file, in
# alternated pairs in one invocation (the machine's drift hits both
# alike). Extraction alone: decode and map into raw Arrow batches, no
# transform, no DuckDB.
#
#   bench/extract-against.sh REV [N] [PAIRS] [FORMAT]
#   bench/extract-against.sh 3846f22 1000000 2          # the NDJSON scanner (BENCHMARKS.md)
#   bench/extract-against.sh b396eff 1000000 2 csv      # the CSV getter and buffer
#
# Each line is extractbench's own (records, bytes, seconds, CPU seconds,
# records/s, MB/s, peak RSS) after which build and pair it was.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bench/extract-against.sh REV [N] [PAIRS] [FORMAT]}
n=${2:-1000000}
pairs=${3:-2}
format=${4:-ndjson}
out=bench/out/extract-against
mkdir -p "$out"
base=$out/base-src

echo "== build this tree and $rev"
go build -o "$out/extractbench-new" ./bench/extractbench
go build -o "$out/genlistings" ./bench/genlistings
rm -rf "$base"
git worktree add -f --detach "$base" "$rev" >/dev/null
trap 'git worktree remove --force "$base"' EXIT
(cd "$base" && go build -o "$OLDPWD/$out/extractbench-base" ./bench/extractbench)

w=$PWD/$out/n$n
if [ ! -f "$w/listings.$format" ]; then
  echo "== workload: $n listings"
  "$out/genlistings" -n "$n" -out "$w"
fi

echo "== $pairs alternated pairs, $n listings, $format"
for i in $(seq 1 "$pairs"); do
  for which in base new; do
    config=bench/bench.yaml
    [ "$which" = base ] && config=$base/bench/bench.yaml
    BENCH_DATA=$w BENCH_WORKLOAD=$w BENCH_LISTINGS=$w/listings.$format \
      "$out/extractbench-$which" -config "$config" -source bench_listings | sed "s/^/$which\tpair $i\t/"
  done
done
