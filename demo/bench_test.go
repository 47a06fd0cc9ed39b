package demo

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/exportpipe/exportpipe/pipeline"
)

func BenchmarkNew(b *testing.B) {
	for _, n := range []int{3000, 300_000} {
		b.Run(fmt.Sprintf("listings=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				New(Config{Seed: 1, Listings: n}).Truth()
			}
		})
	}
}

// discard is a ResponseWriter that only counts bytes, so the benchmark
// measures rendering and encoding, not buffering a 100 MB body.
type discard struct {
	h http.Header
	n int64
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) WriteHeader(int)             {}
func (d *discard) Write(p []byte) (int, error) { d.n += int64(len(p)); return len(p), nil }

func BenchmarkServeListings(b *testing.B) {
	for _, n := range []int{300_000} {
		b.Run(fmt.Sprintf("listings=%d", n), func(b *testing.B) {
			s := New(Config{Seed: 1, Listings: n})
			h := s.Handler()
			entries := len(s.layouts[pipeline.Listings].entries)
			b.ReportAllocs()
			var bytes int64
			for b.Loop() {
				bytes = 0
				for at := 0; at < entries; at += 5000 {
					target := "/api/v1/listings?limit=5000"
					if at > 0 {
						target += "&cursor=" + encodeCursor(pipeline.Listings, at)
					}
					w := &discard{h: http.Header{}}
					h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
					bytes += w.n
				}
			}
			b.ReportMetric(float64(entries), "records/op")
			b.SetBytes(bytes)
		})
	}
}
