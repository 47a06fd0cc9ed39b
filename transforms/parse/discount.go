package parse

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Discount is a stated discount: the percentage and the step it is
// written to. A marketplace rounds the discount it shows to that step, so
// "-16%" (step 1) stands for any implied discount that rounds to 16.
type Discount struct {
	Pct float64
	// Step is 1 for "16%", 0.1 for "15.5%", 0.01 for "15.49%". Trailing
	// zeros do not count: "54.0" is how a spreadsheet writes a whole
	// percentage, so it has step 1.
	Step float64
}

// maxDiscountDecimals bounds Step: past six decimals a stated discount is
// a computed float, not a rounded display figure.
const maxDiscountDecimals = 6

// ParseDiscount reads a discount percentage as sources write it: "54",
// "54.0", "54%", "-54%", "15.5". A sign is ignored: a discount is a
// reduction however it is written. A figure above 100 parses; whether it
// can be true is CheckDiscount's question, because an optional field that
// is wrong is flagged, never a reason to drop the listing.
func ParseDiscount(s string) (Discount, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
	t = strings.TrimLeft(t, "-−")
	if t == "" {
		return Discount{}, fmt.Errorf("%w: discount", ErrEmpty)
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || !digitsAndOneDot(t) {
		return Discount{}, fmt.Errorf("%w: discount %q", ErrUnparseable, s)
	}
	decimals := 0
	if i := strings.IndexByte(t, '.'); i >= 0 {
		decimals = min(len(strings.TrimRight(t[i+1:], "0")), maxDiscountDecimals)
	}
	return Discount{Pct: v, Step: math.Pow10(-decimals)}, nil
}

// ImpliedDiscount is the discount, in percent, that a sale price makes off
// a list price. ok is false when there is none to speak of: a list price
// that is not positive, a sale price above it, or numbers that are not
// finite.
func ImpliedDiscount(list, sale float64) (pct float64, ok bool) {
	if !finite(list) || !finite(sale) || list <= 0 || sale < 0 || sale > list {
		return 0, false
	}
	return 100 * (list - sale) / list, true
}

// CheckDiscount holds a stated discount to the list and sale prices of one
// listing. The stated figure agrees when it is within tol points of the
// implied discount rounded down, half up or up to the stated step:
// marketplaces differ in how they round (Daraz rounds 29999 off 35500,
// 15.4958%, to "-16%" in one crawl and truncates 299 off 360, 16.94%, to
// "-16%" in another), and none of those is an error. tol covers what the
// rounding does not, such as prices themselves shown rounded.
//
// A stated discount above 100%, a sale price above the list price and a
// list price of zero never agree. The error wraps ErrDiscountMismatch and
// shows the implied figure to four decimals, so a reader can see which
// way it falls.
func CheckDiscount(list, sale float64, stated Discount, tol float64) error {
	// NaN and infinities must fail here: with list = +Inf the implied
	// discount is NaN, and every comparison with NaN is false, so a
	// "greater than tol" test alone would pass it.
	if !finite(stated.Pct) || !finite(tol) || !finite(stated.Step) || stated.Step <= 0 {
		return fmt.Errorf("%w: stated %g%%, tolerance %g", ErrDiscountMismatch, stated.Pct, tol)
	}
	if stated.Pct > 100 {
		return fmt.Errorf("%w: stated %g%% is above 100%%", ErrDiscountMismatch, stated.Pct)
	}
	implied, ok := ImpliedDiscount(list, sale)
	if !ok {
		if finite(list) && finite(sale) && list >= 0 && sale > list {
			return fmt.Errorf("%w: sale price %g is above list price %g", ErrDiscountMismatch, sale, list)
		}
		return fmt.Errorf("%w: list %g, sale %g imply no discount", ErrDiscountMismatch, list, sale)
	}
	down, halfUp, up := roundings(implied, stated.Step)
	for _, r := range [3]float64{down, halfUp, up} {
		if math.Abs(stated.Pct-r) <= tol+agreementSlack {
			return nil
		}
	}
	return fmt.Errorf("%w: stated %g%%, list %g and sale %g imply %.4f%% (%s rounded down, half up or up), more than %g points from each",
		ErrDiscountMismatch, stated.Pct, list, sale, implied, roundingList(stated.Step, down, halfUp, up), tol)
}

// agreementSlack absorbs binary floating point: 100*(200-85)/200 is 57.5
// on paper but need not be in float64, and a discount on the boundary
// must not fall either way by accident.
const agreementSlack = 1e-9

// roundings returns pct rounded down, half up and up to a multiple of step.
func roundings(pct, step float64) (down, halfUp, up float64) {
	x := pct / step
	return math.Floor(x+agreementSlack) * step, math.Floor(x+0.5+agreementSlack) * step, math.Ceil(x-agreementSlack) * step
}

// roundingList shows rounded figures to their step's decimals, so
// 15.500000000000002 reads as the 15.5 it stands for.
func roundingList(step float64, vals ...float64) string {
	decimals := max(0, int(math.Round(-math.Log10(step))))
	s := make([]string, len(vals))
	for i, v := range vals {
		s[i] = strconv.FormatFloat(v, 'f', decimals, 64) + "%"
	}
	return strings.Join(s, ", ")
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
