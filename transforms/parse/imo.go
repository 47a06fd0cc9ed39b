package parse

import (
	"fmt"
	"strings"
)

// ParseIMO validates a ship's IMO number, "IMO 9321483" or "9321483",
// and returns its seven digits. The last digit must equal the sum of the
// first six weighted 7, 6, 5, 4, 3, 2, modulo 10; a mistyped number
// almost always fails it.
func ParseIMO(s string) (string, error) {
	t := strings.TrimSpace(s)
	if len(t) >= 3 && strings.EqualFold(t[:3], "imo") {
		t = strings.TrimLeft(t[3:], " :#.\u00a0")
		if len(t) >= 2 && strings.EqualFold(t[:2], "no") {
			t = strings.TrimLeft(t[2:], " :#.")
		}
	}
	if t == "" {
		return "", fmt.Errorf("%w: imo", ErrEmpty)
	}
	if len(t) != 7 || !allDigits(t) || t[0] == '0' {
		return "", fmt.Errorf("%w %q: want 7 digits", ErrBadIMO, strings.TrimSpace(s))
	}
	sum := 0
	for i := 0; i < 6; i++ {
		sum += int(t[i]-'0') * (7 - i)
	}
	if want := byte('0' + sum%10); t[6] != want {
		return "", fmt.Errorf("%w %q: check digit is %c, want %c", ErrBadIMO, strings.TrimSpace(s), t[6], want)
	}
	return t, nil
}
