package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportpipe/exportpipe/pipeline"
)

// These tests run the CLI night after night over a file source whose
// content changes between nights, the way real marketplaces change, and
// check what an analyst sees after each night.

const nightsConfig = `pipeline: nights
warehouse:
  path: DIR/w.duckdb
  keep_exports: 1
sources:
  - name: shop
    dataset: listings
    kind: file
EXTRA    file:
      paths: [DIR/listings.csv]
      constants: {marketplace: alibaba.com}
`

const listingsHeader = "listing_id,seller_id,title,category,price,moq,updated_at\n"

// nights is a warehouse fed by one listings file, run once per night.
type nights struct {
	t    *testing.T
	dir  string
	conf string
}

func newNights(t *testing.T, sourceExtra string) *nights {
	dir := t.TempDir()
	body := strings.Replace(nightsConfig, "EXTRA", sourceExtra, 1)
	return &nights{t: t, dir: dir, conf: writeConfig(t, dir, "", body)}
}

// night writes the night's listings file and runs; it returns the exit
// code and stderr.
func (n *nights) night(rows string, args ...string) (int, string) {
	n.t.Helper()
	if err := os.WriteFile(filepath.Join(n.dir, "listings.csv"), []byte(listingsHeader+rows), 0o644); err != nil {
		n.t.Fatal(err)
	}
	out, stderr, code := cli(n.t, append([]string{"run", "--config", n.conf}, args...)...)
	return code, out + stderr
}

// mustNight runs a night that must succeed.
func (n *nights) mustNight(rows string, args ...string) {
	n.t.Helper()
	if code, out := n.night(rows, args...); code != pipeline.ExitOK {
		n.t.Fatalf("night exited %d, want 0:\n%s", code, out)
	}
}

func (n *nights) snapshot() string { return filepath.Join(n.dir, "analytics.duckdb") }
func (n *nights) working() string  { return filepath.Join(n.dir, "w.duckdb") }

// rows renders a query's rows as "a|b" lines.
func (n *nights) rows(db, q string) []string {
	n.t.Helper()
	var out []string
	for _, r := range query(n.t, db, q) {
		out = append(out, strings.Join(r, "|"))
	}
	return out
}

func wantRows(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s =\n%s\nwant\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A source that corrects a price without changing updated_at (real APIs
// do) used to add a second price-history row for the same valid_from: the
// error-level test history_keys_unique failed that night and, the rows
// being committed, every night after it.
func TestCorrectionWithoutNewTimestampDoesNotBlockLaterNights(t *testing.T) {
	n := newNights(t, "")
	n.mustNight("A,S1,Cotton towel,home_textiles,US $10.00,100 Pieces,2025-01-02T00:00:00Z\n" +
		"B,S1,Bed sheet,home_textiles,US $20.00,10 Sets,2025-01-02T00:00:00Z\n")
	corrected := "A,S1,Cotton towel,home_textiles,US $12.00,100 Pieces,2025-01-02T00:00:00Z\n" +
		"B,S1,Bed sheet,home_textiles,US $20.00,10 Sets,2025-01-02T00:00:00Z\n"
	n.mustNight(corrected)
	wantRows(t, "core after the correction", n.rows(n.snapshot(), "SELECT listing_id, price_min FROM core.listings ORDER BY 1"),
		"A|12", "B|20")
	wantRows(t, "price history after the correction", n.rows(n.snapshot(),
		"SELECT listing_id, price_min, valid_to IS NULL FROM core.listing_price_history ORDER BY 1, valid_from"),
		"A|12|true", "B|20|true")
	n.mustNight(corrected)
	wantRows(t, "error-level data tests failed over three nights", n.rows(n.snapshot(),
		"SELECT count(*) FROM meta.data_tests WHERE NOT passed AND severity = 'error'"), "0")
}

// A night whose every listing is rejected used to load nothing and exit 0.
// It now fails like an error-level data test: exit 5, the source named
// with its reasons, the previous snapshot kept, nothing loaded, and the
// rejects recorded in the working warehouse. --allow-rejects loads such a
// night on purpose.
func TestNightThatLoadsNothingFailsAndKeepsTheSnapshot(t *testing.T) {
	n := newNights(t, "")
	n.mustNight("A,S1,Cotton towel,home_textiles,US $10.00,100 Pieces,2025-01-02T00:00:00Z\n")
	published := n.rows(n.snapshot(), "SELECT max(run_id) FROM meta.runs")

	bad := "A,S1,Cotton towel,home_textiles,Price on request,100 Pieces,2025-01-03T00:00:00Z\n" +
		"B,S1,Bed sheet,home_textiles,Ask seller,10 Sets,2025-01-03T00:00:00Z\n"
	code, out := n.night(bad)
	if code != pipeline.ExitDataTests {
		t.Fatalf("all-rejected night exited %d, want %d:\n%s", code, pipeline.ExitDataTests, out)
	}
	for _, want := range []string{"source shop", "loaded 0 of 2", "unparseable 2", "--allow-rejects"} {
		if !strings.Contains(out, want) {
			t.Errorf("failure does not say %q:\n%s", want, out)
		}
	}
	wantRows(t, "the snapshot's last run", n.rows(n.snapshot(), "SELECT max(run_id) FROM meta.runs"), published...)
	wantRows(t, "core after the failed night", n.rows(n.working(),
		"SELECT listing_id, price_min, withdrawn_at IS NULL FROM core.listings"), "A|10|true")
	wantRows(t, "the failed night's record", n.rows(n.working(),
		"SELECT r.status, (SELECT count(*) FROM meta.rejects AS j WHERE j.run_id = r.run_id) FROM meta.runs AS r ORDER BY r.run_id"),
		"ok|0", "failed|2")

	n.mustNight(bad, "--allow-rejects")
	wantRows(t, "core after --allow-rejects", n.rows(n.snapshot(),
		"SELECT listing_id, price_min, withdrawn_at IS NOT NULL FROM core.listings"), "A|10|true")
}

// Past the source's max_reject_share the night fails too, naming the share.
func TestRejectShareOverTheSourceLimitFails(t *testing.T) {
	n := newNights(t, "    max_reject_share: 0.2\n")
	rows := "A,S1,Cotton towel,home_textiles,US $10.00,100 Pieces,2025-01-02T00:00:00Z\n" +
		"B,S1,Bed sheet,home_textiles,US $20.00,10 Sets,2025-01-02T00:00:00Z\n" +
		"C,S1,Quilt,home_textiles,Price on request,1 Piece,2025-01-02T00:00:00Z\n"
	code, out := n.night(rows)
	if code != pipeline.ExitDataTests || !strings.Contains(out, "rejected 1 of 3 records (33.3%, over max_reject_share 0.2") {
		t.Fatalf("exit %d, want %d naming the share:\n%s", code, pipeline.ExitDataTests, out)
	}
	if _, err := os.Stat(n.snapshot()); !os.IsNotExist(err) {
		t.Errorf("a first night that failed published a snapshot (%v)", err)
	}
}

// When a listing's newest version is unusable, an older version with a
// price used to be loaded as if current. Now core keeps the last good
// state marked withdrawn, the marts leave it out, its current price is
// closed in the history, and a later usable version makes it current again.
func TestNewestUnusableVersionWithdrawsTheListing(t *testing.T) {
	n := newNights(t, "")
	n.mustNight("A,S1,Cotton towel,home_textiles,US $10.00,100 Pieces,2025-01-02T00:00:00Z\n" +
		"A,S1,Cotton towel,home_textiles,Price on request,100 Pieces,2025-01-05T00:00:00Z\n" +
		"B,S1,Bed sheet,home_textiles,US $20.00,10 Sets,2025-01-02T00:00:00Z\n")
	wantRows(t, "core", n.rows(n.snapshot(),
		"SELECT listing_id, price_min, strftime(withdrawn_at, '%Y-%m-%d'), withdrawn_reason LIKE '[unparseable]%' FROM core.listings ORDER BY 1"),
		"A|10|2025-01-05|true", "B|20|NULL|NULL")
	wantRows(t, "current listings", n.rows(n.snapshot(), "SELECT listing_id FROM core.current_listings"), "B")
	wantRows(t, "listings counted by the marts", n.rows(n.snapshot(), "SELECT sum(listings) FROM marts.category_share"), "1")
	wantRows(t, "A's price history", n.rows(n.snapshot(),
		"SELECT price_min, strftime(valid_to, '%Y-%m-%d') FROM core.listing_price_history WHERE listing_id = 'A'"), "10|2025-01-05")

	n.mustNight("A,S1,Cotton towel,home_textiles,US $11.00,100 Pieces,2025-01-07T00:00:00Z\n" +
		"B,S1,Bed sheet,home_textiles,US $20.00,10 Sets,2025-01-02T00:00:00Z\n")
	wantRows(t, "core after a usable version", n.rows(n.snapshot(),
		"SELECT listing_id, price_min, withdrawn_at IS NULL FROM core.listings ORDER BY 1"), "A|11|true", "B|20|true")
	wantRows(t, "A's price history after a usable version", n.rows(n.snapshot(),
		"SELECT price_min, strftime(valid_from, '%Y-%m-%d'), coalesce(strftime(valid_to, '%Y-%m-%d'), 'open') FROM core.listing_price_history WHERE listing_id = 'A' ORDER BY valid_from"),
		"10|2025-01-02|2025-01-05", "11|2025-01-07|open")
}

// A source that returns its whole catalogue says so; a listing it stops
// returning leaves the marts, and comes back when the source lists it
// again. A night that would delist most of the catalogue looks like a
// truncated download, not a market, and fails.
func TestDelistMissingListings(t *testing.T) {
	n := newNights(t, "    delist_missing: true\n")
	a := "A,S1,Cotton towel,home_textiles,US $10.00,100 Pieces,2025-01-02T00:00:00Z\n"
	b := "B,S1,Bed sheet,home_textiles,US $20.00,10 Sets,2025-01-02T00:00:00Z\n"
	c := "C,S1,Quilt,home_textiles,US $30.00,1 Piece,2025-01-02T00:00:00Z\n"
	count := "SELECT sum(listings) FROM marts.category_share"

	n.mustNight(a + b + c)
	wantRows(t, "listings after night 1", n.rows(n.snapshot(), count), "3")

	n.mustNight(a + b)
	wantRows(t, "delisted after night 2", n.rows(n.snapshot(),
		"SELECT listing_id FROM core.listings WHERE delisted_at IS NOT NULL"), "C")
	wantRows(t, "listings after night 2", n.rows(n.snapshot(), count), "2")
	wantRows(t, "night 2 in meta.run_steps", n.rows(n.snapshot(),
		"SELECT delisted, relisted FROM meta.run_steps WHERE dataset = 'listings' ORDER BY run_id DESC LIMIT 1"), "1|0")

	n.mustNight(a + b + c)
	wantRows(t, "listings after night 3", n.rows(n.snapshot(), count), "3")
	wantRows(t, "night 3 in meta.run_steps", n.rows(n.snapshot(),
		"SELECT delisted, relisted FROM meta.run_steps WHERE dataset = 'listings' ORDER BY run_id DESC LIMIT 1"), "0|1")

	code, out := n.night(a)
	if code != pipeline.ExitDataTests || !strings.Contains(out, "would delist 2 of its 3 current listings") {
		t.Fatalf("night delisting 2 of 3: exit %d, want %d with the share:\n%s", code, pipeline.ExitDataTests, out)
	}
	code, out = n.night("")
	if code != pipeline.ExitDataTests || !strings.Contains(out, "returned no records") {
		t.Fatalf("empty catalogue: exit %d, want %d:\n%s", code, pipeline.ExitDataTests, out)
	}
	wantRows(t, "listings after two refused nights", n.rows(n.snapshot(), count), "3")
}

// delist_missing on a source that only sees changes is a config error.
func TestDelistMissingNeedsTheWholeCatalogue(t *testing.T) {
	dir := t.TempDir()
	conf := writeConfig(t, dir, "http://127.0.0.1:1", `pipeline: p
warehouse: {path: DIR/w.duckdb}
sources:
  - name: api
    dataset: listings
    kind: http_json
    delist_missing: true
    max_reject_share: 1.5
    http:
      url: URL/listings
      incremental: {field: updated_at, param: updated_since}
`)
	_, stderr, code := cli(t, "validate", "--config", conf)
	if code != pipeline.ExitConfig {
		t.Fatalf("validate exit %d, want %d:\n%s", code, pipeline.ExitConfig, stderr)
	}
	for _, want := range []string{"delist_missing: the source is incremental", "max_reject_share 1.5: want a share between 0 and 1"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("validate does not say %q:\n%s", want, stderr)
		}
	}
}

// Fields with no canonical column (brand, rating, URL) are kept when a
// source names them in keep:, as one JSON object per listing that SQL can
// read; keep: ["*"] keeps every field no mapping reads.
func TestKeptFieldsLandInAttributes(t *testing.T) {
	dir := t.TempDir()
	rows := `{"id":"A","seller":"S1","title":"Towel","cats":["home_textiles","bath"],"price":"US $10.00","updated_at":"2025-01-02T00:00:00Z","brandName":"Gul Ahmed","ratingScore":4.5,"url":"https://example.test/a"}` + "\n" +
		`{"id":"B","seller":"S1","title":"Sheet","cats":["home_textiles"],"price":"US $20.00","updated_at":"2025-01-02T00:00:00Z"}` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "listings.ndjson"), []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ keep, wantA string }{
		{`[brandName, ratingScore]`, `{"brandName":"Gul Ahmed","ratingScore":"4.5"}`},
		{`["*"]`, `{"brandName":"Gul Ahmed","ratingScore":"4.5","url":"https://example.test/a"}`},
	} {
		conf := writeConfig(t, dir, "", `pipeline: keep
warehouse: {path: DIR/w.duckdb}
sources:
  - name: shop
    dataset: listings
    kind: file
    file:
      paths: [DIR/listings.ndjson]
      fields: {listing_id: id, seller_id: seller, category: cats.0}
      constants: {marketplace: alibaba.com}
      keep: `+tc.keep+`
`)
		if out, stderr, code := cli(t, "run", "--config", conf); code != pipeline.ExitOK {
			t.Fatalf("keep %s: exit %d\n%s%s", tc.keep, code, out, stderr)
		}
		snap := filepath.Join(dir, "analytics.duckdb")
		got := query(t, snap, "SELECT listing_id, category, coalesce(attributes, 'NULL'), coalesce(json_extract_string(attributes, '$.brandName'), '-') FROM core.listings ORDER BY 1")
		want := [][]string{{"A", "home_textiles", tc.wantA, "Gul Ahmed"}, {"B", "home_textiles", "NULL", "-"}}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("keep %s: listings = %v, want %v", tc.keep, got, want)
		}
	}
}
