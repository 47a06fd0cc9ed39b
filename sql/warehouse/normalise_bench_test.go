//go:build duckdb_arrow

package warehouse

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkNormaliseSQL times the listings normalisation written as DuckDB
// SQL (the "@normalise" part of bench/baseline/duckdb_alone.sql) over raw
// listings already loaded into an in-memory DuckDB, so it compares with
// transforms' Arrow normalisation (bench.BenchmarkNormaliseArrow) without
// either side's file reading.
//
//	EXPORTPIPE_BENCH_WORKLOAD=$PWD/bench/out/n1000000 go test -tags duckdb_arrow -run '^$' -bench NormaliseSQL -benchtime 3x ./sql/warehouse
func BenchmarkNormaliseSQL(b *testing.B) {
	dir := os.Getenv("EXPORTPIPE_BENCH_WORKLOAD")
	if dir == "" {
		b.Skip("set EXPORTPIPE_BENCH_WORKLOAD to a folder made by bench/genlistings")
	}
	script, err := os.ReadFile(filepath.Join("..", "..", "bench", "baseline", "duckdb_alone.sql"))
	if err != nil {
		b.Fatal(err)
	}
	reader, err := os.ReadFile(filepath.Join("..", "..", "bench", "baseline", "listings_ndjson.sql"))
	if err != nil {
		b.Fatal(err)
	}
	full := strings.Replace(string(script), "@LISTINGS@", strings.TrimSpace(string(reader)), 1)
	load, rest, ok := strings.Cut(strings.ReplaceAll(full, "@WORKLOAD@", dir), "-- @normalise")
	_, rest, _ = strings.Cut(rest, "\n") // the rest of the marker's comment line
	normalise, _, ok2 := strings.Cut(rest, "-- @end")
	if !ok || !ok2 {
		b.Fatal("duckdb_alone.sql lost its @normalise/@end markers")
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, load); err != nil {
		b.Fatal(err)
	}
	var rows int64
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM raw_listings").Scan(&rows); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := db.ExecContext(ctx, normalise); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
