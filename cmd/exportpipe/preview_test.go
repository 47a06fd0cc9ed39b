package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportpipe/exportpipe/pipeline"
)

// preview shows the first records as sent and as they would load, or why
// they would not, converting with the config's FX sources, and never
// opens the warehouse.
func TestPreviewShowsRecordsRawAndNormalised(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"listings.csv": listingsHeader +
			"A,S1,Cotton towel,home_textiles,Rs 2900,100 Pieces,2025-01-02T00:00:00Z\n" +
			"B,S1,Bed sheet,home_textiles,Price on request,10 Sets,2025-01-02T00:00:00Z\n" +
			"C,S1,Quilt,home_textiles,US $30.00,1 Piece,2025-01-02T00:00:00Z\n",
		"fx.csv": "date,currency,units_per_usd\n2025-01-01,PKR,290\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	conf := writeConfig(t, dir, "", `pipeline: p
warehouse: {path: DIR/w.duckdb}
sources:
  - name: rates
    dataset: fx_rates
    kind: file
    file: {paths: [DIR/fx.csv]}
  - name: shop
    dataset: listings
    kind: file
    file:
      paths: [DIR/listings.csv]
      constants: {marketplace: daraz.pk}
`)
	out, stderr, code := cli(t, "preview", "--config", conf, "--source", "shop", "-n", "2")
	if code != pipeline.ExitOK {
		t.Fatalf("exit %d:\n%s%s", code, out, stderr)
	}
	for _, want := range []string{
		`#1  raw  {"listing_id":"A"`,
		"    currency           PKR\n",
		"    price_min_usd      10\n",
		`#2  raw  {"listing_id":"B"`,
		`    REJECTED (price) [unparseable] price "Price on request"`,
		"shop (listings): 2 records shown, 1 would load, 1 would be rejected (unparseable 1)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("preview lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "#3") {
		t.Errorf("preview showed more than -n 2 records:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "w.duckdb")); !os.IsNotExist(err) {
		t.Errorf("preview touched the warehouse (%v)", err)
	}

	_, stderr, code = cli(t, "preview", "--config", conf, "--source", "nope")
	if code != pipeline.ExitUsage || !strings.Contains(stderr, "it has rates, shop") {
		t.Errorf("unknown source: exit %d, want %d naming the sources:\n%s", code, pipeline.ExitUsage, stderr)
	}
}
