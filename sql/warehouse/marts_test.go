//go:build duckdb_arrow

package warehouse

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// loadMartFixture loads a tiny hand-made dataset whose marts are easy to
// work out by hand, and builds the marts.
func loadMartFixture(t *testing.T) *Warehouse {
	t.Helper()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	beginRun(t, w, "r1")
	stage(t, w, mem, pipeline.Sellers, seller("s1", "PK"), seller("s2", "CN"))
	cat := func(r row, slug string, chapter int, group, sellerID string) row {
		r["category"], r["hs_chapter"], r["category_group"], r["seller_id"] = slug, chapter, group, sellerID
		return r
	}
	stage(t, w, mem, pipeline.Listings,
		cat(listing("a", t0, 1), "home_textiles", 63, "textiles", "s1"),
		cat(listing("b", t0, 1), "apparel", 61, "textiles", "s1"),
		cat(listing("c", t0, 1), "electronics", 85, "electronics", "s2"),
		cat(listing("d", t0, 1), "rice", 10, "food", "s9"), // seller unknown
		cat(listing("e", t0.Add(48*time.Hour), 1), "home_textiles", 63, "textiles", "s1"),
	)
	day := 24 * time.Hour
	stage(t, w, mem, pipeline.Sailings,
		sailing("p1", "PNSC", 10*day, 0),
		sailing("p2", "PNSC", 12*day, day),                  // one day late, the next UTC day: on time
		sailing("p3", "PNSC", 13*day, day+time.Microsecond), // a microsecond more, still the next UTC day: on time
		sailing("p4", "PNSC", 20*day, -2*day),               // two UTC days early: not on time
		sailing("p5", "PNSC", -1, 0),                        // not arrived
		sailing("m1", "Maersk", -1, 0),
	)
	commit(t, w, "r1", nil)
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestMarts(t *testing.T) {
	t.Parallel()
	w := loadMartFixture(t)
	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"listings by category and country",
			"SELECT * FROM marts.listings_by_category_country ORDER BY category",
			[]string{
				"[alibaba.com apparel textiles 61 PK 1]",
				"[alibaba.com electronics electronics 85 CN 1]",
				"[alibaba.com home_textiles textiles 63 PK 2]",
				"[alibaba.com rice food 10 <nil> 1]",
			}},
		{"category share",
			"SELECT category_group, listings, share FROM marts.category_share ORDER BY category_group",
			[]string{"[electronics 1 0.2]", "[food 1 0.2]", "[textiles 3 0.6]"}},
		{"route counts",
			"SELECT carrier, sailings, arrived, on_time, on_time_share, median_transit_days FROM marts.route_performance",
			[]string{"[Maersk 1 0 0 <nil> <nil>]", "[PNSC 5 4 3 0.75 12.5]"}},
		{"listings daily",
			`SELECT strftime(day, '%m-%d'), active_listings, new_listings FROM marts.listings_daily
			 WHERE category = 'home_textiles' ORDER BY day`,
			[]string{"[06-01 1 1]", "[06-02 1 0]", "[06-03 2 1]"}},
		{"listings daily fills every group to the last day",
			`SELECT category, count(*), max(active_listings) FROM marts.listings_daily GROUP BY ALL ORDER BY ALL`,
			[]string{"[apparel 3 1]", "[electronics 3 1]", "[home_textiles 3 2]", "[rice 3 1]"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := dump(t, w, tc.query); !slices.Equal(got, tc.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
	t.Run("p90 interpolates", func(t *testing.T) {
		var p90 float64
		if err := w.conn.QueryRowContext(t.Context(),
			"SELECT p90_transit_days FROM marts.route_performance WHERE carrier = 'PNSC'").Scan(&p90); err != nil {
			t.Fatal(err)
		}
		// 10, 12, 13, 20 days: position 0.9 * 3 = 2.7, so 13 + 0.7 * (20 - 13).
		if want := 17.9; math.Abs(p90-want) > 1e-9 {
			t.Errorf("p90 = %v, want %v", p90, want)
		}
	})
}

func TestDataTests(t *testing.T) {
	t.Parallel()
	w := loadMartFixture(t)
	results, err := w.RunDataTests(t.Context(), "r1")
	if err != nil {
		t.Fatal(err)
	}
	if len(results) == 0 {
		t.Fatal("no data tests ran")
	}
	for _, r := range results {
		// The fixture's listing d has an unknown seller: a warning only.
		if !r.Passed() && (r.Severity != pipeline.SeverityWarn || r.Name != "listings_sellers_exist") {
			t.Errorf("data test %s (%s) failed on good data: %d rows", r.Name, r.Severity, r.Failures)
		}
	}
	if _, err := w.conn.ExecContext(t.Context(), "UPDATE core.listings SET price_max = -1 WHERE listing_id = 'a'"); err != nil {
		t.Fatal(err)
	}
	results, err = w.RunDataTests(t.Context(), "r2")
	if err != nil {
		t.Fatal(err)
	}
	failed := map[string]int64{}
	for _, r := range results {
		if !r.Passed() {
			failed[r.Name] = r.Failures
		}
	}
	if failed["listings_price_range"] != 1 {
		t.Errorf("failed tests = %v, want listings_price_range with 1 row", failed)
	}
	if n := queryInt(t, w, "SELECT count(*) FROM meta.data_tests WHERE run_id = 'r2' AND NOT passed"); n != int64(len(failed)) {
		t.Errorf("meta.data_tests records %d failures, want %d", n, len(failed))
	}
}

// TestEverythingIsCommented checks the promise that the file documents
// itself: every table and column of core, marts and meta has a comment.
func TestEverythingIsCommented(t *testing.T) {
	t.Parallel()
	w := loadMartFixture(t)
	missing := dump(t, w, `
		SELECT 'table ' || schema_name || '.' || table_name FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name IN ('core', 'marts', 'meta') AND comment IS NULL
		UNION ALL
		SELECT 'column ' || schema_name || '.' || table_name || '.' || column_name FROM duckdb_columns()
		WHERE database_name = current_database() AND schema_name IN ('core', 'marts', 'meta') AND comment IS NULL
		ORDER BY 1`)
	if len(missing) > 0 {
		t.Errorf("no COMMENT ON:\n%s", strings.Join(missing, "\n"))
	}
	if n := queryInt(t, w, `SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts'`); n < 4 {
		t.Errorf("%d marts, want at least 4", n)
	}
}

// TestCoreKeysUniqueCatchesADuplicate: core tables have no PRIMARY KEY
// (migration 0005), so this data test is what would notice a second row for
// a natural key, and it fails the run (severity error).
func TestCoreKeysUniqueCatchesADuplicate(t *testing.T) {
	t.Parallel()
	w := loadMartFixture(t)
	breakWith(t, w,
		"INSERT INTO core.listings SELECT * FROM core.listings WHERE listing_id = 'a'",
		"INSERT INTO core.sellers SELECT * FROM core.sellers LIMIT 1")
	expectErrorFailures(t, w, "core_keys_unique", 2)
}

// listing_history_one_open finds both ways a listing can lose its current
// price: two open versions, and none at all.
func TestListingHistoryOneOpenCatchesBothWays(t *testing.T) {
	t.Parallel()
	w := loadMartFixture(t)
	keys := dump(t, w, "SELECT listing_id FROM core.listings ORDER BY listing_id LIMIT 2")
	if len(keys) != 2 {
		t.Fatalf("the fixture has %d listings, want at least 2", len(keys))
	}
	twoOpen, noneOpen := strings.Trim(keys[0], "[]"), strings.Trim(keys[1], "[]")
	breakWith(t, w,
		// a second open version, valid from a minute later
		`INSERT INTO core.listing_price_history SELECT marketplace, listing_id, currency, price_min, price_max, price_min_usd,
			price_max_usd, valid_from + INTERVAL 1 MINUTE, NULL, run_id FROM core.listing_price_history
			WHERE listing_id = '`+twoOpen+`' AND valid_to IS NULL`,
		`UPDATE core.listing_price_history SET valid_to = valid_from + INTERVAL 1 DAY
			WHERE listing_id = '`+noneOpen+`' AND valid_to IS NULL`)
	expectErrorFailures(t, w, "listing_history_one_open", 2)
}

// breakWith edits the warehouse behind the pipeline's back, as a bug or a
// hand edit would.
func breakWith(t *testing.T, w *Warehouse, statements ...string) {
	t.Helper()
	for _, q := range statements {
		if _, err := w.conn.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
}

// expectErrorFailures runs the data tests and checks that test found want
// violating rows, at error level.
func expectErrorFailures(t *testing.T, w *Warehouse, test string, want int64) {
	t.Helper()
	results, err := w.RunDataTests(t.Context(), "r2")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Name == test {
			if r.Failures != want || r.Severity != pipeline.SeverityError {
				t.Errorf("%s = %+v, want %d failures at error level", test, r, want)
			}
			return
		}
	}
	t.Errorf("data test %s did not run", test)
}
