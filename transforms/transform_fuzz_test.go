package transforms

import (
	"context"
	"math"
	"strings"
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

// FuzzListingDiscount feeds fuzzed list prices and discounts beside a good
// price. A discount never rejects a listing: a reject names the list price
// or discount only for text that is no usable number, and a kept listing
// has a discount_pct of NULL or 0-100, flagged when the three disagree.
func FuzzListingDiscount(f *testing.F) {
	f.Add("Rs.35,500", "-16%")
	f.Add("360", "16.0")
	f.Add("260", "48.0")
	f.Add("0", "150%")
	f.Add("", "12.5")
	f.Add("five hundred", "half")
	fx := testFX(f)
	tr, err := NewListings("fuzz", fx)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, list, discount string) {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		raw := rawBatch(t, mem, pipeline.Listings, []rec{listingRec("F-1", "marketplace", "daraz.pk", "moq", "<null>",
			"price", "Rs.29,999", "list_price", list, "discount", discount)})
		defer raw.Release()
		good, rejects, err := tr.Apply(context.Background(), mem, raw)
		if err != nil {
			t.Fatal(err)
		}
		defer good.Release()
		defer rejects.Release()
		if rejects.NumRows() == 1 {
			if code := cell(t, rejects, "code", 0); code == string(CodeDiscountMismatch) {
				t.Fatalf("list %q, discount %q rejected for the discount: %s", list, discount, cell(t, rejects, "reason", 0))
			}
			return
		}
		pct, mismatch := cell(t, good, "discount_pct", 0), cell(t, good, "discount_mismatch", 0)
		if p, ok := pct.(float64); ok && (p < 0 || p > 100 || math.IsNaN(p)) {
			t.Fatalf("list %q, discount %q: discount_pct %v outside 0-100", list, discount, p)
		}
		if pct == nil && mismatch == nil && strings.TrimSpace(list+discount) != "" {
			t.Fatalf("list %q, discount %q: a given field left neither a discount nor a flag", list, discount)
		}
	})
}
