//go:build duckdb_arrow

package warehouse

import (
	"slices"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// resultOf runs the data tests of the open run and returns one test's
// failures with the scope meta.data_tests recorded for it.
func resultOf(t *testing.T, w *Warehouse, runID, test string) (int64, string) {
	t.Helper()
	results, err := w.RunDataTests(t.Context(), runID)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(results, func(r DataTestResult) bool { return r.Name == test })
	if i < 0 {
		t.Fatalf("no result for %s", test)
	}
	var scope string
	if err := w.conn.QueryRowContext(t.Context(), "SELECT scope FROM meta.data_tests WHERE run_id = ? AND test = ?", runID, test).Scan(&scope); err != nil {
		t.Fatal(err)
	}
	return results[i].Failures, scope
}

// mergeAndBuild opens run runID's transaction and builds its marts.
func mergeAndBuild(t *testing.T, w *Warehouse, runID string) {
	t.Helper()
	if _, err := w.Merge(t.Context(), pipeline.MergeRequest{RunID: runID}); err != nil {
		t.Fatal(err)
	}
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// A night checks a scoped test on the keys it changed: a row it did not
// touch is not read again, a row it wrote is. --full-tests (FullTests)
// reads everything. Each result records which it was.
func TestDataTestsScopedToTheRun(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	beginRun(t, w, "r1")
	stage(t, w, mem, pipeline.Listings, listing("a", t0, 1), listing("b", t0, 2))
	commit(t, w, "r1", nil)
	// Damage a row behind the merge's back: its USD price no longer
	// follows from its price and rate.
	if _, err := w.conn.ExecContext(t.Context(), "UPDATE core.listings SET price_min_usd = 3 WHERE listing_id = 'a'"); err != nil {
		t.Fatal(err)
	}

	beginRun(t, w, "r2") // changes b only
	stage(t, w, mem, pipeline.Listings, listing("b", t0.Add(time.Hour), 5))
	mergeAndBuild(t, w, "r2")
	if n, scope := resultOf(t, w, "r2", "listings_usd_consistent"); n != 0 || scope != scopeRun {
		t.Errorf("scoped night: %d failures, scope %q; want 0 (a was not touched), run", n, scope)
	}
	if _, scope := resultOf(t, w, "r2", "listings_price_plausible"); scope != scopeFull {
		t.Errorf("an unscoped test ran with scope %q, want full", scope)
	}
	if err := w.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}

	w.opts.FullTests = true
	beginRun(t, w, "r3")
	stage(t, w, mem, pipeline.Listings, listing("b", t0.Add(2*time.Hour), 6))
	mergeAndBuild(t, w, "r3")
	if n, scope := resultOf(t, w, "r3", "listings_usd_consistent"); n != 1 || scope != scopeFull {
		t.Errorf("full sweep: %d failures, scope %q; want 1 (listing a), full", n, scope)
	}
	if err := w.Rollback(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, w, "SELECT count(*) FROM meta.data_tests WHERE run_id = 'r3' AND scope = 'full'"); n == 0 {
		t.Error("a rolled back night's results lost their scope")
	}

	w.opts.FullTests = false
	beginRun(t, w, "r4") // a new key that arrives broken is caught on its night
	bad := listing("c", t0, 4)
	bad["price_min_usd"] = 40.0
	stage(t, w, mem, pipeline.Listings, bad)
	mergeAndBuild(t, w, "r4")
	if n, scope := resultOf(t, w, "r4", "listings_usd_consistent"); n != 1 || scope != scopeRun {
		t.Errorf("scoped night with a broken new key: %d failures, scope %q; want 1, run", n, scope)
	}
	if err := w.Rollback(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// Every scope a test declares names a table the warehouse can scope, and
// every scoped test still parses once its tables are replaced.
func TestScopedTestsParse(t *testing.T) {
	t.Parallel()
	tests, err := loadDataTests()
	if err != nil {
		t.Fatal(err)
	}
	w := openTest(t, nil)
	beginRun(t, w, "r1")
	if _, err := w.Merge(t.Context(), pipeline.MergeRequest{RunID: "r1"}); err != nil {
		t.Fatal(err)
	}
	defer w.Rollback(t.Context()) //nolint:errcheck // the test only reads
	if err := w.scopeTables(t.Context()); err != nil {
		t.Fatal(err)
	}
	scoped := 0
	for _, dt := range tests {
		if len(dt.scope) == 0 {
			continue
		}
		scoped++
		if _, err := w.conn.ExecContext(t.Context(), "EXPLAIN "+scopedQuery(dt)); err != nil {
			t.Errorf("sql/tests/%s.sql scoped: %v", dt.name, err)
		}
	}
	if scoped == 0 {
		t.Error("no data test declares a scope")
	}
}

// A test without a scope whose inputs a night did not change carries its
// last committed full result forward, failures and examples included; new
// thresholds, or a change to what it reads, make it read everything again.
func TestUnchangedInputsCarryTheLastResult(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	cheap := listing("c", t0, 0.001) // under the one-cent floor: flagged
	cheap["price_min_usd"], cheap["price_max_usd"] = 0.001, 0.001
	beginRun(t, w, "r1")
	stage(t, w, mem, pipeline.Listings, listing("a", t0, 1), cheap)
	mergeAndBuild(t, w, "r1")
	first, scope := resultOf(t, w, "r1", "listings_price_plausible")
	if first != 1 || scope != scopeFull {
		t.Fatalf("first night: %d failures, scope %q; want 1 (listing c), full", first, scope)
	}
	if err := w.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}

	beginRun(t, w, "r2") // the same listings: nothing changed
	stage(t, w, mem, pipeline.Listings, listing("a", t0, 1), cheap)
	mergeAndBuild(t, w, "r2")
	if n, scope := resultOf(t, w, "r2", "listings_price_plausible"); n != 1 || scope != scopeCarried {
		t.Errorf("unchanged night: %d failures, scope %q; want the last result carried: 1, carried", n, scope)
	}
	if n := queryInt(t, w, "SELECT count(*) FROM meta.data_tests WHERE run_id = 'r2' AND test = 'listings_price_plausible' AND examples LIKE '%alibaba.com%'"); n != 1 {
		t.Error("the carried result lost its examples")
	}
	if _, scope := resultOf(t, w, "r2", "runs_reconcile"); scope != scopeFull {
		t.Errorf("a test of meta, which every run writes, ran with scope %q, want full", scope)
	}
	if err := w.Rollback(t.Context()); err != nil {
		t.Fatal(err)
	}

	floor := 0.0001 // c is above this floor: no longer flagged
	w.opts.Checks.Prices.MinUSD = &floor
	beginRun(t, w, "r3")
	stage(t, w, mem, pipeline.Listings, listing("a", t0, 1), cheap)
	mergeAndBuild(t, w, "r3")
	if n, scope := resultOf(t, w, "r3", "listings_price_plausible"); n != 0 || scope != scopeFull {
		t.Errorf("new threshold: %d failures, scope %q; want 0, full", n, scope)
	}
	if err := w.Rollback(t.Context()); err != nil {
		t.Fatal(err)
	}
}
