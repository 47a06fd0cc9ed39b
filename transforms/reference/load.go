package reference

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/exportpipe/exportpipe/transforms/parse"
)

// LoadUNLOCODE adds a UN/LOCODE list in the layout of unlocode_*.csv
// (country, location, name, name_wo_diacritics, function, ...,
// coordinates, ...). Every code is accepted; names are indexed for
// seaports (function starting with "1") only, and a name shared by two
// seaports is dropped rather than resolved to either.
//
// The coordinates column ("2449N 06658E", see
// parse.ParseLOCODECoordinates) gives a code its PortCoordinates; a code
// listed twice keeps the first coordinates given. An empty cell leaves the
// port without coordinates (Sizes counts them); a malformed one too, and
// the row is counted as unusable for its position. A file without the
// column loads codes and names only.
//
// Rows whose country and location make no UN/LOCODE are counted as
// unusable, except the list's cross-references ("Vienna = Wien", with no
// location), which point at another row by design.
func (s *Set) LoadUNLOCODE(r io.Reader) (Yield, error) {
	var y tally
	t, err := newTable(r, ',', "country", "location", "name", "name_wo_diacritics", "function")
	if err != nil {
		return y.y, fmt.Errorf("unlocode: %w", err)
	}
	withCoords := t.optional("coordinates") // f[5]
	s.portCodes, s.portNames = orNew(s.portCodes), orNewS(s.portNames)
	if withCoords && s.portCoords == nil {
		s.portCoords = map[string]latLon{}
	}
	dup := map[string]bool{}
	err = t.each(func(f []string) error {
		code := strings.ToUpper(strings.TrimSpace(f[0]) + strings.TrimSpace(f[1]))
		if !parse.IsLOCODE(code) {
			if strings.TrimSpace(f[1]) == "" && strings.Contains(f[2], " = ") {
				y.leftOut("cross-reference to another entry", t.line, f[2])
			} else {
				y.unusable("country and location make no UN/LOCODE", t.line, f[0]+" "+f[1]+" "+f[2])
			}
			return nil
		}
		y.use()
		s.portCodes[code] = true
		if withCoords && !s.addCoordinates(code, f[5]) {
			y.unusable("coordinates malformed (port kept without a position)", t.line, code+" "+f[5])
		}
		if !strings.HasPrefix(f[4], "1") {
			return nil
		}
		for _, n := range []string{f[2], f[3]} {
			indexName(s.portNames, dup, parse.FoldName(n), code)
		}
		return nil
	})
	if err != nil {
		return y.y, fmt.Errorf("unlocode: %w", err)
	}
	return y.y, nil
}

// addCoordinates keeps the position a UN/LOCODE row gives its code,
// counting an empty or malformed cell instead; it is false for a
// malformed one.
func (s *Set) addCoordinates(code, cell string) bool {
	if strings.TrimSpace(cell) == "" {
		s.coordsEmpty++
		return true
	}
	lat, lon, err := parse.ParseLOCODECoordinates(cell)
	if err != nil {
		s.coordsBad++
		return false
	}
	if _, ok := s.portCoords[code]; !ok {
		s.portCoords[code] = latLon{lat, lon}
	}
	return true
}

// LoadPortAliases adds a carrier's own port names in the layout of
// maersk_un_locodes_conversion.csv ("UN_LOCODE;Maersk_name;..."). An
// alias wins over a UN/LOCODE name that several ports share: the carrier
// says which one it means, and the Set then means it for every source.
// "Arica, Chile" is indexed as "Arica" too, "Suape (Pernambuco), Brazil"
// as "Suape (Pernambuco)" and "Suape", and "Vila do Conde Pt/Barcarena"
// as "Vila do Conde", so the carrier's terminal descriptions ("Suape Suape
// Terminal", "Vila do Conde Convicon ...") resolve by their leading words.
func (s *Set) LoadPortAliases(r io.Reader, comma rune, codeCol, nameCol string) (Yield, error) {
	var y tally
	t, err := newTable(r, comma, codeCol, nameCol)
	if err != nil {
		return y.y, fmt.Errorf("port aliases: %w", err)
	}
	s.portCodes, s.portNames = orNew(s.portCodes), orNewS(s.portNames)
	err = t.each(func(f []string) error {
		code := strings.ToUpper(strings.TrimSpace(f[0]))
		switch {
		case !parse.IsLOCODE(code):
			y.unusable(codeCol+" is not a UN/LOCODE", t.line, f[0])
			return nil
		case parse.FoldName(f[1]) == "":
			y.unusable(nameCol+" is blank", t.line, f[0])
			return nil
		}
		y.use()
		s.portCodes[code] = true
		s.portNames[parse.FoldName(f[1])] = code
		name, _, _ := strings.Cut(f[1], ",")
		s.portNames[parse.FoldName(name)] = code
		if k := aliasBase(name); k != "" {
			s.portNames[k] = code
		}
		return nil
	})
	if err != nil {
		return y.y, fmt.Errorf("port aliases: %w", err)
	}
	return y.y, nil
}

// aliasBase is the place name of an alias without its qualifiers: before
// any "(" or "/", less a trailing "Pt" or "Port" (UN/LOCODE's way of
// writing "Vila do Conde Pt/Barcarena"), folded.
func aliasBase(name string) string {
	if i := strings.IndexAny(name, "(/"); i >= 0 {
		name = name[:i]
	}
	words := strings.Fields(parse.FoldName(name))
	if n := len(words); n > 1 && (words[n-1] == "pt" || words[n-1] == "port") {
		words = words[:n-1]
	}
	return strings.Join(words, " ")
}

func indexName(m map[string]string, dup map[string]bool, key, code string) {
	if key == "" || dup[key] {
		return
	}
	if prev, ok := m[key]; ok && prev != code {
		delete(m, key)
		dup[key] = true
		return
	}
	m[key] = code
}

// LoadCountryCodes adds the names and codes of an ISO 3166 file in the
// layout of datasets/country-codes (ISO3166-1-Alpha-2, -Alpha-3,
// official_name_en, CLDR display name).
func (s *Set) LoadCountryCodes(r io.Reader) (Yield, error) {
	var y tally
	t, err := newTable(r, ',', "ISO3166-1-Alpha-2", "ISO3166-1-Alpha-3", "official_name_en", "CLDR display name")
	if err != nil {
		return y.y, fmt.Errorf("country codes: %w", err)
	}
	s.countries = orNewS(s.countries)
	err = t.each(func(f []string) error {
		a2 := strings.ToUpper(strings.TrimSpace(f[0]))
		switch {
		case a2 == "NA":
			y.leftOut(`Namibia: its code "NA" is how sources write "not available"`, t.line, f[0])
			return nil
		case len(a2) != 2:
			y.unusable("ISO3166-1-Alpha-2 is not two letters", t.line, f[0]+" "+f[2])
			return nil
		}
		y.use()
		for _, n := range f[1:] {
			if k := parse.FoldName(n); k != "" {
				s.countries[k] = a2
			}
		}
		return nil
	})
	if err != nil {
		return y.y, fmt.Errorf("country codes: %w", err)
	}
	return y.y, nil
}

// LoadHS adds the HS nomenclature in the layout of
// datasets/harmonized-system (hscode, description, level); only the
// 6-digit subheadings (level 6) are kept.
func (s *Set) LoadHS(r io.Reader) (Yield, error) {
	var y tally
	t, err := newTable(r, ',', "hscode", "description", "level")
	if err != nil {
		return y.y, fmt.Errorf("hs: %w", err)
	}
	s.hs = orNewS(s.hs)
	err = t.each(func(f []string) error {
		code := strings.TrimSpace(f[0])
		switch {
		case strings.TrimSpace(f[2]) != "6":
			y.leftOut("sections, chapters and headings (level other than 6)", t.line, code)
		case code == "999999":
			// Comtrade's "not specified according to kind" names no chapter.
			y.leftOut("999999, commodities not specified: no HS chapter", t.line, code)
		default:
			if _, err := parse.ParseHSCode(code); err != nil || len(code) != 6 {
				y.unusable("level 6 but not a 6-digit subheading of an HS chapter", t.line, f[0])
				return nil
			}
			y.use()
			s.hs[code] = strings.Clone(f[1])
		}
		return nil
	})
	if err != nil {
		return y.y, fmt.Errorf("hs: %w", err)
	}
	return y.y, nil
}

// LoadMIDs adds the ITU MID list (MID, Allocated_to). Names resolve
// through country; "Portugal - Azores" and "Albania (Republic of)" are
// reduced to the country first. A row whose MID is not a number or whose
// allocation names no country country knows is counted as unusable.
func (s *Set) LoadMIDs(r io.Reader, country func(string) (string, error)) (Yield, error) {
	var y tally
	t, err := newTable(r, ',', "MID", "Allocated_to")
	if err != nil {
		return y.y, fmt.Errorf("mids: %w", err)
	}
	s.mids = orNewI(s.mids)
	err = t.each(func(f []string) error {
		mid, err := strconv.Atoi(strings.TrimSpace(f[0]))
		if err != nil {
			y.unusable("MID is not a number", t.line, f[0])
			return nil
		}
		if a2, ok := midCountry(f[1], country); ok {
			y.use()
			s.mids[mid] = a2
		} else {
			y.unusable("Allocated_to names no country the country tables know", t.line, f[1])
		}
		return nil
	})
	if err != nil {
		return y.y, fmt.Errorf("mids: %w", err)
	}
	return y.y, nil
}

// midCountry resolves an ITU allocation. A territory ("Denmark - Faroe
// Islands", "China (People's Republic of) - Hong Kong (...)") flies its
// own flag code when it has one; otherwise ("Portugal - Azores") the
// country before the dash applies.
func midCountry(s string, country func(string) (string, error)) (string, bool) {
	parts := strings.SplitN(s, " - ", 2)
	for i := len(parts) - 1; i >= 0; i-- {
		name := parts[i]
		if j := strings.Index(name, " ("); j > 0 {
			name = name[:j]
		}
		name = strings.TrimSpace(name)
		if alias, ok := itunames[name]; ok {
			name = alias
		}
		if a2, err := country(name); err == nil {
			return a2, true
		}
	}
	return "", false
}

// itunames are ITU's formal names that no ISO short name matches.
var itunames = map[string]string{"Togolese Republic": "Togo", "Argentine Republic": "Argentina"}

func orNew(m map[string]bool) map[string]bool {
	if m == nil {
		return map[string]bool{}
	}
	return m
}

func orNewS(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func orNewI(m map[int]string) map[int]string {
	if m == nil {
		return map[int]string{}
	}
	return m
}
