package parse

import (
	"fmt"
	"strings"
)

// HSCode is a validated Harmonized System subheading.
type HSCode struct {
	Code    string // six digits, zero-padded: "620462"
	Chapter int    // 1-97
}

// ParseHSCode reads a 6-digit HS subheading as trade data writes it:
// "620462", "6204.62", "6204 62", "HS 6204.62", or a longer national
// tariff line ("6204.62.4000"), of which the first six digits are the
// international part. A chapter that does not exist (00, 77, 98, 99 are
// reserved or national) is an error.
func ParseHSCode(s string) (HSCode, error) {
	t := strings.TrimSpace(s)
	if len(t) >= 2 && strings.EqualFold(t[:2], "hs") {
		t = strings.TrimLeft(t[2:], " :")
	}
	digits := strings.Map(func(r rune) rune {
		if r == '.' || r == ' ' {
			return -1
		}
		return r
	}, t)
	if digits == "" {
		return HSCode{}, fmt.Errorf("%w: hs code", ErrEmpty)
	}
	if strings.EqualFold(digits, "total") {
		// Comtrade and the HS nomenclature file carry a "TOTAL" row that
		// sums every chapter; loading it as a commodity would double-count.
		return HSCode{}, fmt.Errorf("%w %q: an all-commodities total row, not a commodity code", ErrBadHS, s)
	}
	if !allDigits(digits) || len(digits) < 6 || len(digits) > 10 || len(digits)%2 != 0 {
		return HSCode{}, fmt.Errorf("%w %q: want 6 digits (or an 8-10 digit tariff line)", ErrBadHS, s)
	}
	ch := int(digits[0]-'0')*10 + int(digits[1]-'0')
	if _, ok := HSChapterName(ch); !ok {
		return HSCode{}, fmt.Errorf("%w %q: chapter %02d does not exist", ErrBadHS, s, ch)
	}
	return HSCode{Code: digits[:6], Chapter: ch}, nil
}

// Textile chapters 50-63 (HS section XI) are reported together as one group.
const (
	FirstTextileChapter = 50
	LastTextileChapter  = 63
)

// IsTextileChapter reports whether an HS chapter belongs to section XI.
func IsTextileChapter(ch int) bool { return ch >= FirstTextileChapter && ch <= LastTextileChapter }

// HSChapterName returns the short name of an HS chapter.
func HSChapterName(ch int) (string, bool) {
	if ch < 1 || ch >= len(hsChapters) || hsChapters[ch] == "" {
		return "", false
	}
	return hsChapters[ch], true
}
