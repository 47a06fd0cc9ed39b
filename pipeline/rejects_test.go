package pipeline

import (
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The reason text is the code in brackets and then the detail, and reads
// back into the same two parts; text without a well-formed code is all
// detail.
func TestRejectReasonRoundTrips(t *testing.T) {
	reason := RejectReason("no_fx_rate", `price "Rs. 10": no FX rate for PKR`)
	if reason != `[no_fx_rate] price "Rs. 10": no FX rate for PKR` {
		t.Errorf("reason = %q", reason)
	}
	if code, detail, ok := ParseRejectReason(reason); !ok || code != "no_fx_rate" || detail != `price "Rs. 10": no FX rate for PKR` {
		t.Errorf("parsed %q %q %v, want the code and detail back", code, detail, ok)
	}
	for _, text := range []string{"no code at all", "[] empty", "[unclosed", "[Not A Code] detail", "[bad code] detail"} {
		if code, detail, ok := ParseRejectReason(text); ok || code != "" || detail != text {
			t.Errorf("ParseRejectReason(%q) = %q %q %v, want no code and the whole text as detail", text, code, detail, ok)
		}
	}
	if code, _, ok := ParseRejectReason("[missing]seller_id is missing"); !ok || code != "missing" {
		t.Errorf("a code with no space after it: %q %v, want missing as the SQL reads it", code, ok)
	}
}

// A reject batch's codes come from its code column; a row without one
// falls back to its reason text, and a reason without a code counts as
// other, so the guard's message still adds up.
func TestRejectCodesPreferTheCodeColumn(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rej := buildBatch(mem, RejectSchema(), []map[string]string{
		{"reason": "[unknown_port] origin \"Karachi Bay\": unknown port", "code": "unknown_port"},
		// The column wins: the text is for people and may say anything.
		{"reason": "[looks_like_a_code] but is not", "code": "unknown_unit"},
		{"reason": "[no_fx_rate] from a producer without the column"},
		{"reason": "a reason with no code"},
	})
	defer rej.Release()
	want := []RejectCode{"unknown_port", "unknown_unit", "no_fx_rate", RejectUncoded}
	if got := RejectCodes(rej); !slices.Equal(got, want) {
		t.Errorf("codes = %v, want %v", got, want)
	}
	var tally SourceTally
	tally.countRejects(rej)
	tally.countRejects(rej)
	if tally.Codes["unknown_port"] != 2 || tally.Codes[RejectUncoded] != 2 || len(tally.Codes) != 4 {
		t.Errorf("tally = %v, want each code twice", tally.Codes)
	}
}

// Any text parses without panicking; a code it finds is one the SQL that
// reads old rows would find too, and code and detail put back together
// give the text again (with the one space RejectReason puts after "]").
func FuzzParseRejectReason(f *testing.F) {
	for _, s := range []string{`[no_fx_rate] price "Rs. 10": no FX rate for PKR`, "[missing]x", "[] x", "[", "no code", "[a]", "[A] x", "[a b] c", "[ok] [nested] x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		code, detail, ok := ParseRejectReason(text)
		if !ok {
			if code != "" || detail != text {
				t.Fatalf("no code, yet %q %q from %q", code, detail, text)
			}
			return
		}
		for _, r := range code {
			if !isCodeRune(r) {
				t.Fatalf("code %q of %q has %q, which the SQL's [a-z0-9_]+ would not take", code, text, r)
			}
		}
		if again := RejectReason(code, detail); again != text && again != strings.Replace(text, "]", "] ", 1) {
			t.Fatalf("%q parsed to %q %q, which make %q", text, code, detail, again)
		}
		if c, d, ok := ParseRejectReason(RejectReason(code, detail)); !ok || c != code || d != detail {
			t.Fatalf("round trip of %q %q gave %q %q %v", code, detail, c, d, ok)
		}
	})
}
