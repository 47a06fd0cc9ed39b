package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportpipe/exportpipe/pipeline"
)

// Issue 13: a marketplace the pipeline does not know loads through
// configuration alone. The config adds amazon.in with INR, maps the
// category from the first element of an array (cats.0) of NDJSON records
// and the seller from a nested object, and an fx_rates file source gives
// INR its rate. Records without a seller load with a NULL seller; a record
// with an empty cats array has no category and follows unknown_category.
func TestConfiguredMarketplaceLoadsByConfigAlone(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"amazon-in.ndjson": `{"asin":"B0CX7Q1B2R","title":"Cotton Double Bedsheet","cats":["Home Textiles","Bedsheets"],"price":"₹1,299","mrp":"₹2,499","discount":"-48%","seller":{"id":"A2KX9JHQ0L3M1P"},"scraped_at":"2026-11-20T04:10:00Z"}
{"asin":"B0D4L8M2TQ","title":"Rayon Anarkali Kurta","cats":["Clothing & Accessories","Women"],"price":"Rs. 899","seller":{"id":"A9QW2ER4TY6U8I"},"scraped_at":"2026-11-20T04:11:00Z"}
{"asin":"B0B9N1K7XC","title":"English Willow Cricket Bat","cats":["Sports, Fitness & Outdoors"],"price":"4,150","scraped_at":"2026-11-20T04:12:00Z"}
{"asin":"B0C5T2V8WQ","title":"Pressure Cooker, 5 L","cats":[],"price":"₹2,349","seller":{"id":"A1B2C3D4E5F6G7"},"scraped_at":"2026-11-20T04:13:00Z"}
`,
		"inr.csv": "date,currency,units_per_usd\n2026-11-19,INR,88.5\n2026-11-20,INR,88.6\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const sources = `sources:
  - name: inr_rates
    dataset: fx_rates
    kind: file
    file: {paths: [DIR/inr.csv]}
  - name: amazon_in
    dataset: listings
    kind: file
    file:
      paths: [DIR/amazon-in.ndjson]
      fields:
        listing_id: asin
        seller_id: seller.id
        category: cats.0
        list_price: mrp
        updated_at: scraped_at
      constants: {marketplace: amazon.in}
`
	// Without the marketplace the config is refused on the line that names
	// it, before anything runs: not one reject per record, every night.
	bare := writeConfig(t, dir, "", "pipeline: amazon\nwarehouse: {path: DIR/w.duckdb}\n"+sources)
	_, stderr, code := cli(t, "validate", "--config", bare)
	if code != pipeline.ExitConfig || !strings.Contains(stderr, `[19:32] sources[1].file.constants.marketplace "amazon.in": not a marketplace the pipeline knows`) {
		t.Errorf("validate without marketplaces: exit %d, want 3 naming line 19:\n%s", code, stderr)
	}
	if _, stderr, code := cli(t, "run", "--config", bare); code != pipeline.ExitConfig {
		t.Errorf("run without marketplaces: exit %d, want 3:\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "w.duckdb")); err == nil {
		t.Errorf("the warehouse was created although the config is unusable")
	}

	conf := writeConfig(t, dir, "", `pipeline: amazon
warehouse: {path: DIR/w.duckdb}
marketplaces:
  amazon.in: {currency: INR, country: IN}
normalise:
  unknown_category: other
  categories: {Clothing & Accessories: apparel, "Sports, Fitness & Outdoors": sports_goods}
`+sources)
	out, stderr, code := cli(t, "run", "--config", conf)
	if code != pipeline.ExitOK {
		t.Fatalf("run: exit %d\n%s%s", code, out, stderr)
	}
	snap := filepath.Join(dir, "analytics.duckdb")
	got := query(t, snap, `SELECT listing_id, marketplace, coalesce(seller_id, '(none)'), category, currency, price_min,
		round(price_min_usd, 4), coalesce(CAST(CAST(list_price AS BIGINT) AS VARCHAR), '-')
		FROM core.current_listings ORDER BY listing_id`)
	want := [][]string{
		{"B0B9N1K7XC", "amazon.in", "(none)", "sports_goods", "INR", "4150", "46.8397", "-"},  // bare amount: the marketplace's currency
		{"B0C5T2V8WQ", "amazon.in", "A1B2C3D4E5F6G7", "other", "INR", "2349", "26.5124", "-"}, // empty cats: no category, so other
		{"B0CX7Q1B2R", "amazon.in", "A2KX9JHQ0L3M1P", "home_textiles", "INR", "1299", "14.6614", "2499"},
		{"B0D4L8M2TQ", "amazon.in", "A9QW2ER4TY6U8I", "apparel", "INR", "899", "10.1467", "-"}, // "Rs." is INR on amazon.in
	}
	if len(got) != len(want) {
		t.Fatalf("core.current_listings = %v, want %v", got, want)
	}
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("listing %d = %v, want %v", i, got[i], want[i])
		}
	}
	countries := query(t, snap, `SELECT coalesce(seller_country, '(unknown)'), sum(listings) FROM marts.listings_by_category_country
		WHERE marketplace = 'amazon.in' GROUP BY ALL`)
	if len(countries) != 1 || countries[0][0] != "(unknown)" || countries[0][1] != "4" {
		t.Errorf("amazon.in listings by seller country = %v, want all 4 under an unknown country (no sellers source)", countries)
	}
	if !strings.Contains(stderr, `"msg":"listings without a category: stored as other (normalise.unknown_category: other)","source":"amazon_in"`) {
		t.Errorf("the listing without a category was not logged:\n%s", stderr)
	}
}

// Carriers a config adds load; an unknown one is kept under its own name
// with unknown_carrier: keep, and logged once.
func TestConfiguredCarriersLoad(t *testing.T) {
	dir := t.TempDir()
	sailings := "sailing_id,carrier,vessel,origin,destination,etd,eta,ata,updated_at\n" +
		"S1,SEALEAD,Sea Lion,PKKHI,AEJEA,2026-10-01T00:00:00Z,2026-10-05T00:00:00Z,2026-10-05T06:00:00Z,2026-10-06T00:00:00Z\n" +
		"S2,CAMN,Crowley Endurance,PKBQM,AEJEA,2026-10-02T00:00:00Z,2026-10-06T00:00:00Z,,2026-10-06T00:00:00Z\n" +
		"S3,Black Pearl  Line,Interceptor,PKKHI,OMSLL,2026-10-03T00:00:00Z,2026-10-08T00:00:00Z,,2026-10-06T00:00:00Z\n" +
		"S4,Black Pearl Line,Dauntless,PKKHI,OMSLL,2026-10-04T00:00:00Z,2026-10-09T00:00:00Z,,2026-10-06T00:00:00Z\n"
	if err := os.WriteFile(filepath.Join(dir, "sailings.csv"), []byte(sailings), 0o644); err != nil {
		t.Fatal(err)
	}
	conf := writeConfig(t, dir, "", `pipeline: carriers
warehouse: {path: DIR/w.duckdb}
carriers:
  - {name: Sea Lead Shipping, aliases: [SeaLead]}
  - {name: Crowley, scac: [CAMN]}
normalise: {unknown_carrier: keep}
sources:
  - name: schedules
    dataset: sailings
    kind: file
    file: {paths: [DIR/sailings.csv]}
`)
	out, stderr, code := cli(t, "run", "--config", conf)
	if code != pipeline.ExitOK {
		t.Fatalf("run: exit %d\n%s%s", code, out, stderr)
	}
	got := query(t, filepath.Join(dir, "analytics.duckdb"), "SELECT string_agg(sailing_id || '=' || carrier, ', ' ORDER BY sailing_id) FROM core.sailings")
	if want := "S1=Sea Lead Shipping, S2=Crowley, S3=Black Pearl Line, S4=Black Pearl Line"; got[0][0] != want {
		t.Errorf("carriers = %s, want %s", got[0][0], want)
	}
	if n := strings.Count(stderr, `"msg":"carrier not known: stored under its own name","source":"schedules","carrier":"Black Pearl Line"`); n != 1 {
		t.Errorf("the kept carrier was logged %d times, want once:\n%s", n, stderr)
	}
}

// A reference FX file that yields no rate stops the run with exit 3 and
// names the file (issue 13 item 7: a Fed H.10-style file of a country the
// loader does not know used to load nothing quietly, and every price was
// then rejected as no_fx_rate).
func TestReferenceFXFileWithoutRatesIsConfigError(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pkr.csv"), []byte("Date,Country,Exchange rate\n2026-10-01,Pakistan,281.2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "listings.csv"), []byte(listingsHeader+"A,S1,Towel,home_textiles,Rs 2900,100 Pieces,2026-10-02T00:00:00Z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	conf := writeConfig(t, dir, "", `pipeline: fx
warehouse: {path: DIR/w.duckdb}
normalise:
  reference:
    fx: [{layout: fed_h10, path: DIR/pkr.csv}]
sources:
  - name: shop
    dataset: listings
    kind: file
    file: {paths: [DIR/listings.csv], constants: {marketplace: daraz.pk}}
`)
	_, stderr, code := cli(t, "run", "--config", conf)
	if code != pipeline.ExitConfig || !strings.Contains(stderr, filepath.Join(dir, "pkr.csv")) || !strings.Contains(stderr, `Country "Pakistan" is no series`) {
		t.Errorf("exit %d, want 3 naming the file and the unknown series:\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "w.duckdb")); err == nil {
		t.Errorf("the warehouse was created although the reference file is unusable")
	}
}

// The example the README shows runs as it is, and its preview prints what
// the README says it prints.
func TestAmazonInExample(t *testing.T) {
	t.Chdir("../..")
	t.Setenv("EXPORTPIPE_DATA", t.TempDir())
	const conf = "configs/examples/amazon-in-ndjson.yaml"
	out, stderr, code := cli(t, "preview", "--config", conf, "--source", "amazon_in_listings", "-n", "3")
	if code != pipeline.ExitOK {
		t.Fatalf("preview: exit %d\n%s%s", code, out, stderr)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	shown := "$ exportpipe preview --config " + conf + " --source amazon_in_listings -n 3\n" + out
	if !strings.Contains(string(readme), shown) {
		t.Errorf("README does not show the preview as it is now; it prints:\n%s", shown)
	}
	out, stderr, code = cli(t, "run", "--config", conf)
	if code != pipeline.ExitOK || !strings.Contains(out, "listings          6       5         1           0  true") {
		t.Errorf("run: exit %d, want 0 with 5 of 6 listings loaded\n%s%s", code, out, stderr)
	}
}

// validate and run refuse the same marketplace, carrier and reference-file
// problems, each reported on its line with its key path (the cases of
// validate_parity_test.go, for the keys of issue 13).
func TestValidateAgreesOnMarketplacesCarriersAndReferenceFiles(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"marketplaces", `pipeline: parity
warehouse: {path: DIR/w.duckdb}
marketplaces:
  daraz.pk: {currency: USD}
  amazon.de: {currency: eur}
sources:
  - name: sellers_csv
    dataset: sellers
    kind: file
    file:
      paths: [DIR/sellers.csv]
      constants: {marketplace: amazon.in}
`, []string{`marketplaces["daraz.pk"]: daraz.pk is built in`, `marketplaces["amazon.de"]: currency "eur"`,
			`sources[0].file.constants.marketplace "amazon.in": not a marketplace the pipeline knows`}},
		{"carriers", `pipeline: parity
warehouse: {path: DIR/w.duckdb}
carriers:
  - {name: Black Pearl Line, scac: [bplu], aliases: [ESL]}
normalise: {unknown_carrier: drop}
sources:
  - name: sellers_csv
    dataset: sellers
    kind: file
    file: {paths: [DIR/sellers.csv]}
`, []string{`carriers[0].scac[0] "bplu"`, `carriers[0].aliases[0]: "ESL" is already a spelling of Emirates Shipping Line`,
			`normalise.unknown_carrier "drop"`}},
		{"a reference file that yields nothing", `pipeline: parity
warehouse: {path: DIR/w.duckdb}
normalise:
  reference:
    fx: [{layout: fed_h10, path: DIR/pkr.csv}]
sources:
  - name: sellers_csv
    dataset: sellers
    kind: file
    file: {paths: [DIR/sellers.csv]}
`, []string{`normalise.reference.fx: reference file DIR/pkr.csv (fx fed_h10): no usable rows: Country "Pakistan" is no series`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := writeSellers(dir); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "pkr.csv"), []byte("Date,Country,Exchange rate\n2026-10-01,Pakistan,281.2\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg := writeConfig(t, dir, "", c.yaml)
			want := make([]string, len(c.want))
			for i, w := range c.want {
				want[i] = strings.ReplaceAll(w, "DIR", dir)
			}
			_, verr, vcode := cli(t, "validate", "--config", cfg)
			_, rerr, rcode := cli(t, "run", "--config", cfg)
			if vcode != pipeline.ExitConfig || rcode != pipeline.ExitConfig {
				t.Fatalf("validate exit %d, run exit %d; want both 3\nvalidate: %s\nrun: %s", vcode, rcode, verr, rerr)
			}
			checkReport(t, "validate", verr, want)
			checkReport(t, "run", rerr, want)
			if _, err := os.Stat(filepath.Join(dir, "w.duckdb")); err == nil {
				t.Errorf("run created the warehouse although the config is refused")
			}
		})
	}
}
