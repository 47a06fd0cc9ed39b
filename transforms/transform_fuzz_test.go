package transforms

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// FuzzListingsApply feeds one listing with fuzzed messy fields through the
// whole Arrow transform: it must not panic, must place the row in exactly
// one output, and must not leak.
func FuzzListingsApply(f *testing.F) {
	f.Add("alibaba.com", "US $2.50 - 4.00 / Piece", "500 Pieces", "Apparel", mayFirst)
	f.Add("daraz.pk", "Rs. 1,455", "", "Garments", "1748772000")
	f.Add("daraz.com.bd", "XYZ 12.00", "1 Ton", "Misc", "31/02/2025")
	fx := testFX(f)
	tr, err := NewListings("fuzz", fx)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, market, price, moq, category, updated string) {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		raw := rawBatch(t, mem, pipeline.Listings, []rec{listingRec("F-1",
			"marketplace", market, "price", price, "moq", moq, "category", category, "updated_at", updated)})
		defer raw.Release()
		good, rejects, err := tr.Apply(context.Background(), mem, raw)
		if err != nil {
			t.Fatal(err)
		}
		defer good.Release()
		defer rejects.Release()
		if good.NumRows()+rejects.NumRows() != 1 {
			t.Fatalf("good %d + rejects %d, want 1 row in total", good.NumRows(), rejects.NumRows())
		}
		if good.NumRows() == 1 {
			if lo, hi := cell(t, good, "price_min_usd", 0).(float64), cell(t, good, "price_max_usd", 0).(float64); lo < 0 || lo > hi {
				t.Fatalf("price_min_usd %v, price_max_usd %v: want 0 <= min <= max", lo, hi)
			}
		}
	})
}
