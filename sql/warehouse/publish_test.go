//go:build duckdb_arrow

package warehouse

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportpipe/exportpipe/pipeline"
)

// openReader opens a snapshot the way an analyst does: read-only, in its
// own database instance.
func openReader(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PingContext(t.Context()); err != nil {
		t.Fatal(err)
	}
	return db
}

func readerInt(t *testing.T, db *sql.DB, q string) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRowContext(t.Context(), q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestPublishSwapsWhileReaderHoldsOldSnapshot(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	snap := w.opts.SnapshotPath

	beginRun(t, w, "r1")
	stage(t, w, mem, pipeline.Listings, listing("a", t0, 1), listing("b", t0, 2))
	commit(t, w, "r1", nil)
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
	got, err := w.Publish(t.Context())
	if err != nil || got != snap {
		t.Fatalf("Publish = %q, %v; want %q", got, err, snap)
	}
	assertNoLeftovers(t, snap)

	old := openReader(t, snap)
	defer old.Close()
	if n := readerInt(t, old, "SELECT count(*) FROM core.listings"); n != 2 {
		t.Fatalf("first snapshot has %d listings, want 2", n)
	}

	beginRun(t, w, "r2")
	stage(t, w, mem, pipeline.Listings, listing("c", t0, 3))
	commit(t, w, "r2", nil)
	// A stray log beside the snapshot would be replayed into the new file.
	if err := os.WriteFile(snap+".wal", []byte("stale"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Publish(t.Context()); err != nil {
		t.Fatal(err)
	}
	assertNoLeftovers(t, snap)

	// The old reader is neither blocked nor shown the new run.
	if n := readerInt(t, old, "SELECT count(*) FROM core.listings"); n != 2 {
		t.Errorf("reader of the old snapshot sees %d listings after the swap, want 2", n)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	// DuckDB caches database instances by path within a process, so only a
	// reader opened after the old one closed sees the new file.
	fresh := openReader(t, snap)
	defer fresh.Close()
	if n := readerInt(t, fresh, "SELECT count(*) FROM core.listings"); n != 3 {
		t.Errorf("new snapshot has %d listings, want 3", n)
	}
	if n := readerInt(t, fresh, "SELECT count(*) FROM meta.runs"); n != 2 {
		t.Errorf("new snapshot has %d runs, want 2", n)
	}
}

func assertNoLeftovers(t *testing.T, snap string) {
	t.Helper()
	if _, err := os.Stat(snap + ".wal"); err == nil {
		t.Errorf("%s.wal exists after publish", snap)
	}
	tmps, _ := filepath.Glob(snap + ".tmp-*")
	if len(tmps) > 0 {
		t.Errorf("temporary files left after publish: %v", tmps)
	}
}

func TestSnapshotKeepsCommentsAndConstraints(t *testing.T) {
	t.Parallel()
	w := loadMartFixture(t)
	snap, err := w.Publish(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	db := openReader(t, snap)
	defer db.Close()
	uncommented := readerInt(t, db, `SELECT count(*) FROM duckdb_columns()
		WHERE schema_name IN ('core', 'marts', 'meta') AND comment IS NULL`)
	if uncommented != 0 {
		t.Errorf("snapshot has %d uncommented columns", uncommented)
	}
	want := queryInt(t, w, `SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database()
		AND schema_name IN ('core', 'marts', 'meta') AND comment IS NOT NULL`)
	if got := readerInt(t, db, `SELECT count(*) FROM duckdb_columns()
		WHERE schema_name IN ('core', 'marts', 'meta') AND comment IS NOT NULL`); got != want {
		t.Errorf("snapshot has %d commented columns, working database %d", got, want)
	}
	// Core tables have no PRIMARY KEY since migration 0005; their NOT NULLs
	// (62 in 0002_core.sql, kept by 0005, less listings.seller_id, optional
	// since 0011) travel with the snapshot.
	if n := readerInt(t, db, `SELECT count(*) FROM duckdb_constraints()
		WHERE schema_name = 'core' AND constraint_type = 'NOT NULL'`); n != 61 {
		t.Errorf("snapshot has %d core NOT NULL constraints, want 61", n)
	}
	if n := readerInt(t, db, "SELECT sum(sailings) FROM marts.route_performance"); n != 6 {
		t.Errorf("snapshot route_performance counts %d sailings, want 6", n)
	}
}

func TestPublishErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name    string
		opts    Options
		wantErr string
	}{
		{"no snapshot path", Options{Path: filepath.Join(dir, "a.duckdb")}, "no snapshot path configured"},
		{"snapshot is the working file", Options{Path: filepath.Join(dir, "b.duckdb"), SnapshotPath: filepath.Join(dir, ".", "b.duckdb")},
			"it is the working database itself"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, err := Open(t.Context(), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			if _, err := w.Publish(t.Context()); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Publish error = %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}
