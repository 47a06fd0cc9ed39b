package parse

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParseTimestampIn(t *testing.T) {
	t.Parallel()
	karachi := time.FixedZone("PKT", 5*3600)
	utc := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v.UTC() }
	tests := []struct {
		in   string
		opts TimeOptions
		want time.Time
	}{
		{"21 Dec 2022 05:22", TimeOptions{Zone: time.UTC}, utc("2022-12-21T05:22:00Z")}, // Maersk
		{"28 Jan 2023 06:00", TimeOptions{Zone: karachi}, utc("2023-01-28T01:00:00Z")},
		{"Mon 31st Oct 2022 15:00", TimeOptions{Zone: time.UTC}, utc("2022-10-31T15:00:00Z")}, // MSC cut-off
		{"Fri 4th Nov 2022", TimeOptions{}, utc("2022-11-04T00:00:00Z")},                      // MSC
		{"Tue 1st Nov 2022 00:00", TimeOptions{Zone: time.UTC}, utc("2022-11-01T00:00:00Z")},
		{"2022-11-04T08:30:00", TimeOptions{Zone: time.UTC}, utc("2022-11-04T08:30:00Z")}, // MSC ISO, naive
		{"2022-11-11T15:00:00-03:00", TimeOptions{}, utc("2022-11-11T18:00:00Z")},         // Routescanner
		{"2022-12-12T01:47:14+01:00", TimeOptions{}, utc("2022-12-12T00:47:14Z")},
		{"04/11/2022", TimeOptions{Order: DayFirst}, utc("2022-11-04T00:00:00Z")},
		{"04/11/2022", TimeOptions{Order: MonthFirst}, utc("2022-04-11T00:00:00Z")},
		{"4.11.2022 10:30", TimeOptions{Order: DayFirst, Zone: karachi}, utc("2022-11-04T05:30:00Z")},
		{"1748772000123", TimeOptions{}, utc("2025-06-01T10:00:00.123Z")},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseTimestampIn(tc.in, tc.opts)
			if err != nil {
				t.Fatalf("ParseTimestampIn(%q): %v", tc.in, err)
			}
			if !got.Equal(tc.want) || got.Location() != time.UTC {
				t.Errorf("ParseTimestampIn(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseTimestampInErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		opts TimeOptions
		want error
	}{
		{"21 Dec 2022 05:22", TimeOptions{}, ErrNoZone},
		{"2022-11-04T08:30:00", TimeOptions{}, ErrNoZone},
		{"04/11/2022", TimeOptions{}, ErrAmbiguousDate},
		{"31/02/2025", TimeOptions{}, ErrAmbiguousDate},
		{"31/02/2025", TimeOptions{Order: DayFirst}, ErrBadTime},
		{"13/01/2025", TimeOptions{Order: MonthFirst}, ErrBadTime},
		{"04/11/2022 10:30", TimeOptions{Order: DayFirst}, ErrNoZone},
		{"not a date", TimeOptions{Zone: time.UTC}, ErrBadTime},
		{"", TimeOptions{}, ErrEmpty},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if got, err := ParseTimestampIn(tc.in, tc.opts); !errors.Is(err, tc.want) {
				t.Errorf("ParseTimestampIn(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParseDateOrder(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]DateOrder{"": OrderUndeclared, "dmy": DayFirst, "MDY": MonthFirst, "day_first": DayFirst} {
		if got, err := ParseDateOrder(in); err != nil || got != want {
			t.Errorf("ParseDateOrder(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseDateOrder("ymd?"); err == nil {
		t.Error("ParseDateOrder(ymd?): want an error")
	}
}

func FuzzParseTimestampIn(f *testing.F) {
	for _, s := range []string{"21 Dec 2022 05:22", "Mon 31st Oct 2022 15:00", "04/11/2022 10:30", "2022-11-04T08:30:00",
		"2022-11-11T15:00:00-03:00", "31/02/2025", "1748772000"} {
		f.Add(s, uint8(1))
	}
	zone := time.FixedZone("PKT", 5*3600)
	f.Fuzz(func(t *testing.T, s string, order uint8) {
		got, err := ParseTimestampIn(s, TimeOptions{Order: DateOrder(order % 3), Zone: zone})
		if err != nil {
			return
		}
		if got.Location() != time.UTC || got.Nanosecond()%1000 != 0 || got.Year() < minYear || got.Year() > maxYear {
			t.Fatalf("ParseTimestampIn(%q) = %v: want UTC, microseconds, year in range", s, got)
		}
	})
}

// FuzzParseDateOrder: a config value gives one of the three orders, an
// error leaves it undeclared and quotes the value, and ASCII case and
// surrounding space do not matter.
func FuzzParseDateOrder(f *testing.F) {
	for _, s := range []string{"", "dmy", "MDY", " day_first ", "monthfirst", "ymd", "d/m/y"} {
		f.Add(s)
	}
	names := map[string]DateOrder{"": OrderUndeclared, "dmy": DayFirst, "day_first": DayFirst, "dayfirst": DayFirst,
		"mdy": MonthFirst, "month_first": MonthFirst, "monthfirst": MonthFirst}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDateOrder(s)
		if err != nil {
			if got != OrderUndeclared || !strings.Contains(err.Error(), fmt.Sprintf("%q", s)) {
				t.Fatalf("ParseDateOrder(%q) = %v, %v: want undeclared and the value quoted", s, got, err)
			}
			return
		}
		if want, ok := names[strings.ToLower(strings.TrimSpace(s))]; !ok || got != want {
			t.Fatalf("ParseDateOrder(%q) = %v, want %v (accepted %v)", s, got, want, ok)
		}
		if isASCII(s) {
			if again, err := ParseDateOrder(" " + strings.ToUpper(s) + "\t"); err != nil || again != got {
				t.Fatalf("ParseDateOrder is case or space sensitive on %q: %v, %v", s, again, err)
			}
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
