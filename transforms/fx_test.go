package transforms

import (
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

func TestFXTableLookup(t *testing.T) {
	t.Parallel()
	fx := NewFXTable()
	day := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	// Added out of order, with 2025-06-03 corrected by a later row.
	for _, r := range []struct {
		d    string
		rate float64
	}{{"2025-06-03", 281}, {"2025-06-02", 280}, {"2025-06-06", 283}, {"2025-06-03", 281.5}} {
		if err := fx.Add("PKR", day(r.d), r.rate); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		cur  string
		at   string
		want float64
		ok   bool
	}{
		{"PKR", "2025-06-02T00:00:00Z", 280, true},
		{"PKR", "2025-06-03T12:00:00Z", 281.5, true}, // the later correction wins
		{"PKR", "2025-06-05T23:59:59Z", 281.5, true}, // nearest prior (weekend gap)
		{"PKR", "2025-06-06T00:00:00Z", 283, true},
		{"PKR", "2026-01-01T00:00:00Z", 283, true},
		{"PKR", "2025-06-01T23:59:59Z", 0, false},      // before the first rate
		{"PKR", "2025-06-02T03:00:00+05:00", 0, false}, // 2025-06-01 in UTC
		{"USD", "1990-01-01T00:00:00Z", 1, true},
		{"EUR", "2025-06-03T00:00:00Z", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.cur+" "+tc.at, func(t *testing.T) {
			t.Parallel()
			at, err := time.Parse(time.RFC3339, tc.at)
			if err != nil {
				t.Fatal(err)
			}
			if got, ok := fx.UnitsPerUSD(tc.cur, at); got != tc.want || ok != tc.ok {
				t.Errorf("UnitsPerUSD(%s, %s) = %v, %v; want %v, %v", tc.cur, tc.at, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestFXTableAddErrors(t *testing.T) {
	t.Parallel()
	fx := NewFXTable()
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		cur  string
		rate float64
	}{{"PKR", 0}, {"PKR", -1}, {"PK", 1}} {
		if err := fx.Add(tc.cur, now, tc.rate); err == nil {
			t.Errorf("Add(%q, %v): want an error", tc.cur, tc.rate)
		}
	}
}

func TestFXTableAddBatch(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := array.NewRecordBuilder(mem, pipeline.TypedSchema(pipeline.FXRates))
	defer b.Release()
	b.Field(0).(*array.Date32Builder).AppendValues([]arrow.Date32{20239, 20240}, nil) // 2025-05-31, 2025-06-01
	b.Field(1).(*array.StringBuilder).AppendValues([]string{"BDT", "BDT"}, nil)
	b.Field(2).(*array.Float64Builder).AppendValues([]float64{120, 121}, nil)
	typed := b.NewRecordBatch()
	defer typed.Release()
	fx := NewFXTable()
	if err := fx.AddBatch(typed); err != nil {
		t.Fatal(err)
	}
	fx.Finalize()
	if got, ok := fx.UnitsPerUSD("BDT", mustTime(t, "2025-06-01T08:00:00Z")); !ok || got != 121 {
		t.Errorf("BDT on 2025-06-01 = %v, %v; want 121", got, ok)
	}
	if got := fx.Currencies(); len(got) != 1 || got[0] != "BDT" {
		t.Errorf("Currencies() = %v, want [BDT]", got)
	}
	// A batch of another schema is refused.
	raw := rawBatch(t, mem, pipeline.FXRates, []rec{{"date": "2025-06-01", "currency": "BDT", "units_per_usd": "1"}})
	defer raw.Release()
	if err := fx.AddBatch(raw); err == nil {
		t.Error("AddBatch(raw batch): want a schema error")
	}
}

// TestFXTableConcurrent looks rates up from many goroutines while rows are
// still arriving out of order; run with -race.
func TestFXTableConcurrent(t *testing.T) {
	t.Parallel()
	fx := NewFXTable()
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				if g == 0 {
					_ = fx.Add("CNY", base.AddDate(0, 0, 200-i), 7+float64(i)/1000)
				}
				fx.UnitsPerUSD("CNY", base.AddDate(0, 0, i))
			}
		})
	}
	wg.Wait()
	if _, ok := fx.UnitsPerUSD("CNY", base.AddDate(0, 0, 1)); !ok {
		t.Error("CNY rate missing after concurrent adds")
	}
}

func TestDayNumber(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		at   time.Time
		want int32
	}{
		{time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), 0},
		{time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC), -1},
		{time.Date(2025, 6, 1, 23, 59, 59, 0, time.UTC), 20240},
		{time.Date(2025, 6, 2, 3, 0, 0, 0, time.FixedZone("PKT", 5*3600)), 20240},
	} {
		if got := dayNumber(tc.at); got != tc.want {
			t.Errorf("dayNumber(%v) = %d, want %d", tc.at, got, tc.want)
		}
		if got := dayStart(tc.want); dayNumber(got) != tc.want {
			t.Errorf("dayStart(%d) = %v does not round-trip", tc.want, got)
		}
	}
}

// Rate says which day its rate is for and how far apart the currency's
// rates are: a day for a daily series despite its weekends, a month for a
// monthly one despite a missing month, and 0 for a lone rate.
func TestFXTableRateDayAndSpacing(t *testing.T) {
	t.Parallel()
	fx := NewFXTable()
	day := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	// EUR on weekdays only, 2025-06-02 (Mon) to 2025-06-13 (Fri), added
	// newest first; GBP on the first of each month with May missing.
	for d := day("2025-06-13"); !d.Before(day("2025-06-02")); d = d.AddDate(0, 0, -1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			if err := fx.Add("EUR", d, 0.9); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, m := range []string{"2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01", "2025-06-01", "2025-07-01"} {
		if err := fx.Add("GBP", day(m), 0.8); err != nil {
			t.Fatal(err)
		}
	}
	if err := fx.Add("CNY", day("2019-03-01"), 6.7); err != nil {
		t.Fatal(err)
	}
	const d1 = 24 * time.Hour
	for _, tc := range []struct {
		cur, at, wantDay string
		spacing          time.Duration
	}{
		{"EUR", "2025-06-08T12:00:00Z", "2025-06-06", d1}, // Sunday: Friday's rate
		{"EUR", "2025-06-30T00:00:00Z", "2025-06-13", d1},
		{"GBP", "2025-05-20T00:00:00Z", "2025-04-01", 31 * d1},
		{"CNY", "2025-06-01T00:00:00Z", "2019-03-01", 0},
		{"USD", "2025-06-01T18:00:00+05:00", "2025-06-01", 0},
	} {
		r, ok := fx.Rate(tc.cur, mustTime(t, tc.at))
		if !ok || r.Day.Format(time.DateOnly) != tc.wantDay || r.Spacing != tc.spacing {
			t.Errorf("Rate(%s, %s) = %+v, %v; want the rate of %s, spacing %v", tc.cur, tc.at, r, ok, tc.wantDay, tc.spacing)
		}
	}
	// A rate added later changes the spacing the next lookup reports.
	if err := fx.Add("CNY", day("2019-03-02"), 6.71); err != nil {
		t.Fatal(err)
	}
	if r, _ := fx.Rate("CNY", day("2019-03-05")); r.Spacing != d1 {
		t.Errorf("CNY spacing after a second daily rate = %v, want %v", r.Spacing, d1)
	}
}
