package parse

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Timestamps outside these years are data errors, not history or plans.
const (
	minYear = 1900
	maxYear = 2200
	// epochMillisAbove separates epoch seconds from epoch milliseconds:
	// 1e11 seconds is the year 5138, 1e11 milliseconds is 1973.
	epochMillisAbove = 1e11
)

// isoLayouts and namedLayouts are the textual formats that carry an
// explicit UTC offset or zone, so their instant is unambiguous. They are
// split by whether the text starts with a digit, to try fewer layouts.
var isoLayouts = []string{
	time.RFC3339Nano,                     // 2025-06-01T10:00:00.123+05:00, ...Z
	"2006-01-02T15:04:05.999999999Z0700", // offset without a colon
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05.999999999 Z07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999 MST",
}

var namedLayouts = []string{
	time.RFC1123Z,                    // Sun, 01 Jun 2025 10:00:00 +0500
	"Mon, 2 Jan 2006 15:04:05 -0700", // single-digit day
	time.RFC1123,                     // zone abbreviation; only UTC/GMT is accepted
	"Mon, 2 Jan 2006 15:04:05 MST",
	time.RFC850,
}

// dateLayouts are calendar dates; they mean midnight UTC.
var dateLayouts = []string{"2006-01-02", "2 Jan 2006", "Mon 2 Jan 2006", "Jan 2, 2006", "2 January 2006"}

// ParseTimestamp reads the timestamp formats sources mix — RFC 3339 with
// "Z" or an offset and optional fractions, RFC 1123(Z), "2025-06-01
// 10:00:00 +0800", Unix epoch seconds (or milliseconds when above 1e11),
// and plain dates such as "2025-06-01" or "Fri 4th Nov 2022" (midnight
// UTC) — and returns UTC truncated to microseconds, the warehouse's
// precision. A date-time without an offset is rejected (ErrNoZone): its
// instant depends on a zone nobody stated. Impossible dates such as
// "2025-02-31" are rejected by the calendar check, and a bare month
// ("January 2022") is rejected as one: ParseMonth reads monthly columns.
func ParseTimestamp(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("%w: timestamp", ErrEmpty)
	}
	t, err := parseAny(s)
	if err != nil {
		return time.Time{}, err
	}
	t = t.UTC().Truncate(time.Microsecond)
	if y := t.Year(); y < minYear || y > maxYear {
		return time.Time{}, fmt.Errorf("%w %q: year %d is outside %d-%d", ErrBadTime, s, y, minYear, maxYear)
	}
	return t, nil
}

func parseAny(s string) (time.Time, error) {
	if looksNumeric(s) {
		return parseEpoch(s)
	}
	layouts := isoLayouts
	switch {
	case !isDigit(s[0]):
		layouts = namedLayouts
	case len(s) > 10 && s[10] == ' ':
		layouts = isoLayouts[2:] // skip the "T" layouts
	}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			return checkZone(s, t)
		}
	}
	d := stripOrdinal(s)
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, d); err == nil {
			return t, nil
		}
	}
	if hasClock(s) {
		if _, err := time.Parse("2006-01-02T15:04:05.999999999", strings.Replace(s, " ", "T", 1)); err == nil {
			return time.Time{}, fmt.Errorf("%w %q", ErrNoZone, s)
		}
	}
	if _, ok := parseMonth(s); ok {
		// "January 2022" (US Census) is a whole month. Reading it as the
		// 1st at midnight would give a monthly total a precise instant it
		// never had, so the reject says what the value is instead.
		return time.Time{}, fmt.Errorf("%w %q: a month, not a date or time (use ParseMonth for monthly columns)", ErrBadTime, s)
	}
	return time.Time{}, fmt.Errorf("%w %q", ErrBadTime, s)
}

// checkZone refuses zone abbreviations other than UTC and GMT: Go gives
// unknown abbreviations ("PST", "PKT") a zero offset, which would be wrong.
func checkZone(s string, t time.Time) (time.Time, error) {
	name, off := t.Zone()
	if off == 0 && name != "" && name != "UTC" && name != "GMT" && name != "Z" {
		return time.Time{}, fmt.Errorf("%w %q: zone %q is ambiguous, use a numeric offset", ErrBadTime, s, name)
	}
	return t, nil
}

func looksNumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) && c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-' {
			return false
		}
	}
	return strings.IndexByte(s[1:], '-') < 0 || strings.ContainsAny(s, "eE")
}

// parseEpoch reads Unix seconds, or milliseconds when the value is above
// 1e11. A JSON number may arrive as "1748772000", "1748772000.5" or
// "1.748772e9".
func parseEpoch(s string) (time.Time, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return time.Time{}, fmt.Errorf("%w %q: not a positive epoch number", ErrBadTime, s)
	}
	if v > epochMillisAbove {
		v /= 1000
	}
	if v > float64(time.Date(maxYear+1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()) {
		return time.Time{}, fmt.Errorf("%w %q: epoch out of range", ErrBadTime, s)
	}
	sec, frac := math.Modf(v)
	// Round fractions to microseconds so 0.123 does not become 0.122999.
	usec := math.Round(frac * 1e6)
	return time.Unix(int64(sec), int64(usec)*int64(time.Microsecond)), nil
}

// stripOrdinal turns "Fri 4th Nov 2022" into "Fri 4 Nov 2022".
func stripOrdinal(s string) string {
	for _, suf := range []string{"st ", "nd ", "rd ", "th "} {
		if i := strings.Index(s, suf); i > 0 && isDigit(s[i-1]) {
			return s[:i] + " " + s[i+len(suf):]
		}
	}
	return s
}

func hasClock(s string) bool { return strings.Count(s, ":") >= 1 && len(s) >= 16 }
