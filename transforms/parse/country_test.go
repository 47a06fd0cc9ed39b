package parse

import (
	"errors"
	"testing"
)

func TestCountry(t *testing.T) {
	t.Parallel()
	tests := map[string][]string{
		"PK": {"Pakistan", "PK", "PAK", "pakistan", "Pakistan ", "Islamic Republic of Pakistan", "586", "pk"},
		"CN": {"China", "CN", "China (Mainland)", "Mainland China", "CHN", "156"},
		"TW": {"Taiwan, China", "Taiwan", "TW", "Taiwan, Province of China"},
		"HK": {"Hong Kong S.A.R.", "Hong Kong", "HK", "hong kong sar"},
		"BD": {"Bangladesh", "BD", "BGD", "050", "50"},
		"IN": {"India", "IN", "IND"},
		"TR": {"Turkey", "Türkiye", "TR", "TURKIYE", "Turkiye"},
		"VN": {"Vietnam", "Viet Nam", "VNM"},
		"AE": {"United Arab Emirates", "UAE", "U.A.E.", "ARE"},
		"KR": {"South Korea", "Korea", "Korea, Republic of", "Republic of Korea", "KOR"},
		"RU": {"Russian Federation", "Russia", "RU"},
		"US": {"United States", "USA", "U.S.A.", "United States of America", "840"},
		"GB": {"United Kingdom", "UK", "GB", "Great Britain"},
		"NL": {"Netherlands", "The Netherlands", "Netherlands (the)", "Holland"},
		"AF": {"Afghanistan", "004", "4"},
		"CI": {"Côte d'Ivoire", "Cote d'Ivoire", "Ivory Coast"},
		"KE": {"Republic of Kenya", "Kenya"},
		"SA": {"Saudi Arabia", "KSA", "SAU"},
		// ISO numeric codes arrive zero-padded, as in the ISO files ("008").
		"AL": {"Albania", "ALB", "008", "8"},
	}
	for want, ins := range tests {
		for _, in := range ins {
			t.Run(in, func(t *testing.T) {
				t.Parallel()
				if got, err := Country(in); err != nil || got != want {
					t.Errorf("Country(%q) = %q, %v; want %q", in, got, err, want)
				}
			})
		}
	}
}

func TestCountryErrors(t *testing.T) {
	t.Parallel()
	// "North America 20%" is a sales-region share that shifts into the
	// Alibaba country column; "Abu Z¸aby" is a province (sea-ports).
	for _, in := range []string{"Narnia", "", "  ", "N/A", "NA", "999", "North Korea", "Republic of",
		"North America 20%", "North America", "Abu Z¸aby"} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			if got, err := Country(in); err == nil {
				t.Errorf("Country(%q) = %q, want an error", in, got)
			} else if !errors.Is(err, ErrUnknownCountry) && !errors.Is(err, ErrEmpty) {
				t.Errorf("Country(%q) error = %v, want ErrUnknownCountry or ErrEmpty", in, err)
			}
		})
	}
}

// TestCountryTableSize guards the brief's minimum of ~60 trading countries.
func TestCountryTableSize(t *testing.T) {
	t.Parallel()
	if n := len(countryTable); n < 60 {
		t.Errorf("country table has %d countries, want at least 60", n)
	}
	seen := map[string]bool{}
	for _, c := range countryTable {
		if seen[c.alpha2] {
			t.Errorf("country %s listed twice", c.alpha2)
		}
		seen[c.alpha2] = true
	}
}

func FuzzCountry(f *testing.F) {
	for _, s := range []string{"Pakistan", "Taiwan, China", "Hong Kong S.A.R.", "586", "Türkiye", "N/A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a2, err := Country(s)
		if err == nil && !IsCountryCode(a2) {
			t.Fatalf("Country(%q) = %q: not an alpha-2 code of the table", s, a2)
		}
	})
}
