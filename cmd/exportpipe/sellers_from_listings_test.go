package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportpipe/exportpipe/pipeline"
)

// Issue 13: a listings file that names each record's seller loads the
// sellers from the same read (sellers: in the mapping), night after night:
// one sellers row per distinct seller, a seller whose profile changed is
// updated, a seller whose country is unusable is rejected under the
// listings source's name with its reason, and both steps' counts
// reconcile on their own lines.
func TestSellersFromListingRecordsAcrossNights(t *testing.T) {
	dir := t.TempDir()
	writePKRRates(t, dir)
	conf := writeConfig(t, dir, "", `pipeline: daraz_sellers
warehouse: {path: DIR/w.duckdb}
sources:
  - name: pkr_rates
    dataset: fx_rates
    kind: file
    file: {paths: [DIR/pkr.csv]}
  - name: daraz_crawl
    dataset: listings
    kind: file
    file:
      paths: [DIR/crawl.ndjson]
      fields:
        listing_id: sku
        seller_id: shop.id
        title: name
        category: cat
        price: price
        updated_at: seen
      constants: {marketplace: daraz.pk}
      sellers:
        seller_id: shop.id
        name: shop.name
        country: shop.country
`)
	night := func(body string) (string, string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "crawl.ndjson"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		out, stderr, code := cli(t, "run", "--config", conf)
		if code != pipeline.ExitOK {
			t.Fatalf("run: exit %d\n%s%s", code, out, stderr)
		}
		return out, stderr
	}
	db := filepath.Join(dir, "analytics.duckdb")

	// Night 1: five listings from two shops, one listing without a shop.
	// The product's own "name" key is not the seller's name.
	out, _ := night(`{"sku":"1","name":"Lawn suit","cat":"apparel","price":"Rs. 2,499","seen":"2026-12-01T02:00:00Z","shop":{"id":"S1","name":"Gul Ahmed Outlet","country":"Pakistan"}}
{"sku":"2","name":"Bedsheet","cat":"home_textiles","price":"Rs. 3,100","seen":"2026-12-01T02:00:00Z","shop":{"id":"S1","name":"Gul Ahmed Outlet","country":"Pakistan"}}
{"sku":"3","name":"Football","cat":"sports_goods","price":"Rs. 1,850","seen":"2026-12-01T02:00:00Z","shop":{"id":"S2","name":"Sialkot Sports","country":"PK"}}
{"sku":"4","name":"Gloves","cat":"sports_goods","price":"Rs. 900","seen":"2026-12-01T02:00:00Z","shop":{"id":"S2","name":"Sialkot Sports","country":"PK"}}
{"sku":"5","name":"Towel","cat":"home_textiles","price":"Rs. 650","seen":"2026-12-01T02:00:00Z"}
`)
	for _, line := range []string{"listings          5       5         0           0  true", "sellers           2       2         0           0  true", "fx_rates          1       1         0           0  true"} {
		if !strings.Contains(out, line) {
			t.Errorf("night 1 summary lacks %q:\n%s", line, out)
		}
	}
	sellers := func() string {
		rows := query(t, db, `SELECT seller_id, name, country FROM core.sellers ORDER BY seller_id`)
		var s []string
		for _, r := range rows {
			s = append(s, strings.Join(r, "|"))
		}
		return strings.Join(s, "; ")
	}
	if got, want := sellers(), "S1|Gul Ahmed Outlet|PK; S2|Sialkot Sports|PK"; got != want {
		t.Errorf("night 1 core.sellers = %s, want %s", got, want)
	}
	byCountry := query(t, db, `SELECT seller_country, sum(listings) FROM marts.listings_by_category_country GROUP BY ALL ORDER BY 1 NULLS LAST`)
	if len(byCountry) != 2 || strings.Join(byCountry[0], "|") != "PK|4" {
		t.Errorf("night 1 listings by seller country = %v, want PK 4 and the shopless one unknown", byCountry)
	}

	// Night 2: S2 moved (a newer listing shows its new profile), S1's
	// country is unreadable on its one record: that seller is rejected,
	// named by the listings source, and its stored row stays as it was.
	out, _ = night(`{"sku":"1","name":"Lawn suit","cat":"apparel","price":"Rs. 2,399","seen":"2026-12-02T02:00:00Z","shop":{"id":"S1","name":"Gul Ahmed Outlet","country":"Atlantis"}}
{"sku":"3","name":"Football","cat":"sports_goods","price":"Rs. 1,850","seen":"2026-12-02T02:00:00Z","shop":{"id":"S2","name":"Sialkot Sports Intl","country":"AE"}}
`)
	if !strings.Contains(out, "sellers           2       1         1           0  true") {
		t.Errorf("night 2 summary: want 2 sellers named, 1 loaded, 1 rejected:\n%s", out)
	}
	if got, want := sellers(), "S1|Gul Ahmed Outlet|PK; S2|Sialkot Sports Intl|AE"; got != want {
		t.Errorf("night 2 core.sellers = %s, want %s", got, want)
	}
	rej := query(t, db, `SELECT source, field, reason LIKE '%Atlantis%' FROM meta.rejects WHERE dataset = 'sellers'`)
	if len(rej) != 1 || strings.Join(rej[0], "|") != "daraz_crawl|country|true" {
		t.Errorf("meta.rejects for sellers = %v, want the Atlantis seller under daraz_crawl", rej)
	}
	steps := query(t, db, `SELECT dataset, extracted, loaded + rejected + duplicates FROM meta.run_steps
		WHERE run_id = (SELECT max(run_id) FROM meta.runs) ORDER BY dataset`)
	for _, s := range steps {
		if s[1] != s[2] {
			t.Errorf("meta.run_steps %s: extracted %s, loaded+rejected+duplicates %s", s[0], s[1], s[2])
		}
	}
}

// A sellers: mapping whose seller_id path matches nothing would load the
// listings and quietly no sellers; the run fails instead, naming the
// source and what to check, and loads nothing.
func TestSellersMappingThatFindsNoSellerFailsTheNight(t *testing.T) {
	dir := t.TempDir()
	writePKRRates(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "crawl.ndjson"), []byte(`{"sku":"1","cat":"apparel","price":"Rs. 2,499","seen":"2026-12-01T02:00:00Z","shop":{"id":"S1","country":"PK"}}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	conf := writeConfig(t, dir, "", `pipeline: daraz_sellers
warehouse: {path: DIR/w.duckdb}
sources:
  - name: pkr_rates
    dataset: fx_rates
    kind: file
    file: {paths: [DIR/pkr.csv]}
  - name: daraz_crawl
    dataset: listings
    kind: file
    file:
      paths: [DIR/crawl.ndjson]
      fields: {listing_id: sku, category: cat, updated_at: seen}
      constants: {marketplace: daraz.pk}
      sellers: {seller_id: seller.id, country: shop.country}
`)
	out, stderr, code := cli(t, "run", "--config", conf)
	if code != pipeline.ExitDataTests || !strings.Contains(stderr, "source daraz_crawl named no seller in any of its 1 listing records: check sellers.seller_id") {
		t.Fatalf("run: exit %d, want 5 naming the sellers mapping\n%s%s", code, out, stderr)
	}
	if n := query(t, filepath.Join(dir, "w.duckdb"), `SELECT count(*) FROM core.listings`); n[0][0] != "0" {
		t.Errorf("core.listings has %s rows after the failed night, want 0", n[0][0])
	}
}

func writePKRRates(t *testing.T, dir string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "pkr.csv"), []byte("date,currency,units_per_usd\n2026-11-30,PKR,280.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}
