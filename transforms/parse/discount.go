package parse

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// DiscountTolerance is how far, in percentage points, a stated discount may
// sit from the one list and sale price imply. Daraz rounds its percentage
// to a whole number, so half a point is rounding; anything more is a
// mismatch worth a reject.
const DiscountTolerance = 0.5

// ParseDiscount reads a discount percentage as sources write it: "54",
// "54.0", "54%", "-54%". A sign is ignored: a discount is a reduction
// however it is written.
func ParseDiscount(s string) (float64, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
	t = strings.TrimLeft(t, "-−")
	if t == "" {
		return 0, fmt.Errorf("%w: discount", ErrEmpty)
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || !digitsAndOneDot(t) {
		return 0, fmt.Errorf("%w: discount %q", ErrUnparseable, s)
	}
	if v > 100 {
		return 0, fmt.Errorf("%w: discount %q is above 100%%", ErrDiscountMismatch, s)
	}
	return v, nil
}

// CheckDiscount verifies a stated discount pct (0-100) against the list
// and sale price of one listing, within tol percentage points. A sale
// price above the list price is a mismatch too, whatever pct says.
func CheckDiscount(list, sale, pct, tol float64) error {
	// NaN and infinities must fail here: with list = +Inf the implied
	// discount below is NaN, and NaN > tol is false, so it would pass.
	if list <= 0 || sale < 0 || !finite(list) || !finite(sale) || !finite(pct) || !finite(tol) {
		return fmt.Errorf("%w: list %g, sale %g", ErrDiscountMismatch, list, sale)
	}
	if sale > list {
		return fmt.Errorf("%w: sale price %g is above list price %g", ErrDiscountMismatch, sale, list)
	}
	implied := 100 * (list - sale) / list
	if math.Abs(implied-pct) > tol {
		return fmt.Errorf("%w: stated %g%%, list %g and sale %g imply %.2f%%", ErrDiscountMismatch, pct, list, sale, implied)
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
