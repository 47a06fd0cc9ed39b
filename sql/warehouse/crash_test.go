//go:build duckdb_arrow

package warehouse

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportpipe/exportpipe/pipeline"
)

// A run killed with SIGKILL never records its outcome. The next run on the
// warehouse (only one process can hold it) marks it failed, so meta.runs
// and the run overview do not show it running for ever.
func TestNextRunClosesAKilledRun(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	beginRun(t, w, "r1") // and then the process dies
	beginRun(t, w, "r2")
	got := dump(t, w, "SELECT run_id, status, finished_at IS NULL, error FROM meta.runs ORDER BY run_id")
	if len(got) != 2 || !strings.HasPrefix(got[0], "[r1 failed true the run stopped without recording its outcome") ||
		!strings.HasSuffix(got[0], "noticed by run r2]") || got[1] != "[r2 running true <nil>]" {
		t.Fatalf("meta.runs = %q", got)
	}
}

// A publish killed half-way leaves a temporary snapshot (a whole copy of
// the database) and a staged export folder. The next publish removes them,
// so repeated crashes do not fill the disk.
func TestPublishClearsWhatAKilledPublishLeft(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	snap := w.opts.SnapshotPath
	leftovers := []string{
		snap + ".tmp-20260101T000000Z-dead00", snap + ".tmp-20260101T000000Z-dead00.wal",
		filepath.Join(w.ExportDir(), ".tmp-run_id=20260101T000000Z-dead00", "category_share.csv"),
		filepath.Join(w.ExportDir(), "run_id=20260101T000000Z-dead01.old-123", "manifest.json"),
	}
	for _, f := range leftovers {
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte("half-written"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	beginRun(t, w, "r1")
	stage(t, w, mem, pipeline.Listings, listing("a", t0, 1))
	commit(t, w, "r1", nil)
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Publish(t.Context()); err != nil {
		t.Fatal(err)
	}
	assertNoLeftovers(t, snap)
	for _, pattern := range []string{".tmp-*", "*.old-*"} {
		if m, _ := filepath.Glob(filepath.Join(w.ExportDir(), pattern)); len(m) > 0 {
			t.Errorf("export leftovers after publish: %v", m)
		}
	}
}
