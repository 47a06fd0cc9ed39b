package parse

import (
	"errors"
	"strings"
	"testing"
)

func TestParseHSCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		code    string
		chapter int
	}{
		{"620462", "620462", 62}, {"6204.62", "620462", 62}, {"6204 62", "620462", 62}, {"HS 6204.62", "620462", 62},
		{"6204.62.4000", "620462", 62}, {"010121", "010121", 1}, {"970110", "970110", 97}, {"  520100 ", "520100", 52},
	}
	for _, tc := range tests {
		got, err := ParseHSCode(tc.in)
		if err != nil || got.Code != tc.code || got.Chapter != tc.chapter {
			t.Errorf("ParseHSCode(%q) = %+v, %v; want %s ch %d", tc.in, got, err, tc.code, tc.chapter)
		}
	}
	bad := []string{
		"62046", "6204621", "ABCDEF", "770000", "990100", "000000", "980100",
		// Rows of the HS2022 nomenclature file that are not subheadings:
		// chapter "01" and heading "0101" are coarser levels, and 999999
		// ("Commodities not specified according to kind") is chapter 99.
		"01", "0101", "999999",
		"TOTAL", "total",
	}
	for _, in := range bad {
		if _, err := ParseHSCode(in); !errors.Is(err, ErrBadHS) {
			t.Errorf("ParseHSCode(%q) error = %v, want ErrBadHS", in, err)
		}
	}
	// The nomenclature's synthetic "TOTAL" row sums every chapter; the
	// reject names it so nobody mistakes it for a malformed code.
	if _, err := ParseHSCode("TOTAL"); err == nil || !strings.Contains(err.Error(), "total row") {
		t.Errorf("ParseHSCode(TOTAL) error = %v, want it to name a total row", err)
	}
	if _, err := ParseHSCode(" "); !errors.Is(err, ErrEmpty) {
		t.Errorf("ParseHSCode(blank) error = %v, want ErrEmpty", err)
	}
}

func TestTextileChapters(t *testing.T) {
	t.Parallel()
	for ch := 1; ch <= 97; ch++ {
		if got, want := IsTextileChapter(ch), ch >= 50 && ch <= 63; got != want {
			t.Errorf("IsTextileChapter(%d) = %v", ch, got)
		}
		if _, ok := HSChapterName(ch); ok == (ch == 77) {
			t.Errorf("HSChapterName(%d) ok = %v", ch, ok)
		}
	}
	if n, _ := HSChapterName(52); n != "Cotton" {
		t.Errorf("chapter 52 = %q, want Cotton", n)
	}
}

// FuzzParseHSCode: an accepted code is six digits of an existing chapter,
// and re-reading it in any of the written forms gives the same code.
func FuzzParseHSCode(f *testing.F) {
	for _, s := range []string{"620462", "6204.62", "HS 6204.62", "6204.62.4000", "hs:520100", "TOTAL", "999999", "0101", "77 00 00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseHSCode(s)
		if err != nil {
			if !errors.Is(err, ErrBadHS) && !errors.Is(err, ErrEmpty) {
				t.Fatalf("ParseHSCode(%q) error %v wraps no sentinel", s, err)
			}
			return
		}
		if len(got.Code) != 6 || !allDigits(got.Code) {
			t.Fatalf("ParseHSCode(%q) code %q: want 6 digits", s, got.Code)
		}
		if ch := int(got.Code[0]-'0')*10 + int(got.Code[1]-'0'); ch != got.Chapter {
			t.Fatalf("ParseHSCode(%q) = %+v: chapter disagrees with the code", s, got)
		}
		if _, ok := HSChapterName(got.Chapter); !ok {
			t.Fatalf("ParseHSCode(%q) = %+v: chapter does not exist", s, got)
		}
		for _, form := range []string{got.Code, got.Code[:4] + "." + got.Code[4:], "HS " + got.Code} {
			if again, err := ParseHSCode(form); err != nil || again != got {
				t.Fatalf("ParseHSCode(%q) = %+v, %v; want %+v (from %q)", form, again, err, got, s)
			}
		}
	})
}
