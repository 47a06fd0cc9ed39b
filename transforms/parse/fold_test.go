package parse

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFoldName(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"U.S.A.", "usa"},
		{"N/A", "n a"}, // not the code "NA"
		{"Apparel & Accessories", "apparel and accessories"},
		{"Côte d'Ivoire", "cote divoire"},
		{"São Paulo", "sao paulo"},
		{"Sa\u0303o Paulo", "sao paulo"}, // NFD: the combining tilde stays with its letter
		// sea-ports mojibake: the stray spacing cedilla must not split the word.
		{"Abu Z¸aby [Abu Dhabi]", "abu zaby abu dhabi"},
		{"Muhamamad Bin Qasim", "muhamamad bin qasim"},
		{"  ", ""},
	}
	for _, tc := range tests {
		if got := FoldName(tc.in); got != tc.want {
			t.Errorf("FoldName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzFoldName: a key is valid UTF-8, single-spaced, trimmed, free of
// dots and upper case, and folding it again changes nothing, so keys built
// from reference files and from rows always meet. IsLOCODE accepts only
// the five-character code shape.
func FuzzFoldName(f *testing.F) {
	for _, s := range []string{"U.S.A.", "N/A", "Apparel & Accessories", "Côte d'Ivoire", "Sa\u0303o Paulo", "Abu Z¸aby [Abu Dhabi]",
		"PK KHI", "PKKHI", "Muhamamad Bin Qasim", "İstanbul", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := FoldName(s)
		if !utf8.ValidString(k) && utf8.ValidString(s) {
			t.Fatalf("FoldName(%q) = %q: invalid UTF-8", s, k)
		}
		if k != strings.TrimSpace(k) || strings.Contains(k, "  ") || strings.Contains(k, ".") {
			t.Fatalf("FoldName(%q) = %q: want trimmed, single-spaced, no dots", s, k)
		}
		if again := FoldName(k); again != k {
			t.Fatalf("FoldName is not idempotent: %q -> %q -> %q", s, k, again)
		}
		if IsLOCODE(s) {
			if len(s) != 5 || strings.ToUpper(s) != s {
				t.Fatalf("IsLOCODE(%q) = true for a value that is not five capitals/digits", s)
			}
		}
	})
}
