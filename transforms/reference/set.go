package reference

import (
	"errors"
	"fmt"
	"strings"

	"github.com/exportpipe/exportpipe/transforms/parse"
)

// Set extends the built-in tables of transforms/parse with loaded files.
// The zero value (or nil) adds nothing. A Set is filled once at start-up
// and then only read, so it is safe for concurrent use.
type Set struct {
	portCodes map[string]bool   // UN/LOCODEs from the file
	portNames map[string]string // folded unique seaport name -> code
	countries map[string]string // folded name or code -> alpha-2
	hs        map[string]string // 6-digit code -> description
	mids      map[int]string    // MID -> alpha-2

	portCoords map[string]latLon // UN/LOCODE -> its file row's coordinates
	// Rows of the UN/LOCODE file whose coordinates cell was empty, or
	// malformed (parse.ParseLOCODECoordinates failed): their ports have
	// no coordinates unless another row of the same code gives them.
	coordsEmpty, coordsBad int
}

// latLon is a position in decimal degrees, south and west negative.
type latLon struct{ lat, lon float64 }

// PortCoordinates returns the position of a port by its UN/LOCODE, in
// decimal degrees (south and west negative), as the loaded UN/LOCODE
// file's coordinates column gives it. ok is false without a file, for a
// code the file does not list, and for one whose cell is empty or
// malformed there; the built-in table carries no coordinates of its own.
func (s *Set) PortCoordinates(locode string) (lat, lon float64, ok bool) {
	if s == nil {
		return 0, 0, false
	}
	c, ok := s.portCoords[locode]
	return c.lat, c.lon, ok
}

// Port resolves a port: the built-in table first, then the loaded
// UN/LOCODE list (codes, then seaport names that name one port only).
func (s *Set) Port(v string) (string, error) {
	code, err := parse.Port(v)
	if err == nil || s == nil || len(s.portCodes) == 0 || !errors.Is(err, parse.ErrUnknownPort) {
		return code, err
	}
	c := strings.ToUpper(strings.Join(strings.Fields(v), ""))
	if s.portCodes[c] {
		return c, nil
	}
	key := parse.FoldName(v)
	if c, ok := s.portNames[key]; ok {
		return c, nil
	}
	if name, _, ok := strings.Cut(v, ","); ok {
		if c, ok := s.portNames[parse.FoldName(name)]; ok {
			return c, nil
		}
	}
	if c, ok := s.portPrefix(key); ok {
		return c, nil
	}
	return "", err
}

// maxPrefixWords bounds how many leading words name a port.
const maxPrefixWords = 4

// portPrefix resolves terminal descriptions such as Maersk writes them,
// "Arica Terminal Puerto Arica (TPA)", by their longest leading words that
// name exactly one port (built-in, alias, or unique UN/LOCODE seaport).
func (s *Set) portPrefix(key string) (string, bool) {
	words := strings.Fields(key)
	for n := min(len(words)-1, maxPrefixWords); n >= 1; n-- {
		p := strings.Join(words[:n], " ")
		if c, ok := s.portNames[p]; ok {
			return c, true
		}
		if c, err := parse.Port(p); err == nil && !parse.IsLOCODE(strings.ToUpper(p)) {
			return c, true
		}
	}
	return "", false
}

// Country resolves a country: the built-in table first, then the names
// and codes of the loaded ISO 3166 file.
func (s *Set) Country(v string) (string, error) {
	a2, err := parse.Country(v)
	if err == nil || s == nil || len(s.countries) == 0 || !errors.Is(err, parse.ErrUnknownCountry) {
		return a2, err
	}
	if a2, ok := s.countries[parse.FoldName(v)]; ok {
		return a2, nil
	}
	return "", err
}

// HSCode validates a 6-digit HS code and, when an HS file was loaded,
// insists the subheading exists in it and returns its description.
func (s *Set) HSCode(v string) (parse.HSCode, string, error) {
	c, err := parse.ParseHSCode(v)
	if err != nil || s == nil || len(s.hs) == 0 {
		return c, "", err
	}
	desc, ok := s.hs[c.Code]
	if !ok {
		return parse.HSCode{}, "", fmt.Errorf("%w %q: subheading %s is not in the loaded HS nomenclature", parse.ErrBadHS, v, c.Code)
	}
	return c, desc, nil
}

// MMSI parses an MMSI and fills the flag from the loaded MID list when
// the built-in table does not know its MID.
func (s *Set) MMSI(v string) (parse.MMSI, error) {
	m, err := parse.ParseMMSI(v)
	if err == nil && m.Flag == "" && m.MID != 0 && s != nil {
		m.Flag = s.mids[m.MID]
	}
	return m, err
}

// Sizes reports how many entries each loaded table holds, for logs, and
// how many UN/LOCODE rows had an empty or a malformed coordinates cell.
func (s *Set) Sizes() map[string]int {
	if s == nil {
		return map[string]int{}
	}
	return map[string]int{"ports": len(s.portCodes), "port_names": len(s.portNames),
		"countries": len(s.countries), "hs": len(s.hs), "mids": len(s.mids),
		"port_coordinates": len(s.portCoords), "port_coordinates_empty": s.coordsEmpty,
		"port_coordinates_malformed": s.coordsBad}
}
