//go:build duckdb_arrow

package warehouse

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// benchBatches builds rows listings in batches of batchSize, the size the
// pipeline streams in.
func benchBatches(b *testing.B, rows, batchSize int) []arrow.RecordBatch {
	markets := []string{"alibaba.com", "daraz.pk", "daraz.com.bd"}
	categories := pipeline.Categories()
	var out []arrow.RecordBatch
	for start := 0; start < rows; start += batchSize {
		n := min(batchSize, rows-start)
		rs := make([]row, n)
		for i := range rs {
			id := start + i
			c := categories[id%len(categories)]
			r := listing(fmt.Sprintf("L%08d", id), t0.Add(time.Duration(id)*time.Second), float64(id%1000)+0.5)
			r["marketplace"], r["seller_id"] = markets[id%3], fmt.Sprintf("S%05d", id%5000)
			r["category"], r["category_group"], r["hs_chapter"] = c.Slug, c.Group, c.HSChapter
			rs[i] = r
		}
		out = append(out, buildBatch(b, memory.DefaultAllocator, pipeline.TypedSchema(pipeline.Listings), rs))
	}
	return out
}

func stageAndCommit(b *testing.B, w *Warehouse, runID string, batches []arrow.RecordBatch) pipeline.MergeCounts {
	ctx := b.Context()
	if err := w.BeginRun(ctx, pipeline.RunInfo{ID: runID, StartedAt: time.Now()}); err != nil {
		b.Fatal(err)
	}
	rdr, err := array.NewRecordReader(batches[0].Schema(), batches)
	if err != nil {
		b.Fatal(err)
	}
	defer rdr.Release()
	if _, err := w.Stage(ctx, pipeline.Listings, rdr); err != nil {
		b.Fatal(err)
	}
	res, err := w.Merge(ctx, pipeline.MergeRequest{RunID: runID})
	if err != nil {
		b.Fatal(err)
	}
	if err := w.Commit(ctx); err != nil {
		b.Fatal(err)
	}
	return res.Datasets[pipeline.Listings]
}

// BenchmarkStageCommit measures a run's load of listings: Arrow batches
// staged through a registered view, collapsed, merged with price history.
// first_load merges into an empty core; reload merges the same rows again,
// which must find every row unchanged.
func BenchmarkStageCommit(b *testing.B) {
	const rows, batchSize = 1_000_000, 16_384
	batches := benchBatches(b, rows, batchSize)
	defer func() {
		for _, rec := range batches {
			rec.Release()
		}
	}()
	open := func(b *testing.B) *Warehouse {
		opts := Options{Path: filepath.Join(b.TempDir(), "w.duckdb")}
		if testing.Verbose() { // -v shows where a commit spends its time
			opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		}
		w, err := Open(b.Context(), opts)
		if err != nil {
			b.Fatal(err)
		}
		return w
	}
	b.Run(fmt.Sprintf("rows=%d/first_load", rows), func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			b.StopTimer()
			w := open(b)
			b.StartTimer()
			if mc := stageAndCommit(b, w, fmt.Sprint("r", i), batches); mc.Inserted != rows {
				b.Fatalf("inserted %d, want %d", mc.Inserted, rows)
			}
			b.StopTimer()
			w.Close()
			b.StartTimer()
			i++
		}
		b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run(fmt.Sprintf("rows=%d/reload", rows), func(b *testing.B) {
		b.ReportAllocs()
		w := open(b)
		defer w.Close()
		stageAndCommit(b, w, "first", batches)
		i := 0
		for b.Loop() {
			if mc := stageAndCommit(b, w, fmt.Sprint("r", i), batches); mc.Inserted+mc.Updated != 0 {
				b.Fatalf("reload changed rows: %+v", mc)
			}
			i++
		}
		b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}
