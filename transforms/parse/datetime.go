package parse

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DateOrder is how a source writes numeric dates such as 04/11/2022. It is
// declared per source, never guessed: the same text is 4 November in
// Karachi and 11 April in New York.
type DateOrder uint8

const (
	// OrderUndeclared makes every numeric d/m/y date a reject (ErrAmbiguousDate).
	OrderUndeclared DateOrder = iota
	// DayFirst reads 04/11/2022 as 4 November 2022.
	DayFirst
	// MonthFirst reads 04/11/2022 as 11 April 2022.
	MonthFirst
)

// ParseDateOrder reads a config value: "dmy"/"day_first", "mdy"/"month_first" or "".
func ParseDateOrder(s string) (DateOrder, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return OrderUndeclared, nil
	case "dmy", "day_first", "dayfirst":
		return DayFirst, nil
	case "mdy", "month_first", "monthfirst":
		return MonthFirst, nil
	}
	return OrderUndeclared, fmt.Errorf("date order %q: want dmy or mdy", s)
}

// TimeOptions are a source's declarations for reading its timestamps.
type TimeOptions struct {
	Order DateOrder
	// Zone is where naive date-times ("21 Dec 2022 05:22") were written.
	// Nil means such values are rejected (ErrNoZone).
	Zone *time.Location
}

// naiveLayouts are date-times without an offset; they need a declared zone.
var naiveLayouts = []string{
	"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04",
	"2 Jan 2006 15:04", "2 Jan 2006 15:04:05", "Mon 2 Jan 2006 15:04", "Mon 2 Jan 2006 15:04:05",
	"2 January 2006 15:04", "Jan 2, 2006 15:04",
}

// ParseTimestampIn is ParseTimestamp with a source's declarations: naive
// date-times are read in o.Zone, and numeric d/m/y dates in o.Order.
// Results are UTC at microsecond precision, like ParseTimestamp.
func ParseTimestampIn(s string, o TimeOptions) (time.Time, error) {
	t, err := ParseTimestamp(s)
	if err == nil || errors.Is(err, ErrEmpty) {
		return t, err
	}
	s = strings.TrimSpace(s)
	if isNumericDate(s) {
		t, err = parseNumericDate(s, o)
	} else {
		t, err = parseNaive(s, o.Zone, err)
	}
	if err != nil {
		return time.Time{}, err
	}
	t = t.UTC().Truncate(time.Microsecond)
	if y := t.Year(); y < minYear || y > maxYear {
		return time.Time{}, fmt.Errorf("%w %q: year %d is outside %d-%d", ErrBadTime, s, y, minYear, maxYear)
	}
	return t, nil
}

// parseNaive tries the offset-less layouts; prev is ParseTimestamp's error,
// kept when nothing matches so the reason stays the most specific one.
func parseNaive(s string, zone *time.Location, prev error) (time.Time, error) {
	d := stripOrdinal(s)
	for _, layout := range naiveLayouts {
		if _, err := time.Parse(layout, d); err != nil {
			continue
		}
		if zone == nil {
			return time.Time{}, fmt.Errorf("%w %q: declare the source's time zone", ErrNoZone, s)
		}
		return time.ParseInLocation(layout, d, zone)
	}
	return time.Time{}, prev
}

// isNumericDate spots d/m/y-style dates: 04/11/2022, 4-11-2022, 04.11.2022,
// optionally followed by a time.
func isNumericDate(s string) bool {
	date, _, _ := strings.Cut(s, " ")
	parts := strings.FieldsFunc(date, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 3 || len(parts[0]) > 2 || len(parts[1]) > 2 || len(parts[2]) != 4 {
		return false
	}
	return allDigits(parts[0]) && allDigits(parts[1]) && allDigits(parts[2])
}

// parseNumericDate applies the declared order; an optional "15:04[:05]"
// after the date needs the declared zone too.
func parseNumericDate(s string, o TimeOptions) (time.Time, error) {
	if o.Order == OrderUndeclared {
		return time.Time{}, fmt.Errorf("%w %q: the source declares neither day-first nor month-first", ErrAmbiguousDate, s)
	}
	date, clock, hasClock := strings.Cut(s, " ")
	p := strings.FieldsFunc(date, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	a, _ := strconv.Atoi(p[0])
	b, _ := strconv.Atoi(p[1])
	y, _ := strconv.Atoi(p[2])
	day, month := a, b
	if o.Order == MonthFirst {
		day, month = b, a
	}
	iso := fmt.Sprintf("%04d-%02d-%02d", y, month, day)
	if !hasClock {
		t, err := time.Parse(time.DateOnly, iso)
		if err != nil {
			return time.Time{}, fmt.Errorf("%w %q: no such date", ErrBadTime, s)
		}
		return t, nil
	}
	return parseNaive(iso+" "+strings.TrimSpace(clock), o.Zone, fmt.Errorf("%w %q", ErrBadTime, s))
}
