package httpjson

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// changingAPI serves n sellers whose updated_at the test can move, and
// honours updated_since, as an incremental API does.
type changingAPI struct {
	mu      sync.Mutex
	updated []time.Time
	since   []string // the updated_since each request sent
	fail    bool
}

func (a *changingAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.fail {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	since := r.URL.Query().Get("updated_since")
	a.since = append(a.since, since)
	var from time.Time
	if since != "" {
		from, _ = time.Parse(time.RFC3339, since)
	}
	data := []map[string]any{}
	for i, u := range a.updated {
		if !u.Before(from) {
			data = append(data, map[string]any{"seller_id": fmt.Sprintf("S-%d", i), "updated_at": u.Format(time.RFC3339)})
		}
	}
	json.NewEncoder(w).Encode(map[string]any{"data": data})
}

func TestIncrementalLoadsOnlyChanges(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	api := &changingAPI{}
	for i := range 1000 {
		api.updated = append(api.updated, base.Add(time.Duration(i)*time.Minute))
	}
	srv := httptest.NewServer(api)
	defer srv.Close()
	e := mustNew(t, Config{
		Name: "inc", Dataset: pipeline.Sellers, URL: srv.URL, RecordsPath: "data", Pagination: Pagination{Style: "none"},
		Incremental: &Incremental{Field: "updated_at", Param: "updated_since", Lookback: 10 * time.Minute},
	})
	run := func(saved string) ([]string, string) {
		e.Resume(saved)
		ids, _, err := collect(t, e)
		if err != nil {
			t.Fatal(err)
		}
		return ids, e.Cursor()
	}
	ids, cur := run("")
	if len(ids) != 1000 || cur != "2026-10-01T16:39:00Z" || e.StateKey() != "inc.updated_at" {
		t.Fatalf("first run: %d records, cursor %q", len(ids), cur)
	}
	// Unchanged source: only the lookback window comes again (10 min = 11
	// records incl. the boundary), which the warehouse collapses.
	ids, cur2 := run(cur)
	if len(ids) != 11 || cur2 != cur || api.since[1] != "2026-10-01T16:29:00Z" {
		t.Fatalf("second run: %d records, cursor %q, sent %q", len(ids), cur2, api.since[1])
	}
	// 1% of the records change: exactly those come back, plus the lookback.
	later := base.Add(48 * time.Hour)
	for i := 0; i < 1000; i += 100 {
		api.updated[i] = later.Add(time.Duration(i) * time.Second)
	}
	ids, cur3 := run(cur2)
	if len(ids) != 10+11 || cur3 != "2026-10-03T00:15:00Z" {
		t.Fatalf("third run: %d records, cursor %q", len(ids), cur3)
	}
	// A failed run does not move the cursor.
	api.fail = true
	e.Resume(cur3)
	if _, _, err := collect(t, e); err == nil {
		t.Fatal("want an error")
	}
	if e.Cursor() != cur3 {
		t.Fatalf("failed run moved the cursor to %q", e.Cursor())
	}
}

func TestWindowWalksEachStep(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.URL.Query().Get("from")+".."+r.URL.Query().Get("to"))
		mu.Unlock()
		w.Write([]byte(`{"data":[{"seller_id":"` + r.URL.Query().Get("from") + `"}]}`))
	}))
	defer srv.Close()
	e := mustNew(t, Config{
		Name: "win", Dataset: pipeline.Sellers, URL: srv.URL, RecordsPath: "data", Pagination: Pagination{Style: "none"},
		Window: &Window{SinceParam: "from", UntilParam: "to", Step: 24 * time.Hour},
	})
	since := time.Date(2025, 1, 30, 0, 0, 0, 0, time.UTC)
	if err := e.SetWindow(since, since.Add(72*time.Hour)); err != nil {
		t.Fatal(err)
	}
	ids, _, err := collect(t, e)
	if err != nil || len(ids) != 3 {
		t.Fatalf("ids %v err %v", ids, err)
	}
	want := []string{"2025-01-30..2025-01-31", "2025-01-31..2025-02-01", "2025-02-01..2025-02-02"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("windows %v, want %v", got, want)
		}
	}
	if err := e.SetWindow(since, since); err == nil {
		t.Fatal("an empty window must be refused")
	}
}

// One record stamped in the future must not become the cursor: every later
// run would ask for changes since 2036 and never see another update. The
// cursor ignores values later than now plus the future tolerance (the
// transform rejects those records as future_timestamp), and a value within
// the tolerance counts as now, so records stamped a little ahead are asked
// for again rather than letting the cursor run ahead of the clock.
func TestIncrementalCursorIgnoresTheFuture(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 10, 5, 12, 0, 0, 0, time.UTC)
	api := &changingAPI{updated: []time.Time{
		now.Add(-3 * time.Hour),
		time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC), // a clock or zone mistake at the source
		now.Add(-2 * time.Hour),
	}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	e := mustNew(t, Config{
		Name: "future", Dataset: pipeline.Sellers, URL: srv.URL, RecordsPath: "data", Pagination: Pagination{Style: "none"},
		Incremental: &Incremental{Field: "updated_at", Param: "updated_since", FutureTolerance: time.Hour,
			Now: func() time.Time { return now }},
		Logger: slog.New(slog.DiscardHandler),
	})
	ids, _, err := collect(t, e)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 3 {
		t.Fatalf("first run: %d records, want all 3 (the transform judges the 2036 one)", len(ids))
	}
	cur := e.Cursor()
	if cur != "2026-10-05T10:00:00Z" {
		t.Fatalf("cursor after a 2036 record = %q, want the newest believable value 2026-10-05T10:00:00Z", cur)
	}
	// A record changes after the run; the next run asks from the saved
	// cursor and gets it.
	api.mu.Lock()
	api.updated[0] = now.Add(-30 * time.Minute)
	api.mu.Unlock()
	e.Resume(cur)
	ids, _, err = collect(t, e)
	if err != nil {
		t.Fatal(err)
	}
	if api.since[1] != "2026-10-05T10:00:00Z" || !slices.Contains(ids, "S-0|") {
		t.Fatalf("second run sent updated_since=%q and got %v; want S-0's later update", api.since[1], ids)
	}
	// Within the tolerance, a value ahead of the clock counts as now.
	api.mu.Lock()
	api.updated[2] = now.Add(40 * time.Minute)
	api.mu.Unlock()
	e.Resume(e.Cursor())
	if _, _, err := collect(t, e); err != nil {
		t.Fatal(err)
	}
	if got := e.Cursor(); got != "2026-10-05T12:00:00Z" {
		t.Fatalf("cursor after a record 40 minutes ahead = %q, want now, 2026-10-05T12:00:00Z", got)
	}
}
