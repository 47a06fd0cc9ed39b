package parse

import (
	"fmt"
	"strings"
)

var portByCode, portByName = buildPortIndex()

func buildPortIndex() (map[string]string, map[string]string) {
	byCode := make(map[string]string, len(portTable))
	byName := make(map[string]string, len(portTable)*3)
	for _, p := range portTable {
		byCode[p.code] = p.names[0]
		for _, n := range p.names {
			byName[fold(n)] = p.code
		}
	}
	return byCode, byName
}

// Port maps a port as sources write it to its UN/LOCODE: the code itself
// ("PKKHI", "pk khi"), a name or terminal ("Port Qasim", "QICT",
// "Karachi, Pakistan"), in any case.
//
// A well-formed code that is not in the table is accepted only when
// written in capitals with a known country prefix ("TRIST"), so real feeds
// naming other ports still load, while a five-letter word such as "Basra"
// is not mistaken for a code ("BA SRA").
func Port(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%w: port", ErrEmpty)
	}
	code := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if _, ok := portByCode[code]; ok {
		return code, nil
	}
	key := fold(s)
	if c, ok := portByName[key]; ok {
		return c, nil
	}
	if name, _, ok := strings.Cut(s, ","); ok {
		if c, ok := portByName[fold(name)]; ok {
			return c, nil
		}
	}
	if isLOCODE(code) && code == strings.Join(strings.Fields(s), "") && IsCountryCode(code[:2]) {
		return code, nil
	}
	return "", fmt.Errorf("%w %q", ErrUnknownPort, s)
}

// PortName returns the display name of a port in the table.
func PortName(code string) (string, bool) {
	n, ok := portByCode[code]
	return n, ok
}

// isLOCODE checks the shape: two country letters, then three letters or
// digits 2-9.
func isLOCODE(c string) bool {
	if len(c) != 5 {
		return false
	}
	for i := 0; i < 5; i++ {
		ch := c[i]
		letter := ch >= 'A' && ch <= 'Z'
		if i < 2 && !letter || i >= 2 && !letter && (ch < '2' || ch > '9') {
			return false
		}
	}
	return true
}
