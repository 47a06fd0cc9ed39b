package httpjson

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// BenchmarkLoopback measures extraction from a loopback API serving
// prebuilt pages of 5000 demo-like listings with a cursor, so the figure
// is the extractor's (HTTP client, JSON, Arrow), not the server's.
func BenchmarkLoopback(b *testing.B) {
	const perPage = 5000
	for _, n := range []int{100000} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			pages := make([][]byte, n/perPage)
			var size int64
			for p := range pages {
				var sb strings.Builder
				sb.WriteString(`{"data":[`)
				for i := p * perPage; i < (p+1)*perPage; i++ {
					if i > p*perPage {
						sb.WriteByte(',')
					}
					fmt.Fprintf(&sb, `{"id":"L-%d","marketplace":"alibaba.com","seller_id":"S-%d","title":"Cotton bed sheet set %d","category":"Home Textiles","price":"US $2.50 - 4.00 / Piece","moq":"500 Pieces","updated_at":"2026-10-01T10:00:00Z"}`, i, i%5000, i)
				}
				next := `"` + strconv.Itoa(p+1) + `"`
				if p == len(pages)-1 {
					next = "null"
				}
				sb.WriteString(`],"next_cursor":` + next + `}`)
				pages[p] = []byte(sb.String())
				size += int64(len(pages[p]))
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				p, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
				w.Write(pages[p])
			}))
			defer srv.Close()
			e, err := New(Config{Name: "bench", Dataset: pipeline.Listings, URL: srv.URL, RecordsPath: "data",
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
