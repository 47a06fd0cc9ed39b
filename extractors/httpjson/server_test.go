package httpjson

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fault decides, per request number (1-based), whether to misbehave. It
// returns true when it has written the response itself. prev is the page
// the server served before this one, for faults that repeat it.
type fault func(w http.ResponseWriter, n int64, api *fakeAPI, start int) bool

// fakeAPI serves total sellers in one pagination style, and logs when each
// request arrived so tests can check the rate limit held.
type fakeAPI struct {
	srv      *httptest.Server
	style    string
	total    int
	pageSize int
	noTotal  bool
	fault    fault

	calls    atomic.Int64
	inflight atomic.Int64
	maxIn    atomic.Int64
	mu       sync.Mutex
	log      []time.Time
}

func newAPI(t *testing.T, style string, total, pageSize int, f fault) *fakeAPI {
	t.Helper()
	a := &fakeAPI{style: style, total: total, pageSize: pageSize, fault: f}
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.srv.Close)
	return a
}

func (a *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	in := a.inflight.Add(1)
	defer a.inflight.Add(-1)
	for m := a.maxIn.Load(); in > m && !a.maxIn.CompareAndSwap(m, in); m = a.maxIn.Load() {
	}
	a.mu.Lock()
	a.log = append(a.log, time.Now())
	a.mu.Unlock()
	n := a.calls.Add(1)
	start := a.start(r)
	if a.fault != nil && a.fault(w, n, a, start) {
		return
	}
	a.writePage(w, start, n, false)
}

// start is the first record index a request asks for.
func (a *fakeAPI) start(r *http.Request) int {
	q := r.URL.Query()
	switch a.style {
	case "page":
		p, _ := strconv.Atoi(q.Get("page"))
		return (max(p, 1) - 1) * a.pageSize
	case "offset":
		o, _ := strconv.Atoi(q.Get("offset"))
		return o
	case "cursor":
		c, _, _ := strings.Cut(q.Get("cursor"), ".")
		s, _ := strconv.Atoi(c)
		return s
	default:
		s, _ := strconv.Atoi(q.Get("from"))
		return s
	}
}

func seller(i int) map[string]any {
	return map[string]any{
		"seller_id": fmt.Sprintf("S-%d", i), "marketplace": "daraz.pk",
		"profile": map[string]any{"name": fmt.Sprintf("Seller %d", i)},
		"country": "Pakistan", "joined_at": 1748772000 + i,
	}
}

// writePage serves records [start, start+pageSize). With empty, it serves
// none but still points at start as the next page (a filtered page).
func (a *fakeAPI) writePage(w http.ResponseWriter, start int, n int64, empty bool) {
	a.writeRecords(w, start, start, n, empty)
}

// writeRecords serves the records of from but the pagination of start, so
// a fault can repeat an earlier page's records.
func (a *fakeAPI) writeRecords(w http.ResponseWriter, from, start int, n int64, empty bool) {
	data := []map[string]any{}
	end := min(start+a.pageSize, a.total)
	if !empty {
		for i := from; i < from+(end-start) && i < a.total; i++ {
			data = append(data, seller(i))
		}
	} else {
		end = start
	}
	body := map[string]any{"data": data}
	if !a.noTotal {
		body["total"] = a.total
	}
	if end < a.total {
		// The cursor carries the request number so a legitimate empty page
		// can point at the same position with a new cursor.
		body["next_cursor"] = fmt.Sprintf("%d.%d", end, n)
		body["next"] = fmt.Sprintf("/items?from=%d&r=%d", end, n)
		if a.style == "link" {
			w.Header().Set("Link", fmt.Sprintf(`<%s/items?from=%d&r=%d>; rel="next", <%s/items?from=0>; rel="first"`, a.srv.URL, end, n, a.srv.URL))
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(body)
}

// checkRate fails the test if the request log ever exceeded the token
// bucket's bound: at most burst + rps*T requests in any span T. A little
// slack covers the gap between the client's limiter and the server's clock
// (a new connection's dial delays one arrival; warm ones do not). On a
// loaded 2-core CI machine a request can sit 50 ms or more between the
// limiter and the server, bunching it with the next; with other test
// processes on the machine, twice that was seen (4 requests arriving within
// 1 ms after a stall). So the slack is three tokens at the tests' 20
// requests/s: a client without a limiter sends every page of a test within
// a few milliseconds, far beyond burst plus three.
func (a *fakeAPI) checkRate(t *testing.T, rps float64, burst int) {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	const slack = 150 * time.Millisecond
	for i := range a.log {
		for j := i + 1; j < len(a.log); j++ {
			span := a.log[j].Sub(a.log[i]) + slack
			if allowed := float64(burst) + rps*span.Seconds(); float64(j-i+1) > allowed+1e-9 {
				t.Fatalf("rate limit exceeded: %d requests in %v (limit %.0f/s, burst %d)", j-i+1, span, rps, burst)
			}
		}
	}
}
