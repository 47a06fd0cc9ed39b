package parse

import (
	"errors"
	"testing"
)

func TestParseIMO(t *testing.T) {
	t.Parallel()
	good := map[string]string{
		"IMO 9321483": "9321483", "9321483": "9321483", " imo9321483 ": "9321483",
		"IMO: 9321483": "9321483", "IMO No. 9321483": "9321483", "9074729": "9074729",
		// MarineCadastre AIS writes the prefix with no space.
		"IMO9481374": "9481374", "IMO8835360": "8835360", "IMO8662763": "8662763",
	}
	for in, want := range good {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			if got, err := ParseIMO(in); err != nil || got != want {
				t.Errorf("ParseIMO(%q) = %q, %v; want %q", in, got, err, want)
			}
		})
	}
	bad := []struct {
		in   string
		want error
	}{
		{"9321484", ErrBadIMO}, {"IMO 9321480", ErrBadIMO}, {"932148", ErrBadIMO}, {"93214830", ErrBadIMO},
		{"93214a3", ErrBadIMO}, {"0000000", ErrBadIMO}, {"", ErrEmpty}, {"IMO", ErrEmpty},
		// Most AIS rows have an empty IMO: that is a missing value (the
		// sailings transform skips it), never a bad_imo reject.
		{"  ", ErrEmpty},
		// An MSC voyage number in the IMO column is not an IMO number.
		{"PM243R", ErrBadIMO},
	}
	for _, tc := range bad {
		t.Run("bad "+tc.in, func(t *testing.T) {
			t.Parallel()
			if _, err := ParseIMO(tc.in); !errors.Is(err, tc.want) {
				t.Errorf("ParseIMO(%q) error = %v, want %v", tc.in, err, tc.want)
			}
		})
	}
}

func FuzzParseIMO(f *testing.F) {
	f.Add("IMO 9321483")
	f.Add("9321484")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseIMO(s)
		if err != nil {
			return
		}
		if len(got) != 7 || !allDigits(got) {
			t.Fatalf("ParseIMO(%q) = %q: want 7 digits", s, got)
		}
		if again, err := ParseIMO(got); err != nil || again != got {
			t.Fatalf("ParseIMO(%q) is not stable: %q, %v", got, again, err)
		}
	})
}
