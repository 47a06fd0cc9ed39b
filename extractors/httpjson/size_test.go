package httpjson

import (
	"bytes"
	"compress/gzip"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// sizeLimit is the max_response_bytes of the size tests: small, so the
// servers' bodies stay small too.
const sizeLimit = 4 << 10

// sizeConfig is a one-page source against url that retries quickly, so a
// response wrongly treated as transient would show up as several requests
// within the test's time, not as a slow test.
func sizeConfig(url string) Config {
	return Config{
		Name: "oversized_source", Dataset: pipeline.Sellers, URL: url, RecordsPath: "data",
		Pagination: Pagination{Style: "none"}, MaxResponseBytes: sizeLimit,
		MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond, Timeout: 5 * time.Second,
	}
}

// page of one seller whose name pads the JSON body to exactly n bytes.
func paddedPage(t *testing.T, n int) []byte {
	t.Helper()
	const head, tail = `{"data":[{"seller_id":"S-1","name":"`, `"}]}`
	pad := n - len(head) - len(tail)
	if pad < 0 {
		t.Fatalf("cannot pad a page to %d bytes", n)
	}
	return []byte(head + strings.Repeat("x", pad) + tail)
}

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A response over http.max_response_bytes fails the source at once: the
// same request would get the same response, so it is neither retried nor
// reported as an outage (exit 75). The error names the source, the limit
// and the setting to change, whether the server announced the size
// (Content-Length), streamed it without one, or sent it gzip-encoded so
// that only the decompressed size is over the limit.
func TestOversizedResponseFailsFastNamingSourceAndLimit(t *testing.T) {
	t.Parallel()
	big := paddedPage(t, 16*sizeLimit)
	cases := []struct {
		name  string
		serve func(t *testing.T, w http.ResponseWriter, r *http.Request)
		how   string // what the error says about the size
	}{
		{"content-length over the limit", func(t *testing.T, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(big)))
			w.Write(big)
		}, "the server announced " + strconv.Itoa(len(big)) + " bytes"},
		{"chunked without content-length", func(t *testing.T, w http.ResponseWriter, _ *http.Request) {
			// Flushing before the body is complete makes net/http send
			// it chunked, so the client learns the size only by reading.
			for chunk := range slices.Chunk(big, 1024) {
				w.Write(chunk)
				w.(http.Flusher).Flush()
			}
		}, "the body went past it"},
		{"gzip-encoded, over the limit only decompressed", func(t *testing.T, w http.ResponseWriter, r *http.Request) {
			if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
				// Then the client would not decode gzip and this case
				// would test nothing; make the failure say so.
				http.Error(w, "client did not accept gzip", http.StatusNotAcceptable)
				return
			}
			z := gzipped(t, big)
			if len(z) >= sizeLimit {
				t.Errorf("compressed body is %d bytes; it must be under the limit for this case to mean anything", len(z))
			}
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Length", strconv.Itoa(len(z)))
			w.Write(z)
		}, "the body went past it"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				c.serve(t, w, r)
			}))
			t.Cleanup(srv.Close)
			_, stats, err := collect(t, mustNew(t, sizeConfig(srv.URL+"/sellers")))
			if err == nil {
				t.Fatal("an oversized response was accepted")
			}
			for _, want := range []string{
				"oversized_source",                    // the source
				"http.max_response_bytes (4096 bytes", // the limit
				c.how,                                 // why it is over
				"raise http.max_response_bytes for this source", // what to do
				"pagination.limit",
			} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q: %v", want, err)
				}
			}
			if errors.Is(err, pipeline.ErrSourceUnavailable) {
				t.Errorf("an oversized response was reported as an outage (exit 75): %v", err)
			}
			if n := calls.Load(); n != 1 || stats.Requests != 1 || stats.Retries != 0 {
				t.Errorf("server saw %d requests, stats %d requests and %d retries; want exactly one request", n, stats.Requests, stats.Retries)
			}
		})
	}
}

// The limit is inclusive: a response of exactly max_response_bytes loads,
// with and without gzip, so the bound is not off by one.
func TestResponseAtTheLimitLoads(t *testing.T) {
	t.Parallel()
	body := paddedPage(t, sizeLimit)
	for _, encoded := range []bool{false, true} {
		t.Run("gzip="+strconv.FormatBool(encoded), func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				if encoded {
					w.Header().Set("Content-Encoding", "gzip")
					w.Write(gzipped(t, body))
					return
				}
				w.Write(body)
			}))
			t.Cleanup(srv.Close)
			ids, stats, err := collect(t, mustNew(t, sizeConfig(srv.URL)))
			if err != nil || len(ids) != 1 || stats.Requests != 1 {
				t.Fatalf("rows %v, stats %+v, err %v; want the one record", ids, stats, err)
			}
		})
	}
}

// An error page over the limit is still reported by its status: the
// status is what the user has to act on, not the size of the page.
func TestLargeErrorPageReportsItsStatus(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte("forbidden " + strings.Repeat("!", 4*sizeLimit)))
	}))
	t.Cleanup(srv.Close)
	_, stats, err := collect(t, mustNew(t, sizeConfig(srv.URL)))
	if err == nil || !strings.Contains(err.Error(), "status 403") || !strings.Contains(err.Error(), "forbidden") ||
		strings.Contains(err.Error(), "max_response_bytes") || stats.Requests != 1 {
		t.Fatalf("err %v after %d requests; want status 403 at once", err, stats.Requests)
	}
}
