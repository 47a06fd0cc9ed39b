package parse

import (
	"errors"
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
	for _, bad := range []string{"62046", "6204621", "ABCDEF", "770000", "990100", "000000", "980100"} {
		if _, err := ParseHSCode(bad); !errors.Is(err, ErrBadHS) {
			t.Errorf("ParseHSCode(%q) error = %v, want ErrBadHS", bad, err)
		}
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
