#!/usr/bin/env bash
# Reproduces the extraction figures in BENCHMARKS.md: records/s, MB/s and
# peak RSS of extraction alone (no transform, no DuckDB), from a local
# NDJSON file and from the demo simulator over loopback, for each N given.
#
#   bench/extract.sh                      # N = 1000000 and 10000000
#   bench/extract.sh 100000
#
# Results go to bench/out/extract.tsv (and stdout).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000000 10000000)

echo "== build"
go build -o "$out/extractbench" ./bench/extractbench
go build -o "$out/genlistings" ./bench/genlistings
# The simulator lives in the exportpipe binary (demo-server).
go build -tags duckdb_arrow -o "$out/exportpipe" ./cmd/exportpipe

results="$out/extract.tsv"
printf "case\tn\tsource\trecords\tbytes\tpages\trequests\tseconds\tcpu_seconds\trecords_per_s\tmb_per_s\tpeak_rss_mb\n" > "$results"

server_pid=
stop_server() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; server_pid=; }
trap stop_server EXIT

for n in "${sizes[@]}"; do
  w="$out/n$n"
  if [ ! -f "$w/listings.ndjson" ]; then
    echo "== generate $n listings"
    "$out/genlistings" -n "$n" -out "$w"
  fi

  echo "== $n: NDJSON file"
  BENCH_DATA="$w" BENCH_WORKLOAD="$w" BENCH_LISTINGS="$w/listings.ndjson" \
    "$out/extractbench" -config bench/bench.yaml -source bench_listings |
    sed "s/^/ndjson_file\t$n\t/" | tee -a "$results"

  echo "== $n: demo simulator on loopback (a separate process, so its memory is not counted)"
  "$out/exportpipe" demo-server --listen 127.0.0.1:0 --listings "$n" > "$out/demo-server-$n.stdout" 2> "$out/demo-server-$n.stderr" &
  server_pid=$!
  # The server prints its URL once it listens; building a large simulation
  # takes a few seconds.
  for _ in $(seq 600); do
    [ -s "$out/demo-server-$n.stdout" ] && break
    kill -0 "$server_pid" 2>/dev/null || { echo "demo-server exited: see $out/demo-server-$n.stderr"; exit 1; }
    sleep 0.2
  done
  url=$(head -1 "$out/demo-server-$n.stdout")
  DEMO_URL="${url%/api/v1/}" "$out/extractbench" -config configs/demo.yaml -source demo_listings |
    sed "s/^/demo_loopback\t$n\t/" | tee -a "$results"
  stop_server
done
