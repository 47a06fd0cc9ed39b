package transforms

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

func freightRec(id string, kv ...string) rec {
	r := rec{"rate_id": id, "carrier": "Maersk", "origin": "Karachi", "destination": "Rotterdam", "equipment": "40HC",
		"valid_from": "2025-06-01", "rate": "USD 1,450", "updated_at": mayFirst}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "<null>" {
			delete(r, kv[i])
			continue
		}
		r[kv[i]] = kv[i+1]
	}
	return r
}

func TestFreightRates(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tr, err := NewFreightRates("demo", testFX(t))
	if err != nil {
		t.Fatal(err)
	}
	rows := []rec{
		freightRec("F-1"),
		freightRec("F-2", "rate", "$1450.00", "equipment", "20'"),
		freightRec("F-3", "rate", "US$ 2,100", "equipment", "40' HC", "carrier", "CMA-CGM"),
		freightRec("F-4", "rate", "PKR 280,000", "equipment", "40GP", "valid_from", "2025-06-02"),
		freightRec("F-X1", "rate", "1450"),
		freightRec("F-X2", "equipment", "45HC"),
		freightRec("F-X3", "rate", "USD 1,000 - 2,000"),
		freightRec("F-X4", "rate", "GBP 900"),
		freightRec("F-X5", "valid_from", "2025-13-01"),
		freightRec("F-X6", "rate", "PKR 280,000", "valid_from", "2025-08-01"), // last PKR rate 2025-06-02
	}
	out := apply(t, mem, tr, pipeline.FreightRates, rows)
	defer out.release()
	idx := goodByKey(t, out.good, "rate_id")
	want := map[string]map[string]any{
		"F-1": {"equipment": "40HC", "currency": "USD", "amount": 1450.0, "amount_usd": 1450.0, "fx_units_per_usd": 1.0,
			"valid_from": "2025-06-01", "origin": "PKKHI", "destination": "NLRTM"},
		"F-2": {"equipment": "20GP", "amount": 1450.0},
		"F-3": {"equipment": "40HC", "amount": 2100.0, "carrier": "CMA CGM"},
		"F-4": {"equipment": "40GP", "currency": "PKR", "amount": 280000.0, "fx_units_per_usd": 250.0, "amount_usd": 1120.0},
	}
	for id, cols := range want {
		i, ok := idx[id]
		if !ok {
			t.Errorf("rate %s rejected", id)
			continue
		}
		for col, w := range cols {
			if got := cell(t, out.good, col, i); !equalish(got, w) {
				t.Errorf("rate %s %s = %v, want %v", id, col, got, w)
			}
		}
	}
	checkRejects(t, out, pipeline.FreightRates, "demo", map[string][2]string{
		"F-X1": {"rate", `[no_currency] rate "1450": no currency in value and no default currency`},
		"F-X2": {"equipment", `[unknown_equipment] equipment "45HC": unknown equipment "45HC": want 20GP, 40GP or 40HC`},
		"F-X3": {"rate", `[not_single_amount] rate "USD 1,000 - 2,000": a range, want a single amount`},
		"F-X4": {"rate", `[no_fx_rate] rate "GBP 900": no FX rate for GBP on or before 2025-06-01`},
		"F-X5": {"valid_from", `[bad_time] valid_from "2025-13-01": invalid timestamp "2025-13-01"`},
		"F-X6": {"rate", `[fx_rate_too_old] rate "PKR 280,000": the nearest PKR rate on or before 2025-08-01 is for 2025-06-02, 60 days earlier, past the 45-day limit for a monthly series; load newer PKR rates or set normalise.fx_max_age`},
	})
}
