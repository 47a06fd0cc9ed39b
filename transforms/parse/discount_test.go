package parse

import (
	"errors"
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
	for _, bad := range []string{"", "abc", "150%", "5e1", "NaN"} {
		if _, err := ParseDiscount(bad); err == nil {
			t.Errorf("ParseDiscount(%q): want an error", bad)
		}
	}
}
