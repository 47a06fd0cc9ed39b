package parse

import (
	"fmt"
	"strings"
)

// equipmentCodes maps compacted container descriptions (upper case,
// without spaces, quotes, dashes or the word FT) to 20GP, 40GP or 40HC.
// ISO 6346 size-type codes (22G1, 42G1, 45G1) are included.
var equipmentCodes = map[string]string{
	"20": "20GP", "20GP": "20GP", "20DV": "20GP", "20DC": "20GP", "20ST": "20GP", "20STD": "20GP",
	"20DRY": "20GP", "20SD": "20GP", "22G1": "20GP", "22G0": "20GP", "TEU": "20GP",
	"40": "40GP", "40GP": "40GP", "40DV": "40GP", "40DC": "40GP", "40ST": "40GP", "40STD": "40GP",
	"40DRY": "40GP", "40SD": "40GP", "42G1": "40GP", "42G0": "40GP", "FEU": "40GP",
	"40HC": "40HC", "40HQ": "40HC", "40HCDV": "40HC", "40HIGHCUBE": "40HC", "40HCUBE": "40HC", "45G1": "40HC",
	"45G0": "40HC",
}

// Equipment maps a container type ("20'", "40' HC", "40HQ", "40ft High
// Cube") to 20GP, 40GP or 40HC.
func Equipment(s string) (string, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return "", fmt.Errorf("%w: equipment", ErrEmpty)
	}
	key := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\'', '"', '’', '′', '″', '-', '_', '\u00a0':
			return -1
		}
		return r
	}, strings.ToUpper(t))
	for _, w := range []string{"FEET", "FOOT", "FT"} {
		key = strings.Replace(key, w, "", 1)
	}
	if c, ok := equipmentCodes[key]; ok {
		return c, nil
	}
	return "", fmt.Errorf("%w %q: want 20GP, 40GP or 40HC", ErrUnknownEquipment, t)
}
