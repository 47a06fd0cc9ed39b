package parse

import (
	"errors"
	"math"
	"strings"
	"testing"
	"unicode"
)

func TestParsePrice(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, def string
		want    Price
	}{
		{"US $2.50 - 4.00 / Piece", "USD", Price{2.5, 4, "USD", "piece", false}},
		{"US$ 12.00 / Set", "USD", Price{12, 12, "USD", "set", false}},
		{"USD\u00a0465.00-USD\u00a0550.00", "USD", Price{465, 550, "USD", "", false}},
		{"USD\u202f465.00 - USD\u202f550.00", "", Price{465, 550, "USD", "", false}},
		{"$1,200.00", "USD", Price{1200, 1200, "USD", "", false}},
		{"US $0.85-1.20 / Meter", "USD", Price{0.85, 1.2, "USD", "m", false}},
		{"¥18.00", "USD", Price{18, 18, "CNY", "", false}},
		{"CNY 125.00", "USD", Price{125, 125, "CNY", "", false}},
		{"RMB 30", "", Price{30, 30, "CNY", "", false}},
		{"€14.50", "USD", Price{14.5, 14.5, "EUR", "", false}},
		{"EUR 9.90", "USD", Price{9.9, 9.9, "EUR", "", false}},
		{"€1.455,00", "", Price{1455, 1455, "EUR", "", false}},
		{"£7.99", "", Price{7.99, 7.99, "GBP", "", false}},
		{"AED 35.00", "USD", Price{35, 35, "AED", "", false}},
		{"Rs. 1,455", "PKR", Price{1455, 1455, "PKR", "", false}},
		{"Rs 2,999", "PKR", Price{2999, 2999, "PKR", "", false}},
		{"Rs. 1,455/-", "PKR", Price{1455, 1455, "PKR", "", false}},
		{"Rs 450", "INR", Price{450, 450, "INR", "", false}},
		{"Rs 450", "BDT", Price{450, 450, "PKR", "", false}},
		{"PKR 1,250.00", "PKR", Price{1250, 1250, "PKR", "", false}},
		{"৳ 1,250", "BDT", Price{1250, 1250, "BDT", "", false}},
		{"Tk 450", "BDT", Price{450, 450, "BDT", "", false}},
		{"Tk. 450", "", Price{450, 450, "BDT", "", false}},
		{"BDT 999", "BDT", Price{999, 999, "BDT", "", false}},
		{"1,455", "PKR", Price{1455, 1455, "PKR", "", false}},
		{"999", "BDT", Price{999, 999, "BDT", "", false}},
		{" 999 ", "bdt", Price{999, 999, "BDT", "", false}},
		{"1,00,000", "INR", Price{100000, 100000, "INR", "", false}},
		{"12,34,567.50", "INR", Price{1234567.5, 1234567.5, "INR", "", false}},
		{"$1,200,000+", "", Price{1200000, 1200000, "USD", "", true}},
		{"$2.5k", "", Price{2500, 2500, "USD", "", false}},
		{"$2.5K - $3k", "", Price{2500, 3000, "USD", "", false}},
		{"12.00 USD", "", Price{12, 12, "USD", "", false}},
		{"10 to 20 USD", "", Price{10, 20, "USD", "", false}},
		{"US $500 / Ton", "", Price{0.5, 0.5, "USD", "kg", false}},
		{"US $12 / Dozen", "", Price{1, 1, "USD", "piece", false}},
		{"US $3.00 per piece", "", Price{3, 3, "USD", "piece", false}},
		{"US $2 / Piece/Pieces", "", Price{2, 2, "USD", "piece", false}},
		{"$.50", "", Price{0.5, 0.5, "USD", "", false}},
		{"9,90 €", "", Price{9.9, 9.9, "EUR", "", false}},
		{"0", "USD", Price{0, 0, "USD", "", false}},
		// Alibaba (2) shipping column: "+USD 349.32" next to "(Shipping)".
		// The plus means "added to the item price", not an open bound.
		{"+USD\u00a0349.32", "", Price{349.32, 349.32, "USD", "", false}},
		{"+USD\u00a0401.82", "USD", Price{401.82, 401.82, "USD", "", false}},
		// A zero-padded amount is still an amount: "008" in a price cell is
		// 8, not the ISO 4217 numeric code of the lek.
		{"008", "USD", Price{8, 8, "USD", "", false}},
		// Daraz.pk writes the rupee abbreviation's dot straight against the
		// amount. The dot ends the abbreviation; it is no decimal point, so
		// "Rs.207" is 207 rupees, not 0.207.
		{"Rs.207", "PKR", Price{207, 207, "PKR", "", false}},
		{"Rs.1000", "PKR", Price{1000, 1000, "PKR", "", false}},
		{"PKR.500", "", Price{500, 500, "PKR", "", false}},
		{"Rs.10,357", "PKR", Price{10357, 10357, "PKR", "", false}},
		{"Rs.1,234.50", "PKR", Price{1234.5, 1234.5, "PKR", "", false}},
		{"Rs.0.50", "PKR", Price{0.5, 0.5, "PKR", "", false}},
		{"Rs.1,455/-", "PKR", Price{1455, 1455, "PKR", "", false}},
		{"Rs.207 - Rs.1,050", "PKR", Price{207, 1050, "PKR", "", false}},
		{"Tk.450", "BDT", Price{450, 450, "BDT", "", false}},
		{"USD.12", "", Price{12, 12, "USD", "", false}},
		{"Rs..207", "PKR", Price{207, 207, "PKR", "", false}}, // a doubled dot is still the abbreviation's
		// A symbol is no abbreviation: its dot is the amount's.
		{"$.99", "", Price{0.99, 0.99, "USD", "", false}},
		{"US$.75", "", Price{0.75, 0.75, "USD", "", false}},
		{"€.50", "", Price{0.5, 0.5, "EUR", "", false}},
		{".5", "USD", Price{0.5, 0.5, "USD", "", false}},
		{"12.50 USD", "", Price{12.5, 12.5, "USD", "", false}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParsePrice(tc.in, tc.def)
			if err != nil {
				t.Fatalf("ParsePrice(%q, %q): %v", tc.in, tc.def, err)
			}
			if !approx(got.Min, tc.want.Min) || !approx(got.Max, tc.want.Max) || got.Currency != tc.want.Currency ||
				got.Unit != tc.want.Unit || got.Open != tc.want.Open {
				t.Errorf("ParsePrice(%q, %q) = %+v, want %+v", tc.in, tc.def, got, tc.want)
			}
		})
	}
}

func TestParsePriceErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, def string
		want    error
		msg     string
	}{
		{"Contact Supplier", "USD", ErrUnparseable, "cannot parse: no amount"},
		{"", "USD", ErrEmpty, "empty value: price"},
		{"   ", "USD", ErrEmpty, ""},
		{"US $-5.00", "USD", ErrNegative, "negative amount -5.00"},
		{"-3", "USD", ErrNegative, ""},
		{"XYZ 12.00", "USD", ErrUnknownCurrency, `unknown currency "XYZ"`},
		{"US $abc", "USD", ErrUnparseable, ""},
		{"999", "", ErrNoCurrency, ""},
		{"999", "ZZZ", ErrUnknownCurrency, ""},
		{"USD 5 - EUR 6", "", ErrMixedCurrency, ""},
		{"US $4.00 - 2.50", "", ErrBadRange, ""},
		{"US $2 / Widget", "", ErrUnknownUnit, `unknown unit "Widget"`},
		{"1,2,3", "USD", ErrUnparseable, ""},
		{"12.345.6", "USD", ErrUnparseable, ""},
		{"$5 $6", "", ErrUnparseable, ""},
		{"$5 (approx)", "", ErrUnparseable, ""},
		{"$5 - 6 - 7", "", ErrUnparseable, ""},
		{"$5++", "", ErrUnparseable, ""},
		{"++USD 5", "", ErrUnparseable, ""}, // one leading "+" only
		{"$5 - +6", "", ErrUnparseable, ""},
		// Shifted Alibaba columns: a revenue-band column holding a market
		// share ("North America 20%") and a review count "(17)" must not
		// load as prices of 20 and 17.
		{"North America 20%", "USD", ErrUnparseable, `cannot parse: unexpected '%'`},
		{"(17)", "USD", ErrUnparseable, `cannot parse: unexpected '('`},
		{"1" + string(make([]byte, 50)), "USD", ErrUnparseable, ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			_, err := ParsePrice(tc.in, tc.def)
			if !errors.Is(err, tc.want) {
				t.Fatalf("ParsePrice(%q, %q) error = %v, want %v", tc.in, tc.def, err, tc.want)
			}
			if tc.msg != "" && err.Error() != tc.msg {
				t.Errorf("ParsePrice(%q) error text = %q, want %q", tc.in, err.Error(), tc.msg)
			}
		})
	}
}

func FuzzParsePrice(f *testing.F) {
	for _, s := range []string{"US $2.50 - 4.00 / Piece", "USD\u00a0465.00-USD\u00a0550.00", "Rs. 1,455/-",
		"€1.455,00", "1,00,000", "$1,200,000+", "$2.5k", "৳ 1,250", "XYZ 12.00", "US $-5.00", "10 to 20 USD"} {
		f.Add(s, "PKR")
	}
	f.Fuzz(func(t *testing.T, s, def string) {
		p, err := ParsePrice(s, def)
		if err != nil {
			return
		}
		if p.Min < 0 || p.Min > p.Max || math.IsNaN(p.Min) || math.IsInf(p.Max, 0) {
			t.Fatalf("ParsePrice(%q) = %+v: want 0 <= Min <= Max, finite", s, p)
		}
		if !KnownCurrency(p.Currency) {
			t.Fatalf("ParsePrice(%q) currency %q is not a known ISO code", s, p.Currency)
		}
	})
}

func approx(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// FuzzPriceAbbreviationDot: a currency word's dot ends the word whether or
// not a space follows it, so "<word>.<amount>" and "<word>. <amount>" are
// one price (or fail alike), and when the word names a currency the amount
// is the number after the dot, never a fraction made of it ("Rs.207" is
// 207, not 0.207).
func FuzzPriceAbbreviationDot(f *testing.F) {
	for _, s := range [][2]string{{"Rs", "207"}, {"Rs", "1000"}, {"PKR", "500"}, {"Rs", "10,357"}, {"Rs", "1,234.50"},
		{"Tk", "450"}, {"USD", "12"}, {"Rupees", "1,00,000"}, {"Rs", "0.50"}, {"XYZ", "12"}, {"Rs", "1.455,00"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, word, amount string) {
		if !isLetters(word) || amount == "" || !isDigit(amount[0]) || strings.Trim(amount, "0123456789,.") != "" {
			return
		}
		tight, errT := ParsePrice(word+"."+amount, "PKR")
		spaced, errS := ParsePrice(word+". "+amount, "PKR")
		if (errT == nil) != (errS == nil) || errT != nil && errT.Error() != errS.Error() {
			t.Fatalf("ParsePrice(%q) error %v, but ParsePrice(%q) error %v", word+"."+amount, errT, word+". "+amount, errS)
		}
		if errT != nil {
			return
		}
		if tight != spaced {
			t.Fatalf("ParsePrice(%q) = %+v, but ParsePrice(%q) = %+v", word+"."+amount, tight, word+". "+amount, spaced)
		}
		if n, err := parseNumber(amount); err != nil || tight.Min != n {
			t.Fatalf("ParsePrice(%q) = %+v: want the amount after the dot, %v (%v)", word+"."+amount, tight, n, err)
		}
	})
}

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}
