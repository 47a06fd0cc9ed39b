package parse

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// maxNumberLen bounds the digits we accept; longer strings are not prices.
const maxNumberLen = 40

// parseNumber reads an unsigned decimal written with any of the thousands
// conventions marketplaces use: "1,455", "1,200,000.50", lakh "1,00,000",
// European "1.455,00". When both separators appear the later one is the
// decimal mark. A lone separator is a decimal mark, except a single comma
// followed by exactly three digits ("1,455"), which is a thousands
// separator because that is how Daraz and Alibaba write whole prices.
// A lone dot is always decimal, so "1.455" is 1.455, not 1455.
func parseNumber(s string) (float64, error) {
	if s == "" || len(s) > maxNumberLen {
		return 0, fmt.Errorf("%w: number %q", ErrUnparseable, s)
	}
	dec, group := separators(s)
	if group == 0 && dec != ',' {
		return plainNumber(s) // no separator to strip: parse in place
	}
	intPart, frac := s, ""
	if dec != 0 {
		i := strings.IndexByte(s, dec)
		intPart, frac = s[:i], s[i+1:]
		if strings.IndexByte(frac, dec) >= 0 || strings.IndexByte(frac, group) >= 0 || frac == "" {
			return 0, fmt.Errorf("%w: number %q", ErrUnparseable, s)
		}
	}
	var buf [maxNumberLen + 2]byte
	digits, ok := appendGrouped(buf[:0], intPart, group)
	if !ok {
		return 0, fmt.Errorf("%w: number %q has misplaced separators", ErrUnparseable, s)
	}
	if frac != "" {
		digits = append(digits, '.')
		digits = append(digits, frac...)
	}
	if len(digits) == 0 || digits[0] == '.' && len(digits) == 1 {
		return 0, fmt.Errorf("%w: number %q", ErrUnparseable, s)
	}
	v, err := strconv.ParseFloat(string(digits), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%w: number %q", ErrUnparseable, s)
	}
	return v, nil
}

// plainNumber parses digits with at most one decimal dot.
func plainNumber(s string) (float64, error) {
	if s == "." || strings.HasSuffix(s, ".") || !digitsAndOneDot(s) {
		return 0, fmt.Errorf("%w: number %q", ErrUnparseable, s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%w: number %q", ErrUnparseable, s)
	}
	return v, nil
}

// separators decides which of ',' and '.' is the decimal mark (dec) and
// which groups thousands (group); either may be 0 when absent.
func separators(s string) (dec, group byte) {
	commas, dots := strings.Count(s, ","), strings.Count(s, ".")
	switch {
	case commas > 0 && dots > 0:
		if strings.LastIndexByte(s, '.') > strings.LastIndexByte(s, ',') {
			return '.', ','
		}
		return ',', '.'
	case dots == 1:
		return '.', 0
	case dots > 1:
		return 0, '.'
	case commas == 1 && len(s)-strings.IndexByte(s, ',')-1 != 3:
		return ',', 0
	case commas > 0:
		return 0, ','
	}
	return 0, 0
}

// appendGrouped appends the digits of an integer part, checking that its
// group separators sit where Western (3-digit) or Indian lakh (2-digit
// middle groups) grouping puts them: "1,455", "1,00,000", "12,34,567".
func appendGrouped(dst []byte, s string, group byte) ([]byte, bool) {
	if group == 0 || strings.IndexByte(s, group) < 0 {
		return append(dst, s...), allDigits(s)
	}
	parts := strings.Split(s, string(group))
	for i, p := range parts {
		n := len(p)
		switch {
		case !allDigits(p) || n == 0:
			return dst, false
		case i == 0 && n > 3:
			return dst, false
		case i == len(parts)-1 && n != 3:
			return dst, false
		case i > 0 && i < len(parts)-1 && n != 2 && n != 3:
			return dst, false
		}
		dst = append(dst, p...)
	}
	return dst, true
}

func digitsAndOneDot(s string) bool {
	dots := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			dots++
		} else if !isDigit(s[i]) {
			return false
		}
	}
	return dots <= 1
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// scanNumber returns the end of the number starting at s[i]: digits, with
// ',' or '.' allowed only between digits or before the first digit.
func scanNumber(s string, i int) int {
	j := i
	for j < len(s) {
		c := s[j]
		if isDigit(c) || (c == ',' || c == '.') && j+1 < len(s) && isDigit(s[j+1]) {
			j++
			continue
		}
		break
	}
	return j
}
