//go:build duckdb_arrow

package warehouse

import (
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// A listing whose source names no seller loads with a NULL seller_id
// (migration 0011): the marts count it under a NULL seller country, a
// later version that names the seller fills it in, and
// listings_sellers_exist, which checks listings that name a seller, does
// not count it. Before 0011 it could not be stored at all; with the old
// test it would have failed the warning every night.
func TestListingsWithoutSeller(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	beginRun(t, w, "r1")
	stage(t, w, mem, pipeline.Sellers, seller("s1", "PK"))
	noSeller := func(r row) row { delete(r, "seller_id"); return r }
	stage(t, w, mem, pipeline.Listings,
		listing("named", t0, 5),
		noSeller(listing("anon-1", t0, 6)),
		noSeller(listing("anon-2", t0, 7)),
	)
	commit(t, w, "r1", nil)
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
	expectRows(t, w, "listings by seller",
		"SELECT listing_id, seller_id FROM core.current_listings ORDER BY listing_id",
		"[anon-1 <nil>]", "[anon-2 <nil>]", "[named s1]")
	expectRows(t, w, "listings by seller country",
		"SELECT seller_country, listings FROM marts.listings_by_category_country ORDER BY ALL",
		"[PK 1]", "[<nil> 2]")
	expectRows(t, w, "sellers active in the month: only the known one",
		"SELECT seller_country, sum(active_sellers) FROM marts.seller_growth_monthly GROUP BY ALL ORDER BY ALL", "[PK 1]")
	results, err := w.RunDataTests(t.Context(), "r1")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if !r.Passed() {
			t.Errorf("data test %s failed with %d rows (%v): a listing without a seller is not a broken reference", r.Name, r.Failures, r.Examples)
		}
	}

	// A seller named later, and one that does not exist, on the next night.
	beginRun(t, w, "r2")
	named := listing("anon-1", t0.Add(time.Hour), 6)
	dangling := listing("anon-2", t0.Add(time.Hour), 7)
	dangling["seller_id"] = "s9"
	stage(t, w, mem, pipeline.Listings, named, dangling)
	commit(t, w, "r2", nil)
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
	expectRows(t, w, "sellers filled in",
		"SELECT listing_id, seller_id FROM core.listings ORDER BY listing_id",
		"[anon-1 s1]", "[anon-2 s9]", "[named s1]")
	results, err = w.RunDataTests(t.Context(), "r2")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		switch {
		case r.Name == "listings_sellers_exist":
			if r.Failures != 1 || len(r.Examples) != 1 || r.Examples[0] != "marketplace=alibaba.com, seller_id=s9, listings=1" {
				t.Errorf("listings_sellers_exist: %d failures %v, want the listing of seller s9 only", r.Failures, r.Examples)
			}
		case !r.Passed():
			t.Errorf("data test %s failed with %d rows (%v)", r.Name, r.Failures, r.Examples)
		}
	}
}
