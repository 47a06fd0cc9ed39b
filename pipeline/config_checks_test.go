package pipeline_test

import (
	"strings"
	"testing"

	_ "github.com/exportpipe/exportpipe/extractors" // the built-in source kinds
	"github.com/exportpipe/exportpipe/pipeline"
)

// checks.prices reaches the config as written; keys left out stay nil, so
// the data test keeps its own defaults.
func TestChecksConfigDecodes(t *testing.T) {
	t.Parallel()
	vars := env(map[string]string{"API_URL": "http://h", "DARAZ_TOKEN": "tok-abcdef"})
	c, err := pipeline.ParseConfig([]byte(goodConfig+"checks:\n  prices: {outlier_ratio: 50, min_usd: 0}\n"), vars)
	if err != nil {
		t.Fatal(err)
	}
	p := c.Checks.Prices
	if p.OutlierRatio == nil || *p.OutlierRatio != 50 || p.MinUSD == nil || *p.MinUSD != 0 || p.MinListings != nil {
		t.Errorf("checks.prices = %+v, want outlier_ratio 50, min_usd 0 and min_listings unset", p)
	}
	c, err = pipeline.ParseConfig([]byte(goodConfig), vars)
	if err != nil {
		t.Fatal(err)
	}
	if p := c.Checks.Prices; p.OutlierRatio != nil || p.MinUSD != nil || p.MinListings != nil {
		t.Errorf("checks.prices without a checks section = %+v, want every key unset", p)
	}
}

// Thresholds that would flag every listing, or none in a way nobody meant,
// are config errors with their lines, reported with the others.
func TestChecksConfigRejectsBadThresholds(t *testing.T) {
	t.Parallel()
	src := goodConfig + `checks:
  prices:
    outlier_ratio: 1
    min_usd: -0.5
    min_listings: 0
    max_ratio: 100
`
	_, err := pipeline.ParseConfig([]byte(src), env(map[string]string{"API_URL": "http://h", "DARAZ_TOKEN": "tok-abcdef"}))
	if err == nil || pipeline.ExitCode(err) != pipeline.ExitConfig {
		t.Fatalf("err = %v, want exit code 3", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"[16:20] checks.prices.outlier_ratio 1: want a number above 1",
		"[17:14] checks.prices.min_usd -0.5: want a price in US dollars, 0 or more",
		"[18:19] checks.prices.min_listings 0: want 1 or more",
		`[19:5] unknown key "max_ratio" in checks.prices: known keys are min_listings, min_usd, outlier_ratio`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("report lacks %q:\n%s", want, msg)
		}
	}
	for _, v := range []string{".nan", ".inf"} {
		_, err := pipeline.ParseConfig([]byte(goodConfig+"checks: {prices: {outlier_ratio: "+v+"}}\n"), env(map[string]string{"API_URL": "http://h", "DARAZ_TOKEN": "t"}))
		if err == nil || !strings.Contains(err.Error(), "checks.prices.outlier_ratio") {
			t.Errorf("outlier_ratio %s: err = %v, want it rejected", v, err)
		}
	}
}
