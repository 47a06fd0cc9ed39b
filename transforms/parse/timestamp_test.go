package parse

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseTimestamp(t *testing.T) {
	t.Parallel()
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2025-06-01T10:00:00Z", at("2025-06-01T10:00:00Z")},
		{"2025-06-01T10:00:00+05:00", at("2025-06-01T05:00:00Z")},
		{"2025-06-01T10:00:00.123Z", at("2025-06-01T10:00:00.123Z")},
		{"2025-06-01T10:00:00.1234567Z", at("2025-06-01T10:00:00.123456Z")}, // truncated to µs
		{"2025-06-01T10:00:00-0300", at("2025-06-01T13:00:00Z")},
		{"Sun, 01 Jun 2025 10:00:00 +0500", at("2025-06-01T05:00:00Z")},
		{"Sun, 1 Jun 2025 10:00:00 +0500", at("2025-06-01T05:00:00Z")},
		{"Sun, 01 Jun 2025 10:00:00 GMT", at("2025-06-01T10:00:00Z")},
		{"2025-06-01 10:00:00 +0800", at("2025-06-01T02:00:00Z")},
		{"2025-06-01 10:00:00+08:00", at("2025-06-01T02:00:00Z")},
		{"2025-06-01 10:00:00 UTC", at("2025-06-01T10:00:00Z")},
		{"1748772000", at("2025-06-01T10:00:00Z")},
		{"1748772000.25", at("2025-06-01T10:00:00.25Z")},
		{"1.748772e9", at("2025-06-01T10:00:00Z")},
		{"1748772000123", at("2025-06-01T10:00:00.123Z")}, // epoch milliseconds
		{"2025-06-01", at("2025-06-01T00:00:00Z")},
		{"Fri 4th Nov 2022", at("2022-11-04T00:00:00Z")},
		{"1 Jan 2024", at("2024-01-01T00:00:00Z")},
		{" 2024-02-29T00:00:00Z ", at("2024-02-29T00:00:00Z")},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseTimestamp(tc.in)
			if err != nil {
				t.Fatalf("ParseTimestamp(%q): %v", tc.in, err)
			}
			if !got.Equal(tc.want) || got.Location() != time.UTC {
				t.Errorf("ParseTimestamp(%q) = %v, want %v UTC", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseTimestampErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want error
	}{
		{"31/02/2025", ErrBadTime},
		{"not a date", ErrBadTime},
		{"2025-02-31", ErrBadTime},
		{"2025-02-29T00:00:00Z", ErrBadTime},
		{"2025-13-01T00:00:00Z", ErrBadTime},
		{"2025-06-01T25:00:00Z", ErrBadTime},
		{"", ErrEmpty},
		{"-5", ErrBadTime},
		{"1e300", ErrBadTime},
		{"NaN", ErrBadTime},
		{"0001-01-01T00:00:00Z", ErrBadTime},
		{"2025-06-01T10:00:00", ErrNoZone},
		{"2025-06-01 10:00:00", ErrNoZone},
		{"2025-06-01 10:00:00 PKT", ErrBadTime},
		{"06/01/2025", ErrBadTime},
		// US Census port exports are monthly totals ("January 2022"): a
		// period, not an instant. ParseMonth reads them; as a timestamp
		// they are rejected rather than pinned to the 1st at midnight.
		{"January 2022", ErrBadTime},
		{"2022-01", ErrBadTime},
		// MSC TotalTransitTime is a duration; transit_days is derived from
		// etd and ata, so "27 days" is never a time.
		{"27 days", ErrBadTime},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if got, err := ParseTimestamp(tc.in); !errors.Is(err, tc.want) {
				t.Errorf("ParseTimestamp(%q) = %v, %v; want error %v", tc.in, got, err, tc.want)
			}
		})
	}
}

// TestParseTimestampMonthReason checks the reject says why: a user seeing
// bad_time on "January 2022" needs to know it is a month, not garbage.
func TestParseTimestampMonthReason(t *testing.T) {
	t.Parallel()
	_, err := ParseTimestamp("January 2022")
	if err == nil || !strings.Contains(err.Error(), "a month, not a date") {
		t.Errorf("ParseTimestamp(January 2022) error = %v, want it to name a month", err)
	}
	if _, err := ParseTimestampIn("January 2022", TimeOptions{Order: DayFirst, Zone: time.UTC}); !errors.Is(err, ErrBadTime) ||
		!strings.Contains(err.Error(), "a month") {
		t.Errorf("ParseTimestampIn(January 2022) error = %v, want the month reason", err)
	}
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2025-06-01T10:00:00.123Z", "Sun, 01 Jun 2025 10:00:00 +0500", "2025-06-01 10:00:00 +0800",
		"1748772000", "31/02/2025", "Fri 4th Nov 2022", "1748772000123"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTimestamp(s)
		if err != nil {
			return
		}
		if got.Location() != time.UTC || got.Nanosecond()%1000 != 0 {
			t.Fatalf("ParseTimestamp(%q) = %v: want UTC at microsecond precision", s, got)
		}
		if y := got.Year(); y < minYear || y > maxYear {
			t.Fatalf("ParseTimestamp(%q) = %v: year out of range", s, got)
		}
	})
}
