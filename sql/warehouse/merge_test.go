//go:build duckdb_arrow

package warehouse

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/exportpipe/exportpipe/pipeline"
)

func TestCommitCollapsesDuplicatesAndVersions(t *testing.T) {
	t.Parallel()
	later := t0.Add(time.Hour)
	tests := []struct {
		name      string
		batches   [][]row // staged in order, one Stage call each
		want      pipeline.MergeCounts
		wantPrice map[string]float64 // listing_id -> price_min in core
	}{
		{
			name:      "distinct keys",
			batches:   [][]row{{listing("a", t0, 1), listing("b", t0, 2)}},
			want:      pipeline.MergeCounts{Staged: 2, Loaded: 2, Inserted: 2},
			wantPrice: map[string]float64{"a": 1, "b": 2},
		},
		{
			name:      "exact duplicate across batches",
			batches:   [][]row{{listing("a", t0, 1)}, {listing("a", t0, 1), listing("b", t0, 2)}},
			want:      pipeline.MergeCounts{Staged: 3, Loaded: 2, Duplicates: 1, Inserted: 2},
			wantPrice: map[string]float64{"a": 1, "b": 2},
		},
		{
			name:      "newer version wins whatever the order",
			batches:   [][]row{{listing("a", later, 5)}, {listing("a", t0, 1)}},
			want:      pipeline.MergeCounts{Staged: 2, Loaded: 1, Duplicates: 1, Inserted: 1},
			wantPrice: map[string]float64{"a": 5},
		},
		{
			name:    "every record rejected: an empty stage still commits",
			batches: [][]row{{}},
			want:    pipeline.MergeCounts{},
		},
		{
			name:      "tie on version: last staged wins",
			batches:   [][]row{{listing("a", t0, 1), listing("a", t0, 2)}, {listing("a", t0, 3)}},
			want:      pipeline.MergeCounts{Staged: 3, Loaded: 1, Duplicates: 2, Inserted: 1},
			wantPrice: map[string]float64{"a": 3},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mem := checkedAlloc(t)
			w := openTest(t, mem)
			beginRun(t, w, "r1")
			for _, b := range tc.batches {
				stage(t, w, mem, pipeline.Listings, b...)
			}
			got := commit(t, w, "r1", nil)
			if got[pipeline.Listings] != tc.want {
				t.Errorf("counts = %+v, want %+v", got[pipeline.Listings], tc.want)
			}
			for id, price := range tc.wantPrice {
				var p float64
				if err := w.conn.QueryRowContext(t.Context(),
					"SELECT price_min FROM core.listings WHERE listing_id = ?", id).Scan(&p); err != nil {
					t.Fatal(err)
				}
				if p != price {
					t.Errorf("listing %s price_min = %v, want %v", id, p, price)
				}
			}
		})
	}
}

func TestCommitAcrossRuns(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	later := t0.Add(time.Hour)

	beginRun(t, w, "r1")
	stage(t, w, mem, pipeline.Listings, listing("a", t0, 1), listing("b", t0, 2), listing("c", later, 3))
	commit(t, w, "r1", nil)

	beginRun(t, w, "r2")
	changed := listing("a", later, 1) // same price, newer version, new title
	changed["title"] = "renamed"
	stage(t, w, mem, pipeline.Listings,
		changed,              // update
		listing("b", t0, 2),  // same
		listing("c", t0, 30), // stale: core holds a newer version
		listing("d", t0, 4))  // insert
	got := commit(t, w, "r2", nil)[pipeline.Listings]
	want := pipeline.MergeCounts{Staged: 4, Loaded: 4, Inserted: 1, Updated: 1, Backfilled: 1}
	if got != want {
		t.Errorf("counts = %+v, want %+v", got, want)
	}
	rows := dump(t, w, "SELECT listing_id, title, price_min, _first_run, _last_run FROM core.listings ORDER BY ALL")
	wantRows := []string{
		"[a renamed 1 r1 r2]",
		"[b Cotton towel b 2 r1 r1]",
		"[c Cotton towel c 3 r1 r1]",
		"[d Cotton towel d 4 r2 r2]",
	}
	if !slices.Equal(rows, wantRows) {
		t.Errorf("core.listings =\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(wantRows, "\n"))
	}
}

func TestRecommitChangesNothing(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	load := func(runID string) map[pipeline.Dataset]pipeline.MergeCounts {
		beginRun(t, w, runID)
		stage(t, w, mem, pipeline.Sellers, seller("s1", "PK"), seller("s1", "PK"))
		stage(t, w, mem, pipeline.Listings, listing("a", t0, 1), listing("b", t0, 2), listing("a", t0, 1))
		stage(t, w, mem, pipeline.Sailings, sailing("x", "PNSC", 20*24*time.Hour, 0), sailing("y", "PNSC", -1, 0))
		stage(t, w, mem, pipeline.FXRates, row{"date": t0, "currency": "PKR", "units_per_usd": 278.45})
		return commit(t, w, runID, map[string]string{"demo": "cursor-1"})
	}
	load("r1")
	before := snapshotCore(t, w)
	counts := load("r2")
	for d, mc := range counts {
		if mc.Inserted != 0 || mc.Updated != 0 {
			t.Errorf("%s: re-commit inserted %d, updated %d; want 0, 0", d, mc.Inserted, mc.Updated)
		}
		if mc.Loaded+mc.Duplicates != mc.Staged {
			t.Errorf("%s: %+v does not reconcile", d, mc)
		}
	}
	if after := snapshotCore(t, w); !slices.Equal(before, after) {
		t.Errorf("core changed on re-commit:\nbefore %v\nafter  %v", before, after)
	}
}

// snapshotCore renders every core table, bookkeeping columns included.
func snapshotCore(t *testing.T, w *Warehouse) []string {
	var out []string
	for _, table := range []string{"listings", "sellers", "sailings", "fx_rates", "listing_price_history"} {
		out = append(out, table)
		out = append(out, dump(t, w, "SELECT * FROM core."+table+" ORDER BY ALL")...)
	}
	return out
}

func TestCommitRollsBackOnError(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	beginRun(t, w, "r1")
	stage(t, w, mem, pipeline.Listings, listing("a", t0, 1))
	commit(t, w, "r1", map[string]string{"src": "c1"})
	before := append(snapshotCore(t, w), dump(t, w, "SELECT key, value, run_id FROM meta.state")...)

	beginRun(t, w, "r2")
	stage(t, w, mem, pipeline.Listings, listing("a", t0.Add(time.Hour), 9), listing("b", t0, 2))
	stageRejects(t, w, mem, row{"dataset": "listings", "source": "demo", "field": "price",
		"reason": "no price", "raw": `{"id":"z"}`})
	boom := errors.New("boom")
	w.beforeCommit = func(context.Context, execer) error { return boom }
	if _, err := w.Merge(t.Context(), pipeline.MergeRequest{RunID: "r2", State: map[string]string{"src": "c2"}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(t.Context()); !errors.Is(err, boom) {
		t.Fatalf("Commit error = %v, want boom", err)
	}
	after := append(snapshotCore(t, w), dump(t, w, "SELECT key, value, run_id FROM meta.state")...)
	if !slices.Equal(before, after) {
		t.Errorf("failed commit changed the warehouse:\nbefore %v\nafter  %v", before, after)
	}
	// What explains the failed night is kept.
	if n := queryInt(t, w, "SELECT count(*) FROM meta.rejects WHERE run_id = 'r2'"); n != 1 {
		t.Errorf("meta.rejects has %d rows for the failed run, want its 1 reject", n)
	}

	// The next night stages again and commits.
	w.beforeCommit = nil
	beginRun(t, w, "r3")
	stage(t, w, mem, pipeline.Listings, listing("a", t0.Add(time.Hour), 9), listing("b", t0, 2))
	got := commit(t, w, "r3", map[string]string{"src": "c2"})[pipeline.Listings]
	if want := (pipeline.MergeCounts{Staged: 2, Loaded: 2, Inserted: 1, Updated: 1}); got != want {
		t.Errorf("next night's counts = %+v, want %+v", got, want)
	}
	state, err := w.State(t.Context())
	if err != nil || state["src"] != "c2" {
		t.Errorf("State = %v, %v; want src=c2", state, err)
	}
}

func TestPriceHistory(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	h := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }
	renamed := listing("a", h(2), 12)
	renamed["title"] = "renamed"
	runs := [][]row{
		{listing("a", h(0), 10), listing("b", h(0), 5)},
		{listing("a", h(1), 12)}, // price change
		{renamed},                // newer version, same price: no new history
		{listing("a", h(0), 99)}, // a correction of an old version: history takes it, core does not
		{listing("a", h(3), 10)}, // back to the first price
	}
	for i, rows := range runs {
		id := "r" + string(rune('1'+i))
		beginRun(t, w, id)
		stage(t, w, mem, pipeline.Listings, rows...)
		commit(t, w, id, nil)
	}
	got := dump(t, w, `SELECT listing_id, price_min, hour(valid_from), coalesce(hour(valid_to), -1), run_id
		FROM core.listing_price_history ORDER BY listing_id, valid_from`)
	want := []string{
		"[a 99 10 11 r4]",
		"[a 12 11 13 r2]",
		"[a 10 13 -1 r5]",
		"[b 5 10 -1 r1]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("history =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestStageRejectsWrongSchema(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	beginRun(t, w, "r1")
	tests := []struct {
		name    string
		schema  *arrow.Schema
		wantErr string
	}{
		{"raw batch", pipeline.RawSchema(pipeline.Listings), fmt.Sprintf("got %d columns", pipeline.RawSchema(pipeline.Listings).NumFields())},
		{"other dataset", pipeline.TypedSchema(pipeline.Sellers), "got 7 columns"},
		{"wrong type", retype(pipeline.TypedSchema(pipeline.FXRates), 2, arrow.PrimitiveTypes.Float32),
			`column "units_per_usd" has type float32, want float64`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rdr, err := array.NewRecordReader(tc.schema, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer rdr.Release()
			d := pipeline.Listings
			if tc.name == "wrong type" {
				d = pipeline.FXRates
			}
			_, err = w.Stage(t.Context(), d, rdr)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Stage error = %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

func retype(s *arrow.Schema, i int, typ arrow.DataType) *arrow.Schema {
	fields := slices.Clone(s.Fields())
	fields[i].Type = typ
	return arrow.NewSchema(fields, nil)
}

func TestStageBeforeBeginRun(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	rdr, _ := array.NewRecordReader(pipeline.TypedSchema(pipeline.FXRates), nil)
	defer rdr.Release()
	_, err := w.Stage(t.Context(), pipeline.FXRates, rdr)
	if err == nil || !strings.Contains(err.Error(), "call BeginRun first") {
		t.Errorf("Stage error = %v, want a hint to call BeginRun", err)
	}
}

// A reject's reason code gets a column of its own, for grouping: the code
// the reject batch carries, else the one its reason text starts with; a
// reason without a code leaves it NULL rather than guessing one. Rows
// written before migration 0007 get theirs from the text when it upgrades.
func TestRejectCodeColumn(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	dir := t.TempDir()
	opts := Options{Path: filepath.Join(dir, "w.duckdb"), SnapshotPath: filepath.Join(dir, "a.duckdb"), Allocator: mem}
	old, err := openWith(t.Context(), opts, migrationsUpTo(t, 6))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.conn.ExecContext(t.Context(), `INSERT INTO meta.rejects VALUES
		('r0', 'sailings', 'msc', 'S1', 'imo', '[bad_imo] IMO 1234567 fails its check digit', '{}', now())`); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	w, err := Open(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	beginRun(t, w, "r1")
	stageRejects(t, w, mem,
		row{"dataset": "listings", "source": "daraz", "field": "price", "reason": "[no_fx_rate] no USD rate for BDT on or before 2023-01-01", "raw": `{"id":"a"}`},
		row{"dataset": "listings", "source": "daraz", "field": "price", "reason": "no price", "raw": `{"id":"b"}`},
		row{"dataset": "sailings", "source": "msc", "field": "origin", "reason": `origin "Karachi Bay": unknown port`,
			"code": "unknown_port", "raw": `{"id":"c"}`})
	commit(t, w, "r1", nil)
	got := dump(t, w, "SELECT run_id, coalesce(code, 'NULL') FROM meta.rejects ORDER BY run_id, code NULLS LAST")
	if want := []string{"[r0 bad_imo]", "[r1 no_fx_rate]", "[r1 unknown_port]", "[r1 NULL]"}; !slices.Equal(got, want) {
		t.Errorf("reject codes = %v, want %v", got, want)
	}
}
