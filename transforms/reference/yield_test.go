package reference

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// left renders rows left for reasons as "reason=rows@line" for comparing.
func left(rs []RowsLeft) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("%s=%d@%d", r.Reason, r.Rows, r.FirstLine)
	}
	return strings.Join(parts, "; ")
}

// Each loader counts the rows it takes, the rows it could not use (with
// the reason and the first line), and the rows its layout leaves out by
// design, so a run can warn about the second kind only.
func TestLoadersCountWhatTheyCannotUse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name              string
		load              func(*Set) (Yield, error)
		used              int
		unusable, leftOut string
	}{
		{"unlocode", func(s *Set) (Yield, error) {
			return s.LoadUNLOCODE(strings.NewReader(`change,country,location,name,name_wo_diacritics,subdivision,function,status,date,iata,coordinates,remarks
,PK,KHI,Karachi,Karachi,SD,12345---,AI,9601,,2449N 06658E,
=,AT,,Vienna = Wien,Vienna = Wien,,,,,,,
,DE,9B0,Bollberg,Bollberg,TH,--3-----,RQ,1007,,5053N 01148E,
,CA,HAL,Halifax,Halifax,NS,1234----,AI,0501,,4427N 064250W,
,FR,,Basse-Terre = GP BBR,Basse-Terre = GP BBR,,1---5---,AF,9506,,,
`))
		}, 2, "country and location make no UN/LOCODE=1@4; coordinates malformed (port kept without a position)=1@5",
			"cross-reference to another entry=2@3"},
		{"port aliases", func(s *Set) (Yield, error) {
			return s.LoadPortAliases(strings.NewReader("UN_LOCODE;Maersk_name\nCLARI;Arica, Chile\nXX1;Nowhere\nCLSAI;\nPKKHI;Karachi\n"), ';', "UN_LOCODE", "Maersk_name")
		}, 2, "UN_LOCODE is not a UN/LOCODE=1@3; Maersk_name is blank=1@4", ""},
		{"country codes", func(s *Set) (Yield, error) {
			return s.LoadCountryCodes(strings.NewReader("ISO3166-1-Alpha-2,ISO3166-1-Alpha-3,official_name_en,CLDR display name\n" +
				"PK,PAK,Pakistan,Pakistan\nNA,NAM,Namibia,Namibia\n,XKX,Kosovo,Kosovo\n"))
		}, 1, "ISO3166-1-Alpha-2 is not two letters=1@4", `Namibia: its code "NA" is how sources write "not available"=1@3`},
		{"hs", func(s *Set) (Yield, error) {
			return s.LoadHS(strings.NewReader("section,hscode,description,parent,level\nXI,62,Apparel,TOTAL,2\n" +
				"XI,620462,Trousers of cotton,6204,6\nTOTAL,999999,Not specified,9999,6\nXI,62046,Short code,6204,6\n"))
		}, 1, "level 6 but not a 6-digit subheading of an HS chapter=1@5",
			"sections, chapters and headings (level other than 6)=1@2; 999999, commodities not specified: no HS chapter=1@4"},
		{"mids", func(s *Set) (Yield, error) {
			return s.LoadMIDs(strings.NewReader("MID,Allocated_to\n201,Albania (Republic of)\nabc,Nowhere\n463,Pakistan (Islamic Republic of)\n299,Atlantis\n"), s.Country)
		}, 2, "MID is not a number=1@3; Allocated_to names no country the country tables know=1@5", ""},
		{"fed h10", func(s *Set) (Yield, error) {
			return LoadFedH10(strings.NewReader("Date,Country,Exchange rate\n2024-01-01,India,83.1\n2024-01-01,Pakistan,281.0\n"+
				"2024-02-01,Pakistan,279.5\n2001-01-01,Austria,15.2\n2024-02-01,India,N/A\n2024-03-01,India,eighty\n"), nil, rates{}.add)
		}, 1, `Country "Pakistan" is no series this loader maps to a currency=2@3; rate is not a positive number=1@7`,
			"series of a retired currency=1@5; gaps (blank, N/A or .)=1@6"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			y, err := tc.load(&Set{})
			if err != nil {
				t.Fatal(err)
			}
			if y.Used != tc.used || left(y.Unusable) != tc.unusable || left(y.LeftOut) != tc.leftOut {
				t.Errorf("yield: used %d, unusable %q, left out %q\nwant used %d, unusable %q, left out %q",
					y.Used, left(y.Unusable), left(y.LeftOut), tc.used, tc.unusable, tc.leftOut)
			}
		})
	}
}

// captureLogs sends slog's default logger to a buffer for the test.
func captureLogs(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	return &buf
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A reference file's unusable rows are warned about, naming the file and
// the reasons; a file that yields nothing stops the load with an error
// naming it and saying why. Not parallel: it reads slog's default logger.
func TestLoadFilesWarnsAndFailsOnNothingUsable(t *testing.T) {
	logs := captureLogs(t)
	dir := t.TempDir()
	unlocode := writeFile(t, dir, "unlocode.csv", "country,location,name,name_wo_diacritics,function\n"+
		"PK,KHI,Karachi,Karachi,12345---\nPK,K1,Broken,Broken,1-------\n")
	countries := writeFile(t, dir, "countries.csv", "ISO3166-1-Alpha-2,ISO3166-1-Alpha-3,official_name_en,CLDR display name\n"+
		"Pakistan,PAK,Pakistan,Pakistan\nIndia,IND,India,India\n")

	s, err := LoadFiles(Files{UNLOCODE: unlocode})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Port("PKKHI"); got != "PKKHI" {
		t.Errorf("the usable row did not load")
	}
	out := logs.String()
	for _, w := range []string{"level=WARN", "reference file has rows it cannot use", "file=" + unlocode, "kind=unlocode", "used=1", "unusable=1",
		`country and location make no UN/LOCODE: 1 (first on line 3: \"PK K1 Broken\")`} {
		if !strings.Contains(out, w) {
			t.Errorf("log lacks %q:\n%s", w, out)
		}
	}

	_, err = LoadFiles(Files{UNLOCODE: unlocode, CountryCodes: countries})
	if !errors.Is(err, ErrNothingUsable) {
		t.Fatalf("a file of no usable rows: error = %v, want ErrNothingUsable", err)
	}
	for _, w := range []string{"reference file " + countries + " (country_codes)", "ISO3166-1-Alpha-2 is not two letters: 2 (first on line 2", "check that it is the file and layout"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	header := writeFile(t, dir, "hs.csv", "section,hscode,description,parent,level\n")
	if _, err := LoadFiles(Files{HS: header}); !errors.Is(err, ErrNothingUsable) || !strings.Contains(err.Error(), "the file has no rows") {
		t.Errorf("a file with a header only: error = %v, want ErrNothingUsable saying it has no rows", err)
	}
}

// Issue 13 item 7: a Fed H.10-style file of a country the loader does not
// know used to be skipped with an INFO line, and every price in its
// currency became no_fx_rate. Now the rows are counted by country in a
// warning, and a file that gives no rate at all stops the run. Not
// parallel: it reads slog's default logger.
func TestFedFileWithUnknownCountry(t *testing.T) {
	logs := captureLogs(t)
	dir := t.TempDir()
	onlyPK := writeFile(t, dir, "pkr-monthly.csv", "Date,Country,Exchange rate\n2024-01-01,Pakistan,281.0\n2024-02-01,Pakistan,279.5\n")
	n, err := LoadFXFiles([]FXFile{{Layout: "fed_h10", Path: onlyPK}}, rates{}.add)
	if !errors.Is(err, ErrNothingUsable) || n != 0 {
		t.Fatalf("rates %d, error %v; want none and ErrNothingUsable", n, err)
	}
	for _, w := range []string{onlyPK, "(fx fed_h10)", `Country "Pakistan" is no series this loader maps to a currency: 2 (first on line 2`} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}

	mixed := writeFile(t, dir, "monthly.csv", "Date,Country,Exchange rate\n2024-01-01,India,83.1\n2024-01-01,Pakistan,281.0\n2024-02-01,Pakistan,279.5\n")
	got := rates{}
	n, err = LoadFXFiles([]FXFile{{Layout: "fed_h10", Path: mixed}}, got.add)
	if err != nil || n != 1 || got["INR 2024-01-01"] != 83.1 {
		t.Fatalf("rates %d %v, error %v; want India's one rate", n, got, err)
	}
	out := logs.String()
	for _, w := range []string{"level=WARN", "file=" + mixed, "kind=\"fx fed_h10\"", "used=1", "unusable=2", "Pakistan"} {
		if !strings.Contains(out, w) {
			t.Errorf("log lacks %q:\n%s", w, out)
		}
	}
}

// The real files: what each yields, and that the rows left unused are the
// few the files themselves get wrong, not rows a loader misreads.
func TestRealReferenceFilesYield(t *testing.T) {
	t.Parallel()
	s := &Set{}
	y, err := s.LoadUNLOCODE(openShared(t, "reference/unlocode/unlocode_code_list_2022-1.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// Three requested codes break the code rules (DE 9B0, DE B90, IT 940:
	// UN/LOCODE uses the digits 2-9 only), 364 coordinates cells are
	// malformed (see TestUNLOCODECoordinatesReal), and 95 rows are
	// cross-references ("Vienna = Wien").
	if y.Used < 110000 || left(y.Unusable) != "coordinates malformed (port kept without a position)=364@135; country and location make no UN/LOCODE=3@24565" ||
		y.LeftOutRows() != 95 {
		t.Errorf("UN/LOCODE 2022-1: used %d, unusable %s, left out %s", y.Used, Describe(y.Unusable), Describe(y.LeftOut))
	}
	t.Logf("UN/LOCODE 2022-1: used %d; unusable %s", y.Used, Describe(y.Unusable))
	for _, f := range []struct {
		rel  string
		load func() (Yield, error)
		min  int
	}{
		{"reference/country-codes/country-codes.csv", func() (Yield, error) {
			return s.LoadCountryCodes(openShared(t, "reference/country-codes/country-codes.csv"))
		}, 248},
		{"reference/harmonized-system/harmonized-system.csv", func() (Yield, error) {
			return s.LoadHS(openShared(t, "reference/harmonized-system/harmonized-system.csv"))
		}, 5612},
		{"reference/fx-fed-h10/monthly.csv", func() (Yield, error) {
			return LoadFedH10(openShared(t, "reference/fx-fed-h10/monthly.csv"), nil, rates{}.add)
		}, 10000},
		{"reference/fx-ecb/eurofxref-hist.csv", func() (Yield, error) {
			return LoadECB(openShared(t, "reference/fx-ecb/eurofxref-hist.csv"), rates{}.add)
		}, 100000},
	} {
		y, err := f.load()
		if err != nil {
			t.Fatal(err)
		}
		if y.Used < f.min || len(y.Unusable) != 0 {
			t.Errorf("%s: used %d (want at least %d), unusable %s (want none)", f.rel, y.Used, f.min, Describe(y.Unusable))
		}
		t.Logf("%s: used %d, left out %s", f.rel, y.Used, Describe(y.LeftOut))
	}
}
