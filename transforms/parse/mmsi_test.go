package parse

import (
	"errors"
	"strings"
	"testing"
)

func TestParseMMSI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		mid  int
		flag string
	}{
		{"463012345", 463, "PK"}, // a Pakistani ship (MID 463, ITU list)
		{"477123400", 477, "HK"},
		{"636091234", 636, "LR"},
		{"538005678", 538, "MH"},
		{"367123450", 367, "US"},
		{"004630001", 463, "PK"}, // coast station
		{"992351000", 235, "GB"}, // aid to navigation
		{"111232500", 232, "GB"}, // SAR aircraft
		{"970123456", 0, ""},     // AIS-SART: no MID
		{"201123456", 201, ""},   // valid MID outside the compact table
		// MarineCadastre AIS sample rows (heading 511 = not available,
		// empty IMO): the MMSI alone still gives the flag.
		{"367777550", 367, "US"},
		{" 368091590 ", 368, "US"},
	}
	for _, tc := range tests {
		got, err := ParseMMSI(tc.in)
		if err != nil || got.MID != tc.mid || got.Flag != tc.flag || got.Number != strings.TrimSpace(tc.in) {
			t.Errorf("ParseMMSI(%q) = %+v, %v; want MID %d flag %q", tc.in, got, err, tc.mid, tc.flag)
		}
	}
	// "511" is the AIS heading sentinel ("not available"); it sits beside
	// the MMSI in the same rows and must not pass for one.
	for _, bad := range []string{"46301234", "4630123456", "46301234X", "123456789", "", "511", "367777550.0"} {
		if _, err := ParseMMSI(bad); !errors.Is(err, ErrBadMMSI) {
			t.Errorf("ParseMMSI(%q) error = %v, want ErrBadMMSI", bad, err)
		}
	}
}

// FuzzParseMMSI: an accepted MMSI is its nine trimmed digits, its MID is
// none or a real maritime MID, and the flag is the table's for that MID.
func FuzzParseMMSI(f *testing.F) {
	for _, s := range []string{"463012345", "367777550", "004630001", "992351000", "111232500", "970123456", "511", " 368091590 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseMMSI(s)
		if err != nil {
			if !errors.Is(err, ErrBadMMSI) {
				t.Fatalf("ParseMMSI(%q) error %v does not wrap ErrBadMMSI", s, err)
			}
			return
		}
		if got.Number != strings.TrimSpace(s) || len(got.Number) != 9 || !allDigits(got.Number) {
			t.Fatalf("ParseMMSI(%q) number %q: want the nine digits given", s, got.Number)
		}
		if got.MID != 0 && (got.MID < 201 || got.MID > 775) {
			t.Fatalf("ParseMMSI(%q) MID %d is outside 201-775", s, got.MID)
		}
		// The MID table covers more flag states (St Vincent "VC", ...) than
		// the compact country table, so the flag is checked for shape here
		// and against ISO 3166 in TestMIDFlagsMatchISO.
		if flag, _ := MIDFlag(got.MID); got.Flag != flag || got.Flag != "" && !isAlpha2(got.Flag) {
			t.Fatalf("ParseMMSI(%q) flag %q, table says %q", s, got.Flag, flag)
		}
		if again, err := ParseMMSI(got.Number); err != nil || again != got {
			t.Fatalf("ParseMMSI(%q) = %+v, %v; not stable", got.Number, again, err)
		}
	})
}

func isAlpha2(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}
