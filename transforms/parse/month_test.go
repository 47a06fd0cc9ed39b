package parse

import (
	"errors"
	"testing"
	"time"
)

func TestParseMonth(t *testing.T) {
	t.Parallel()
	jan := time.Date(2022, time.January, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"January 2022", jan}, // US Census port exports "Time"
		{"january 2022", jan},
		{" Jan 2022 ", jan},
		{"2022-01", jan}, // AIS port-visit counts "Month"
		{"2003-01", time.Date(2003, time.January, 1, 0, 0, 0, 0, time.UTC)}, // ISO 4217 WithdrawalDate
		{"September 2022", time.Date(2022, time.September, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		got, err := ParseMonth(tc.in)
		if err != nil || !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("ParseMonth(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	bad := []struct {
		in   string
		want error
	}{
		{"", ErrEmpty},
		{"1989 to 1990", ErrBadTime}, // ISO 4217 withdrawal ranges: years, not one month
		{"2022-13", ErrBadTime},
		{"21 Dec 2022", ErrBadTime}, // a day is not a month
		{"Janvier 2022", ErrBadTime},
		{"January 1800", ErrBadTime},
	}
	for _, tc := range bad {
		if got, err := ParseMonth(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("ParseMonth(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

// FuzzParseMonth: an accepted month is the first instant of a month in
// range, in UTC, and reads back the same in every accepted layout; the
// same text is never a timestamp.
func FuzzParseMonth(f *testing.F) {
	for _, s := range []string{"January 2022", "Jan 2022", "2022-01", "2003-01", "1989 to 1990", "2022-13", "21 Dec 2022"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseMonth(s)
		if err != nil {
			if !errors.Is(err, ErrBadTime) && !errors.Is(err, ErrEmpty) {
				t.Fatalf("ParseMonth(%q) error %v wraps no sentinel", s, err)
			}
			return
		}
		if got.Location() != time.UTC || got.Day() != 1 || got.Hour()+got.Minute()+got.Second()+got.Nanosecond() != 0 ||
			got.Year() < minYear || got.Year() > maxYear {
			t.Fatalf("ParseMonth(%q) = %v: want midnight UTC on the 1st, year in range", s, got)
		}
		for _, layout := range monthLayouts {
			if again, err := ParseMonth(got.Format(layout)); err != nil || !again.Equal(got) {
				t.Fatalf("ParseMonth(%q) = %v, %v; want %v", got.Format(layout), again, err, got)
			}
		}
		if ts, err := ParseTimestamp(s); err == nil {
			t.Fatalf("ParseTimestamp(%q) = %v: a month must not pass as a timestamp", s, ts)
		}
	})
}
