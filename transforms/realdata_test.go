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

	"github.com/exportpipe/exportpipe/transforms/parse"
	"github.com/exportpipe/exportpipe/transforms/reference"
)

// sharedData is the real public data beside the repository; tests using
// it skip on a fresh clone where it is absent.
var sharedData = filepath.Join("..", "..", "shared", "data")

// readShared returns the header and rows of a shared CSV, or skips.
func readShared(t *testing.T, rel string, comma rune) ([]string, [][]string) {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedData, rel))
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("shared data %s is absent; skipping the real-data coverage check", rel)
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

// share counts the non-blank values fn accepts and logs the figure and
// the most common failures' reason codes.
func share(t *testing.T, what string, values []string, fn func(string) error) float64 {
	t.Helper()
	ok, total := 0, 0
	codes := map[string]int{}
	for _, v := range values {
		if strings.TrimSpace(v) == "" {
			continue
		}
		total++
		if err := fn(v); err != nil {
			codes[ReasonCodeOf(err)]++
			if total-ok <= 3 {
				t.Logf("  %s: unresolved %q: %v", what, v, err)
			}
			continue
		}
		ok++
	}
	pct := 100 * float64(ok) / float64(max(total, 1))
	t.Logf("COVERAGE %-58s %6d / %6d = %6.2f%%  rejects by code %v", what, ok, total, pct, codes)
	return pct
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
		t.Skip("shared FX reference files are absent")
	}
	st, err := reference.LoadFXFiles(files, fx.Add)
	if err != nil {
		t.Fatal(err)
	}
	fx.Finalize()
	t.Logf("FX reference: %d rates, %d gaps skipped; currencies %v", st.Rates, st.Skipped, fx.Currencies())
	return fx
}

// usdPrice parses a price with a marketplace default and converts it at
// the rate of day, as the listings transform does.
func usdPrice(fx *FXTable, def string, day time.Time) func(string) error {
	return func(v string) error {
		p, err := parse.ParsePrice(v, def)
		if err != nil {
			return err
		}
		if _, ok := fx.UnitsPerUSD(p.Currency, day); !ok {
			return errNoRate
		}
		return nil
	}
}

var errNoRate = errors.New("no fx rate")

func init() {
	sentinelCodes = append(sentinelCodes, struct {
		err  error
		code string
	}{errNoRate, CodeNoFXRate})
}
