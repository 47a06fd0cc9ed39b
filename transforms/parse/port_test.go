package parse

import (
	"errors"
	"math"
	"testing"
)

func TestPort(t *testing.T) {
	t.Parallel()
	tests := map[string][]string{
		"PKKHI": {"PKKHI", "PK KHI", "pkkhi", "Karachi", "Karachi Port", "KICT", "South Asia Pakistan Terminals", "KARACHI", "Karachi, Pakistan"},
		"PKBQM": {"PKBQM", "Port Qasim", "Port Muhammad Bin Qasim", "Muhammad Bin Qasim", "QICT", "port qasim",
			"Muhamamad Bin Qasim", "PK BQM"}, // World Port Index spelling (sic) and its UN/LOCODE column
		"AEJEA": {"Jebel Ali", "AEJEA"}, "NLRTM": {"Rotterdam"}, "DEHAM": {"Hamburg"}, "GBFXT": {"Felixstowe"},
		"CNSHA": {"Shanghai", "CN SHA"}, "SGSIN": {"Singapore"}, "LKCMB": {"Colombo"}, "USNYC": {"New York"},
		"SAJED": {"Jeddah"}, "ITGOA": {"Genoa", "GENOA", "Genova"}, "ESVLC": {"Valencia"}, "BEANR": {"Antwerp", "Antwerpen"},
		"TRIST": {"TRIST", "TR IST"}, // well-formed, capitals, known country: passed through
	}
	for want, ins := range tests {
		for _, in := range ins {
			t.Run(in, func(t *testing.T) {
				t.Parallel()
				if got, err := Port(in); err != nil || got != want {
					t.Errorf("Port(%q) = %q, %v; want %q", in, got, err, want)
				}
			})
		}
	}
}

func TestPortErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"Atlantis", "", "Basra", "trist", "XXABC", "ZZ123"} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			if got, err := Port(in); !errors.Is(err, ErrUnknownPort) && !errors.Is(err, ErrEmpty) {
				t.Errorf("Port(%q) = %q, %v; want ErrUnknownPort", in, got, err)
			}
		})
	}
}

func FuzzPort(f *testing.F) {
	for _, s := range []string{"PK KHI", "Port Qasim", "Atlantis", "Karachi, Pakistan", "TRIST"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Port(s)
		if err == nil && !isLOCODE(c) {
			t.Fatalf("Port(%q) = %q: not a UN/LOCODE", s, c)
		}
	})
}

func TestParseLOCODECoordinates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		lat, lon float64
	}{
		{"2449N 06658E", 24 + 49.0/60, 66 + 58.0/60},
		{"2951S 03101E", -(29 + 51.0/60), 31 + 1.0/60},
		{"4042N 07400W", 40 + 42.0/60, -74},
		{" 0000N 00000E ", 0, 0},
		{"9000S 18000W", -90, -180},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			lat, lon, err := ParseLOCODECoordinates(tc.in)
			if err != nil || math.Abs(lat-tc.lat) > 1e-9 || math.Abs(lon-tc.lon) > 1e-9 {
				t.Errorf("ParseLOCODECoordinates(%q) = %v, %v, %v; want %v, %v", tc.in, lat, lon, err, tc.lat, tc.lon)
			}
		})
	}
	for _, bad := range []string{"", "2449N", "2449E 06658N", "2460N 06658E", "9100N 00000E", "9001N 00000E",
		"2449N 18100E", "24x9N 06658E", "2449N 6658E"} {
		t.Run("bad "+bad, func(t *testing.T) {
			t.Parallel()
			if _, _, err := ParseLOCODECoordinates(bad); !errors.Is(err, ErrBadCoordinates) {
				t.Errorf("ParseLOCODECoordinates(%q) error = %v, want ErrBadCoordinates", bad, err)
			}
		})
	}
}

func FuzzParseLOCODECoordinates(f *testing.F) {
	f.Add("2449N 06658E")
	f.Add("2951S 03101E")
	f.Fuzz(func(t *testing.T, s string) {
		lat, lon, err := ParseLOCODECoordinates(s)
		if err == nil && (math.Abs(lat) > 90 || math.Abs(lon) > 180) {
			t.Fatalf("ParseLOCODECoordinates(%q) = %v, %v: out of range", s, lat, lon)
		}
	})
}
