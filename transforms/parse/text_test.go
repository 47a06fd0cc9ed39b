package parse

import "testing"

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
