package parse

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/exportpipe/exportpipe/pipeline"
)

// sharedData is the folder of real public data beside the repository. It is
// absent on a fresh clone, so tests using it skip. EXPORTPIPE_SHARED_DATA
// (the variable the example configs use) points elsewhere.
var sharedData = func() string {
	if d := os.Getenv("EXPORTPIPE_SHARED_DATA"); d != "" {
		return d
	}
	return "../../../shared/data"
}()

// openCSV opens a shared data file or skips the test when it is absent.
func openCSV(t *testing.T, rel string) *csv.Reader {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedData, rel))
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("shared data %s is absent (set EXPORTPIPE_SHARED_DATA to its folder); skipping the real-data check", filepath.Join(sharedData, rel))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	return r
}

// columns reads the header and returns the index of each name.
func columns(t *testing.T, r *csv.Reader, names ...string) []int {
	t.Helper()
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	idx := make([]int, len(names))
	for j, name := range names {
		i := slices.Index(head, name)
		if i < 0 {
			t.Fatalf("column %q not in header %q", name, head)
		}
		idx[j] = i
	}
	return idx
}

// eachValue calls fn with column col of every remaining row.
func eachValue(t *testing.T, r *csv.Reader, col int, fn func(string)) {
	t.Helper()
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if col < len(rec) {
			fn(rec[col])
		}
	}
}

// parseShare applies parse to every non-empty value of one column and
// returns how many parsed, logging the first failures.
func parseShare(t *testing.T, file, col string, parse func(string) error) (parsed, total int) {
	t.Helper()
	r := openCSV(t, file)
	eachValue(t, r, columns(t, r, col)[0], func(v string) {
		if v == "" {
			return
		}
		total++
		if err := parse(v); err == nil {
			parsed++
		} else if total-parsed <= 5 {
			t.Logf("unparsed %q: %v", v, err)
		}
	})
	t.Logf("%s %q: parsed %d of %d (%.2f%%)", file, col, parsed, total, 100*float64(parsed)/float64(max(total, 1)))
	return parsed, total
}

// TestRealColumns parses real marketplace columns: daraz.com.bd prices as
// BDT (whole taka, so every row must parse), Alibaba prices with no-break
// spaces, "(MOQ)"-suffixed quantities, "$1,200,000+" open bounds and
// "+USD" shipping charges, and the monthly periods of the US port files.
func TestRealColumns(t *testing.T) {
	t.Parallel()
	bdt := func(v string) error {
		p, err := ParsePrice(v, "BDT")
		if err == nil && p.Currency != "BDT" {
			err = errors.New("currency " + p.Currency)
		}
		return err
	}
	anyPrice := func(v string) error { _, err := ParsePrice(v, ""); return err }
	moq := func(v string) error { _, _, err := ParseMOQ(v); return err }
	const daraz = "listings/daraz-bd-top-selling/Top_Selling_Product_Data.csv"
	const alibaba = "listings/alibaba-oxygen-concentrators/"
	const usPorts = "shipping/world-port-index-and-us-ports/"
	month := func(v string) error { _, err := ParseMonth(v); return err }
	cases := []struct {
		file, col string
		parse     func(string) error
	}{
		{daraz, "Original Price", bdt},
		{daraz, "Discount Price", bdt},
		{alibaba + "alibaba (1).csv", "elements-offer-price-normal__price", anyPrice},
		{alibaba + "alibaba (1).csv", "element-offer-minorder-normal__value", moq},
		{alibaba + "alibaba (3).csv", "element-offer-minorder-normal__value", moq},
		{alibaba + "alibaba.csv", "num", anyPrice},
		// Shipping charges written "+USD\u00a0349.32" beside "(Shipping)".
		{alibaba + "alibaba (2).csv", "element-promotion-shipping-price__price", anyPrice},
		// Monthly periods: US Census "January 2022", AIS visit counts "2022-01".
		{usPorts + "census_port_level_exports_2022.csv", "Time", month},
		{usPorts + "census_port_level_imports_2022.csv", "Time", month},
		{usPorts + "usace_principal_ports_monthly_visits_2022.csv", "Month", month},
		{usPorts + "wpi_port_monthly_visits_2022_a.csv", "Month", month},
	}
	for _, tc := range cases {
		t.Run(tc.file+"/"+tc.col, func(t *testing.T) {
			t.Parallel()
			if parsed, total := parseShare(t, tc.file, tc.col, tc.parse); parsed != total {
				t.Errorf("parsed %d of %d non-empty values, want all", parsed, total)
			}
		})
	}
}

// TestCountryTableMatchesISO checks every hand-written code, and every
// flag of the MID table, against the ISO 3166 reference file.
func TestCountryTableMatchesISO(t *testing.T) {
	t.Parallel()
	r := openCSV(t, "reference/country-codes/country-codes.csv")
	cols := columns(t, r, "ISO3166-1-Alpha-2", "ISO3166-1-Alpha-3", "ISO3166-1-numeric")
	ref := map[string][2]string{} // alpha-2 -> alpha-3, numeric
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ref[rec[cols[0]]] = [2]string{rec[cols[1]], rec[cols[2]]}
	}
	for mid, a2 := range midFlags {
		if _, ok := ref[a2]; !ok {
			t.Errorf("MID %d flag %s is not an ISO 3166 alpha-2 code", mid, a2)
		}
	}
	for _, c := range countryTable {
		got, ok := ref[c.alpha2]
		if !ok {
			t.Errorf("%s is not an ISO 3166 alpha-2 code", c.alpha2)
			continue
		}
		if n, _ := strconv.Atoi(got[1]); got[0] != c.alpha3 || n != c.numeric {
			t.Errorf("%s: table has %s/%d, ISO has %s/%s", c.alpha2, c.alpha3, c.numeric, got[0], got[1])
		}
	}
}

// TestPortTableMatchesLOCODE checks every port code exists in UN/LOCODE.
func TestPortTableMatchesLOCODE(t *testing.T) {
	t.Parallel()
	r := openCSV(t, "reference/unlocode/unlocode_code_list_2022-1.csv")
	cols := columns(t, r, "country", "location")
	cc, loc := cols[0], cols[1]
	known := map[string]bool{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		known[rec[cc]+rec[loc]] = true
	}
	for _, p := range portTable {
		if !known[p.code] {
			t.Errorf("port %s (%s) is not in UN/LOCODE", p.code, p.names[0])
		}
	}
}

// TestCurrencyTableMatchesISO checks every accepted code is an ISO 4217 code.
func TestCurrencyTableMatchesISO(t *testing.T) {
	t.Parallel()
	r := openCSV(t, "reference/currency-codes/codes-all.csv")
	known := map[string]bool{}
	eachValue(t, r, columns(t, r, "AlphabeticCode")[0], func(v string) { known[v] = true })
	for _, c := range pipeline.Currencies() {
		if !known[c] {
			t.Errorf("currency %s is not in ISO 4217", c)
		}
	}
}

// TestRealHSNomenclature reads every subheading (level 6) of the HS2022
// file: all parse to themselves except 999999 ("Commodities not specified
// according to kind", reserved chapter 99), and the synthetic "TOTAL" row
// is rejected as a total, not a code.
func TestRealHSNomenclature(t *testing.T) {
	t.Parallel()
	r := openCSV(t, "reference/harmonized-system/harmonized-system.csv")
	cols := columns(t, r, "hscode", "level")
	code, level := cols[0], cols[1]
	n := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		hs, lv := rec[code], rec[level]
		switch {
		case hs == "TOTAL" || hs == "999999":
			if _, err := ParseHSCode(hs); !errors.Is(err, ErrBadHS) {
				t.Errorf("ParseHSCode(%q) error = %v, want ErrBadHS", hs, err)
			}
		case lv == "6":
			n++
			if got, err := ParseHSCode(hs); err != nil || got.Code != hs {
				t.Errorf("ParseHSCode(%q) = %+v, %v", hs, got, err)
			}
		}
	}
	if n < 5000 {
		t.Errorf("read %d subheadings, want the file's ~5,600", n)
	}
}
