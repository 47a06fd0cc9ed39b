package httpx

import (
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Every response is counted by its status code, retried ones included; an
// attempt that gets no response counts as a request with no code.
func TestCountersCountEveryStatusCode(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		replies   []int // status of each attempt in turn; the last repeats
		retries   int
		wantCodes map[int]int64
		wantReqs  int64
	}{
		{"ok at once", []int{200}, 3, map[int]int64{200: 1}, 1},
		{"throttled then ok", []int{429, 503, 200}, 3, map[int]int64{429: 1, 503: 1, 200: 1}, 3},
		{"not found is not retried", []int{404}, 3, map[int]int64{404: 1}, 1},
		{"gives up on 500", []int{500}, 2, map[int]int64{500: 3}, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				i := min(int(n.Add(1))-1, len(c.replies)-1)
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(c.replies[i])
			}))
			defer srv.Close()
			var cnt Counters
			get(t, NewClient(Options{MaxRetries: c.retries, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond}, &cnt), srv.URL)
			if got := cnt.StatusCodes(); !maps.Equal(got, c.wantCodes) || cnt.Requests.Load() != c.wantReqs {
				t.Errorf("codes %v after %d requests, want %v after %d", got, cnt.Requests.Load(), c.wantCodes, c.wantReqs)
			}
		})
	}
	t.Run("no response has no code", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close() // connection refused from now on
		var cnt Counters
		get(t, NewClient(Options{MaxRetries: -1}, &cnt), url)
		if cnt.Requests.Load() != 1 || cnt.StatusCodes() != nil {
			t.Errorf("requests %d, codes %v: want 1 request and no code", cnt.Requests.Load(), cnt.StatusCodes())
		}
	})
	t.Run("reset forgets codes", func(t *testing.T) {
		t.Parallel()
		var cnt Counters
		cnt.CountStatus(200)
		cnt.ResetStatusCodes()
		if cnt.StatusCodes() != nil {
			t.Errorf("codes after reset: %v", cnt.StatusCodes())
		}
	})
}

func get(t *testing.T, c *retryablehttp.Client, url string) {
	t.Helper()
	req, err := retryablehttp.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := c.Do(req); err == nil {
		resp.Body.Close()
	}
}
