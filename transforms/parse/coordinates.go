package parse

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseLOCODECoordinates reads the UN/LOCODE coordinate column,
// "2449N 06658E": degrees and minutes, latitude first, and returns
// decimal degrees (south and west negative).
func ParseLOCODECoordinates(s string) (lat, lon float64, err error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return 0, 0, fmt.Errorf("%w %q: want \"DDMMN DDDMME\"", ErrBadCoordinates, s)
	}
	if lat, err = degMin(f[0], 2, 'N', 'S', 90); err != nil {
		return 0, 0, fmt.Errorf("%w %q: latitude: %v", ErrBadCoordinates, s, err)
	}
	if lon, err = degMin(f[1], 3, 'E', 'W', 180); err != nil {
		return 0, 0, fmt.Errorf("%w %q: longitude: %v", ErrBadCoordinates, s, err)
	}
	return lat, lon, nil
}

// degMin parses degWidth digits of degrees, two of minutes and a
// hemisphere letter.
func degMin(s string, degWidth int, pos, neg byte, limit int) (float64, error) {
	if len(s) != degWidth+3 || !allDigits(s[:degWidth+2]) {
		return 0, fmt.Errorf("%q is not %d digits and a hemisphere", s, degWidth+2)
	}
	deg, _ := strconv.Atoi(s[:degWidth])
	mins, _ := strconv.Atoi(s[degWidth : degWidth+2])
	if mins >= 60 || deg > limit || deg == limit && mins > 0 {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	v := float64(deg) + float64(mins)/60
	switch s[degWidth+2] {
	case pos:
		return v, nil
	case neg:
		return -v, nil
	}
	return 0, fmt.Errorf("%q has hemisphere %q, want %c or %c", s, s[degWidth+2], pos, neg)
}
