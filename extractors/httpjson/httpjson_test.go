package httpjson

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

const (
	testRPS   = 20
	testBurst = 2
)

func sellerConfig(api *fakeAPI) Config {
	return Config{
		Name: "test_sellers", Dataset: pipeline.Sellers, URL: api.srv.URL + "/items",
		RecordsPath: "data",
		Mapping:     pipeline.Mapping{Fields: map[string]string{"name": "profile.name"}},
		Pagination:  Pagination{Style: api.style, TotalPath: "total", LimitParam: "limit", Limit: api.pageSize},
		BatchSize:   7, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
		MaxRetries: 4, Timeout: 2 * time.Second, RPS: testRPS, Burst: testBurst,
	}
}

// collect runs an extraction and returns every row's seller_id|name.
func collect(t *testing.T, e *Extractor) ([]string, pipeline.ExtractStats, error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
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

func mustNew(t *testing.T, cfg Config) *Extractor {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// exactlyOnce checks that ids are S-0..S-(n-1), each once.
func exactlyOnce(t *testing.T, ids []string, n int) {
	t.Helper()
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("duplicate record %s", id)
		}
		seen[id] = true
	}
	if len(ids) != n {
		t.Fatalf("got %d records, want %d", len(ids), n)
	}
}

var faults = map[string]fault{
	"none": nil,
	"429 with Retry-After seconds": func(w http.ResponseWriter, n int64, _ *fakeAPI, _ int) bool {
		if n == 2 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return true
		}
		return false
	},
	"429 with Retry-After date": func(w http.ResponseWriter, n int64, _ *fakeAPI, _ int) bool {
		if n == 2 {
			w.Header().Set("Retry-After", time.Now().Add(time.Second).UTC().Format(http.TimeFormat))
			w.WriteHeader(http.StatusTooManyRequests)
			return true
		}
		return false
	},
	"503 burst": func(w http.ResponseWriter, n int64, _ *fakeAPI, _ int) bool {
		if n >= 2 && n <= 4 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		}
		return false
	},
	"connection reset": func(w http.ResponseWriter, n int64, _ *fakeAPI, _ int) bool {
		if n == 3 || n == 4 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return true
		}
		return false
	},
	"stall past the timeout": func(w http.ResponseWriter, n int64, _ *fakeAPI, _ int) bool {
		if n == 2 {
			time.Sleep(1500 * time.Millisecond)
		}
		return false
	},
	"truncated body": func(w http.ResponseWriter, n int64, _ *fakeAPI, _ int) bool {
		if n == 2 {
			w.Header().Set("Content-Length", "500")
			w.Write([]byte(`{"data":[{"seller_id":"S-`))
			return true
		}
		return false
	},
	"repeated page": func(w http.ResponseWriter, n int64, a *fakeAPI, start int) bool {
		if n == 3 && start >= a.pageSize {
			a.writeRecords(w, start-a.pageSize, start, n, false)
			return true
		}
		return false
	},
	"empty page mid-stream": func(w http.ResponseWriter, n int64, a *fakeAPI, start int) bool {
		if n == 3 {
			a.writePage(w, start, n, true)
			return true
		}
		return false
	},
}

// TestEveryStyleSurvivesEveryFault is the contract: whatever the API does
// wrong, each record arrives exactly once and the rate limit holds.
func TestEveryStyleSurvivesEveryFault(t *testing.T) {
	t.Parallel()
	for _, style := range []string{"cursor", "page", "offset", "next_url", "link"} {
		for name, f := range faults {
			t.Run(style+"/"+name, func(t *testing.T) {
				t.Parallel()
				api := newAPI(t, style, 53, 10, f)
				cfg := sellerConfig(api)
				cfg.Timeout = time.Second
				ids, stats, err := collect(t, mustNew(t, cfg))
				if err != nil {
					t.Fatal(err)
				}
				exactlyOnce(t, ids, 53)
				// Every request the server saw must be counted (a replay
				// net/http hid would break that). The client may count a
				// few more: on a loaded machine an attempt can time out
				// before the server's handler runs. Each such attempt failed
				// and was retried, so the excess is at most the retries.
				calls := api.calls.Load()
				if stats.Records != 53 || stats.Requests < calls || stats.Requests-calls > stats.Retries {
					t.Fatalf("stats %+v, server saw %d requests", stats, calls)
				}
				// A filtered, empty page is normal for APIs that link pages;
				// only page and offset with a total must ask again.
				legit := name == "empty page mid-stream" && style != "page" && style != "offset"
				if f != nil && !legit && stats.Retries == 0 {
					t.Fatalf("expected a retry, stats %+v", stats)
				}
				api.checkRate(t, testRPS, testBurst)
			})
		}
	}
}

func TestStopConditions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name          string
		style         string
		noTotal       bool
		total, size   int
		wantRequests  int64
		totalPagesKey bool
	}{
		{"page stops at the total", "page", false, 30, 10, 3, false},
		{"page without a total stops at an empty page", "page", true, 30, 10, 4, false},
		{"offset stops at the total", "offset", false, 25, 10, 3, false},
		{"cursor stops when there is no next", "cursor", false, 25, 10, 3, false},
		{"empty source", "page", false, 0, 10, 1, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			api := newAPI(t, tc.style, tc.total, tc.size, nil)
			api.noTotal = tc.noTotal
			ids, _, err := collect(t, mustNew(t, sellerConfig(api)))
			if err != nil {
				t.Fatal(err)
			}
			exactlyOnce(t, ids, tc.total)
			if got := api.calls.Load(); got != tc.wantRequests {
				t.Fatalf("%d requests, want %d", got, tc.wantRequests)
			}
		})
	}
}

func TestNoneFetchesOnce(t *testing.T) {
	t.Parallel()
	api := newAPI(t, "cursor", 5, 10, nil)
	cfg := sellerConfig(api)
	cfg.Pagination = Pagination{Style: "none"}
	ids, stats, err := collect(t, mustNew(t, cfg))
	if err != nil || len(ids) != 5 || stats.Pages != 1 {
		t.Fatalf("ids %d, stats %+v, err %v", len(ids), stats, err)
	}
}

func TestConcurrentPagesExactlyOnceInOrder(t *testing.T) {
	t.Parallel()
	for _, style := range []string{"page", "offset"} {
		t.Run(style, func(t *testing.T) {
			t.Parallel()
			api := newAPI(t, style, 197, 10, func(w http.ResponseWriter, n int64, a *fakeAPI, start int) bool {
				if n%7 == 0 {
					w.WriteHeader(http.StatusServiceUnavailable)
					return true
				}
				return false
			})
			cfg := sellerConfig(api)
			cfg.Pagination.Concurrency = 4
			ids, stats, err := collect(t, mustNew(t, cfg))
			if err != nil {
				t.Fatal(err)
			}
			exactlyOnce(t, ids, 197)
			for i, id := range ids {
				if want := "S-" + itoa(i) + "|"; !strings.HasPrefix(id, want) {
					t.Fatalf("record %d is %s: pages must be emitted in order", i, id)
				}
			}
			if api.maxIn.Load() > 4 {
				t.Fatalf("%d requests in flight, limit 4", api.maxIn.Load())
			}
			if stats.Pages != 20 {
				t.Fatalf("pages %d", stats.Pages)
			}
			api.checkRate(t, testRPS, testBurst)
		})
	}
}

func TestBrokenAPIsStop(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		style string
		f     fault
		want  string
	}{
		"repeated cursor": {"cursor", func(w http.ResponseWriter, n int64, a *fakeAPI, _ int) bool {
			w.Write([]byte(`{"data":[{"seller_id":"S-` + itoa(int(n)) + `"}],"next_cursor":"same"}`))
			return true
		}, "repeated next page"},
		"page parameter ignored": {"page", func(w http.ResponseWriter, n int64, a *fakeAPI, _ int) bool {
			a.writeRecords(w, 0, 0, n, false)
			return true
		}, "same records as page 1"},
		"total never reached": {"page", func(w http.ResponseWriter, n int64, a *fakeAPI, start int) bool {
			if start >= 20 {
				a.writePage(w, start, n, true)
				return true
			}
			return false
		}, "empty although the API's total"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			api := newAPI(t, tc.style, 50, 10, tc.f)
			_, _, err := collect(t, mustNew(t, sellerConfig(api)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestClientErrorsFailFastWithRedactedSnippet(t *testing.T) {
	t.Parallel()
	const token = "s3cr3t-token-value"
	api := newAPI(t, "cursor", 25, 10, func(w http.ResponseWriter, n int64, _ *fakeAPI, _ int) bool {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":"bad token ` + token + `"}`))
		return true
	})
	cfg := sellerConfig(api)
	cfg.Headers = map[string]string{"Authorization": "Bearer " + token}
	cfg.Secrets = []string{token}
	_, _, err := collect(t, mustNew(t, cfg))
	if err == nil || !strings.Contains(err.Error(), "status 401") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), token) {
		t.Fatalf("secret leaked: %v", err)
	}
	if api.calls.Load() != 1 {
		t.Fatalf("a 401 was retried: %d calls", api.calls.Load())
	}
}

func TestGivesUpAfterMaxRetries(t *testing.T) {
	t.Parallel()
	api := newAPI(t, "cursor", 25, 10, func(w http.ResponseWriter, n int64, _ *fakeAPI, _ int) bool {
		w.WriteHeader(http.StatusBadGateway)
		return true
	})
	_, _, err := collect(t, mustNew(t, sellerConfig(api)))
	if err == nil || !strings.Contains(err.Error(), "gave up after 5 attempt(s)") {
		t.Fatalf("err = %v", err)
	}
	if !errors.Is(err, pipeline.ErrSourceUnavailable) {
		t.Fatalf("err %v does not say the source is unavailable", err)
	}
	if api.calls.Load() != 5 {
		t.Fatalf("calls = %d, want 5", api.calls.Load())
	}
}

func TestNumbersKeepTheirLiteralText(t *testing.T) {
	t.Parallel()
	api := newAPI(t, "cursor", 1, 10, nil)
	e := mustNew(t, sellerConfig(api))
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

func itoa(i int) string { return strconv.Itoa(i) }
