package pipeline_test

import (
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // zones resolve whatever the test machine has installed

	_ "github.com/exportpipe/exportpipe/extractors" // the built-in source kinds
	"github.com/exportpipe/exportpipe/pipeline"
)

// A config declares reference files for every source and, per source, what
// the values themselves cannot say (zone, date order, Python-literal cells).
func TestNormaliseAndSourceTransformDecode(t *testing.T) {
	t.Parallel()
	src := `pipeline: schedules
warehouse:
  path: data/w.duckdb
  exports: out/exports
  keep_exports: 5
normalise:
  hs_chapters: {furniture: 94, handicrafts: 46}
  reference:
    unlocode: ref/unlocode.csv
    country_codes: ref/country-codes.csv
    hs: ref/harmonized-system.csv
    mids: ref/mids.csv
    fx:
      - {layout: ecb, path: ref/eurofxref-hist.csv}
      - {layout: fed_h10, path: ref/daily.csv}
sources:
  - name: maersk
    dataset: sailings
    kind: file
    file: {paths: [s.csv]}
    transform:
      time_zone: Asia/Karachi
      date_order: dmy
      repr: {imo: "-1.1"}
`
	c, err := pipeline.ParseConfig([]byte(src), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Warehouse.Exports != "out/exports" || c.Warehouse.KeepExports != 5 {
		t.Errorf("warehouse outputs: %+v", c.Warehouse)
	}
	n := c.Normalise
	if n.HSChapters["furniture"] != 94 || n.Reference.UNLOCODE != "ref/unlocode.csv" || n.Reference.MIDs != "ref/mids.csv" {
		t.Errorf("normalise: %+v", n)
	}
	if len(n.Reference.FX) != 2 || n.Reference.FX[1] != (pipeline.FXFileConfig{Layout: "fed_h10", Path: "ref/daily.csv"}) {
		t.Errorf("fx files: %+v", n.Reference.FX)
	}
	tr := c.Sources[0].Transform
	if tr == nil || tr.TimeZone != "Asia/Karachi" || tr.DateOrder != "dmy" || tr.Repr["imo"] != "-1.1" {
		t.Errorf("source transform: %+v", tr)
	}
}

// Misspelt keys in the new sections are reported with their lines like any
// other, and bad values name the key and what would be accepted.
func TestNormaliseErrorsHaveLines(t *testing.T) {
	t.Parallel()
	src := `warehouse:
  path: w.duckdb
  keep_exports: -1
normalise:
  hs_chapter: {furniture: 94}
  hs_chapters: {carpets: 57, rice: 200}
  reference:
    unlocodes: x.csv
    fx:
      - {layout: imf, path: ""}
      - {layuot: ecb, path: e.csv}
sources:
  - name: msc
    dataset: sailings
    kind: file
    file: {paths: [s.csv]}
    transform:
      time_zone: Mars/Olympus
      date_order: ymd
      repr: {vessel_name: "0"}
      zone: UTC
`
	_, err := pipeline.ParseConfig([]byte(src), env(nil))
	if err == nil || pipeline.ExitCode(err) != pipeline.ExitConfig {
		t.Fatalf("err = %v, want exit code 3", err)
	}
	want := []string{
		`warehouse.keep_exports must not be negative`,
		`[5:3] unknown key "hs_chapter" in normalise`,
		`normalise.hs_chapters.carpets: not a category slug`,
		`normalise.hs_chapters.rice: 200 is not an HS chapter`,
		`[8:5] unknown key "unlocodes" in normalise.reference`,
		`normalise.reference.fx[0].layout "imf": want ecb or fed_h10`,
		`normalise.reference.fx[0].path`,
		`[11:10] unknown key "layuot" in normalise.reference.fx[1]`,
		`sources[0].transform.time_zone "Mars/Olympus"`,
		`sources[0].transform.date_order "ymd"`,
		`sources[0].transform.repr.vessel_name: sailings has no field "vessel_name"`,
		`[21:7] unknown key "zone" in sources[0].transform`,
	}
	msg := err.Error()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("report lacks %q:\n%s", w, msg)
		}
	}
	// Value errors carry the line of their key too.
	for _, w := range []string{"[3:17] warehouse.keep_exports", "[18:18] sources[0].transform.time_zone"} {
		if !strings.Contains(msg, w) {
			t.Errorf("report lacks %q:\n%s", w, msg)
		}
	}
}

// A marketplace's own category names map to slugs (other included), with
// a policy for the rest; port-alias files name their columns.
func TestNormaliseCategoriesAndAliasesDecode(t *testing.T) {
	t.Parallel()
	src := `warehouse: {path: w.duckdb}
normalise:
  unknown_category: other
  categories:
    "Men's & Boys' Fashion": other
    Kids Bags: other
    Muslim Wear: apparel
  reference:
    port_aliases:
      - {path: "https://ref.example/maersk.csv?key=k", delimiter: ";", name_column: Maersk_name}
      - {path: a.tsv, delimiter: "\\t", code_column: locode, name_column: name}
sources:
  - {name: l, dataset: listings, kind: file, file: {paths: [l.csv]}}
`
	c, err := pipeline.ParseConfig([]byte(src), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	n := c.Normalise
	if n.UnknownCategory != "other" || n.Categories["Men's & Boys' Fashion"] != "other" || n.Categories["Muslim Wear"] != "apparel" {
		t.Errorf("categories: %+v", n)
	}
	a := n.Reference.PortAliases
	if len(a) != 2 || a[0].Comma() != ';' || a[0].Code() != "UN_LOCODE" || a[1].Comma() != '\t' || a[1].Code() != "locode" {
		t.Errorf("port aliases: %+v", a)
	}
	if cat, ok := pipeline.CategoryBySlug("other"); !ok || cat != pipeline.OtherCategory() || cat.HSChapter != 0 || cat.Group != "other" {
		t.Errorf("pipeline.CategoryBySlug(other) = %+v, %v", cat, ok)
	}
	if pipeline.CategoryKey(" Men's  &\u00a0Boys' FASHION ") != "men's & boys' fashion" {
		t.Errorf("pipeline.CategoryKey ignores neither case nor spacing: %q", pipeline.CategoryKey(" Men's  &\u00a0Boys' FASHION "))
	}
}

// Bad category names and slugs are reported on the line of their own key,
// even when the key holds apostrophes no YAML path can name.
func TestNormaliseCategoryErrorsHaveLines(t *testing.T) {
	t.Parallel()
	src := `warehouse: {path: w.duckdb}
normalise:
  unknown_category: guess
  hs_chapters: {other: 99}
  categories:
    "Men's & Boys' Fashion": clothing
    Kids Bags: other
    kids  BAGS: leather_goods
    "  ": other
  reference:
    port_aliases:
      - {path: "", delimiter: ";;"}
sources:
  - {name: l, dataset: listings, kind: file, file: {paths: [l.csv]}}
`
	_, err := pipeline.ParseConfig([]byte(src), env(nil))
	if err == nil || pipeline.ExitCode(err) != pipeline.ExitConfig {
		t.Fatalf("err = %v, want exit code 3", err)
	}
	msg := err.Error()
	for _, w := range []string{
		`[3:21] normalise.unknown_category "guess": want reject`,
		`[4:24] normalise.hs_chapters.other: other has no HS chapter`,
		`[6:5] normalise.categories["Men's & Boys' Fashion"]: "clothing" is not a category slug: the slugs are apparel,`,
		`[8:5] normalise.categories["kids  BAGS"]: the same name as "Kids Bags" once case and spaces are ignored`,
		`[9:5] normalise.categories["  "]: a blank name matches nothing`,
		`normalise.reference.port_aliases[0].path: name the port-alias file`,
		`normalise.reference.port_aliases[0].name_column`,
		`normalise.reference.port_aliases[0].delimiter ";;"`,
	} {
		if !strings.Contains(msg, w) {
			t.Errorf("report lacks %q:\n%s", w, msg)
		}
	}
}

// The numeric rules of normalisation are settings with defaults: unset
// keys take them, set ones are checked and reported on their own lines.
func TestNormaliseToleranceKeys(t *testing.T) {
	t.Parallel()
	base := "warehouse: {path: w.duckdb}\nsources:\n  - {name: l, dataset: listings, kind: file, file: {paths: [l.csv]}}\n"
	c, err := pipeline.ParseConfig([]byte(base), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Normalise.DiscountToleranceOrDefault(); got != pipeline.DefaultDiscountTolerance {
		t.Errorf("default discount tolerance = %v, want %v", got, pipeline.DefaultDiscountTolerance)
	}
	c, err = pipeline.ParseConfig([]byte(base+"normalise:\n  discount_tolerance: 0\n"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Normalise.DiscountToleranceOrDefault(); got != 0 {
		t.Errorf("discount_tolerance: 0 = %v, want 0 (rounding alone), not the default", got)
	}
	_, err = pipeline.ParseConfig([]byte(base+"normalise:\n  discount_tolerance: -1\n"), env(nil))
	if err == nil || !strings.Contains(err.Error(), "[5:23] normalise.discount_tolerance -1: want percentage points from 0 to 100") {
		t.Errorf("err = %v, want the bad tolerance on its line", err)
	}
	_, err = pipeline.ParseConfig([]byte(base+"normalise:\n  discount_tolerance: half\n"), env(nil))
	if err == nil || !strings.Contains(err.Error(), "[5:23]") {
		t.Errorf("err = %v, want the unreadable tolerance on its line", err)
	}
}

// fx_max_age is written in days or as a Go duration; unset, the
// transforms choose by each currency's spacing.
func TestNormaliseFXMaxAge(t *testing.T) {
	t.Parallel()
	base := "warehouse: {path: w.duckdb}\nsources:\n  - {name: l, dataset: listings, kind: file, file: {paths: [l.csv]}}\n"
	for in, want := range map[string]time.Duration{"": 0, "10d": 240 * time.Hour, "1.5d": 36 * time.Hour, "36h": 36 * time.Hour} {
		src := base
		if in != "" {
			src += "normalise:\n  fx_max_age: " + in + "\n"
		}
		c, err := pipeline.ParseConfig([]byte(src), env(nil))
		if err != nil {
			t.Fatalf("fx_max_age %q: %v", in, err)
		}
		if got := c.Normalise.FXMaxAgeDuration(); got != want {
			t.Errorf("fx_max_age %q = %v, want %v", in, got, want)
		}
	}
	for _, in := range []string{"0d", "-3d", "ten days", "7 d", "1w"} {
		_, err := pipeline.ParseConfig([]byte(base+"normalise:\n  fx_max_age: "+in+"\n"), env(nil))
		want := "[5:15] normalise.fx_max_age " + strconv.Quote(in) + ": want a positive age such as 10d or 36h"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("fx_max_age %q: err = %v, want %q", in, err, want)
		}
	}
}

// future_tolerance bounds how far past the run's start a version may be;
// unset, it is the default, which a local time labelled UTC stays within.
func TestNormaliseFutureTolerance(t *testing.T) {
	t.Parallel()
	base := "warehouse: {path: w.duckdb}\nsources:\n  - {name: l, dataset: listings, kind: file, file: {paths: [l.csv]}}\n"
	for in, want := range map[string]time.Duration{"": pipeline.DefaultFutureTolerance, "1h": time.Hour, "1d": 24 * time.Hour} {
		src := base
		if in != "" {
			src += "normalise:\n  future_tolerance: " + in + "\n"
		}
		c, err := pipeline.ParseConfig([]byte(src), env(nil))
		if err != nil {
			t.Fatalf("future_tolerance %q: %v", in, err)
		}
		if got := c.Normalise.FutureToleranceOrDefault(); got != want {
			t.Errorf("future_tolerance %q = %v, want %v", in, got, want)
		}
	}
	if pipeline.DefaultFutureTolerance < 14*time.Hour {
		t.Errorf("pipeline.DefaultFutureTolerance %v: a local time of UTC+14 labelled UTC must not be rejected", pipeline.DefaultFutureTolerance)
	}
	for _, in := range []string{"0s", "-1h", "soon"} {
		_, err := pipeline.ParseConfig([]byte(base+"normalise:\n  future_tolerance: "+in+"\n"), env(nil))
		want := "[5:21] normalise.future_tolerance " + strconv.Quote(in) + ": want a positive duration such as 15h or 1d"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("future_tolerance %q: err = %v, want %q", in, err, want)
		}
	}
}

// FuzzParseDays: a value ending in "d" is that many 24-hour days, anything
// else reads exactly as time.ParseDuration reads it, and the defaults the
// tolerance keys fall back to are always positive.
func FuzzParseDays(f *testing.F) {
	for _, s := range []string{"", "10d", "1.5d", "36h", "-3d", "0d", "d", "1e3d", "NaNd", "infd", "7 d", "90m", "1h30m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := pipeline.ParseDays(s)
		trimmed := strings.TrimSpace(s)
		switch n, isDays := strings.CutSuffix(trimmed, "d"); {
		case trimmed == "":
			if d != 0 || err != nil {
				t.Fatalf("pipeline.ParseDays(%q) = %v, %v; want 0, nil", s, d, err)
			}
		case isDays:
			days, perr := strconv.ParseFloat(n, 64)
			if err == nil && (perr != nil || d != time.Duration(days*float64(24*time.Hour))) {
				t.Fatalf("pipeline.ParseDays(%q) = %v; want %s days", s, d, n)
			}
		default:
			want, werr := time.ParseDuration(trimmed)
			if (err == nil) != (werr == nil) || err == nil && d != want {
				t.Fatalf("pipeline.ParseDays(%q) = %v, %v; time.ParseDuration says %v, %v", s, d, err, want, werr)
			}
		}
		n := pipeline.NormaliseConfig{FutureTolerance: s}
		if got := n.FutureToleranceOrDefault(); got <= 0 {
			t.Fatalf("FutureToleranceOrDefault with %q = %v, want positive", s, got)
		}
	})
}
