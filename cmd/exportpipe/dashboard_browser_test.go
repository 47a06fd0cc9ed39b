package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/exportpipe/exportpipe/pipeline"
)

// viewCheck opens one view and compares what it shows with SQL an analyst
// would write over the snapshot.
type viewCheck struct {
	name  string
	path  string
	check func(t *testing.T, b *browser, db string)
}

var viewChecks = []viewCheck{
	{"overview", "/", checkOverview},
	{"listings", "/listings", checkListings},
	{"listings-daraz-all-countries", "/listings?marketplace=daraz.pk&country=", checkListingsFiltered},
	{"marketplaces", "/marketplaces", checkMarketplaces},
	{"prices", "/prices", checkPrices},
	{"shipping", "/shipping", checkShipping},
	{"freight", "/freight", checkFreight},
	{"destinations", "/destinations", checkDestinations},
	{"sellers", "/sellers", checkSellers},
	{"rejects", "/rejects", checkRejects},
}

// Every view of a demo snapshot, in Chromium: it loads with no console
// error under the CSP, every chart is an accessible SVG beside a table,
// every export link downloads, and the numbers equal SQL over the snapshot.
func TestDashboardInBrowser(t *testing.T) {
	b := newBrowser(t)
	dir := t.TempDir()
	if _, stderr, code := cli(t, "run", "--data-dir", dir, "--demo-listings", "3000"); code != pipeline.ExitOK {
		t.Fatalf("demo run exited %d:\n%s", code, stderr)
	}
	db := filepath.Join(dir, "analytics.duckdb")
	base := startDashboard(t, bin, "--db", db)
	for _, c := range viewChecks {
		t.Run(c.name, func(t *testing.T) {
			b.open(t, base+c.path)
			checkEveryView(t, b, base)
			c.check(t, b, db)
			if errs := b.errors(); len(errs) > 0 {
				t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
			}
			b.screenshot(t, c.name)
		})
	}
}

// checkEveryView holds for any view: each chart is <svg role="img"> with a
// title and sits beside a table, and each export link answers.
func checkEveryView(t *testing.T, b *browser, base string) {
	t.Helper()
	untitled := eval[int](t, b, `Array.from(document.querySelectorAll('svg[role=img]'))
		.filter(s => !s.querySelector('title') || !s.querySelector('title').textContent.trim()).length`)
	if untitled > 0 {
		t.Errorf("%d charts have no title", untitled)
	}
	alone := eval[int](t, b, `Array.from(document.querySelectorAll('.charts'))
		.filter(c => !c.parentElement.querySelector('.tables table')).length`)
	if alone > 0 {
		t.Errorf("%d chart groups have no table beside them", alone)
	}
	for _, href := range eval[[]string](t, b, `Array.from(document.querySelectorAll('a[download]')).map(a => a.getAttribute('href'))`) {
		if code := mustGet(t, base+href); code != 200 {
			t.Errorf("export link %s: status %d", href, code)
		}
	}
}

func checkOverview(t *testing.T, b *browser, db string) {
	run := query(t, db, `SELECT run_id, extracted, loaded, rejected, duplicates FROM meta.runs WHERE status = 'ok' ORDER BY finished_at DESC LIMIT 1`)[0]
	last := byKey(b.table(t, "lastrun-table"), 1)
	if got := last["last successful run"]; len(got) == 0 || got[0] != run[0] {
		t.Errorf("last successful run shown as %v, want %s", got, run[0])
	}
	runs := b.table(t, "runs-table")
	if len(runs) == 0 || runs[0][0] != run[0] {
		t.Fatalf("runs table starts with %v, want run %s", runs, run[0])
	}
	for i, col := range []string{"extracted", "loaded", "rejected", "collapsed"} {
		near(t, "run "+col, runs[0][4+i], run[1+i], 0)
	}
	steps := byKey(b.table(t, "steps-table"), 3)
	for _, r := range query(t, db, `SELECT run_id, r.status, s.dataset, sum(s.extracted), sum(s.loaded), sum(s.rejected), sum(s.duplicates)
		FROM meta.run_steps AS s JOIN meta.runs AS r USING (run_id) GROUP BY ALL`) {
		got := steps[strings.Join(r[:3], "|")]
		if len(got) != 4 {
			t.Errorf("no step row for %v", r[:3])
			continue
		}
		for i := range 4 {
			near(t, r[2]+" step column "+r[3+i], got[i], r[3+i], 0)
		}
	}
	tests := b.table(t, "tests-table")
	want := query(t, db, `SELECT count(*), count_if(passed) FROM meta.data_tests WHERE run_id = '`+run[0]+`'`)[0]
	passed := 0
	for _, r := range tests {
		if r[3] == "passed" {
			passed++
		}
	}
	if want[0] != itoa(len(tests)) || want[1] != itoa(passed) {
		t.Errorf("data tests shown: %d (%d passed), SQL: %s (%s passed)", len(tests), passed, want[0], want[1])
	}
	fresh := byKey(b.table(t, "freshness-table"), 2)
	newest := query(t, db, `SELECT source, strftime(timezone('UTC', max(updated_at)), '%Y-%m-%d %H:%M UTC') FROM core.listings GROUP BY 1`)
	for _, r := range newest {
		if got := fresh["listings|"+r[0]]; len(got) == 0 || got[0] != r[1] {
			t.Errorf("newest listing of %s shown as %v, want %s", r[0], got, r[1])
		}
	}
}

func checkListings(t *testing.T, b *browser, db string) {
	compareGroups(t, b, db, "seller_country = 'PK'")
	rows := b.table(t, "over-time-table")
	if len(rows) == 0 {
		t.Fatal("no months over time")
	}
	lastRow := rows[len(rows)-1]
	want := query(t, db, `SELECT sum(active_listings), sum(active_listings) FILTER (WHERE c.category_group = 'textiles') / sum(active_listings)
		FROM marts.listings_daily AS d JOIN (SELECT DISTINCT category, category_group FROM core.listings) AS c USING (category)
		WHERE d.seller_country = 'PK' AND d.day = (SELECT max(day) FROM marts.listings_daily)`)[0]
	near(t, "listings on the last day", lastRow[len(lastRow)-2], want[0], 0)
	near(t, "textiles share on the last day", lastRow[len(lastRow)-1], want[1], 0.0005)
	newest := b.table(t, "newest-table")
	title := query(t, db, `SELECT l.title FROM core.current_listings AS l JOIN core.sellers AS s USING (marketplace, seller_id)
		WHERE s.country = 'PK' ORDER BY l.updated_at DESC, l.marketplace, l.listing_id LIMIT 1`)[0][0]
	if len(newest) == 0 || newest[0][0] != title {
		t.Errorf("newest listing shown as %v, want %q", newest, title)
	}
}

// The filter is in the URL: the form shows it, and the numbers follow it.
func checkListingsFiltered(t *testing.T, b *browser, db string) {
	if got := eval[string](t, b, `document.querySelector('select[name=marketplace]').value`); got != "daraz.pk" {
		t.Errorf("marketplace select shows %q, want daraz.pk", got)
	}
	if got := eval[string](t, b, `document.querySelector('select[name=country]').value`); got != "" {
		t.Errorf("country select shows %q, want all countries", got)
	}
	compareGroups(t, b, db, "marketplace = 'daraz.pk'")
}

func compareGroups(t *testing.T, b *browser, db, where string) {
	t.Helper()
	shownRows := byKey(b.table(t, "by-group-table"), 1)
	want := query(t, db, `SELECT category_group, sum(listings), sum(listings) / sum(sum(listings)) OVER ()
		FROM marts.listings_by_category_country WHERE `+where+` GROUP BY 1`)
	if len(shownRows) != len(want) {
		t.Errorf("%d category groups shown, SQL has %d", len(shownRows), len(want))
	}
	for _, r := range want {
		got := shownRows[r[0]]
		if len(got) != 2 {
			t.Errorf("category group %s not shown", r[0])
			continue
		}
		near(t, r[0]+" listings", got[0], r[1], 0)
		near(t, r[0]+" share", got[1], r[2], 0.0005)
	}
}

func checkMarketplaces(t *testing.T, b *browser, db string) {
	shownRows := byKey(b.table(t, "marketplaces-table"), 2)
	want := query(t, db, `SELECT marketplace, coalesce(seller_country, 'unknown'), sum(listings)
		FROM marts.listings_by_category_country GROUP BY ALL`)
	if len(shownRows) != len(want) {
		t.Errorf("%d marketplace-country rows shown, SQL has %d", len(shownRows), len(want))
	}
	for _, r := range want {
		if got := shownRows[r[0]+"|"+r[1]]; len(got) == 0 {
			t.Errorf("%s %s not shown", r[0], r[1])
		} else {
			near(t, r[0]+" "+r[1], got[0], r[2], 0)
		}
	}
}

func checkPrices(t *testing.T, b *browser, db string) {
	shownRows := byKey(b.table(t, "price-index-table"), 1)
	want := query(t, db, `SELECT hs_chapter, arg_max(price_index, month), arg_max(listings, month) FROM marts.price_index_monthly GROUP BY 1`)
	if len(shownRows) != len(want) {
		t.Errorf("%d chapters shown, SQL has %d", len(shownRows), len(want))
	}
	for _, r := range want {
		got := shownRows[r[0]]
		if len(got) < 6 {
			t.Errorf("chapter %s not shown", r[0])
			continue
		}
		near(t, "HS "+r[0]+" index", got[3], r[1], 0.05)
		near(t, "HS "+r[0]+" listings", got[5], r[2], 0)
	}
}

func checkShipping(t *testing.T, b *browser, db string) {
	shownRows := byKey(b.table(t, "carriers-table"), 1)
	// The view sums the monthly mart; the all-time mart must agree.
	for _, r := range query(t, db, `SELECT carrier, sum(sailings), sum(arrived), sum(on_time), sum(on_time) / sum(arrived)
		FROM marts.route_performance GROUP BY 1`) {
		got := shownRows[r[0]]
		if len(got) != 4 {
			t.Errorf("carrier %s not shown", r[0])
			continue
		}
		for i, col := range []string{"sailings", "arrived", "on time"} {
			near(t, r[0]+" "+col, got[i], r[1+i], 0)
		}
		near(t, r[0]+" on-time share", got[3], r[4], 0.0005)
	}
	if _, ok := shownRows["PNSC"]; !ok {
		t.Error("PNSC is not beside the others")
	}
	cols := query(t, db, `SELECT string_agg(column_name, '|' ORDER BY ordinal_position) FROM information_schema.columns
		WHERE table_schema = 'marts' AND table_name = 'route_performance'`)[0][0]
	if got := strings.Join(b.heads(t, "routes-table"), "|"); got != cols {
		t.Errorf("routes table columns %s, the mart has %s", got, cols)
	}
	n := query(t, db, `SELECT count(*) FROM marts.route_performance`)[0][0]
	if got := len(b.table(t, "routes-table")); itoa(got) != n {
		t.Errorf("%d routes shown, the mart has %s", got, n)
	}
}

func checkFreight(t *testing.T, b *browser, db string) {
	shownRows := byKey(b.table(t, "freight-table"), 3)
	want := query(t, db, `SELECT origin, destination, equipment, arg_max(median_usd, month) FROM marts.freight_cost_monthly
		WHERE equipment = '40GP' GROUP BY ALL`)
	if len(shownRows) != len(want) {
		t.Errorf("%d lanes shown, SQL has %d", len(shownRows), len(want))
	}
	for _, r := range want {
		got := shownRows[strings.Join(r[:3], "|")]
		if len(got) != 6 {
			t.Errorf("lane %v not shown", r[:3])
			continue
		}
		near(t, r[0]+"-"+r[1]+" median", got[4], r[3], 0.5)
	}
}

func checkDestinations(t *testing.T, b *browser, db string) {
	shownRows := byKey(b.table(t, "destinations-table"), 1)
	for _, r := range query(t, db, `SELECT destination_country, sum(sailings), sum(arrived) FROM marts.exports_by_destination GROUP BY 1`) {
		got := shownRows[r[0]]
		if len(got) < 2 {
			t.Errorf("destination %s not shown", r[0])
			continue
		}
		near(t, r[0]+" sailings", got[0], r[1], 0)
		near(t, r[0]+" arrived", got[1], r[2], 0)
	}
}

func checkSellers(t *testing.T, b *browser, db string) {
	rows := b.table(t, "sellers-table")
	want := query(t, db, `SELECT strftime(month, '%Y-%m'), sum(new_sellers), sum(active_sellers), sum(total_sellers)
		FROM marts.seller_growth_monthly WHERE seller_country = 'PK' GROUP BY 1 ORDER BY 1`)
	if len(rows) != len(want) {
		t.Fatalf("%d months shown, SQL has %d", len(rows), len(want))
	}
	for i, r := range want {
		if rows[i][0] != r[0] {
			t.Fatalf("month %d shown as %s, want %s", i, rows[i][0], r[0])
		}
		for j := 1; j <= 3; j++ {
			near(t, r[0]+" sellers", rows[i][j], r[j], 0)
		}
	}
}

func checkRejects(t *testing.T, b *browser, db string) {
	counts := map[string]string{}
	for _, r := range query(t, db, `SELECT source, coalesce(code, ''), field, count(*) FROM meta.rejects GROUP BY ALL`) {
		counts[strings.Join(r[:3], "|")] = r[3]
	}
	reasons := b.table(t, "reasons-table")
	if len(reasons) == 0 {
		t.Fatal("no reject reasons shown")
	}
	for _, r := range reasons {
		key := r[0] + "|" + r[2] + "|" + r[3]
		want, ok := counts[key]
		if !ok {
			t.Errorf("reason %s shown but not in meta.rejects", key)
			continue
		}
		near(t, key, r[4], want, 0)
		if r[5] == "" && r[7] == "" {
			t.Errorf("reason %s has no example", key)
		}
	}
	total := 0.0
	for _, r := range b.table(t, "rejects-by-run-table") {
		total += shown(t, r[5])
	}
	if want := query(t, db, `SELECT count(*) FROM meta.rejects`)[0][0]; itoa(int(total)) != want {
		t.Errorf("rejected rows over runs shown as %v, meta.rejects has %s", total, want)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// markupTitle is a listing title that is also markup. Marketplaces send
// it escaped (escapedTitle), and the pipeline stores it decoded, as the text
// a shopper reads. markupPrice is a price that is not one and carries
// markup into meta.rejects.
const (
	markupTitle  = `<script>document.title='owned'</script><b>bold</b> towel`
	escapedTitle = `&lt;script&gt;document.title='owned'&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; towel`
	markupPrice  = `<img src=x onerror=document.title='owned'>`
)

// A title or a rejected value that holds markup is data: the page shows it
// as text, runs none of it, and the console stays clean.
func TestDashboardShowsMarkupAsText(t *testing.T) {
	b := newBrowser(t)
	n := newNights(t, "")
	n.mustNight("A,S1," + escapedTitle + ",home_textiles,US $10.00,100 Pieces,2025-01-02T00:00:00Z\n" +
		"B,S1,Bed sheet,home_textiles,US $20.00,10 Sets,2025-01-02T00:00:00Z\n" +
		"C,S1,Pillow,home_textiles," + markupPrice + ",10 Sets,2025-01-02T00:00:00Z\n")
	wantRows(t, "the stored title", n.rows(n.snapshot(), "SELECT title FROM core.listings WHERE listing_id = 'A'"), markupTitle)
	base := startDashboard(t, bin, "--db", n.snapshot())

	b.open(t, base+"/listings?country=")
	titles := b.table(t, "newest-table")
	if len(titles) == 0 || !containsRow(titles, 0, markupTitle) {
		t.Errorf("newest listings %v do not show the title %q as text", titles, markupTitle)
	}
	if got := eval[int](t, b, `document.querySelectorAll('main script, main b, main img').length`); got != 0 {
		t.Errorf("%d elements made from data", got)
	}
	b.screenshot(t, "markup-listings")

	b.open(t, base+"/rejects")
	reasons := b.table(t, "reasons-table")
	if !containsRow(reasons, 5, markupPrice) {
		t.Errorf("reject reasons %v do not show the raw value %q as text", reasons, markupPrice)
	}
	if got := eval[int](t, b, `document.querySelectorAll('main script, main b, main img').length`); got != 0 {
		t.Errorf("%d elements made from data", got)
	}
	if got := eval[string](t, b, `document.title`); strings.Contains(got, "owned") {
		t.Errorf("data ran as script: title %q", got)
	}
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
	b.screenshot(t, "markup-rejects")
}

func containsRow(rows [][]string, col int, want string) bool {
	for _, r := range rows {
		if col < len(r) && r[col] == want {
			return true
		}
	}
	return false
}

// The report opens from disk with its styles applied (its CSP admits its
// one inline stylesheet by hash), every chart drawn, and no console error.
func TestReportInBrowser(t *testing.T) {
	b := newBrowser(t)
	dir := t.TempDir()
	demoSnapshot(t, dir, "2000")
	out := filepath.Join(dir, "report.html")
	if _, stderr, code := cli(t, "report", "--db", filepath.Join(dir, "analytics.duckdb"), "--out", out); code != 0 {
		t.Fatalf("report exited %d:\n%s", code, stderr)
	}
	if err := chromedp.Do(b.ctx, chromedp.Navigate("file://"+out)); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](t, b, `document.styleSheets.length ? document.styleSheets[0].cssRules.length : 0`); n < 20 {
		t.Errorf("the report's stylesheet has %d rules in the browser: blocked?", n)
	}
	if got := eval[string](t, b, `getComputedStyle(document.querySelector('header')).backgroundColor`); got != "rgb(1, 105, 58)" {
		t.Errorf("the header's background is %s: the stylesheet did not apply", got)
	}
	if n := eval[int](t, b, `document.querySelectorAll('svg[role=img] title').length`); n < 15 {
		t.Errorf("%d titled charts in the report", n)
	}
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
	b.screenshot(t, "report")
}
