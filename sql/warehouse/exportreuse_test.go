//go:build duckdb_arrow

package warehouse

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// publishedNight runs one whole night on w: merge, marts, commit, publish.
func publishedNight(t *testing.T, w *Warehouse, runID string, stageAll func()) {
	t.Helper()
	beginRun(t, w, runID)
	stageAll()
	if _, err := w.Merge(t.Context(), pipeline.MergeRequest{RunID: runID}); err != nil {
		t.Fatal(err)
	}
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Publish(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// A night re-exports only the marts whose rows it changed. The others keep
// the files of the run that wrote them, linked into the new run's folder,
// so the folder is complete and the manifest names that run per file.
func TestPublishReexportsOnlyChangedMarts(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	publishedNight(t, w, "r1", func() {
		stage(t, w, mem, pipeline.Sellers, seller("s1", "PK"))
		stage(t, w, mem, pipeline.Listings, listing("a", t0, 1))
		stage(t, w, mem, pipeline.Sailings, sailing("x", "PNSC", 20*24*time.Hour, 0))
	})
	publishedNight(t, w, "r2", func() { // only the sailing changes: it arrives a day later
		stage(t, w, mem, pipeline.Listings, listing("a", t0, 1))
		re := sailing("x", "PNSC", 21*24*time.Hour, 0)
		re["updated_at"] = t0.Add(time.Hour)
		stage(t, w, mem, pipeline.Sailings, re)
	})

	root := w.ExportDir()
	m := readManifest(t, filepath.Join(root, "latest", "manifest.json"))
	if m.RunID != "r2" || len(m.Files) != 2*len(martNames(t, w.conn)) {
		t.Fatalf("manifest of run %q lists %d files, want run r2 and every mart's", m.RunID, len(m.Files))
	}
	wantRun := map[string]string{
		"marts.route_performance": "r2", "marts.route_performance_monthly": "r2", "marts.exports_by_destination": "r2",
		"marts.listings_by_category_country": "r1", "marts.listings_daily": "r1", "marts.price_index_monthly": "r1",
		"marts.freight_cost_monthly": "r1",
	}
	for _, f := range m.Files {
		if want, ok := wantRun[f.Table]; ok && f.RunID != want {
			t.Errorf("%s written by run %q, want %s", f.Path, f.RunID, want)
		}
		now, err := os.Stat(filepath.Join(root, "run_id=r2", f.Path))
		if err != nil {
			t.Errorf("run r2's folder lacks %s: %v", f.Path, err)
			continue
		}
		if f.RunID == "r1" {
			if before, err := os.Stat(filepath.Join(root, "run_id=r1", f.Path)); err != nil || !os.SameFile(before, now) {
				t.Errorf("%s was rewritten (or not linked): %v", f.Path, err)
			}
		}
	}

	// --rebuild-marts rebuilds everything, and everything is written again.
	w.opts.RebuildMarts = true
	publishedNight(t, w, "r3", func() { stage(t, w, mem, pipeline.Listings, listing("a", t0, 1)) })
	for _, f := range readManifest(t, filepath.Join(root, "latest", "manifest.json")).Files {
		if f.RunID != "r3" {
			t.Errorf("after a rebuild %s is still run %s's", f.Path, f.RunID)
		}
	}
}
