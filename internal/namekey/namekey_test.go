package namekey

import (
	"strings"
	"testing"
)

func TestCompact(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"P.N.S.C.": "pnsc", "CMA-CGM": "cmacgm", "Hamburg Süd": "hamburgsud", "  Hapag Lloyd ": "hapaglloyd",
		"X-Press Feeders": "xpressfeeders", "T.S. Lines": "tslines", "A&B": "aandb",
	} {
		if got := Compact(in); got != want {
			t.Errorf("Compact(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzCompact: a carrier key has no spaces, is its own key, and is the
// name key without its spaces, so a spelling checked by the config and one
// looked up by the parser always meet.
func FuzzCompact(f *testing.F) {
	for _, s := range []string{"P.N.S.C.", "Hamburg Süd", "CMA-CGM", "Sa\u0303o", "\xff", "N/A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := Compact(s)
		if strings.Contains(k, " ") || Compact(k) != k || k != strings.ReplaceAll(Fold(s), " ", "") {
			t.Fatalf("Compact(%q) = %q: want no spaces, idempotent, Fold without spaces", s, k)
		}
	})
}
