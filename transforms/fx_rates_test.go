package transforms

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

func TestFXRates(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rows := []rec{
		{"date": "2025-06-02", "currency": "PKR", "units_per_usd": "278.4512"},
		{"date": "2025-06-02", "currency": " usd ", "units_per_usd": "1.0"},
		{"date": "2025-06-03", "currency": "BDT", "units_per_usd": "122.1"},
		{"date": "2025-06-02", "currency": "XYZ", "units_per_usd": "5"},
		{"date": "2025-06-31", "currency": "PKR", "units_per_usd": "5"},
		{"date": "2025-06-04", "currency": "PKR", "units_per_usd": "-1"},
		{"date": "2025-06-04", "currency": "EUR", "units_per_usd": "abc"},
		{"date": "2025-06-04", "currency": "USD", "units_per_usd": "1.1"},
		{"currency": "CNY", "units_per_usd": "7.1"},
	}
	out := apply(t, mem, NewFXRates("demo"), pipeline.FXRates, rows)
	defer out.release()
	if n := out.good.NumRows(); n != 3 {
		t.Fatalf("%d good rows, want 3", n)
	}
	for i, w := range []map[string]any{
		{"date": "2025-06-02", "currency": "PKR", "units_per_usd": 278.4512},
		{"date": "2025-06-02", "currency": "USD", "units_per_usd": 1.0},
		{"date": "2025-06-03", "currency": "BDT", "units_per_usd": 122.1},
	} {
		for col, want := range w {
			if got := cell(t, out.good, col, i); got != want {
				t.Errorf("row %d %s = %v, want %v", i, col, got, want)
			}
		}
	}
	checkRejects(t, out, pipeline.FXRates, "demo", map[string][2]string{
		"2025-06-02/XYZ": {"currency", `[unknown_currency] currency "XYZ": unknown currency`},
		"2025-06-31/PKR": {"date", `[bad_time] date "2025-06-31": invalid timestamp "2025-06-31"`},
		"2025-06-04/PKR": {"units_per_usd", `[bad_rate] units_per_usd "-1": not a positive number`},
		"2025-06-04/EUR": {"units_per_usd", `[unparseable] units_per_usd "abc": cannot parse`},
		"2025-06-04/USD": {"units_per_usd", `[bad_rate] units_per_usd "1.1": USD must be 1`},
		"":               {"date", "[missing] date is missing"},
	})

	// The typed batch feeds an FXTable directly.
	fx := NewFXTable()
	if err := fx.AddBatch(out.good); err != nil {
		t.Fatal(err)
	}
	if rate, ok := fx.UnitsPerUSD("PKR", mustTime(t, "2025-06-02T23:59:59Z")); !ok || rate != 278.4512 {
		t.Errorf("PKR on 2025-06-02 = %v, %v; want 278.4512", rate, ok)
	}
}
