package pipeline_test

import (
	"strings"
	"testing"

	_ "github.com/exportpipe/exportpipe/extractors" // the built-in source kinds
	"github.com/exportpipe/exportpipe/pipeline"
)

// A config adds marketplaces beside the built-in ones; a source may then
// name them in its constants, and the run's set knows both kinds.
func TestMarketplacesConfigAddsBesideBuiltins(t *testing.T) {
	t.Parallel()
	src := `warehouse: {path: w.duckdb}
marketplaces:
  amazon.in: {currency: INR, country: IN}
  etsy.com: {currency: USD}
sources:
  - name: amazon_in
    dataset: listings
    kind: file
    file:
      paths: [l.ndjson]
      constants: {marketplace: amazon.in}
  - name: etsy_sellers
    dataset: sellers
    kind: http_json
    http:
      url: https://api.example/sellers
      defaults: {marketplace: " etsy.com "}
`
	c, err := pipeline.ParseConfig([]byte(src), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	set, err := c.MarketplaceSet()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]pipeline.Marketplace{
		"amazon.in":    {Name: "amazon.in", Currency: "INR", Country: "IN"},
		"etsy.com":     {Name: "etsy.com", Currency: "USD"},
		"daraz.pk":     {Name: "daraz.pk", Currency: "PKR", Country: "PK"},
		"alibaba.com":  {Name: "alibaba.com", Currency: "USD"},
		"daraz.com.bd": {Name: "daraz.com.bd", Currency: "BDT", Country: "BD"},
	} {
		if got, ok := set.Lookup(name); !ok || got != want {
			t.Errorf("Lookup(%q) = %+v, %v; want %+v", name, got, ok, want)
		}
	}
	if _, ok := set.Lookup("amazon.de"); ok {
		t.Errorf("amazon.de is known, but no config added it")
	}
	if got := set.Names(); got != "alibaba.com, amazon.in, daraz.com.bd, daraz.pk, etsy.com" {
		t.Errorf("Names() = %q", got)
	}
	// The built-in set is untouched by any config's additions.
	if _, ok := pipeline.BuiltinMarketplaceSet().Lookup("amazon.in"); ok {
		t.Errorf("a config's marketplace leaked into the built-in set")
	}
}

// Every problem with a marketplace is a config error on its line: an
// entry that redefines a built-in one, a bad name, currency or country,
// and a source whose constants or defaults name a marketplace nobody
// declared (which would otherwise reject every record, every night).
func TestMarketplaceConfigErrorsHaveLines(t *testing.T) {
	t.Parallel()
	src := `warehouse: {path: w.duckdb}
marketplaces:
  daraz.pk: {currency: USD}
  Amazon.IN: {currency: INR}
  amazon.de: {currency: eur, country: Germany}
  amazon.ae: {currency: AED, country: AE, langauge: ar}
  noon.com: {country: AE}
sources:
  - name: uk
    dataset: listings
    kind: file
    file:
      paths: [l.csv]
      constants: {marketplace: amazon.co.uk}
  - name: de
    dataset: sellers
    kind: file
    file:
      paths: [s.csv]
      defaults: {marketplace: amazon.de}
  - name: ships
    dataset: sailings
    kind: file
    file:
      paths: [s.csv]
      constants: {carrier: PNSC}
`
	_, err := pipeline.ParseConfig([]byte(src), env(nil))
	if err == nil || pipeline.ExitCode(err) != pipeline.ExitConfig {
		t.Fatalf("err = %v, want exit code 3", err)
	}
	msg := err.Error()
	for _, w := range []string{
		`[3:3] marketplaces["daraz.pk"]: daraz.pk is built in (currency PKR)`,
		`[4:3] marketplaces["Amazon.IN"]: name "Amazon.IN": want a domain in lower case`,
		`[5:3] marketplaces["amazon.de"]: currency "eur": want an ISO 4217 code in upper case`,
		`[5:3] marketplaces["amazon.de"]: country "Germany": want an ISO 3166 alpha-2 code`,
		`[6:43] unknown key "langauge" in marketplaces.amazon.ae`,
		`[7:3] marketplaces["noon.com"]: currency "": want an ISO 4217 code`,
		`[14:32] sources[0].file.constants.marketplace "amazon.co.uk": not a marketplace the pipeline knows (alibaba.com, amazon.ae, daraz.com.bd, daraz.pk); add it under marketplaces: with its currency`,
		// amazon.de is declared, but wrongly: the source is reported too,
		// since its records would all be rejected.
		`[20:31] sources[1].file.defaults.marketplace "amazon.de": not a marketplace`,
	} {
		if !strings.Contains(msg, w) {
			t.Errorf("report lacks %q:\n%s", w, msg)
		}
	}
	if strings.Contains(msg, "sources[2]") {
		t.Errorf("a sailings source has no marketplace to check:\n%s", msg)
	}
}

func TestNewMarketplaceSet(t *testing.T) {
	t.Parallel()
	if _, err := pipeline.NewMarketplaceSet([]pipeline.Marketplace{{Name: "amazon.in", Currency: "INR"}, {Name: "amazon.in", Currency: "USD"}}); err == nil ||
		!strings.Contains(err.Error(), `marketplace "amazon.in" is defined twice (INR and USD)`) {
		t.Errorf("twice: error = %v", err)
	}
	if _, err := pipeline.NewMarketplaceSet([]pipeline.Marketplace{{Name: "alibaba.com", Currency: "CNY"}}); err == nil {
		t.Errorf("redefining a built-in marketplace was accepted")
	}
	if _, err := pipeline.NewMarketplaceSet([]pipeline.Marketplace{{Name: "shop.example", Currency: "XYZ"}}); err == nil ||
		!strings.Contains(err.Error(), `currency "XYZ"`) {
		t.Errorf("unknown currency: error = %v", err)
	}
	var none *pipeline.MarketplaceSet
	if m, ok := none.Lookup("daraz.pk"); !ok || m.Currency != "PKR" {
		t.Errorf("a nil set should be the built-in one: %+v, %v", m, ok)
	}
	// Every built-in marketplace passes the checks a configured one must.
	if _, err := pipeline.NewMarketplaceSet(nil); err != nil {
		t.Errorf("built-in: %v", err)
	}
}
