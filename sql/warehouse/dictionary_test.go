//go:build duckdb_arrow

package warehouse

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDataDictionaryIsCurrent keeps sql/DICTIONARY.md equal to what the
// comments of the current schema generate, so CI fails when a migration or
// mart changes without it. Regenerate with -update.
func TestDataDictionaryIsCurrent(t *testing.T) {
	t.Parallel()
	w := openTest(t, nil)
	if err := w.BuildMarts(t.Context()); err != nil { // marts build on an empty core too
		t.Fatal(err)
	}
	got, err := dataDictionary(t.Context(), w.conn)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Schema `core`", "### `marts.price_index_monthly` (table)", "### `meta.catalog` (view)"} {
		if !strings.Contains(got, want) {
			t.Errorf("dictionary lacks %q", want)
		}
	}
	if strings.Contains(got, "go test") {
		t.Errorf("the dictionary a user prints tells them about the repository's tests:\n%.400s", got)
	}
	// The repository's copy says how to regenerate it; a user's does not.
	checkGolden(t, filepath.Join("..", "DICTIONARY.md"), strings.Replace(got, "by `exportpipe dictionary`.\n",
		"by `exportpipe dictionary`.\nThis copy is kept in the repository: do not edit it; regenerate it with `go test -tags duckdb_arrow ./sql/warehouse -run DataDictionary -update`.\n", 1))

	// The exported function reads a published snapshot the same way.
	snap, err := w.Publish(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	fromSnap, err := DataDictionary(t.Context(), snap)
	if err != nil || fromSnap != got {
		t.Errorf("DataDictionary(snapshot) differs from the working database's (%v)", err)
	}
	if _, err := DataDictionary(t.Context(), filepath.Join(t.TempDir(), "none.duckdb")); err == nil {
		t.Error("DataDictionary of a missing file succeeded")
	}
}

func TestParseSeverity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, want, wantErr string
	}{
		{"default", "-- checks x\nSELECT 1", "error", ""},
		{"warn", "-- severity: warn\n-- why\nSELECT 1", "warn", ""},
		{"after other comments", "-- checks x\n--   Severity :  WARN \nSELECT 1", "warn", ""},
		{"explicit error", "-- severity: error\nSELECT 1", "error", ""},
		{"only the leading block counts", "SELECT 1\n-- severity: warn", "error", ""},
		{"typo is an error", "-- severity: warning\nSELECT 1", "", `severity "warning"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseSeverity(tc.body)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || string(got) != tc.want {
				t.Errorf("parseSeverity = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestDataTestSeverities pins which shipped tests only warn, and that
// meta.data_tests records the severity of each.
func TestDataTestSeverities(t *testing.T) {
	t.Parallel()
	tests, err := loadDataTests()
	if err != nil {
		t.Fatal(err)
	}
	var warn []string
	for _, dt := range tests {
		if dt.severity == "warn" {
			warn = append(warn, dt.name)
		}
	}
	if strings.Join(warn, ",") != "listings_discount_mismatch,listings_price_plausible,listings_sellers_exist" {
		t.Errorf("warning-level tests = %v, want [listings_discount_mismatch listings_price_plausible listings_sellers_exist]", warn)
	}
	w := loadGoldenFixture(t)
	if _, err := w.RunDataTests(t.Context(), "r2"); err != nil {
		t.Fatal(err)
	}
	got := dump(t, w, "SELECT test, severity, failures FROM meta.data_tests WHERE NOT passed ORDER BY test")
	if want := "[listings_sellers_exist warn 1]"; strings.Join(got, ";") != want {
		t.Errorf("failed tests on the golden fixture = %v, want %s", got, want)
	}
	if n := queryInt(t, w, "SELECT count(*) FROM meta.data_tests WHERE severity IS NULL"); n != 0 {
		t.Errorf("%d results without severity", n)
	}
}
