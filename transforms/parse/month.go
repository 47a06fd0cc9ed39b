package parse

import (
	"fmt"
	"strings"
	"time"
)

// monthLayouts are month-precision periods as statistics offices publish
// them: US Census "January 2022", "Jan 2022", and the ISO "2022-01" of the
// AIS port-visit counts and ISO 4217 withdrawal dates.
var monthLayouts = []string{"January 2006", "Jan 2006", "2006-01"}

// ParseMonth reads a calendar month ("January 2022", "Jan 2022",
// "2022-01") and returns its first instant, midnight UTC on day 1. It is
// for columns that are periods by nature (monthly totals, rates, visit
// counts); ParseTimestamp refuses the same text, because a month is not a
// point in time and silently turning it into the 1st would invent a day.
func ParseMonth(s string) (time.Time, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return time.Time{}, fmt.Errorf("%w: month", ErrEmpty)
	}
	m, ok := parseMonth(t)
	if !ok {
		return time.Time{}, fmt.Errorf("%w %q: want a month such as \"January 2022\" or \"2022-01\"", ErrBadTime, s)
	}
	if y := m.Year(); y < minYear || y > maxYear {
		return time.Time{}, fmt.Errorf("%w %q: year %d is outside %d-%d", ErrBadTime, s, y, minYear, maxYear)
	}
	return m, nil
}

func parseMonth(s string) (time.Time, bool) {
	for _, layout := range monthLayouts {
		if m, err := time.Parse(layout, s); err == nil {
			return m, true
		}
	}
	return time.Time{}, false
}
