//go:build duckdb_arrow

package warehouse

import (
	"slices"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// A key whose staged content repeats the stored row is recognised by its
// content hash: counted unchanged, no row rewritten, no price version
// written, and not noted as changed, so no mart group is touched. A
// correction (new content, the same updated_at) has a new hash and is an
// update. Every run still reconciles.
func TestUnchangedKeysDoNoMergeWork(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)

	beginRun(t, w, "r1")
	stage(t, w, mem, pipeline.Listings, listing("a", t0, 1), listing("b", t0, 2))
	commit(t, w, "r1", nil)
	before := snapshotCore(t, w)

	beginRun(t, w, "r2")
	stage(t, w, mem, pipeline.Listings, listing("a", t0, 1), listing("b", t0, 2), listing("b", t0, 2))
	res, err := w.Merge(t.Context(), pipeline.MergeRequest{RunID: "r2"})
	if err != nil {
		t.Fatal(err)
	}
	got := res.Datasets[pipeline.Listings]
	if want := (pipeline.MergeCounts{Staged: 3, Loaded: 2, Duplicates: 1, Unchanged: 2}); got != want {
		t.Errorf("counts = %+v, want %+v", got, want)
	}
	if n := queryInt(t, w, "SELECT count(*) FROM changed_listings"); n != 0 {
		t.Errorf("%d keys noted as changed, want none", n)
	}
	if w.changed[pipeline.Listings] {
		t.Error("listings reported as changed by a night that repeated them")
	}
	if err := w.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	if after := snapshotCore(t, w); !slices.Equal(before, after) {
		t.Errorf("core changed on an unchanged night:\nbefore %v\nafter  %v", before, after)
	}

	// A correction: the same updated_at, a different title.
	beginRun(t, w, "r3")
	fixed := listing("a", t0, 1)
	fixed["title"] = "Cotton towel, corrected"
	stage(t, w, mem, pipeline.Listings, fixed, listing("b", t0, 2))
	res, err = w.Merge(t.Context(), pipeline.MergeRequest{RunID: "r3"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Datasets[pipeline.Listings], (pipeline.MergeCounts{Staged: 2, Loaded: 2, Updated: 1, Unchanged: 1}); got != want {
		t.Errorf("correction counts = %+v, want %+v", got, want)
	}
	if keys := dump(t, w, "SELECT listing_id FROM changed_listings"); !slices.Equal(keys, []string{"[a]"}) {
		t.Errorf("changed keys = %v, want [a]", keys)
	}
	if err := w.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	if rows := dump(t, w, "SELECT listing_id, title, _last_run FROM core.listings ORDER BY listing_id"); !slices.Equal(rows,
		[]string{"[a Cotton towel, corrected r3]", "[b Cotton towel b r1]"}) {
		t.Errorf("core.listings = %v", rows)
	}
}

// Rows written before migration 0013 have no hash: the next merge of their
// dataset hashes them from the same typed columns, so an unchanged one is
// still unchanged and a changed one still updates.
func TestRowsWithoutHashGetOne(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	beginRun(t, w, "r1")
	stage(t, w, mem, pipeline.Listings, listing("a", t0, 1), listing("b", t0, 2))
	commit(t, w, "r1", nil)
	want := dump(t, w, "SELECT listing_id, _content_hash FROM core.listings ORDER BY listing_id")
	if _, err := w.conn.ExecContext(t.Context(), "UPDATE core.listings SET _content_hash = NULL"); err != nil {
		t.Fatal(err)
	}

	beginRun(t, w, "r2")
	stage(t, w, mem, pipeline.Listings, listing("a", t0, 1), listing("b", t0.Add(time.Hour), 3))
	got := commit(t, w, "r2", nil)[pipeline.Listings]
	if want := (pipeline.MergeCounts{Staged: 2, Loaded: 2, Updated: 1, Unchanged: 1}); got != want {
		t.Errorf("counts = %+v, want %+v", got, want)
	}
	if rows := dump(t, w, "SELECT listing_id, _content_hash FROM core.listings WHERE listing_id = 'a'"); !slices.Equal(rows, want[:1]) {
		t.Errorf("hash given to the unchanged row = %v, want the one the merge computed when it loaded it, %v", rows, want[:1])
	}
}
