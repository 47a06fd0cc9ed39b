package httpjson

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// handlerTransport serves requests in-process, so a synctest bubble owns
// every goroutine and timer and waits of minutes take no real time.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// timedAPI serves 5 pages of 2 sellers with a cursor; throttle decides a
// 429's Retry-After per request number ("" for a normal page).
func timedAPI(throttle func(n int) string) (http.Handler, *[]time.Time) {
	var mu sync.Mutex
	var at []time.Time
	n := 0
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		at = append(at, time.Now())
		k := n
		mu.Unlock()
		if ra := throttle(k); ra != "" {
			w.Header().Set("Retry-After", ra)
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		c, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		next := `"` + strconv.Itoa(c+1) + `"`
		if c == 4 {
			next = "null"
		}
		w.Write([]byte(`{"data":[{"seller_id":"A` + strconv.Itoa(c) + `"},{"seller_id":"B` + strconv.Itoa(c) + `"}],"next_cursor":` + next + `}`))
	}), &at
}

func runTimed(t *testing.T, h http.Handler, rps float64, burst int) (pipeline.ExtractStats, error) {
	e := mustNew(t, Config{
		Name: "timed", Dataset: pipeline.Sellers, URL: "http://api.test/sellers", RecordsPath: "data",
		Transport: handlerTransport{h}, RPS: rps, Burst: burst, MaxRetries: 3,
		RetryWaitMin: time.Second, RetryWaitMax: 2 * time.Second,
	})
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	return e.Extract(context.Background(), mem, func(arrow.RecordBatch) error { return nil })
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	cases := map[string]func(n int) string{
		"seconds": func(n int) string { return map[int]string{2: "90"}[n] },
		"HTTP date": func(n int) string {
			return map[int]string{2: time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)}[n]
		},
	}
	for name, throttle := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				h, at := timedAPI(throttle)
				start := time.Now()
				stats, err := runTimed(t, h, 0, 0)
				if err != nil {
					t.Fatal(err)
				}
				if stats.Records != 10 || stats.Status429 != 1 || stats.Retries != 1 {
					t.Fatalf("stats %+v", stats)
				}
				// Every response is counted by its code, the throttled one included.
				if c := stats.StatusCodes; c[429] != 1 || c[200]+c[429] != stats.Requests {
					t.Fatalf("status codes %v for %d requests", c, stats.Requests)
				}
				// The retry waited the full 90s, longer than RetryWaitMax.
				if gap := (*at)[2].Sub((*at)[1]); gap < 89*time.Second {
					t.Fatalf("retried after %v, want 90s", gap)
				}
				if time.Since(start) > 95*time.Second {
					t.Fatalf("took %v", time.Since(start))
				}
			})
		})
	}
}

func TestRateLimitHoldsAcrossRetries(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// Every other request is throttled with Retry-After 0: retries come
		// back at once, so only the limiter keeps them in line.
		h, at := timedAPI(func(n int) string {
			if n%2 == 0 {
				return "0"
			}
			return ""
		})
		if _, err := runTimed(t, h, 2, 1); err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(*at); i++ {
			if gap := (*at)[i].Sub((*at)[i-1]); gap < 500*time.Millisecond {
				t.Fatalf("requests %d and %d only %v apart at 2 rps", i, i+1, gap)
			}
		}
		if len(*at) != 9 {
			t.Fatalf("%d requests, want 9 (5 pages + 4 throttled)", len(*at))
		}
	})
}
