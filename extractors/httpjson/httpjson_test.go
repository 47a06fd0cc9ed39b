package httpjson

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// fault decides, per request number (1-based), whether to misbehave. It
// returns true when it has written the response itself.
type fault func(w http.ResponseWriter, n int64) bool

// pagedServer serves total sellers, pageSize per page, with a numeric cursor.
func pagedServer(t *testing.T, total, pageSize int, f fault) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if f != nil && f(w, n) {
			return
		}
		start, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		var data []map[string]any
		for i := start; i < start+pageSize && i < total; i++ {
			data = append(data, map[string]any{
				"seller_id": fmt.Sprintf("S-%d", i), "marketplace": "daraz.pk",
				"profile": map[string]any{"name": fmt.Sprintf("Seller %d", i)},
				"country": "Pakistan", "joined_at": 1748772000 + i,
			})
		}
		var next any
		if start+pageSize < total {
			next = strconv.Itoa(start + pageSize)
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"data": data, "next_cursor": next})
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func sellerConfig(url string) Config {
	return Config{
		Name: "test_sellers", Dataset: pipeline.Sellers, URL: url,
		RecordsPath: "data", Fields: map[string]string{"name": "profile.name"},
		BatchSize: 7, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
		MaxRetries: 4, Timeout: 2 * time.Second,
	}
}

// collect runs an extraction and returns every row's seller_id, name and raw.
func collect(t *testing.T, cfg Config) ([]string, pipeline.ExtractStats, error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	stats, err := e.Extract(context.Background(), mem, func(rec arrow.RecordBatch) error {
		if !rec.Schema().Equal(pipeline.RawSchema(pipeline.Sellers)) {
			t.Fatalf("schema %v", rec.Schema())
		}
		id := rec.Column(0).(*array.String)
		name := rec.Column(2).(*array.String)
		for i := 0; i < id.Len(); i++ {
			ids = append(ids, id.Value(i)+"|"+name.Value(i))
		}
		return nil
	})
	return ids, stats, err
}

func TestFollowsCursorAndMapsNestedFields(t *testing.T) {
	t.Parallel()
	srv, _ := pagedServer(t, 25, 10, nil)
	ids, stats, err := collect(t, sellerConfig(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 25 || stats.Records != 25 || stats.Pages != 3 {
		t.Fatalf("got %d ids, stats %+v", len(ids), stats)
	}
	if ids[24] != "S-24|Seller 24" {
		t.Fatalf("last row %q", ids[24])
	}
}

func TestNumbersKeepTheirLiteralText(t *testing.T) {
	t.Parallel()
	srv, _ := pagedServer(t, 1, 10, nil)
	e, _ := New(sellerConfig(srv.URL))
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	_, err := e.Extract(context.Background(), mem, func(rec arrow.RecordBatch) error {
		if got := rec.Column(5).(*array.String).Value(0); got != "1748772000" {
			t.Errorf("joined_at = %q", got)
		}
		if !rec.Column(4).IsNull(0) {
			t.Errorf("missing city should be null")
		}
		if raw := rec.Column(7).(*array.String).Value(0); !strings.Contains(raw, `"seller_id":"S-0"`) {
			t.Errorf("raw = %s", raw)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestFaultsAreRetried(t *testing.T) {
	t.Parallel()
	cases := map[string]fault{
		"429 with Retry-After seconds": func(w http.ResponseWriter, n int64) bool {
			if n == 2 {
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(http.StatusTooManyRequests)
				return true
			}
			return false
		},
		"503 burst": func(w http.ResponseWriter, n int64) bool {
			if n >= 2 && n <= 4 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return true
			}
			return false
		},
		"truncated body": func(w http.ResponseWriter, n int64) bool {
			if n == 2 {
				w.Header().Set("Content-Length", "500")
				w.Write([]byte(`{"data":[{"seller_id":"S-`))
				return true
			}
			return false
		},
		// Go's transport silently retries a GET once when a reused
		// connection dies, so the reset repeats to reach our retry policy.
		"connection reset": func(w http.ResponseWriter, n int64) bool {
			if n >= 3 && n <= 5 {
				conn, _, _ := w.(http.Hijacker).Hijack()
				conn.Close()
				return true
			}
			return false
		},
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, _ := pagedServer(t, 25, 10, f)
			ids, stats, err := collect(t, sellerConfig(srv.URL))
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != 25 {
				t.Fatalf("got %d records, want 25", len(ids))
			}
			if stats.Retries == 0 {
				t.Fatalf("expected a retry, stats %+v", stats)
			}
		})
	}
}

func TestClientErrorsFailFastWithRedactedSnippet(t *testing.T) {
	t.Parallel()
	const token = "s3cr3t-token-value"
	srv, calls := pagedServer(t, 25, 10, func(w http.ResponseWriter, n int64) bool {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":"bad token ` + token + `"}`))
		return true
	})
	cfg := sellerConfig(srv.URL)
	cfg.Headers = map[string]string{"Authorization": "Bearer " + token}
	cfg.Secrets = []string{token}
	_, _, err := collect(t, cfg)
	if err == nil || !strings.Contains(err.Error(), "status 401") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), token) {
		t.Fatalf("secret leaked: %v", err)
	}
	if calls.Load() != 1 {
		t.Fatalf("a 401 was retried: %d calls", calls.Load())
	}
}

func TestGivesUpAfterMaxRetries(t *testing.T) {
	t.Parallel()
	srv, calls := pagedServer(t, 25, 10, func(w http.ResponseWriter, n int64) bool {
		w.WriteHeader(http.StatusBadGateway)
		return true
	})
	_, _, err := collect(t, sellerConfig(srv.URL))
	if err == nil || !strings.Contains(err.Error(), "gave up after 5 attempt(s)") {
		t.Fatalf("err = %v", err)
	}
	if !errors.Is(err, pipeline.ErrSourceUnavailable) {
		t.Fatalf("err %v does not say the source is unavailable", err)
	}
	if calls.Load() != 5 {
		t.Fatalf("calls = %d, want 5", calls.Load())
	}
}

func TestRepeatedCursorStops(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"data":[{"seller_id":"S-1"}],"next_cursor":"same"}`))
	}))
	defer srv.Close()
	_, _, err := collect(t, sellerConfig(srv.URL))
	if err == nil || !strings.Contains(err.Error(), "repeated cursor") {
		t.Fatalf("err = %v", err)
	}
}

func TestRetryAfterAcceptsSecondsAndDates(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"7":                             7 * time.Second,
		"Sun, 01 Nov 2026 12:00:30 GMT": 30 * time.Second,
		"Sun, 01 Nov 2026 11:00:00 GMT": 0,
	} {
		got, ok := retryAfter(in, now)
		if !ok || got != want {
			t.Errorf("retryAfter(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	if _, ok := retryAfter("soon", now); ok {
		t.Errorf("garbage accepted")
	}
}
