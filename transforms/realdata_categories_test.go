package transforms

import (
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	_ "github.com/exportpipe/exportpipe/extractors" // the file kind the example config reads
	"github.com/exportpipe/exportpipe/pipeline"
)

// TestRealDarazCategories resolves the SubCategory column of the real
// Daraz BD file through the normalise section of
// configs/examples/daraz-bd-csv.yaml, as a run of that config does, and
// reports how many listings land in a canonical category and how many in
// other. Every mapped name must occur in the file: a key that matches
// nothing is a typo.
func TestRealDarazCategories(t *testing.T) {
	cfg, err := pipeline.LoadConfig("../configs/examples/daraz-bd-csv.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rel := "listings/daraz-bd-top-selling/Top_Selling_Product_Data.csv"
	f, err := os.Open(filepath.Join(sharedData, rel))
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("shared data %s is absent; skipping the real-data check", rel)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], "SubCategory")
	n := cfg.Normalise
	e, err := newEnv(Options{Categories: n.Categories, UnknownCategory: n.UnknownCategory}, pipeline.Listings, "daraz_bd_listings")
	if err != nil {
		t.Fatal(err)
	}
	bySlug := map[string]int{}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		seen[pipeline.CategoryKey(r[col])] = true
		c, err := e.category(r[col])
		if err != nil {
			t.Fatalf("%q: %v", r[col], err)
		}
		bySlug[c.Slug]++
	}
	for name := range n.Categories {
		if !seen[pipeline.CategoryKey(name)] {
			t.Errorf("normalise.categories names %q, which no row of the file has", name)
		}
	}
	total := len(rows) - 1
	slugs := make([]string, 0, len(bySlug))
	for s := range bySlug {
		slugs = append(slugs, s)
	}
	sort.Slice(slugs, func(i, j int) bool { return bySlug[slugs[i]] > bySlug[slugs[j]] })
	for _, s := range slugs {
		t.Logf("COVERAGE daraz-bd-csv.yaml category %-14s %6d / %d = %6.2f%%", s, bySlug[s], total, 100*float64(bySlug[s])/float64(total))
	}
	if total != 12907 || bySlug["other"] == 0 || bySlug["other"] == total {
		t.Errorf("%d rows, %d other; want 12,907 with some, not all, in other", total, bySlug["other"])
	}
}
