package transforms

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/transforms/parse"
	"github.com/exportpipe/exportpipe/transforms/reference"
)

// sharedData is the real public data beside the repository; tests using
// it skip on a fresh clone where it is absent. EXPORTPIPE_SHARED_DATA
// (the variable the example configs use) points elsewhere, e.g. at an
// empty folder to check that the tests skip rather than fail.
var sharedData = sharedDataDir()

func sharedDataDir() string {
	if d := os.Getenv("EXPORTPIPE_SHARED_DATA"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "shared", "data")
}

// readShared returns the header and rows of a shared CSV, or skips.
func readShared(t *testing.T, rel string, comma rune) ([]string, [][]string) {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedData, rel))
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("shared data %s is absent (set EXPORTPIPE_SHARED_DATA to its folder); skipping the real-data coverage check", filepath.Join(sharedData, rel))
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.FieldsPerRecord, r.LazyQuotes = comma, -1, true
	rows, err := r.ReadAll()
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	return rows[0], rows[1:]
}

// column returns the values of one named column.
func column(t *testing.T, head []string, rows [][]string, name string) []string {
	t.Helper()
	i := slices.Index(head, name)
	if i < 0 {
		t.Fatalf("no column %q in %q", name, head)
	}
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		if i < len(r) {
			out = append(out, r[i])
		} else {
			out = append(out, "")
		}
	}
	return out
}

// share counts the non-blank values fn accepts, logs the figure and the
// failures' reason codes, and fails the test when the share falls below
// floor (in percent). Floors are the figures measured when they were set,
// rounded down a little, so they only move when someone moves them: a
// parser change that loses real-data coverage fails here instead of
// changing a logged number nobody reads. A floor must be above 0, since a
// floor of 0 passes whatever happens; a figure that is 0 by the data's
// nature goes through allRejected instead.
func share(t *testing.T, what string, floor float64, values []string, fn func(string) error) float64 {
	t.Helper()
	if floor <= 0 {
		t.Fatalf("%s: floor %.1f%% cannot fail; use a measured figure, or allRejected for a figure that must be 0", what, floor)
	}
	pct, codes := measure(t, what, values, fn)
	if pct < floor {
		t.Errorf("%s: coverage %.2f%% is below its floor %.1f%% (rejects by code %v); "+
			"if the loss is intended, lower the floor and say why", what, pct, floor, codes)
	}
	return pct
}

// measure counts the non-blank values fn accepts and logs the figure and
// the failures' reason codes. A column with no values fails the test.
func measure(t *testing.T, what string, values []string, fn func(string) error) (float64, map[string]int) {
	t.Helper()
	ok, total := 0, 0
	codes := map[string]int{}
	for _, v := range values {
		if strings.TrimSpace(v) == "" {
			continue
		}
		total++
		if err := fn(v); err != nil {
			codes[string(ReasonCodeOf(err))]++
			if total-ok <= 3 {
				t.Logf("  %s: unresolved %q: %v", what, v, err)
			}
			continue
		}
		ok++
	}
	pct := 100 * float64(ok) / float64(max(total, 1))
	t.Logf("COVERAGE %-58s %6d / %6d = %6.2f%%  rejects by code %v", what, ok, total, pct, codes)
	if total == 0 {
		t.Errorf("%s: no non-blank values; the column is missing or renamed", what)
	}
	return pct, codes
}

// realFX loads the ECB and Fed H.10 files into one FXTable.
func realFX(t *testing.T) *FXTable {
	t.Helper()
	fx := NewFXTable()
	files := []reference.FXFile{
		{Layout: "ecb", Path: filepath.Join(sharedData, "reference/fx-ecb/eurofxref-hist.csv")},
		{Layout: "fed_h10", Path: filepath.Join(sharedData, "reference/fx-fed-h10/monthly.csv")},
	}
	if _, err := os.Stat(files[0].Path); errors.Is(err, os.ErrNotExist) {
		t.Skipf("shared FX reference file %s is absent; skipping the real-data coverage check", files[0].Path)
	}
	n, err := reference.LoadFXFiles(files, fx.Add)
	if err != nil {
		t.Fatal(err)
	}
	fx.Finalize()
	t.Logf("FX reference: %d rates; currencies %v", n, fx.Currencies())
	return fx
}

// usdPrice parses a price with a marketplace default and converts it at
// the rate of day, held to the default age limits, as the listings
// transform does.
func usdPrice(fx *FXTable, def string, day time.Time) func(string) error {
	return func(v string) error {
		p, err := parse.ParsePrice(v, def)
		if err != nil {
			return err
		}
		r, ok := fx.Rate(p.Currency, day)
		if !ok {
			return errNoRate
		}
		if limit, _ := fxMaxAgeFor(r.Spacing); day.Sub(r.Day) > limit {
			return errRateTooOld
		}
		return nil
	}
}

var (
	errNoRate     = errors.New("no fx rate")
	errRateTooOld = errors.New("fx rate too old")
)

func init() {
	sentinelCodes = append(sentinelCodes, struct {
		err  error
		code pipeline.RejectCode
	}{errNoRate, CodeNoFXRate}, struct {
		err  error
		code pipeline.RejectCode
	}{errRateTooOld, CodeFXRateTooOld})
}

// TestRealFXAgeLimits holds prices to the real reference series: the ECB's
// euro rates are daily (the file ends 2026-04-13), the Fed's H.10 Taiwan
// and Sri Lanka rates monthly (ending 2026-06-01). Each gets the limit of
// its kind, so a listing dated after a series stopped is refused once its
// nearest rate is older than the limit instead of priced at it.
func TestRealFXAgeLimits(t *testing.T) {
	fx := realFX(t)
	for cur, want := range map[string]time.Duration{"EUR": 24 * time.Hour, "TWD": 31 * 24 * time.Hour, "LKR": 31 * 24 * time.Hour} {
		r, ok := fx.Rate(cur, time.Date(2023, 6, 15, 0, 0, 0, 0, time.UTC))
		if !ok || r.Spacing != want {
			t.Errorf("%s spacing = %v (ok %v), want %v", cur, r.Spacing, ok, want)
		}
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tr, err := NewListings("real-fx", fx)
	if err != nil {
		t.Fatal(err)
	}
	out := apply(t, mem, tr, pipeline.Listings, []rec{
		listingRec("EUR-1", "price", "€10", "updated_at", "2023-06-15T00:00:00Z"),
		listingRec("EUR-2", "price", "€10", "updated_at", "2026-04-20T00:00:00Z"), // 7 days after the last ECB rate
		listingRec("EUR-3", "price", "€10", "updated_at", "2026-04-21T00:00:00Z"),
		listingRec("TWD-1", "price", "NT$ 500", "updated_at", "2026-07-16T00:00:00Z"), // 45 days after 2026-06-01
		listingRec("TWD-2", "price", "NT$ 500", "updated_at", "2026-12-01T00:00:00Z"),
		listingRec("LKR-1", "price", "LKR 1,000", "updated_at", "2023-06-15T00:00:00Z"),
	})
	defer out.release()
	idx := goodByKey(t, out.good, "listing_id")
	for _, id := range []string{"EUR-1", "EUR-2", "TWD-1", "LKR-1"} {
		if _, ok := idx[id]; !ok {
			t.Errorf("listing %s rejected: %v", id, rejectsByKey(t, out.rejects, pipeline.Listings, "real-fx"))
		}
	}
	checkRejects(t, out, pipeline.Listings, "real-fx", map[string][2]string{
		"alibaba.com/EUR-3": {"price", `[fx_rate_too_old] price "€10": the nearest EUR rate on or before 2026-04-21 is for 2026-04-13, 8 days earlier, past the 7-day limit for a daily series; load newer EUR rates or set normalise.fx_max_age`},
		"alibaba.com/TWD-2": {"price", `[fx_rate_too_old] price "NT$ 500": the nearest TWD rate on or before 2026-12-01 is for 2026-06-01, 183 days earlier, past the 45-day limit for a monthly series; load newer TWD rates or set normalise.fx_max_age`},
	})
}
