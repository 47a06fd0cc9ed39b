package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/sql/warehouse"
)

// An error-level data test that fails makes the run exit 5 and keeps the
// previous snapshot and exports published, so dashboards never read
// numbers that failed their checks. Here someone has hand-edited the working
// warehouse and left a seller whose country is not an ISO code; the next
// run's tests catch it, and the run after the fix publishes again.
func TestFailingDataTestExitsFiveAndKeepsThePreviousSnapshot(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	opts := runOpts{dataDir: dir, listings: 1500, seed: 11}
	working, snap := filepath.Join(dir, "warehouse.duckdb"), filepath.Join(dir, "analytics.duckdb")

	first, err := runOnce(ctx, opts)
	if err != nil {
		t.Fatalf("first run: %v", err)
	}
	published := first.summary.ID
	snapBefore, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	latestBefore, err := os.Readlink(filepath.Join(dir, "exports", "latest"))
	if err != nil {
		t.Fatal(err)
	}

	if _, _, err := warehouse.ExecScript(ctx, working, `INSERT INTO core.sellers (marketplace, seller_id, name, country, updated_at, _first_run, _last_run, _loaded_at)
		VALUES ('alibaba.com', 'HAND-EDITED', 'Typed in by hand', 'Pakistan', now(), 'manual', 'manual', now())`); err != nil {
		t.Fatalf("hand edit: %v", err)
	}

	_, err = runOnce(ctx, opts)
	if code := pipeline.ExitCode(err); code != pipeline.ExitDataTests {
		t.Fatalf("run over the hand-edited warehouse: exit %d (%v), want %d", code, err, pipeline.ExitDataTests)
	}
	if !strings.Contains(err.Error(), "countries_iso") || !strings.Contains(err.Error(), "previous snapshot stays published") {
		t.Errorf("the error should name the failed test and say what was kept: %v", err)
	}
	if after, _ := os.ReadFile(snap); string(after) != string(snapBefore) {
		t.Error("the snapshot file changed although the run failed its data tests")
	}
	if got := query(t, snap, "SELECT max(run_id) FROM meta.runs WHERE status = 'ok'")[0][0]; got != published {
		t.Errorf("snapshot's last good run %s, want %s", got, published)
	}
	if latest, _ := os.Readlink(filepath.Join(dir, "exports", "latest")); latest != latestBefore {
		t.Errorf("exports/latest moved to %s, want it kept at %s", latest, latestBefore)
	}
	// The working warehouse says why, for the operator.
	failed := query(t, working, `SELECT test, severity, failures FROM meta.data_tests
		WHERE run_id = (SELECT max(run_id) FROM meta.runs) AND failures > 0 ORDER BY test`)
	if len(failed) != 1 || failed[0][0] != "countries_iso" || failed[0][1] != string(pipeline.SeverityError) || failed[0][2] != "1" {
		t.Errorf("meta.data_tests failures of the failed run: %v, want only countries_iso (error, 1 row)", failed)
	}
	if st := query(t, working, "SELECT status FROM meta.runs ORDER BY run_id DESC LIMIT 1")[0][0]; st == "ok" {
		t.Errorf("the failed run is recorded as %q", st)
	}

	// Fixed by hand; the next run publishes again.
	if _, _, err := warehouse.ExecScript(ctx, working, "DELETE FROM core.sellers WHERE seller_id = 'HAND-EDITED'"); err != nil {
		t.Fatal(err)
	}
	fixed, err := runOnce(ctx, opts)
	if err != nil {
		t.Fatalf("run after the fix: %v", err)
	}
	if got := query(t, snap, "SELECT max(run_id) FROM meta.runs WHERE status = 'ok'")[0][0]; got != fixed.summary.ID {
		t.Errorf("snapshot's last good run %s, want the fixed run %s", got, fixed.summary.ID)
	}
}
