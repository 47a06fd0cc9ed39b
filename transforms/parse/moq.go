package parse

import (
	"fmt"
	"strings"
)

// MOQ is a minimum order quantity in a canonical unit.
type MOQ struct {
	Qty  float64
	Unit string // canonical unit, or "" when the source gave a bare number
}

// moqPrefixes are labels some sources put before the quantity.
var moqPrefixes = []string{"minimum order quantity", "minimum order", "min order", "min. order", "moq", "≥", ">="}

// ParseMOQ reads a minimum order quantity such as "500 Pieces",
// "1.0 Sets", "2 Pieces (MOQ)", "1 Ton" (1000 kg), "10 Dozens" (120 piece)
// or "100 Piece/Pieces". A blank value is not an error: ok is false and
// the quantity is simply unknown, which is normal on Daraz.
func ParseMOQ(s string) (m MOQ, ok bool, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return MOQ{}, false, nil
	}
	s = trimMOQLabels(s)
	neg := false
	if r := strings.TrimLeft(s, "-−"); r != s {
		neg, s = true, strings.TrimSpace(r)
	}
	end := scanNumber(s, 0)
	if end == 0 {
		return MOQ{}, false, fmt.Errorf("%w: no quantity", ErrUnparseable)
	}
	qty, err := parseNumber(s[:end])
	if err != nil {
		return MOQ{}, false, err
	}
	if neg && qty != 0 {
		return MOQ{}, false, fmt.Errorf("%w -%s", ErrNegative, s[:end])
	}
	rest := strings.TrimSpace(s[end:])
	if rest == "" {
		return MOQ{Qty: qty}, true, nil
	}
	u, err := ParseUnit(rest)
	if err != nil {
		return MOQ{}, false, err
	}
	return MOQ{Qty: qty * u.Factor, Unit: u.Name}, true, nil
}

// trimMOQLabels drops a "(MOQ)" suffix and a "MOQ:"-style prefix.
func trimMOQLabels(s string) string {
	if n := len(s) - len("(moq)"); n >= 0 && strings.EqualFold(s[n:], "(moq)") {
		s = strings.TrimSpace(s[:n])
	}
	for _, p := range moqPrefixes {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return strings.TrimSpace(strings.TrimLeft(s[len(p):], ": "))
		}
	}
	return s
}

// lastIndexFold is strings.LastIndex ignoring ASCII case. It compares the
// original bytes so indexes stay valid for slicing s (lower-casing can
// change a string's length).
func lastIndexFold(s, sub string) int {
	for i := len(s) - len(sub); i >= 0; i-- {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}
