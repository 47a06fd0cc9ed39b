package parse

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestParseDiscount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Discount
	}{
		{"54", Discount{54, 1}},
		{"54.0", Discount{54, 1}}, // a spreadsheet's whole number: trailing zeros add no precision
		{"-16%", Discount{16, 1}},
		{"−12 %", Discount{12, 1}},
		{"15.5%", Discount{15.5, 0.1}},
		{"15.49", Discount{15.49, 0.01}},
		{"0.40", Discount{0.4, 0.1}},
		{".5", Discount{0.5, 0.1}},
		{"150%", Discount{150, 1}}, // parses; CheckDiscount says it cannot be true
	}
	for _, tc := range tests {
		got, err := ParseDiscount(tc.in)
		if err != nil || got.Pct != tc.want.Pct || !approx(got.Step, tc.want.Step) {
			t.Errorf("ParseDiscount(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", " % ", "abc", "5e1", "NaN", "1,5", "half"} {
		if _, err := ParseDiscount(bad); !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrUnparseable) {
			t.Errorf("ParseDiscount(%q) error = %v, want empty or unparseable", bad, err)
		}
	}
}

// TestCheckDiscount: a stated discount agrees with the prices when it is
// the implied one rounded down, half up or up to the stated step, within
// the tolerance. The Daraz pairs are the two roundings seen in real
// crawls; the BD rows are from Top_Selling_Product_Data.csv.
func TestCheckDiscount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		list, sale, pct string
		tol             float64
		want            error
	}{
		{"half up: 15.4958% shown as 16%", "35500", "29999", "-16%", 0, nil},
		{"truncated: 16.94% shown as 16%", "360", "299", "-16%", 0, nil},
		{"rounded up: 53.64% shown as 54", "550", "255", "54.0", 0, nil},
		{"Daraz BD 1650 -> 725 is 56%", "1650", "725", "56.0", 0, nil},
		{"half down: 57.5% shown as 57", "200", "85", "57.0", 0, nil},
		{"one decimal: 0.4004% shown as 0.4", "999", "995", "0.4", 0, nil},
		{"one decimal, half up: 15.4958% shown as 15.5", "35500", "29999", "15.5%", 0, nil},
		{"two decimals, truncated: 15.49", "35500", "29999", "15.49", 0, nil},
		{"no discount", "350", "350", "0.0", 0, nil},
		{"no discount, signed", "350", "350", "-0%", 0, nil},
		{"within tolerance of the rounding", "35500", "29999", "15.48", 0.5, nil},
		{"outside a zero tolerance", "35500", "29999", "15.48", 0, ErrDiscountMismatch},
		{"a point past rounding up", "35500", "29999", "17%", 0.5, ErrDiscountMismatch},
		{"wrong figure", "550", "255", "45.0", 0.5, ErrDiscountMismatch},
		{"sale above list (real Daraz BD row)", "260", "500", "48.0", 0.5, ErrDiscountMismatch},
		{"list price zero", "0", "0", "0", 0.5, ErrDiscountMismatch},
		{"above 100%", "550", "0", "150", 100, ErrDiscountMismatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			list, _ := ParsePrice(tc.list, "BDT")
			sale, _ := ParsePrice(tc.sale, "BDT")
			d, err := ParseDiscount(tc.pct)
			if err != nil {
				t.Fatal(err)
			}
			if err := CheckDiscount(list.Min, sale.Min, d, tc.tol); !errors.Is(err, tc.want) {
				t.Errorf("CheckDiscount(%s, %s, %s, tol %g) = %v, want %v", tc.list, tc.sale, tc.pct, tc.tol, err, tc.want)
			}
		})
	}
	// Prices that are not finite numbers never verify a discount.
	for _, c := range [][4]float64{{math.Inf(1), 100, 50, 0.5}, {math.Inf(1), math.Inf(1), 0, 0.5},
		{550, 255, 54, math.NaN()}, {550, 255, math.Inf(1), 0.5}, {math.NaN(), 1, 1, 0.5}} {
		if err := CheckDiscount(c[0], c[1], Discount{c[2], 1}, c[3]); !errors.Is(err, ErrDiscountMismatch) {
			t.Errorf("CheckDiscount%v = %v, want ErrDiscountMismatch", c, err)
		}
	}
}

// A mismatch says what the prices imply to enough digits to see which
// way it rounds: "15.50%" would look within half a point of 16.
func TestCheckDiscountMessage(t *testing.T) {
	t.Parallel()
	err := CheckDiscount(35500, 29999, Discount{10, 1}, 0.5)
	want := "discount does not match prices: stated 10%, list 35500 and sale 29999 imply 15.4958% " +
		"(15%, 15%, 16% rounded down, half up or up), more than 0.5 points from each"
	if err == nil || err.Error() != want {
		t.Errorf("CheckDiscount message = %v\nwant %s", err, want)
	}
	err = CheckDiscount(35500, 29999, Discount{15.3, 0.1}, 0)
	if err == nil || !strings.Contains(err.Error(), "(15.4%, 15.5%, 15.5% rounded down") {
		t.Errorf("CheckDiscount message = %v, want roundings to one decimal", err)
	}
	if err := CheckDiscount(260, 500, Discount{48, 1}, 0.5); err == nil || err.Error() != "discount does not match prices: sale price 500 is above list price 260" {
		t.Errorf("CheckDiscount message = %v", err)
	}
}

// FuzzParseDiscount: an accepted discount is finite, not negative, reads
// back the same and has a power-of-ten step. CheckDiscount accepts only
// finite prices with the sale at or below a positive list price, a
// stated figure of at most 100 within tolerance of one of the implied
// figure's roundings; and it always accepts the implied figure rounded
// down, half up or up to whole points, even with no tolerance, where the
// roundings bracket the implied figure.
func FuzzParseDiscount(f *testing.F) {
	for _, s := range []string{"54.0", "56%", "-54%", "-0%", "150%", "5e1", "NaN", "−12", ".5", "15.49"} {
		f.Add(s, 550.0, 255.0, 0.5)
	}
	f.Add("-16%", 35500.0, 29999.0, 0.0)
	f.Add("-16%", 360.0, 299.0, 0.0)
	f.Fuzz(func(t *testing.T, s string, list, sale, tol float64) {
		d, err := ParseDiscount(s)
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrUnparseable) {
				t.Fatalf("ParseDiscount(%q) error %v wraps no sentinel", s, err)
			}
			d = Discount{0, 1}
		} else {
			if !finite(d.Pct) || d.Pct < 0 {
				t.Fatalf("ParseDiscount(%q) = %+v: want a finite, non-negative figure", s, d)
			}
			if e := math.Log10(d.Step); d.Step > 1 || e != math.Round(e) && !approx(e, math.Round(e)) {
				t.Fatalf("ParseDiscount(%q) step %g is not a power of ten up to 1", s, d.Step)
			}
			if again, err := ParseDiscount(strconv.FormatFloat(d.Pct, 'f', -1, 64)); err != nil || again.Pct != d.Pct {
				t.Fatalf("ParseDiscount(%q) = %g does not read back: %+v, %v", s, d.Pct, again, err)
			}
		}
		err = CheckDiscount(list, sale, d, tol)
		implied, ok := ImpliedDiscount(list, sale)
		if err != nil && !errors.Is(err, ErrDiscountMismatch) {
			t.Fatalf("CheckDiscount(%g, %g, %+v) error %v does not wrap ErrDiscountMismatch", list, sale, d, err)
		}
		if err == nil {
			down, half, up := roundings(implied, d.Step)
			near := min(math.Abs(d.Pct-down), math.Abs(d.Pct-half), math.Abs(d.Pct-up))
			if !ok || d.Pct > 100 || !(near <= tol+agreementSlack) {
				t.Fatalf("CheckDiscount(%g, %g, %+v, %g) = nil; implied %g (ok %v)", list, sale, d, tol, implied, ok)
			}
		}
		if ok {
			// Roundings of an implied figure a hair off a whole number
			// (74.99999999999999 for 75) are those of the whole number.
			down, half, up := roundings(implied, 1)
			if down > implied+agreementSlack || up < implied-agreementSlack || up-down > 1 || half < down || half > up {
				t.Fatalf("roundings(%g) = %g, %g, %g: want down <= implied <= up, one step apart at most", implied, down, half, up)
			}
			for _, r := range []float64{down, half, up} {
				if err := CheckDiscount(list, sale, Discount{r, 1}, 0); err != nil {
					t.Fatalf("CheckDiscount(%g, %g) rejects %g, a rounding of its own implied %g%%: %v", list, sale, r, implied, err)
				}
			}
		}
	})
}
