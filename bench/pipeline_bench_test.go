//go:build duckdb_arrow

package bench

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	_ "github.com/exportpipe/exportpipe/extractors" // the built-in source kinds
	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/sql/warehouse"
	"github.com/exportpipe/exportpipe/transforms"
)

// BenchmarkPipeline runs the pipeline on a file workload in process, for
// CPU profiles of where a run spends its time:
//
//	EXPORTPIPE_BENCH_WORKLOAD=$PWD/bench/out/n1000000 go test -tags duckdb_arrow -run '^$' \
//	  -bench Pipeline -benchtime 1x -cpuprofile bench/out/cpu.pprof ./bench
//	go tool pprof -top bench/out/cpu.pprof
func BenchmarkPipeline(b *testing.B) {
	dir := os.Getenv("EXPORTPIPE_BENCH_WORKLOAD")
	if dir == "" {
		b.Skip("set EXPORTPIPE_BENCH_WORKLOAD to a folder made by bench/genlistings")
	}
	src, err := os.ReadFile("bench.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		data := b.TempDir()
		env := map[string]string{"BENCH_WORKLOAD": dir, "BENCH_DATA": data, "BENCH_LISTINGS": filepath.Join(dir, "listings.ndjson")}
		cfg, err := pipeline.ParseConfig(src, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
		if err != nil {
			b.Fatal(err)
		}
		// Extractors, transforms and the reference FX table are assembled
		// by the library calls `exportpipe run` makes, so a profile here is
		// of what a run does.
		log := slog.New(slog.DiscardHandler)
		exs, errs := cfg.BuildSources(cfg.BuildEnv(os.LookupEnv, log))
		if len(errs) > 0 {
			b.Fatal(errs)
		}
		factory, err := transforms.FactoryFor(cfg, log)
		if err != nil {
			b.Fatal(err)
		}
		fx := transforms.NewFXTable()
		if err := transforms.LoadReferenceFX(cfg, fx, log); err != nil {
			b.Fatal(err)
		}
		wh, err := warehouse.Open(context.Background(), warehouse.Options{Path: cfg.Warehouse.Path, SnapshotPath: cfg.Warehouse.Snapshot})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		r := &pipeline.Runner{Warehouse: wh, Extractors: exs, Transforms: factory, FX: fx,
			Mem: memory.NewGoAllocator(), Pipeline: "bench"}
		sum, err := r.Run(context.Background())
		b.StopTimer()
		wh.Close()
		if err != nil {
			b.Fatal(err)
		}
		var rows int64
		for _, s := range sum.Steps {
			rows += s.Extracted
		}
		b.ReportMetric(float64(rows)/sum.FinishedAt.Sub(sum.StartedAt).Seconds(), "rows/s")
		b.StartTimer()
	}
}
