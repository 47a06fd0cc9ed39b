package reference

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/transforms/parse"
)

// sharedData is the folder of real public data beside the repository.
const sharedData = "../../../shared/data"

func openShared(t *testing.T, rel string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedData, rel))
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("shared data %s is absent; skipping the real-data check", rel)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// rates collects AddRate calls by currency and date.
type rates map[string]float64

func (r rates) add(cur string, day time.Time, v float64) error {
	r[cur+" "+day.Format(time.DateOnly)] = v
	return nil
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestLoadECB(t *testing.T) {
	t.Parallel()
	const src = "Date,USD,JPY,CYP,GBP,INR,\n2026-04-13,1.1684,186.75,N/A,0.87058,109.047,\n2026-04-10,N/A,186.43,N/A,0.87105,108.9,\n"
	got := rates{}
	st, err := LoadECB(strings.NewReader(src), got.add)
	if err != nil {
		t.Fatal(err)
	}
	want := rates{"EUR 2026-04-13": 1 / 1.1684, "JPY 2026-04-13": 186.75 / 1.1684, "GBP 2026-04-13": 0.87058 / 1.1684,
		"INR 2026-04-13": 109.047 / 1.1684}
	for k, w := range want {
		if !near(got[k], w) {
			t.Errorf("%s = %v, want %v", k, got[k], w)
		}
	}
	if len(got) != len(want) || st.Used != 4 || st.LeftOutRows() != 1 || st.UnusableRows() != 1 {
		t.Errorf("loaded %v (yield %+v); want only the USD-quoted day, CYP's gap left out, the day without USD unusable", got, st)
	}
}

func TestLoadFedH10(t *testing.T) {
	t.Parallel()
	const src = "Date,Country,Exchange rate\n1971-01-01,Australia,0.8944\n2020-01-01,China,7.0\n2020-01-01,Austria,14.1\n2020-02-01,India,\n"
	got := rates{}
	series := map[string]FedSeries{"Australia": {"AUD", true}, "China": {"CNY", false}} // as raw FRED quotes them
	st, err := LoadFedH10(strings.NewReader(src), series, got.add)
	if err != nil {
		t.Fatal(err)
	}
	if !near(got["AUD 1971-01-01"], 1/0.8944) || !near(got["CNY 2020-01-01"], 7) || len(got) != 2 || st.Used != 2 || st.UnusableRows() != 2 {
		t.Errorf("loaded %v, yield %+v; want AUD inverted, CNY as is, Austria and India (not in this series map) unusable", got, st)
	}
	if _, err := LoadFedH10(strings.NewReader("a,b\n"), nil, got.add); !errors.Is(err, ErrLayout) {
		t.Errorf("bad header: error = %v, want ErrLayout", err)
	}
}

// TestFXDirectionAgrees loads both real files and checks the pound and
// the yuan agree within 3% for a month both cover: a quote direction
// handled the wrong way round would be off by a factor of ~1.3 or ~50.
func TestFXDirectionAgrees(t *testing.T) {
	t.Parallel()
	ecb, fed := rates{}, rates{}
	if _, err := LoadECB(openShared(t, "reference/fx-ecb/eurofxref-hist.csv"), ecb.add); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFedH10(openShared(t, "reference/fx-fed-h10/monthly.csv"), nil, fed.add); err != nil {
		t.Fatal(err)
	}
	for _, cur := range []string{"GBP", "CNY", "EUR", "AUD", "JPY", "INR"} {
		e, f := ecb[cur+" 2019-07-01"], fed[cur+" 2019-07-01"]
		if e == 0 || f == 0 || math.Abs(e/f-1) > 0.03 {
			t.Errorf("%s per USD on 2019-07-01: ECB %v, Fed %v; want within 3%%", cur, e, f)
		}
	}
}

func TestSetPortsAndCountries(t *testing.T) {
	t.Parallel()
	s := &Set{}
	if _, err := s.LoadUNLOCODE(openShared(t, "reference/unlocode/unlocode_seaports.csv")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadCountryCodes(openShared(t, "reference/country-codes/country-codes.csv")); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Port("Arica"); err == nil {
		t.Errorf("Port(Arica) = %q; want unknown: Chile and Colombia both have a seaport Arica", got)
	}
	if _, err := s.LoadPortAliases(openShared(t, "shipping/carrier-schedules-sa-eu/utils__maersk_un_locodes_conversion.csv"),
		';', "UN_LOCODE", "Maersk_name"); err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{"Karachi": "PKKHI", "PK QCT": "PKQCT", "Arica": "CLARI", "CL ARI": "CLARI",
		"Port Qasim": "PKBQM", "Vlissingen": "NLVLI", "Arica Terminal Puerto Arica (TPA)": "CLARI",
		"Vlissingen Kloosterboer Vlissingen VOF": "NLVLI", "Antwerp PSA Antwerp K913 Noordzee": "BEANR"} {
		if got, err := s.Port(in); got != want {
			t.Errorf("Port(%q) = %q, %v; want %s", in, got, err, want)
		}
	}
	for in, want := range map[string]string{"Taiwan, China": "TW", "Kiribati": "KI", "KIR": "KI", "Russian Federation": "RU"} {
		if got, err := s.Country(in); got != want {
			t.Errorf("Country(%q) = %q, %v; want %s", in, got, err, want)
		}
	}
	if _, err := s.Port("Atlantis"); !errors.Is(err, parse.ErrUnknownPort) {
		t.Errorf("Port(Atlantis) error = %v, want ErrUnknownPort", err)
	}
	var nilSet *Set
	if got, err := nilSet.Port("PK KHI"); got != "PKKHI" || err != nil {
		t.Errorf("nil Set Port = %q, %v; want the built-in answer", got, err)
	}
}

// TestHSChaptersMatchFile checks the compact chapter table against the HS
// 2022 file: the same chapters exist, and subheadings validate.
func TestHSChaptersMatchFile(t *testing.T) {
	t.Parallel()
	s := &Set{}
	if _, err := s.LoadHS(openShared(t, "reference/harmonized-system/harmonized-system.csv")); err != nil {
		t.Fatal(err)
	}
	chapters := map[int]bool{}
	for code := range s.hs {
		c, _, err := s.HSCode(code)
		if err != nil {
			t.Fatalf("HSCode(%s): %v", code, err)
		}
		chapters[c.Chapter] = true
	}
	for ch := 1; ch <= 97; ch++ {
		_, named := parse.HSChapterName(ch)
		if named != chapters[ch] {
			t.Errorf("chapter %02d: compact table %v, HS file %v", ch, named, chapters[ch])
		}
	}
	if len(s.hs) != 5612 { // 5,613 level-6 rows less Comtrade's 999999
		t.Errorf("loaded %d subheadings, want 5612", len(s.hs))
	}
	if _, _, err := s.HSCode("620499"); !errors.Is(err, parse.ErrBadHS) {
		t.Errorf("HSCode(620499) error = %v, want ErrBadHS (not in HS 2022)", err)
	}
}

// TestMIDTableMatchesITU checks every compact MID entry against the ITU
// list, resolved through the ISO country file.
func TestMIDTableMatchesITU(t *testing.T) {
	t.Parallel()
	iso := &Set{}
	if _, err := iso.LoadCountryCodes(openShared(t, "reference/country-codes/country-codes.csv")); err != nil {
		t.Fatal(err)
	}
	full := &Set{}
	y, err := full.LoadMIDs(openShared(t, "shipping/world-port-index-and-us-ports/MaritimeIdentificationDigits.csv"), iso.Country)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ITU MID list: %d MIDs resolved to a country, %d not (%s)", len(full.mids), y.UnusableRows(), Describe(y.Unusable))
	for mid := 201; mid <= 775; mid++ {
		flag, ok := parse.MIDFlag(mid)
		if !ok {
			continue
		}
		if got := full.mids[mid]; got != flag {
			t.Errorf("MID %d: compact table %s, ITU list %q", mid, flag, got)
		}
	}
	if m, _ := full.MMSI("201123456"); m.Flag != "AL" {
		t.Errorf("MMSI 201123456 with the ITU list loaded: flag %q, want AL", m.Flag)
	}
}

// TestMaerskAliasBases: the alias file's qualified names ("Suape
// (Pernambuco), Brazil", "Vila do Conde Pt/Barcarena") settle Maersk's
// terminal descriptions, including one whose leading words name another
// country's seaport (Vila do Conde, Portugal).
func TestMaerskAliasBases(t *testing.T) {
	t.Parallel()
	s := &Set{}
	if _, err := s.LoadUNLOCODE(openShared(t, "reference/unlocode/unlocode_code_list_2022-1.csv")); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Port("Vila do Conde Convicon Conteineres de ViladoConde"); got != "PTVIC" {
		t.Fatalf("without aliases: %q, want PTVIC (the only seaport of that name in UN/LOCODE)", got)
	}
	if _, err := s.LoadPortAliases(openShared(t, "shipping/carrier-schedules-sa-eu/utils__maersk_un_locodes_conversion.csv"),
		';', "UN_LOCODE", "Maersk_name"); err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{"Suape Suape Terminal": "BRSUA", "Pecem Pecem Port of": "BRPEC",
		"Cartagena Cartagena -Terminal de Contenedores": "COSPC", "Vila do Conde Convicon Conteineres de ViladoConde": "BRVDC",
		"Manaus Chibatao": "BRMAO"} {
		if got, err := s.Port(in); got != want {
			t.Errorf("Port(%q) = %q, %v; want %s", in, got, err, want)
		}
	}
}

func TestAliasBase(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"Suape (Pernambuco)": "suape", "Vila do Conde Pt/Barcarena": "vila do conde",
		"Arica": "arica", "Port": "port", "Puerto Bolivar - El Oro": "puerto bolivar el oro"} {
		if got := aliasBase(in); got != want {
			t.Errorf("aliasBase(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPakistaniPortsBuiltIn: every Pakistani location UN/LOCODE 2022-1
// lists as a port (function 1) resolves by its code and its name without
// any file loaded, and the WPI's misspelling of Port Qasim resolves too.
func TestPakistaniPortsBuiltIn(t *testing.T) {
	t.Parallel()
	tb, err := newTable(openShared(t, "reference/unlocode/unlocode_code_list_2022-1.csv"), ',', "country", "location", "name", "function")
	if err != nil {
		t.Fatal(err)
	}
	var nilSet *Set
	n := 0
	err = tb.each(func(f []string) error {
		if f[0] != "PK" || !strings.HasPrefix(f[3], "1") {
			return nil
		}
		n++
		code := "PK" + f[1]
		if got, err := nilSet.Port(code); got != code {
			t.Errorf("Port(%s) = %q, %v", code, got, err)
		}
		name, ok := parse.PortName(code)
		if !ok {
			t.Errorf("%s (%s) is not in the built-in table", code, f[2])
			return nil
		}
		if got, err := nilSet.Port(name); got != code {
			t.Errorf("Port(%q) = %q, %v; want %s", name, got, err, code)
		}
		return nil
	})
	if err != nil || n != 12 {
		t.Fatalf("read %d Pakistani ports (%v); want the 12 of UN/LOCODE 2022-1", n, err)
	}
	for in, want := range map[string]string{"Muhamamad Bin Qasim": "PKBQM", "PK BQM": "PKBQM", "Pasni": "PKPSI",
		"Qasim International Container Terminal/Karachi": "PKQCT", "QICT": "PKBQM", "Keti Bunder": "PKKBU"} {
		if got, err := nilSet.Port(in); got != want {
			t.Errorf("Port(%q) = %q, %v; want %s", in, got, err, want)
		}
	}
}

// TestUNLOCODECoordinates: a UN/LOCODE row's coordinates cell gives its
// port a position in decimal degrees; an empty or malformed cell leaves
// the port without one and is counted, and the port still resolves.
func TestUNLOCODECoordinates(t *testing.T) {
	t.Parallel()
	const src = `change,country,location,name,name_wo_diacritics,subdivision,function,status,date,iata,coordinates,remarks
,PK,KHI,Karachi,Karachi,SD,12345---,AI,9601,,2449N 06658E,
,CL,ARI,Arica,Arica,AP,1-34----,AI,1207,,1829S 07019W,
,CL,ARI,Arica,Arica,AP,1-34----,AI,1207,,0000N 00000E,
,NL,RTM,Rotterdam,Rotterdam,ZH,12345---,AF,0501,,,
,CA,HAL,Halifax,Halifax,NS,1234----,AI,0501,,4427N 064250W,
,AE,XXX,Somewhere,Somewhere,,1-------,RL,0501,,2444N 05045,
,BR,YYY,Elsewhere,Elsewhere,,1-------,RL,0501,,  ,
,US,ZZZ,Nowhere,Nowhere,,1-------,RL,0501,,9060N 18000E,
`
	s := &Set{}
	if _, err := s.LoadUNLOCODE(strings.NewReader(src)); err != nil {
		t.Fatal(err)
	}
	type pos struct {
		lat, lon float64
		ok       bool
	}
	for code, want := range map[string]pos{
		"PKKHI": {24 + 49.0/60, 66 + 58.0/60, true},
		"CLARI": {-(18 + 29.0/60), -(70 + 19.0/60), true}, // the first row of a code wins
		"NLRTM": {},                                       // empty
		"CAHAL": {},                                       // malformed: 6-digit longitude
		"AEXXX": {},                                       // malformed: no hemisphere
		"BRYYY": {},                                       // blank
		"USZZZ": {},                                       // malformed: out of range
		"DEHAM": {},                                       // not in the file
	} {
		lat, lon, ok := s.PortCoordinates(code)
		if ok != want.ok || !near(lat, want.lat) || !near(lon, want.lon) {
			t.Errorf("PortCoordinates(%s) = %v, %v, %v; want %v, %v, %v", code, lat, lon, ok, want.lat, want.lon, want.ok)
		}
		if code != "DEHAM" {
			if got, err := s.Port(code); got != code {
				t.Errorf("Port(%s) = %q, %v; a port without coordinates still resolves", code, got, err)
			}
		}
	}
	sz := s.Sizes()
	if sz["port_coordinates"] != 2 || sz["port_coordinates_empty"] != 2 || sz["port_coordinates_malformed"] != 3 {
		t.Errorf("Sizes = %v; want 2 ports with coordinates, 2 empty and 3 malformed cells", sz)
	}

	// A list without the coordinates column still loads, without positions.
	bare := &Set{}
	if _, err := bare.LoadUNLOCODE(strings.NewReader("country,location,name,name_wo_diacritics,function\nPK,KHI,Karachi,Karachi,12345---\n")); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := bare.PortCoordinates("PKKHI"); ok {
		t.Error("coordinates from a file without the column")
	}
	if got, _ := bare.Port("PKKHI"); got != "PKKHI" {
		t.Errorf("Port(PKKHI) = %q without the coordinates column", got)
	}
	var none *Set
	if _, _, ok := none.PortCoordinates("PKKHI"); ok {
		t.Error("a nil Set has coordinates")
	}
}

// TestUNLOCODECoordinatesReal: the real code list's coordinates parse,
// bar its few malformed cells (364 in 2022-1, nearly all minutes of 60 or
// more such as "3313N 06883E", which look like decimal fractions), and
// Rotterdam lands where it is.
func TestUNLOCODECoordinatesReal(t *testing.T) {
	t.Parallel()
	s := &Set{}
	if _, err := s.LoadUNLOCODE(openShared(t, "reference/unlocode/unlocode_code_list_2022-1.csv")); err != nil {
		t.Fatal(err)
	}
	if lat, lon, ok := s.PortCoordinates("NLRTM"); !ok || !near(lat, 51+55.0/60) || !near(lon, 4.5) {
		t.Errorf("PortCoordinates(NLRTM) = %v, %v, %v; want 5155N 00430E", lat, lon, ok)
	}
	sz := s.Sizes()
	if sz["port_coordinates"] < 80000 || sz["port_coordinates_malformed"] > 1000 || sz["port_coordinates_empty"] == 0 {
		t.Errorf("Sizes = %v; want most codes placed, a few malformed cells and many empty ones", sz)
	}
	t.Logf("UN/LOCODE 2022-1 coordinates: %v", sz)
}
