//go:build duckdb_arrow

package warehouse

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/sql/warehouse/settings"
)

// spread is n listings of one source, category and marketplace priced
// from lo to hi US dollars, evenly on a log scale as the demo draws them,
// each price divided by shrink (1 for a healthy source). Ids are
// source-prefix-i.
func spread(source, market, category string, n int, lo, hi, shrink float64) []row {
	rows := make([]row, n)
	for i := range rows {
		usd := lo * math.Pow(hi/lo, float64(i)/float64(n-1)) / shrink
		r := listing(fmt.Sprintf("%s-%s-%02d", source, category, i), t0, usd)
		r["marketplace"], r["category"], r["source"] = market, category, source
		rows[i] = r
	}
	return rows
}

// demoLikeCatalogue is three healthy sources with the demo's price ranges
// (demo/catalog.go): Alibaba apparel $1.80-22 and electronics
// $2.50-120, Daraz Pakistan's electronics Rs 600-65,000 at 280 rupees to
// the dollar, each spanning up to a hundred times from cheapest to dearest.
func demoLikeCatalogue() []row {
	var rows []row
	rows = append(rows, spread("alibaba_api", "alibaba.com", "apparel", 40, 1.8, 22, 1)...)
	rows = append(rows, spread("alibaba_api", "alibaba.com", "electronics", 40, 2.5, 120, 1)...)
	rows = append(rows, spread("daraz_pk", "daraz.pk", "electronics", 40, 600.0/280, 65000.0/280, 1)...)
	return rows
}

// openChecked opens a warehouse whose data tests use checks.
func openChecked(t *testing.T, mem memory.Allocator, checks settings.Checks) *Warehouse {
	t.Helper()
	w := openTest(t, mem)
	w.opts.Checks = checks
	return w
}

// loadListings is a night that brings listings (and their seller).
func loadListings(t *testing.T, w *Warehouse, mem memory.Allocator, runID string, rows []row) {
	t.Helper()
	beginRun(t, w, runID)
	s1pk := seller("s1", "PK")
	s1pk["marketplace"] = "daraz.pk"
	stage(t, w, mem, pipeline.Sellers, seller("s1", "PK"), s1pk)
	stage(t, w, mem, pipeline.Listings, rows...)
	commit(t, w, runID, nil)
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// plausibility runs the data tests and returns what listings_price_plausible
// found: its failure count and the examples meta.data_tests recorded.
func plausibility(t *testing.T, w *Warehouse, runID string) (int64, string) {
	t.Helper()
	results, err := w.RunDataTests(t.Context(), runID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Name == "listings_price_plausible" {
			if r.Severity != pipeline.SeverityWarn {
				t.Errorf("listings_price_plausible is %s, want a warning: an implausible price is no proof", r.Severity)
			}
			var ex *string
			if err := w.conn.QueryRowContext(t.Context(), `SELECT examples FROM meta.data_tests
				WHERE run_id = ? AND test = 'listings_price_plausible'`, runID).Scan(&ex); err != nil {
				t.Fatal(err)
			}
			if (ex == nil) != r.Passed() {
				t.Errorf("examples %v for a test with %d failures: want them exactly when it failed", ex, r.Failures)
			}
			if ex == nil {
				return r.Failures, ""
			}
			return r.Failures, *ex
		} else if !r.Passed() {
			t.Errorf("data test %s (%s) failed: %d rows", r.Name, r.Severity, r.Failures)
		}
	}
	t.Fatal("listings_price_plausible did not run")
	return 0, ""
}

// The night a new source arrives whose parser put every decimal point three
// places off, the warning names that source, says how many of its listings
// are off and by what factor, and shows the worst of them, while the healthy
// sources beside it, with prices as spread out as the demo's, are not
// flagged. The new source brings more apparel listings than the healthy one
// has: compared with a median that included its own listings, the healthy
// source would have been the one flagged.
func TestPricePlausibilityNamesASourceAThousandTimesTooCheap(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openChecked(t, mem, settings.Checks{})

	loadListings(t, w, mem, "n1", demoLikeCatalogue())
	if n, ex := plausibility(t, w, "n1"); n != 0 {
		t.Fatalf("night 1: a demo-like spread is flagged (%d rows):\n%s", n, ex)
	}

	// Night 2: alibaba_csv, never seen before: true prices $12-22, loaded
	// a thousand times too small ($0.012-0.022, above the one-cent floor,
	// so only the comparison with the median can catch them).
	loadListings(t, w, mem, "n2", spread("alibaba_csv", "alibaba.com", "apparel", 60, 12, 22, 1000))
	n, ex := plausibility(t, w, "n2")
	if n != 1 {
		t.Fatalf("night 2: %d sources flagged, want only alibaba_csv:\n%s", n, ex)
	}
	// The older source's apparel median, $6.30, is what the new source is
	// compared with; its cheapest listing is the furthest off.
	for _, want := range []string{
		"source=alibaba_csv, marketplace=alibaba.com, listings=60, flagged=60, below_median=60, above_median=0, under_min_usd=0",
		"typical_factor=0.00258",
		"worst_listings=alibaba_csv-apparel-00 apparel $0.012 (median $6.296 of older sources); alibaba_csv-apparel-01 apparel $0.01212",
	} {
		if !strings.Contains(ex, want) {
			t.Errorf("night 2: examples lack %q:\n%s", want, ex)
		}
	}

	// Night 3: the source is fixed (its listings re-sent at their true
	// prices, a newer version). One healthy listing is now 150 times its
	// category's median, another 99 times, and a third costs less than a
	// cent: the first and the third are flagged, by their source.
	fixed := spread("alibaba_csv", "alibaba.com", "apparel", 60, 12, 22, 1)
	for _, r := range fixed {
		r["updated_at"] = t0.Add(24 * 3600e9)
	}
	outliers := spread("daraz_pk", "daraz.pk", "electronics", 3, 1, 1, 1)
	for i, usd := range []float64{150 * 22.8, 99 * 22.8, 0.004} {
		outliers[i]["listing_id"] = fmt.Sprintf("daraz-odd-%d", i)
		outliers[i]["price_min_usd"], outliers[i]["price_max_usd"] = usd, usd
	}
	loadListings(t, w, mem, "n3", append(fixed, outliers...))
	n, ex = plausibility(t, w, "n3")
	if n != 1 {
		t.Fatalf("night 3: %d sources flagged, want only daraz_pk:\n%s", n, ex)
	}
	for _, want := range []string{
		"source=daraz_pk, marketplace=daraz.pk, listings=43, flagged=2, below_median=0, above_median=1, under_min_usd=1",
		"worst_listings=daraz-odd-2 electronics $0.004 (median $23.68 of its category)",
		"daraz-odd-0 electronics $3420 (median $23.68 of its category)",
	} {
		if !strings.Contains(ex, want) {
			t.Errorf("night 3: examples lack %q:\n%s", want, ex)
		}
	}
	if strings.Contains(ex, "daraz-odd-1") {
		t.Errorf("night 3: a price 99 times the median is flagged:\n%s", ex)
	}
}

// The thresholds come from the config's checks.prices and reach the SQL as
// DuckDB variables; a threshold unset again falls back to the default, not
// to what the connection saw last.
func TestPricePlausibilityThresholdsAreConfigurable(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	ratio, floor, many := 2000.0, 0.0, 101
	w := openChecked(t, mem, settings.Checks{Prices: settings.PriceChecks{OutlierRatio: &ratio}})
	loadListings(t, w, mem, "n1", demoLikeCatalogue())
	// True prices $2-22, a thousand times too small: 40 fall under a cent.
	loadListings(t, w, mem, "n2", spread("alibaba_csv", "alibaba.com", "apparel", 60, 2, 22, 1000))
	// The data tests run three times on this data, once per setting.

	if n, ex := plausibility(t, w, "tests-a"); n != 1 || !strings.Contains(ex, "listings=60, flagged=40, below_median=0, above_median=0, under_min_usd=40") {
		t.Errorf("outlier_ratio 2000: %d rows, want alibaba_csv flagged only for the 40 prices under a cent:\n%s", n, ex)
	}
	w.opts.Checks.Prices = settings.PriceChecks{MinUSD: &floor, MinListings: &many}
	if n, ex := plausibility(t, w, "tests-b"); n != 0 {
		t.Errorf("min_usd 0 and min_listings 101 (no category has that many): %d rows, want none:\n%s", n, ex)
	}
	w.opts.Checks = settings.Checks{}
	if n, ex := plausibility(t, w, "tests-c"); n != 1 || !strings.Contains(ex, "listings=60, flagged=60, below_median=20, above_median=0, under_min_usd=40") {
		t.Errorf("defaults again: %d rows, want all 60 of alibaba_csv flagged:\n%s", n, ex)
	}
}

// Every failing data test, not only the price check, records up to five of
// the rows it found, in meta.data_tests and in its WARN line; a passing
// test records none.
func TestFailedDataTestsRecordExamples(t *testing.T) {
	t.Parallel()
	w := loadGoldenFixture(t)
	// Six duplicated listings: core_keys_unique finds six keys and keeps
	// five as examples; the listing of the unknown seller now counts twice.
	breakWith(t, w, "INSERT INTO core.listings SELECT * FROM core.listings")
	results, err := w.RunDataTests(t.Context(), "r3")
	if err != nil {
		t.Fatal(err)
	}
	expectRows(t, w, "examples of the failed tests",
		`SELECT test, failures, examples FROM meta.data_tests WHERE run_id = 'r3' AND NOT passed ORDER BY test`,
		"[core_keys_unique 6 "+strings.Repeat("core_table=listings, rows_per_key=2\n", 4)+"core_table=listings, rows_per_key=2]",
		"[listings_sellers_exist 1 marketplace=alibaba.com, seller_id=s9, listings=2]")
	if n := queryInt(t, w, "SELECT count(*) FROM meta.data_tests WHERE run_id = 'r3' AND passed AND examples IS NOT NULL"); n != 0 {
		t.Errorf("%d passing tests recorded examples", n)
	}
	// The results carry them too, for the runner's WARN line.
	for _, r := range results {
		if r.Name == "listings_sellers_exist" && strings.Join(r.Examples, "|") != "marketplace=alibaba.com, seller_id=s9, listings=2" {
			t.Errorf("listings_sellers_exist examples = %q", r.Examples)
		}
	}
}

// The limit of comparing sources with each other: two sources first loaded
// in the same run that disagree by a thousand times are both named, each
// against the other's median, since neither is older. The examples show
// which prices are plausible.
func TestPricePlausibilityNamesBothNewSourcesThatDisagree(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openChecked(t, mem, settings.Checks{})
	loadListings(t, w, mem, "n1", append(spread("alibaba_api", "alibaba.com", "apparel", 40, 1.8, 22, 1),
		spread("alibaba_csv", "alibaba.com", "apparel", 60, 12, 22, 1000)...))
	n, ex := plausibility(t, w, "n1")
	if n != 2 || !strings.Contains(ex, "source=alibaba_csv, marketplace=alibaba.com, listings=60, flagged=60, below_median=60") ||
		!strings.Contains(ex, "source=alibaba_api, marketplace=alibaba.com, listings=40, flagged=40, below_median=0, above_median=40") ||
		!strings.Contains(ex, "of other sources") {
		t.Errorf("%d rows, want both sources named against each other:\n%s", n, ex)
	}
}

// An example row longer than maxExampleLen is cut on a character, never
// inside one (carrier and seller names carry umlauts and Urdu), and says so.
func TestExampleRowsAreCutOnACharacter(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ü", maxExampleLen+10)
	got := truncateRunes(long, maxExampleLen)
	if n := len([]rune(got)); n != maxExampleLen || !strings.HasSuffix(got, "ü…") {
		t.Errorf("cut to %d characters ending %q, want %d ending in ü…", n, got[len(got)-8:], maxExampleLen)
	}
	if short := "carrier=Hamburg Süd"; truncateRunes(short, maxExampleLen) != short {
		t.Errorf("a short row was changed")
	}
}
