package demo

import (
	"net/http"
	"strconv"
	"time"
)

// Faults make the simulator fail the way real APIs do, on command, so the
// whole pipeline can be run against them. Page requests are numbered from
// 1 across every endpoint; a setting of n > 0 hits every n-th request.
// When several settings hit one request, the first in this list wins. The
// zero value injects nothing, so the demo's data and truth are unchanged.
type Faults struct {
	// RetryAfter is the Retry-After header sent with 429 (Fail429Every)
	// and 503 answers; default 0 seconds. Whole seconds only.
	RetryAfter time.Duration
	// Status503From and Status503Count answer requests From ..
	// From+Count-1 with 503 Service Unavailable: a burst, or an outage
	// longer than a client's retries.
	Status503From, Status503Count int64
	// ResetEvery closes the connection without an answer.
	ResetEvery int
	// StallEvery waits Stall before answering (or until the client gives
	// up), to push a request past the client's timeout.
	StallEvery int
	Stall      time.Duration
	// TruncateEvery promises a longer body (Content-Length) than it sends,
	// then closes the connection: a transfer cut short.
	TruncateEvery int
	// CutJSONEvery answers 200 with a complete HTTP body holding JSON cut
	// off mid-record: an upstream that crashed while rendering.
	CutJSONEvery int
	// NotJSONEvery answers 200 with an HTML error page: a proxy in the way.
	NotJSONEvery int
	// MissingEvery answers 404 for a page that exists; the next request
	// for it succeeds (a replica that has not caught up).
	MissingEvery int
	// RepeatEvery serves the previous page's records under the current
	// page's next cursor (a cache lagging one page behind).
	RepeatEvery int
}

func every(n int64, k int) bool { return k > 0 && n%int64(k) == 0 }

func (f Faults) retryAfter() string {
	return strconv.Itoa(int(f.RetryAfter / time.Second))
}

func (f Faults) repeat(n int64) bool { return every(n, f.RepeatEvery) }

// misbehave injects the fault due on request n, if any, and reports
// whether it has answered the request itself.
func (s *Sim) misbehave(w http.ResponseWriter, req *http.Request, n int64) bool {
	f := s.cfg.Faults
	switch {
	case f.Status503Count > 0 && n >= f.Status503From && n < f.Status503From+f.Status503Count:
		w.Header().Set("Retry-After", f.retryAfter())
		writeError(w, http.StatusServiceUnavailable, "the demo simulator is down for maintenance (Faults.Status503): retry")
	case every(n, f.ResetEvery):
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				s.injected.Add(1)
				conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler) // HTTP/2: abort the stream instead
	case every(n, f.StallEvery):
		s.injected.Add(1)
		select {
		case <-time.After(f.Stall):
		case <-req.Context().Done():
		}
		return false // then answer normally, if anyone is still listening
	case every(n, f.TruncateEvery):
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "100000")
		_, _ = w.Write([]byte(`{"data":[{"id":`))
	case every(n, f.CutJSONEvery):
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":[{"id":"L-0","title":"Cotton`))
	case every(n, f.NotJSONEvery):
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1></body></html>\n"))
	case every(n, f.MissingEvery):
		writeError(w, http.StatusNotFound, "no such page (Faults.MissingEvery): it will be back")
	default:
		return false
	}
	s.injected.Add(1)
	return true
}

// FaultsInjected is how many requests the simulator has answered with a
// fault (Fail429Every and Faults), for tests that report their figures.
func (s *Sim) FaultsInjected() int64 { return s.injected.Load() }
