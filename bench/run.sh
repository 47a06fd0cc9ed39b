#!/usr/bin/env bash
# Reproduces BENCHMARKS.md: exportpipe end to end on file workloads against
# DuckDB alone and a naive Go loader, measured in the same run on the same
# files, plus the incremental night.
#
#   bench/run.sh                      # N = 100000 and 1000000
#   bench/run.sh 100000 1000000 10000000
#
# Results go to bench/out/results.tsv (and stdout). Needs GNU time
# (/usr/bin/time, Debian package "time") for peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100000 1000000)

echo "== build"
go build -tags duckdb_arrow -o "$out/exportpipe" ./cmd/exportpipe
go build -tags duckdb_arrow -o "$out/duckdbalone" ./bench/duckdbalone
go build -o "$out/genlistings" ./bench/genlistings

timebin=/usr/bin/time
[ -x "$timebin" ] || { echo "install GNU time (apt-get install time) for peak RSS"; exit 1; }

results="$out/results.tsv"
printf "case\trows\tseconds\tpeak_rss_mb\tstatus\n" > "$results"

# measure NAME ROWS CMD...: wall time and peak RSS of one command.
measure() {
  local name=$1 rows=$2; shift 2
  local log="$out/$name-$rows.time"
  local status=ok
  # A case may fail (a memory limit too small for the size); record that
  # and go on with the others.
  "$timebin" -f "%e %M" -o "$log" "$@" > "$out/$name-$rows.stdout" 2> "$out/$name-$rows.stderr" || status=failed
  read -r secs rss < <(tail -1 "$log")
  printf "%s\t%s\t%s\t%d\t%s\n" "$name" "$rows" "$secs" "$((rss / 1024))" "$status" | tee -a "$results"
}

for n in "${sizes[@]}"; do
  w="$out/n$n"
  if [ ! -f "$w/listings.ndjson" ]; then
    echo "== generate $n listings"
    "$out/genlistings" -n "$n" -out "$w"
  fi
  rows=$(wc -l < "$w/listings.ndjson")
  export BENCH_WORKLOAD="$w"

  echo "== $n: exportpipe, NDJSON, fresh warehouse"
  rm -rf "$w/wh"; mkdir -p "$w/wh"
  BENCH_DATA="$w/wh" BENCH_LISTINGS="$w/listings.ndjson" \
    measure pipeline_ndjson "$rows" "$out/exportpipe" run --config bench/bench.yaml

  echo "== $n: exportpipe, the same NDJSON again (nothing changes)"
  BENCH_DATA="$w/wh" BENCH_LISTINGS="$w/listings.ndjson" \
    measure pipeline_rerun "$rows" "$out/exportpipe" run --config bench/bench.yaml

  echo "== $n: exportpipe, incremental night (1% changed)"
  BENCH_DATA="$w/wh" measure pipeline_incremental "$(wc -l < "$w/listings_delta.ndjson")" \
    "$out/exportpipe" run --config bench/bench-delta.yaml

  echo "== $n: exportpipe, NDJSON, fresh warehouse, DuckDB memory_limit 256MB"
  rm -rf "$w/whmem"; mkdir -p "$w/whmem"
  BENCH_DATA="$w/whmem" BENCH_LISTINGS="$w/listings.ndjson" BENCH_MEMORY_LIMIT=256MB \
    measure pipeline_mem256 "$rows" "$out/exportpipe" run --config bench/bench.yaml

  echo "== $n: exportpipe, CSV, fresh warehouse"
  rm -rf "$w/whcsv"; mkdir -p "$w/whcsv"
  BENCH_DATA="$w/whcsv" BENCH_LISTINGS="$w/listings.csv" \
    measure pipeline_csv "$rows" "$out/exportpipe" run --config bench/bench.yaml

  echo "== $n: DuckDB alone (read_json + SQL)"
  measure duckdb_alone "$rows" "$out/duckdbalone" -workload "$w" -db "$w/alone.duckdb"
  # A baseline that loads or rejects other rows than exportpipe is not a
  # baseline: stop here. (whmem holds one fresh NDJSON run; wh has had the
  # incremental night since.)
  "$out/duckdbalone" -db "$w/alone.duckdb" -check "$w/whmem/warehouse.duckdb"
  rm -f "$w/alone.duckdb"

  echo "== $n: DuckDB alone (read_csv + the same SQL), the baseline of the CSV run"
  measure duckdb_alone_csv "$rows" "$out/duckdbalone" -workload "$w" -db "$w/alone.duckdb" -listings csv
  "$out/duckdbalone" -db "$w/alone.duckdb" -check "$w/whcsv/warehouse.duckdb"
  rm -f "$w/alone.duckdb"
done

echo "== naive Go loader (20,000-row sample; rows/s)"
EXPORTPIPE_BENCH_WORKLOAD="$PWD/$out/n${sizes[0]}" go test -tags duckdb_arrow -run '^$' -bench NaiveGoLoad \
  -benchtime 1x ./sql/warehouse | tee "$out/naive.txt"

echo "== results: $results"
column -t "$results"
