//go:build duckdb_arrow

package warehouse

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// historyOf renders one listing's price history as "price from..to" with
// hours after t0, "open" for the current price.
func historyOf(t *testing.T, w *Warehouse, id string) []string {
	t.Helper()
	return dump(t, w, `SELECT price_min, date_diff('hour', TIMESTAMPTZ '2025-06-01 10:00:00+00', valid_from),
		coalesce(CAST(date_diff('hour', TIMESTAMPTZ '2025-06-01 10:00:00+00', valid_to) AS VARCHAR), 'open')
		FROM core.listing_price_history WHERE listing_id = '`+id+`' ORDER BY valid_from`)
}

func wantHistory(t *testing.T, w *Warehouse, id string, want ...string) {
	t.Helper()
	if got := historyOf(t, w, id); !slices.Equal(got, want) {
		t.Errorf("history of %s =\n%s\nwant\n%s", id, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A version older than the stored one (what run --since fetches) used to
// be skipped: inserted 0, updated 0, and the price index could not be
// backfilled. It now leaves core as it is and takes its place in the
// price history, re-cutting the periods around it; several versions of a
// key in one run all reach the history, and the run counts the backfill.
func TestBackfillTakesItsPlaceInPriceHistory(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	h := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }

	beginRun(t, w, "r1")
	stage(t, w, mem, pipeline.Listings, listing("a", h(0), 10), listing("a", h(10), 20))
	commit(t, w, "r1", nil)
	wantHistory(t, w, "a", "[10 0 10]", "[20 10 open]")

	beginRun(t, w, "r2") // two older versions, out of order
	stage(t, w, mem, pipeline.Listings, listing("a", h(8), 18), listing("a", h(4), 14))
	got := commit(t, w, "r2", nil)[pipeline.Listings]
	if got.Backfilled != 1 || got.Updated != 0 || got.Inserted != 0 {
		t.Errorf("counts = %+v, want 1 key backfilled and nothing else", got)
	}
	wantHistory(t, w, "a", "[10 0 4]", "[14 4 8]", "[18 8 10]", "[20 10 open]")
	if p := queryInt(t, w, "SELECT price_min FROM core.listings WHERE listing_id = 'a'"); p != 20 {
		t.Errorf("core price = %d, want the newest version's 20", p)
	}

	beginRun(t, w, "r3") // a version before the first: the history starts earlier
	stage(t, w, mem, pipeline.Listings, listing("a", h(-2), 10))
	commit(t, w, "r3", nil)
	wantHistory(t, w, "a", "[10 -2 4]", "[14 4 8]", "[18 8 10]", "[20 10 open]")
	expectNoFailures(t, w, "history_keys_unique", "listing_history_one_open")
}

// A withdrawal (a newer unusable version) closes the current price; the
// gap it leaves survives later re-cuts, so the history never shows a price
// as current while the listing had none.
func TestWithdrawalGapSurvivesLaterVersions(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	h := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }
	unusable := func(at time.Time) row {
		return row{"dataset": "listings", "source": "demo", "record_key": "alibaba.com/a", "field": "price",
			"reason": "[unparseable] price \"Price on request\": no amount", "raw": `{}`, "version": at}
	}

	beginRun(t, w, "r1")
	stage(t, w, mem, pipeline.Listings, listing("a", h(0), 10))
	commit(t, w, "r1", nil)

	beginRun(t, w, "r2")
	stage(t, w, mem, pipeline.Listings)
	stageRejects(t, w, mem, unusable(h(5)))
	if got := commit(t, w, "r2", nil)[pipeline.Listings]; got.Withdrawn != 1 {
		t.Errorf("counts = %+v, want 1 withdrawn", got)
	}
	wantHistory(t, w, "a", "[10 0 5]")

	beginRun(t, w, "r3") // the same reject again is not news
	stage(t, w, mem, pipeline.Listings)
	stageRejects(t, w, mem, unusable(h(5)))
	if got := commit(t, w, "r3", nil)[pipeline.Listings]; got.Withdrawn != 0 {
		t.Errorf("rerun counts = %+v, want nothing withdrawn again", got)
	}

	beginRun(t, w, "r4") // usable again, at the old price
	stage(t, w, mem, pipeline.Listings, listing("a", h(9), 10))
	commit(t, w, "r4", nil)
	wantHistory(t, w, "a", "[10 0 5]", "[10 9 open]")
	if n := queryInt(t, w, "SELECT count(*) FROM core.current_listings"); n != 1 {
		t.Errorf("current listings = %d, want a current again", n)
	}

	beginRun(t, w, "r5") // a backfill inside the gap keeps the gap's end
	stage(t, w, mem, pipeline.Listings, listing("a", h(2), 12))
	commit(t, w, "r5", nil)
	wantHistory(t, w, "a", "[10 0 2]", "[12 2 5]", "[10 9 open]")
	expectNoFailures(t, w, "history_keys_unique", "listing_history_one_open")
}

// A night whose error-level data test fails rolls back: core, history,
// marts and cursors are as before it, while its rejects and test results
// are kept to explain it. The next good night commits.
func TestFailedNightChangesNothing(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	beginRun(t, w, "r1")
	stage(t, w, mem, pipeline.Listings, listing("a", t0, 1))
	commit(t, w, "r1", map[string]string{"src": "c1"})
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
	before := append(snapshotCore(t, w), dump(t, w, "SELECT * FROM marts.category_share UNION ALL SELECT key, value, run_id FROM meta.state")...)

	beginRun(t, w, "r2")
	stage(t, w, mem, pipeline.Listings, listing("a", t0.Add(time.Hour), 2), listing("b", t0, 3))
	stageRejects(t, w, mem, row{"dataset": "listings", "source": "demo", "field": "price",
		"reason": "[unparseable] no price", "raw": `{"id":"z"}`})
	if _, err := w.Merge(t.Context(), pipeline.MergeRequest{RunID: "r2", State: map[string]string{"src": "c2"}}); err != nil {
		t.Fatal(err)
	}
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
	// Break a rule inside the night's transaction, as a bad input would.
	breakWith(t, w, "INSERT INTO core.listing_price_history SELECT * FROM core.listing_price_history WHERE listing_id = 'b'")
	expectErrorFailures(t, w, "history_keys_unique", 1)
	if err := w.Rollback(t.Context()); err != nil {
		t.Fatal(err)
	}

	after := append(snapshotCore(t, w), dump(t, w, "SELECT * FROM marts.category_share UNION ALL SELECT key, value, run_id FROM meta.state")...)
	if !slices.Equal(before, after) {
		t.Errorf("the failed night changed the warehouse:\nbefore %v\nafter  %v", before, after)
	}
	if n := queryInt(t, w, "SELECT count(*) FROM meta.rejects WHERE run_id = 'r2'"); n != 1 {
		t.Errorf("meta.rejects has %d rows of the failed night, want 1", n)
	}
	if n := queryInt(t, w, "SELECT failures FROM meta.data_tests WHERE run_id = 'r2' AND test = 'history_keys_unique'"); n != 1 {
		t.Errorf("meta.data_tests records %d failures of the failed night, want 1", n)
	}

	beginRun(t, w, "r3")
	stage(t, w, mem, pipeline.Listings, listing("a", t0.Add(time.Hour), 2), listing("b", t0, 3))
	if got := commit(t, w, "r3", nil)[pipeline.Listings]; got.Inserted != 1 || got.Updated != 1 {
		t.Errorf("next night's counts = %+v, want b inserted and a updated", got)
	}
}

// expectNoFailures runs the data tests and checks the named ones pass.
func expectNoFailures(t *testing.T, w *Warehouse, tests ...string) {
	t.Helper()
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
	results, err := w.RunDataTests(t.Context(), "check")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if slices.Contains(tests, r.Name) && !r.Passed() {
			t.Errorf("data test %s failed with %d rows", r.Name, r.Failures)
		}
	}
}
