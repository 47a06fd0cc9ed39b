//go:build duckdb_arrow

package warehouse

import (
	"slices"
	"testing"

	"github.com/exportpipe/exportpipe/pipeline"
)

// CompareMarts finds the marts two warehouses disagree on, and nothing
// when they agree.
func TestCompareMarts(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	build := func(prices ...float64) string {
		w := openTest(t, mem)
		beginRun(t, w, "r1")
		var rows []row
		for i, p := range prices {
			rows = append(rows, listing(string(rune('a'+i)), t0, p))
		}
		stage(t, w, mem, pipeline.Listings, rows...)
		mergeAndBuild(t, w, "r1")
		if err := w.Commit(t.Context()); err != nil {
			t.Fatal(err)
		}
		if _, err := w.conn.ExecContext(t.Context(), "CHECKPOINT"); err != nil {
			t.Fatal(err)
		}
		return w.opts.Path
	}
	a, same, other := build(1, 2), build(1, 2), build(1, 2, 3)
	if diffs, err := CompareMarts(t.Context(), a, same); err != nil || len(diffs) != 0 {
		t.Errorf("equal warehouses: %v, %v; want no differences", diffs, err)
	}
	diffs, err := CompareMarts(t.Context(), a, other)
	if err != nil {
		t.Fatal(err)
	}
	wantMart := "marts.listings_by_category_country: 1 rows only in " + a + ", 1 only in " + other
	if !slices.Contains(diffs, wantMart) {
		t.Errorf("differences = %q, want among them %q", diffs, wantMart)
	}
}
