#!/usr/bin/env bash
# exportpipe's whole run against the tuned DuckDB-alone baseline, on the
# same generated files, in alternated pairs in one invocation: whatever
# else the machine is doing hits both sides alike. After the pairs, the
# baseline's result is checked against exportpipe's (bench/duckdbalone
# -check): same loaded count, same rejects per field and code, same prices
# to the cent. A baseline that disagrees fails the script, so its time is
# never reported.
#
#   bench/pairs.sh [N] [PAIRS] [ndjson|csv]     # default 1000000 3 ndjson
#
# BENCH_OTHER_SQL=FILE times another baseline script too, in the same
# rotation (e.g. an earlier version, to measure what tuning gained); its
# listings_*.sql readers must sit beside it.
# BENCH_MEMORY_LIMIT caps exportpipe's DuckDB (default: none, as
# exportpipe ships). Needs GNU time (/usr/bin/time) for peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
pairs=${2:-3}
format=${3:-ndjson}
out=bench/out
mkdir -p "$out"

echo "== build" >&2
go build -tags duckdb_arrow -o "$out/exportpipe" ./cmd/exportpipe
go build -tags duckdb_arrow -o "$out/duckdbalone" ./bench/duckdbalone
go build -o "$out/genlistings" ./bench/genlistings

w=$out/n$n
if [ ! -f "$w/listings.ndjson" ]; then
  echo "== workload: $n listings" >&2
  "$out/genlistings" -n "$n" -out "$w"
fi
rows=$(wc -l < "$w/listings.ndjson")

# timed NAME I CMD...: wall, user+system CPU and peak RSS of one command.
timed() {
  local name=$1 i=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$out/pair-$name-$i.time" "$@" >"$out/pair-$name-$i.stdout" 2>"$out/pair-$name-$i.stderr"
  read -r secs user sys rss < "$out/pair-$name-$i.time"
  printf "%s\t%d\t%s\t%s\t%s\t%s\t%d\t%s\n" "$name" "$i" "$format" "$rows" "$secs" "$(echo "$user + $sys" | bc)" "$((rss / 1024))" "$(uptime | sed 's/.*load average: //')"
}

printf "who\tpair\tformat\trows\twall_s\tcpu_s\tpeak_rss_mb\tload_avg\n"
for i in $(seq 1 "$pairs"); do
  rm -rf "$w/pair-wh"
  BENCH_WORKLOAD=$PWD/$w BENCH_DATA=$PWD/$w/pair-wh BENCH_LISTINGS=$PWD/$w/listings.$format \
    timed exportpipe "$i" "$out/exportpipe" run --config bench/bench.yaml
  timed duckdb_alone "$i" "$out/duckdbalone" -workload "$PWD/$w" -db "$w/pair-alone.duckdb" -listings "$format"
  if [ -n "${BENCH_OTHER_SQL:-}" ]; then
    timed other_sql "$i" "$out/duckdbalone" -workload "$PWD/$w" -db "$w/pair-other.duckdb" -listings "$format" -sql "$BENCH_OTHER_SQL"
  fi
done

echo "== does the baseline do exportpipe's job? (last pair's outputs)" >&2
"$out/duckdbalone" -db "$w/pair-alone.duckdb" -check "$w/pair-wh/warehouse.duckdb" >&2
