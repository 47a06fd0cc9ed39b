package bench

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/extractors/files"
	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/transforms"
)

// BenchmarkNormaliseArrow times the Arrow listings transform over the
// benchmark workload's raw batches, read from the NDJSON file beforehand,
// for the same comparison BenchmarkNormaliseSQL makes on the DuckDB side.
//
//	EXPORTPIPE_BENCH_WORKLOAD=$PWD/bench/out/n1000000 go test -run '^$' -bench NormaliseArrow -benchtime 3x ./bench
func BenchmarkNormaliseArrow(b *testing.B) {
	dir := os.Getenv("EXPORTPIPE_BENCH_WORKLOAD")
	if dir == "" {
		b.Skip("set EXPORTPIPE_BENCH_WORKLOAD to a folder made by bench/genlistings")
	}
	mem := memory.NewGoAllocator()
	fx := transforms.NewFXTable()
	for _, rec := range readRaw(b, mem, pipeline.FXRates, filepath.Join(dir, "fx_rates.ndjson"), nil) {
		good, rej, err := transforms.NewFXRates("fx").Apply(context.Background(), mem, rec)
		if err != nil || fx.AddBatch(good) != nil {
			b.Fatal(err)
		}
		good.Release()
		rej.Release()
		rec.Release()
	}
	raw := readRaw(b, mem, pipeline.Listings, filepath.Join(dir, "listings.ndjson"), map[string]string{"listing_id": "id"})
	defer func() {
		for _, r := range raw {
			r.Release()
		}
	}()
	var rows int64
	for _, r := range raw {
		rows += r.NumRows()
	}
	tr, err := transforms.NewListings("bench", fx)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, r := range raw {
			good, rej, err := tr.Apply(context.Background(), mem, r)
			if err != nil {
				b.Fatal(err)
			}
			good.Release()
			rej.Release()
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// readRaw extracts a whole NDJSON file into retained raw batches.
func readRaw(b *testing.B, mem memory.Allocator, d pipeline.Dataset, path string, fields map[string]string) []arrow.RecordBatch {
	spec := &files.Spec{Paths: []string{path}, Map: pipeline.Mapping{Fields: fields}}
	src := pipeline.SourceConfig{Name: "bench_" + string(d), Dataset: string(d), Kind: files.Kind, Spec: spec}
	ex, err := spec.Build(src, pipeline.BuildEnv{Lookup: os.LookupEnv, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	var out []arrow.RecordBatch
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if _, err := ex.Extract(ctx, mem, func(rec arrow.RecordBatch) error {
		rec.Retain()
		out = append(out, rec)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	return out
}
