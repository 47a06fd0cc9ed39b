//go:build duckdb_arrow

package warehouse

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/transforms/parse"
)

// BenchmarkNaiveGoLoad is the "naive Go loader" baseline of BENCHMARKS.md:
// decode each NDJSON listing, parse it field by field with the same parsers
// the pipeline uses, and INSERT it with a prepared statement, one row at a
// time. It loads a sample (the first 20,000 listings) because at ~10k rows/s
// the full workload would take hours; bench/run.sh extrapolates from rows/s.
//
//	EXPORTPIPE_BENCH_WORKLOAD=bench/out/100k go test -tags duckdb_arrow -run '^$' -bench NaiveGoLoad ./sql/warehouse
func BenchmarkNaiveGoLoad(b *testing.B) {
	dir := os.Getenv("EXPORTPIPE_BENCH_WORKLOAD")
	if dir == "" {
		b.Skip("set EXPORTPIPE_BENCH_WORKLOAD to a folder made by bench/genlistings")
	}
	lines := readSample(b, filepath.Join(dir, "listings.ndjson"), 20000)
	b.ReportAllocs()
	var loaded int
	for b.Loop() {
		loaded = naiveLoad(b, lines)
	}
	b.ReportMetric(float64(len(lines))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(loaded), "loaded")
}

func readSample(b *testing.B, path string, n int) [][]byte {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var out [][]byte
	for sc.Scan() && len(out) < n {
		out = append(out, append([]byte(nil), sc.Bytes()...))
	}
	return out
}

func naiveLoad(b *testing.B, lines [][]byte) int {
	db, err := sql.Open("duckdb", filepath.Join(b.TempDir(), "naive.duckdb"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE listings (listing_id VARCHAR, marketplace VARCHAR, seller_id VARCHAR,
		category VARCHAR, currency VARCHAR, price_min DOUBLE, price_max DOUBLE, moq_qty DOUBLE, moq_unit VARCHAR,
		updated_at TIMESTAMPTZ)`); err != nil {
		b.Fatal(err)
	}
	// One transaction around the loop: per-row autocommit would make this a
	// straw man (about 600 rows/s here) rather than the loader people write.
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(`INSERT INTO listings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	defer stmt.Close()
	loaded := 0
	for _, line := range lines {
		var r map[string]any
		if json.Unmarshal(line, &r) != nil {
			continue
		}
		str := func(k string) string { s, _ := r[k].(string); return s }
		mp := str("marketplace")
		market, _ := pipeline.BuiltinMarketplaceSet().Lookup(mp)
		price, err1 := parse.ParsePrice(str("price"), market.Currency)
		cat, err2 := parse.Category(str("category"))
		ts, err3 := parse.ParseTimestamp(tsText(r["updated_at"]))
		moq, _, _ := parse.ParseMOQ(str("moq"))
		if err1 != nil || err2 != nil || err3 != nil {
			continue
		}
		if _, err := stmt.Exec(str("id"), mp, str("seller_id"), cat.Slug, price.Currency, price.Min, price.Max,
			moq.Qty, moq.Unit, ts.UTC().Format(time.RFC3339Nano)); err != nil {
			b.Fatal(err)
		}
		loaded++
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return loaded
}

func tsText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64: // epoch seconds arrive as JSON numbers
		return strconv.FormatInt(int64(x), 10)
	}
	return ""
}
