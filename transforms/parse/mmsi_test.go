package parse

import (
	"errors"
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
	}
	for _, tc := range tests {
		got, err := ParseMMSI(tc.in)
		if err != nil || got.MID != tc.mid || got.Flag != tc.flag || got.Number != tc.in {
			t.Errorf("ParseMMSI(%q) = %+v, %v; want MID %d flag %q", tc.in, got, err, tc.mid, tc.flag)
		}
	}
	for _, bad := range []string{"46301234", "4630123456", "46301234X", "123456789", ""} {
		if _, err := ParseMMSI(bad); !errors.Is(err, ErrBadMMSI) {
			t.Errorf("ParseMMSI(%q) error = %v, want ErrBadMMSI", bad, err)
		}
	}
}
