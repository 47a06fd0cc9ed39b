//go:build duckdb_arrow

package warehouse

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	sqlfiles "github.com/exportpipe/exportpipe/sql"

	"github.com/exportpipe/exportpipe/dashboard"
	"github.com/exportpipe/exportpipe/pipeline"
)

// publishRun loads listings as one run, builds the marts and publishes.
func publishRun(t *testing.T, w *Warehouse, runID string, rows ...row) {
	t.Helper()
	mem := checkedAlloc(t)
	beginRun(t, w, runID)
	stage(t, w, mem, pipeline.Listings, rows...)
	commit(t, w, runID, nil)
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := w.FinishRun(t.Context(), pipeline.RunSummary{RunInfo: pipeline.RunInfo{ID: runID, Pipeline: "test", StartedAt: t0}, Status: "ok", FinishedAt: t0.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Publish(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func listingCount(t *testing.T, s dashboard.Snapshot) int64 {
	t.Helper()
	tab, err := s.Query(t.Context(), "category_current", dashboard.Params{"marketplace": "", "country": "", "category": ""})
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, r := range tab.Rows {
		n += r[1].(int64)
	}
	return n
}

// A page that holds the snapshot keeps reading its run while a run
// publishes the next; the next page sees the new run without a restart;
// and the publish is never held up by the dashboard.
func TestSnapshotReaderFollowsPublishes(t *testing.T) {
	t.Parallel()
	w := openTest(t, checkedAlloc(t))
	reader := NewSnapshotReader(w.opts.SnapshotPath)
	defer reader.Close()

	_, err := reader.Open(t.Context())
	if !errors.Is(err, dashboard.ErrNoSnapshot) {
		t.Fatalf("before any publish: %v, want ErrNoSnapshot", err)
	}
	publishRun(t, w, "r1", listing("a", t0, 1), listing("b", t0, 2))
	first, err := reader.Open(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if n := listingCount(t, first); n != 2 {
		t.Fatalf("first snapshot: %d listings, want 2", n)
	}

	done := make(chan struct{})
	go func() {
		defer close(done)
		publishRun(t, w, "r2", listing("c", t0, 3))
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("the publish waited for the dashboard")
	}
	if n := listingCount(t, first); n != 2 {
		t.Errorf("a page holding the old snapshot sees %d listings, want its own 2", n)
	}
	// The next page waits for the one still reading the old snapshot,
	// then reads the new one. The old page is closed only once the new
	// one is known to be waiting, so the wait is what is tested.
	waiting := make(chan struct{})
	var once sync.Once
	reader.waiting = func() { once.Do(func() { close(waiting) }) }
	opened := make(chan dashboard.Snapshot, 1)
	go func() {
		s, err := reader.Open(t.Context())
		if err != nil {
			t.Error(err)
		}
		opened <- s
	}()
	select {
	case <-waiting:
	case s := <-opened:
		t.Fatalf("the next page opened (%v) while a page still held the old snapshot; want it to wait", s)
	case <-time.After(60 * time.Second):
		t.Fatal("the next page neither waited nor opened within 60s")
	}
	first.Close()
	second := <-opened
	if second == nil {
		t.FailNow()
	}
	if n := listingCount(t, second); n != 3 {
		t.Errorf("the next page sees %d listings, want the new run's 3", n)
	}
	second.Close()
	held, err := reader.Open(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	third, err := reader.Open(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	if third.(*snapshotHandle).s != held.(*snapshotHandle).s {
		t.Error("an unchanged snapshot was opened again")
	}
}

// Every named query runs on a real snapshot with the parameters the
// dashboard binds, and returns the columns its views read.
func TestDashboardQueriesRun(t *testing.T) {
	t.Parallel()
	w := openTest(t, checkedAlloc(t))
	publishRun(t, w, "r1", listing("a", t0, 1), listing("b", t0.AddDate(0, 1, 0), 2))
	reader := NewSnapshotReader(w.opts.SnapshotPath)
	defer reader.Close()
	s, err := reader.Open(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	params := dashboard.Params{"marketplace": "", "category": "", "country": "", "carrier": "", "equipment": "",
		"from": "0001-01-01", "to": "9999-12-31", "runs": 5, "focus": "PNSC"}
	entries, err := fs.ReadDir(sqlfiles.Dashboard, "dashboard")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 15 {
		t.Fatalf("only %d dashboard queries", len(entries))
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".sql")
		tab, err := s.Query(t.Context(), name, params)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(tab.Columns) == 0 {
			t.Errorf("%s: no columns", name)
		}
		for _, r := range tab.Rows {
			for i, v := range r {
				switch v.(type) {
				case nil, int64, float64, string, bool, time.Time:
				default:
					t.Errorf("%s.%s: value of type %T", name, tab.Columns[i].Name, v)
				}
			}
		}
	}
	tab, err := s.Query(t.Context(), "category_current", params)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]any{{"textiles", int64(2), 1.0}}; !reflect.DeepEqual(tab.Rows, want) {
		t.Errorf("category_current = %v, want %v", tab.Rows, want)
	}
	if _, err := s.Query(t.Context(), "category_current", dashboard.Params{"marketplace": ""}); err == nil || !strings.Contains(err.Error(), "$country") {
		t.Errorf("a missing parameter: %v", err)
	}
	if _, err := s.Query(t.Context(), "DROP TABLE core.listings", params); err == nil {
		t.Error("text that is no query name ran")
	}
}

func TestQueryParams(t *testing.T) {
	t.Parallel()
	got := queryParams("-- uses $nothing here\nSELECT '$literal', x FROM t WHERE a = $a AND (b = $b OR $a = '') -- $comment\n AND c = $c_2")
	if want := []string{"a", "b", "c_2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("queryParams = %v, want %v", got, want)
	}
}

// A file that is not a DuckDB database fails with the path named.
func TestSnapshotReaderReportsABadFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "analytics.duckdb")
	if err := os.WriteFile(path, []byte("not a database"), 0o644); err != nil {
		t.Fatal(err)
	}
	reader := NewSnapshotReader(path)
	defer reader.Close()
	if _, err := reader.Open(context.Background()); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Open = %v, want an error naming %s", err, path)
	}
}
