package parse

import (
	"errors"
	"math"
	"strconv"
	"testing"
)

// TestCheckDiscount uses Daraz BD rows quoted in PROVENANCE.txt and read
// from the file: 550 -> 255 is 54%, 1650 -> 725 is 56%.
func TestCheckDiscount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		list, sale, pct string
		want            error
	}{
		{"550", "255", "54.0", nil},
		{"1650", "725", "56.0", nil},
		{"350", "195", "44.0", nil},
		{"1200", "749", "38.0", nil},
		{"350", "350", "0.0", nil},
		{"350", "350", "-0%", nil},
		{"550", "255", "45.0", ErrDiscountMismatch},
		{"255", "550", "0", ErrDiscountMismatch},
		{"0", "0", "0", ErrDiscountMismatch},
	}
	for _, tc := range tests {
		t.Run(tc.list+"/"+tc.sale+"/"+tc.pct, func(t *testing.T) {
			t.Parallel()
			list, _ := ParsePrice(tc.list, "BDT")
			sale, _ := ParsePrice(tc.sale, "BDT")
			pct, err := ParseDiscount(tc.pct)
			if err != nil {
				t.Fatal(err)
			}
			if err := CheckDiscount(list.Min, sale.Min, pct, DiscountTolerance); !errors.Is(err, tc.want) {
				t.Errorf("CheckDiscount = %v, want %v", err, tc.want)
			}
		})
	}
	// Prices that are not finite numbers never verify a discount.
	for _, c := range [][4]float64{{math.Inf(1), 100, 50, 0.5}, {math.Inf(1), math.Inf(1), 0, 0.5},
		{550, 255, 54, math.NaN()}, {550, 255, math.Inf(1), 0.5}, {math.NaN(), 1, 1, 0.5}} {
		if err := CheckDiscount(c[0], c[1], c[2], c[3]); !errors.Is(err, ErrDiscountMismatch) {
			t.Errorf("CheckDiscount%v = %v, want ErrDiscountMismatch", c, err)
		}
	}
	for _, bad := range []string{"", "abc", "150%", "5e1", "NaN"} {
		if _, err := ParseDiscount(bad); err == nil {
			t.Errorf("ParseDiscount(%q): want an error", bad)
		}
	}
}

// FuzzParseDiscount: an accepted discount is a finite 0-100 percentage
// that reads back the same; CheckDiscount accepts only finite prices with
// the sale at or below the list price and the stated figure within
// tolerance of the implied one, and always accepts the implied figure.
func FuzzParseDiscount(f *testing.F) {
	for _, s := range []string{"54.0", "56%", "-54%", "-0%", "150%", "5e1", "NaN", "−12", ".5"} {
		f.Add(s, 550.0, 255.0)
	}
	f.Fuzz(func(t *testing.T, s string, list, sale float64) {
		pct, err := ParseDiscount(s)
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrUnparseable) && !errors.Is(err, ErrDiscountMismatch) {
				t.Fatalf("ParseDiscount(%q) error %v wraps no sentinel", s, err)
			}
			pct = 0
		} else {
			if !finite(pct) || pct < 0 || pct > 100 {
				t.Fatalf("ParseDiscount(%q) = %g: want 0-100", s, pct)
			}
			if again, err := ParseDiscount(strconv.FormatFloat(pct, 'f', -1, 64)); err != nil || again != pct {
				t.Fatalf("ParseDiscount(%q) = %g does not read back: %g, %v", s, pct, again, err)
			}
		}
		err = CheckDiscount(list, sale, pct, DiscountTolerance)
		if err != nil {
			if !errors.Is(err, ErrDiscountMismatch) {
				t.Fatalf("CheckDiscount(%g, %g, %g) error %v does not wrap ErrDiscountMismatch", list, sale, pct, err)
			}
		} else {
			implied := 100 * (list - sale) / list
			if !finite(list) || !finite(sale) || list <= 0 || sale < 0 || sale > list || math.Abs(implied-pct) > DiscountTolerance {
				t.Fatalf("CheckDiscount(%g, %g, %g) = nil, implied %g", list, sale, pct, implied)
			}
		}
		if finite(list) && finite(sale) && list > 0 && sale >= 0 && sale <= list {
			if implied := 100 * (list - sale) / list; CheckDiscount(list, sale, implied, DiscountTolerance) != nil {
				t.Fatalf("CheckDiscount(%g, %g) rejects its own implied %g%%", list, sale, implied)
			}
		}
	})
}
