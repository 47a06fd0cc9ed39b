package files

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// BenchmarkNDJSON measures extraction from a local NDJSON file of demo-like
// listings: records/s and MB/s of file read.
func BenchmarkNDJSON(b *testing.B) {
	for _, n := range []int{100000} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "listings.ndjson")
			size := writeListings(b, path, n)
			e, err := New(Config{Name: "bench", Dataset: pipeline.Listings, Paths: []string{path},
				Mapping: pipeline.Mapping{Fields: map[string]string{"listing_id": "id"}}})
			if err != nil {
				b.Fatal(err)
			}
			mem := memory.NewGoAllocator()
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				st, err := e.Extract(context.Background(), mem, func(arrow.RecordBatch) error { return nil })
				if err != nil || st.Records != int64(n) {
					b.Fatalf("records %d err %v", st.Records, err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

func writeListings(b *testing.B, path string, n int) int64 {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range n {
		fmt.Fprintf(w, `{"id":"L-%d","marketplace":"alibaba.com","seller_id":"S-%d","title":"Cotton bed sheet set %d","category":"Home Textiles","price":"US $2.50 - 4.00 / Piece","moq":"500 Pieces","updated_at":"2026-10-01T10:00:00Z"}`+"\n", i, i%5000, i)
	}
	w.Flush()
	st, _ := f.Stat()
	f.Close()
	return st.Size()
}
