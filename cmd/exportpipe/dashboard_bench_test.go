package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportpipe/exportpipe/dashboard"
	"github.com/exportpipe/exportpipe/sql/warehouse"
)

// BenchmarkDashboard renders every view, and the report, on a demo
// snapshot of 300,000 listings (the demo's default size), the way the
// server answers a page: open the snapshot (kept open between pages), run
// the view's queries, render the HTML. cold opens the snapshot afresh for
// every page, as the first page after a publish does.
//
//	go test -tags duckdb_arrow -run '^$' -bench Dashboard -benchtime 20x ./cmd/exportpipe
//
// EXPORTPIPE_BENCH_SNAPSHOT names a snapshot to use instead of building
// one (about 20 s); its exports are read from exports/ beside it.
func BenchmarkDashboard(b *testing.B) {
	snap := os.Getenv("EXPORTPIPE_BENCH_SNAPSHOT")
	if snap == "" {
		dir := b.TempDir()
		root := newRoot()
		var stderr bytes.Buffer
		root.SetOut(io.Discard)
		root.SetErr(&stderr)
		root.SetArgs([]string{"run", "--data-dir", dir, "--demo-listings", "300000", "--log-level", "warn"})
		if err := root.ExecuteContext(context.Background()); err != nil {
			b.Fatalf("demo run: %v\n%s", err, stderr.String())
		}
		snap = filepath.Join(dir, "analytics.duckdb")
	}
	slog.SetDefault(slog.New(slog.DiscardHandler))
	opts := dashboard.Options{ExportDir: filepath.Join(filepath.Dir(snap), "exports")}
	reader := warehouse.NewSnapshotReader(snap)
	defer reader.Close()
	srv := dashboard.NewServer(reader, opts)
	ctx := context.Background()
	for _, path := range dashboard.ViewPaths() {
		name := strings.TrimPrefix(path, "/")
		if name == "" {
			name = "overview"
		}
		b.Run("view="+name, func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for b.Loop() {
				page, err := srv.RenderView(ctx, path, "")
				if err != nil {
					b.Fatal(err)
				}
				if bytes.Contains(page, []byte(`class="error"`)) {
					b.Fatalf("%s shows an error", path)
				}
				size = len(page)
			}
			b.ReportMetric(float64(size), "page-bytes")
		})
	}
	b.Run("view=overview/cold", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r := warehouse.NewSnapshotReader(snap)
			if _, err := dashboard.NewServer(r, opts).RenderView(ctx, "/", ""); err != nil {
				b.Fatal(err)
			}
			r.Close()
		}
	})
	b.Run("report", func(b *testing.B) {
		b.ReportAllocs()
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			if err := dashboard.WriteReport(ctx, &buf, reader, filepath.Dir(snap), opts); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(buf.Len()), "report-bytes")
	})
}
