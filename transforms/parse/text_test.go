package parse

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestCleanText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		repaired bool
	}{
		{" Cotton T-Shirt ", "Cotton T-Shirt", false},
		{"5l   Medical   Generator - 5L", "5l Medical Generator - 5L", false}, // Alibaba (2) title
		{"USD\u00a0465.00", "USD 465.00", false},
		{"<b>Bed</b>&nbsp;Linen &amp; Towels", "Bed Linen & Towels", false},
		{"line1<br/>line2", "line1 line2", false},
		{"size < 5", "size < 5", false},
		{"Cafe\u0301", "Café", false},         // NFC
		{"Sch\u009clcher", "Schlcher", false}, // UN/LOCODE C1 control char
		{"tab\there\r\n", "tab here", false},
		{"zero\u200bwidth", "zero width", false},
		{"bad \xff byte", "bad \ufffd byte", true},
		{"", "", false},
		// MSC DepartureVoyageNo is free text: kept exactly as written.
		{"PM243R", "PM243R", false},
		// sea-ports mojibake: valid UTF-8 whose original letter cannot be
		// recovered safely, so it is kept as written (and FoldName still
		// matches it to "Abu Zaby", see TestFoldName).
		{"Abu Z¸aby [Abu Dhabi]", "Abu Z¸aby [Abu Dhabi]", false},
	}
	for _, tc := range tests {
		got, rep := CleanText(tc.in)
		if got != tc.want || rep != tc.repaired {
			t.Errorf("CleanText(%q) = %q, %v; want %q, %v", tc.in, got, rep, tc.want, tc.repaired)
		}
	}
	if CheckUTF8("ok") != nil || CheckUTF8("\xff") == nil {
		t.Error("CheckUTF8: want nil for valid and an error for invalid UTF-8")
	}
}

// FuzzCleanText: the output is valid, NFC, trimmed UTF-8 with single
// plain spaces and no control or format characters; repaired says
// exactly whether the input was invalid; text without markup left in it
// is a fixed point. CheckUTF8 accepts exactly the valid strings.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{" Cotton T-Shirt ", "USD\u00a0465.00", "<b>Bed</b>&nbsp;Linen &amp; Towels", "Cafe\u0301",
		"Sch\u009clcher", "bad \xff byte", "Abu Z¸aby [Abu Dhabi]", "PM243R", "&lt;b&gt;", "zero\u200bwidth"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, repaired := CleanText(s)
		if repaired != !utf8.ValidString(s) {
			t.Fatalf("CleanText(%q) repaired = %v for valid = %v", s, repaired, utf8.ValidString(s))
		}
		if !utf8.ValidString(out) || !norm.NFC.IsNormalString(out) {
			t.Fatalf("CleanText(%q) = %q: want valid NFC UTF-8", s, out)
		}
		if out != strings.TrimSpace(out) || strings.Contains(out, "  ") {
			t.Fatalf("CleanText(%q) = %q: want trimmed, single spaces", s, out)
		}
		for _, r := range out {
			if isSpace(r) && r != ' ' || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				t.Fatalf("CleanText(%q) = %q: keeps %U", s, out, r)
			}
		}
		// "&lt;b&gt;" decodes to the text "<b>", which a second pass would
		// strip as a tag; only markup-free output must be a fixed point.
		if !strings.ContainsAny(out, "<&") {
			if again, rep := CleanText(out); again != out || rep {
				t.Fatalf("CleanText(%q) = %q, but CleanText(%q) = %q, %v", s, out, out, again, rep)
			}
		}
		err := CheckUTF8(s)
		if (err == nil) != utf8.ValidString(s) || err != nil && !errors.Is(err, ErrInvalidUTF8) {
			t.Fatalf("CheckUTF8(%q) = %v", s, err)
		}
		if err != nil && !utf8.ValidString(err.Error()) {
			t.Fatalf("CheckUTF8(%q) message is not valid UTF-8: %q", s, err.Error())
		}
	})
}
