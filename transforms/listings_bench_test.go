package transforms

import (
	"context"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// benchListings builds n listings cycling through the simulator's messy
// values; one price form in 13 and one category in 11 are invalid.
// Formats use explicit argument indexes so unused arguments are allowed.
func benchListings(n int) []rec {
	prices := []struct{ market, price string }{
		{"alibaba.com", "US $%[1]d.50 - %[2]d.00 / Piece"}, {"alibaba.com", "USD\u00a0%[1]d.00-USD\u00a0%[2]d.00"},
		{"alibaba.com", "US$ %[1]d.00 / Set"}, {"alibaba.com", "$1,%03[1]d.00"}, {"alibaba.com", "¥%[1]d.00"},
		{"alibaba.com", "€%[1]d.50"}, {"alibaba.com", "AED %[1]d.00"}, {"daraz.pk", "Rs. 1,%03[1]d"},
		{"daraz.pk", "PKR %[1]d,250.00"}, {"daraz.com.bd", "৳ %[1]d,250"}, {"daraz.com.bd", "Tk %[1]d"},
		{"daraz.pk", "%[1]d"}, {"alibaba.com", "XYZ %[1]d.00"},
	}
	cats := []string{"Apparel", " Garments", "home textiles", "Bed Linen", "Cotton Yarn", "Sports Goods",
		"Surgical Instruments", "Leather Products", "Shoes", "Basmati Rice", "Misc"}
	moqs := []string{"500 Pieces", "1.0 Sets", "2 Pieces (MOQ)", "100 Pairs", "1 Ton", "10 Dozens", ""}
	times := []string{"2025-06-0%dT10:00:00Z", "2025-06-0%dT10:00:00.123+05:00", "Sun, 0%d Jun 2025 10:00:00 +0500",
		"2025-06-0%d 10:00:00 +0800", "174877%d000"}
	rows := make([]rec, n)
	for i := range rows {
		p := prices[i%len(prices)]
		v := 2 + i%97
		rows[i] = rec{
			"listing_id": fmt.Sprintf("L-%d", i), "marketplace": p.market, "seller_id": fmt.Sprintf("S-%d", i%500),
			"title": "Premium cotton product", "category": cats[i%len(cats)],
			"price": fmt.Sprintf(p.price, v, v+3), "updated_at": fmt.Sprintf(times[i%len(times)], 2+i%7),
		}
		if p.market == "alibaba.com" {
			rows[i]["moq"] = moqs[i%len(moqs)]
		}
	}
	return rows
}

func BenchmarkListings(b *testing.B) {
	const n = 16384
	mem := memory.NewGoAllocator()
	raw := rawBatch(b, mem, pipeline.Listings, benchListings(n))
	defer raw.Release()
	fx := testFX(b)
	fx.Finalize()
	tr, err := NewListings("bench", fx)
	if err != nil {
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
		b.ReportAllocs()
		iters := 0
		var good, bad int64
		for b.Loop() {
			g, r, err := tr.Apply(context.Background(), mem, raw)
			if err != nil {
				b.Fatal(err)
			}
			good, bad = g.NumRows(), r.NumRows()
			g.Release()
			r.Release()
			iters++
		}
		b.ReportMetric(float64(iters*n)/b.Elapsed().Seconds(), "rows/s")
		b.ReportMetric(float64(bad)/float64(good+bad), "reject-share")
	})
}

// BenchmarkMillionListings normalises one million listings in 16k batches,
// the batch size extractors emit, so the figure is the pipeline's own.
func BenchmarkMillionListings(b *testing.B) {
	const batch, batches = 16384, 62 // 1,015,808 rows
	mem := memory.NewGoAllocator()
	raw := rawBatch(b, mem, pipeline.Listings, benchListings(batch))
	defer raw.Release()
	fx := testFX(b)
	fx.Finalize()
	tr, err := NewListings("bench", fx)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("rows=1000000", func(b *testing.B) {
		b.ReportAllocs()
		iters := 0
		for b.Loop() {
			for range batches {
				g, r, err := tr.Apply(context.Background(), mem, raw)
				if err != nil {
					b.Fatal(err)
				}
				g.Release()
				r.Release()
			}
			iters++
		}
		b.ReportMetric(float64(iters*batch*batches)/b.Elapsed().Seconds(), "rows/s")
	})
}
