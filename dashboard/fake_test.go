package dashboard

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// The fakes of this package's tests, in one place. They stand in for
// sql/warehouse's snapshot so the rendering can be tested without cgo; the
// queries themselves run against real DuckDB files in sql/warehouse and
// cmd/exportpipe.

// fakeOpener opens a fakeSnapshot, or fails with err.
type fakeOpener struct {
	snap *fakeSnapshot
	err  error
}

func (o *fakeOpener) Open(context.Context) (Snapshot, error) {
	if o.err != nil {
		return nil, o.err
	}
	o.snap.mu.Lock()
	o.snap.opened++
	o.snap.mu.Unlock()
	return o.snap, nil
}

// fakeSnapshot answers named queries from tables, and records the
// parameters each query was given.
type fakeSnapshot struct {
	tables map[string]*Table

	mu     sync.Mutex
	params map[string]Params
	opened int
	closed int
}

func (s *fakeSnapshot) Query(_ context.Context, name string, p Params) (*Table, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.params == nil {
		s.params = map[string]Params{}
	}
	s.params[name] = p
	t, ok := s.tables[name]
	if !ok {
		return nil, fmt.Errorf("the fake has no table for %s", name)
	}
	return t, nil
}

func (s *fakeSnapshot) Path() string { return "/data/analytics.duckdb" }

func (s *fakeSnapshot) Close() error {
	s.mu.Lock()
	s.closed++
	s.mu.Unlock()
	return nil
}

// fakeRun is the run every fake snapshot holds.
var fakeRunEnd = time.Date(2026, 11, 28, 19, 10, 22, 0, time.UTC)

const fakeRunID = "20261128T191010.087Z-576849"

// newFakeSnapshot holds one run and whatever tables are given.
func newFakeSnapshot(tables map[string]*Table) *fakeSnapshot {
	all := map[string]*Table{
		"snapshot_info": table("snapshot_info", cols("run_id", "pipeline", "started_at", "finished_at", "runs"),
			[]any{fakeRunID, "demo", fakeRunEnd.Add(-12 * time.Second), fakeRunEnd, int64(3)}),
		"filter_options": table("filter_options", cols("filter", "value"),
			[]any{"marketplace", "alibaba.com"}, []any{"marketplace", "daraz.pk"}, []any{"country", "PK"}),
	}
	for k, v := range tables {
		all[k] = v
	}
	return &fakeSnapshot{tables: all}
}

func cols(names ...string) []Column {
	out := make([]Column, len(names))
	for i, n := range names {
		out[i] = Column{Name: n, Type: "VARCHAR"}
	}
	return out
}

func table(name string, c []Column, rows ...[]any) *Table {
	return &Table{Name: name, Columns: c, Rows: rows}
}
