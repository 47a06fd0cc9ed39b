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
#
# The incremental nights (issue 17) go to bench/out/shares.tsv: a night whose
# input is 1% of the listings changed, then the same 1% again (nothing
# changed), each as a share of the full run, and whether its marts equal
# what exportpipe run --rebuild-marts builds from the same warehouse.
# BENCH_INCREMENTAL_ONLY=1 measures only the full run and those nights.
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
go build -tags duckdb_arrow -o "$out/martsequal" ./bench/martsequal

timebin=/usr/bin/time
[ -x "$timebin" ] || { echo "install GNU time (apt-get install time) for peak RSS"; exit 1; }

results="$out/results.tsv"
printf "case\trows\tseconds\tpeak_rss_mb\tstatus\n" > "$results"
shares="$out/shares.tsv"
printf "n\tnight\tinput_rows\tseconds\tfull_run_seconds\tshare_of_full\tmarts_equal_rebuild\n" > "$shares"

# marts_equal_rebuild DIR: copies the warehouse DIR/wh, runs the delta
# config on the copy with --rebuild-marts (its input is already loaded, so
# core stays as it is and only the marts are rebuilt from it) and compares
# the two snapshots' marts row for row. Prints yes or no.
marts_equal_rebuild() {
  local w=$1
  rm -rf "$w/whcheck"; cp -r "$w/wh" "$w/whcheck"
  BENCH_DATA="$w/whcheck" "$out/exportpipe" run --config bench/bench-delta.yaml --rebuild-marts \
    > "$w/whcheck.stdout" 2> "$w/whcheck.stderr" || { echo no; return; }
  if "$out/martsequal" "$w/wh/analytics.duckdb" "$w/whcheck/analytics.duckdb" > "$w/whcheck.diff"; then echo yes; else echo no; fi
  rm -rf "$w/whcheck"
}

# share NIGHT N INPUT_ROWS FULL_ROWS: one line of shares.tsv for a measured
# night, against the full run of the same N.
share() {
  local night=$1 n=$2 rows=$3 full_rows=$4 secs full equal
  secs=$(tail -1 "$out/$night-$rows.time" | cut -d' ' -f1)
  full=$(tail -1 "$out/pipeline_ndjson-$full_rows.time" | cut -d' ' -f1)
  equal=$(marts_equal_rebuild "$w")
  printf "%s\t%s\t%s\t%s\t%s\t%.1f%%\t%s\n" "$n" "$night" "$rows" "$secs" "$full" \
    "$(echo "100 * $secs / $full" | bc -l)" "$equal" | tee -a "$shares"
}

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
  drows=$(wc -l < "$w/listings_delta.ndjson")
  BENCH_DATA="$w/wh" measure pipeline_incremental "$drows" \
    "$out/exportpipe" run --config bench/bench-delta.yaml
  share pipeline_incremental "$n" "$drows" "$rows"

  echo "== $n: exportpipe, the same 1% again (nothing changed)"
  BENCH_DATA="$w/wh" measure pipeline_incremental_again "$drows" \
    "$out/exportpipe" run --config bench/bench-delta.yaml
  share pipeline_incremental_again "$n" "$drows" "$rows"
  [ "${BENCH_INCREMENTAL_ONLY:-}" = 1 ] && continue

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

if [ "${BENCH_INCREMENTAL_ONLY:-}" = 1 ]; then
  echo "== incremental nights: $shares"; column -t "$shares"; exit 0
fi

echo "== naive Go loader (20,000-row sample; rows/s)"
EXPORTPIPE_BENCH_WORKLOAD="$PWD/$out/n${sizes[0]}" go test -tags duckdb_arrow -run '^$' -bench NaiveGoLoad \
  -benchtime 1x ./sql/warehouse | tee "$out/naive.txt"

echo "== results: $results"
column -t "$results"
echo "== incremental nights: $shares"
column -t "$shares"
