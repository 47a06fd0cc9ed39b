package parse

import (
	"fmt"
	"strconv"
	"strings"
)

// countryIndex maps folded names and codes, and numeric codes, to alpha-2.
var countryIndex, countryByNumber = buildCountryIndex()

func buildCountryIndex() (map[string]string, map[int]string) {
	byKey := make(map[string]string, len(countryTable)*5)
	byNum := make(map[int]string, len(countryTable))
	for _, c := range countryTable {
		byKey[fold(c.alpha2)] = c.alpha2
		byKey[fold(c.alpha3)] = c.alpha2
		byNum[c.numeric] = c.alpha2
		for _, n := range c.names {
			byKey[fold(n)] = c.alpha2
		}
	}
	return byKey, byNum
}

// Country maps a country as sources write it ("Pakistan", "PAK", "586",
// "Taiwan, China", "Hong Kong S.A.R.", "Türkiye", "Korea, Republic of")
// to its ISO 3166-1 alpha-2 code. Matching ignores case, spacing,
// punctuation and common diacritics.
func Country(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%w: country", ErrEmpty)
	}
	if allDigits(s) && len(s) <= 3 {
		n, _ := strconv.Atoi(s)
		if a2, ok := countryByNumber[n]; ok {
			return a2, nil
		}
		return "", fmt.Errorf("%w %q", ErrUnknownCountry, s)
	}
	key := fold(s)
	if a2, ok := countryIndex[key]; ok {
		return a2, nil
	}
	// "Republic of Kenya" and "Kenya (the)" name the country the short name does.
	for _, pre := range []string{"the ", "republic of ", "kingdom of ", "state of "} {
		if rest, ok := strings.CutPrefix(key, pre); ok {
			if a2, ok := countryIndex[rest]; ok {
				return a2, nil
			}
		}
	}
	if rest, ok := strings.CutSuffix(key, " the"); ok {
		if a2, ok := countryIndex[rest]; ok {
			return a2, nil
		}
	}
	return "", fmt.Errorf("%w %q", ErrUnknownCountry, s)
}

// IsCountryCode reports whether a2 is an alpha-2 code in the country table.
func IsCountryCode(a2 string) bool {
	v, ok := countryIndex[strings.ToLower(a2)]
	return ok && v == a2
}
