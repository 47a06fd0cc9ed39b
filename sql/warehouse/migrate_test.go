//go:build duckdb_arrow

package warehouse

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/exportpipe/exportpipe/pipeline"
)

func TestMigrationsApplyOnce(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	open := func() *Warehouse {
		w, err := Open(t.Context(), Options{Path: path})
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	w := open()
	all, err := loadMigrations(migrationsFS())
	if err != nil {
		t.Fatal(err)
	}
	first := dump(t, w, "SELECT version, name, applied_at FROM meta.schema_migrations ORDER BY version")
	if len(first) != len(all) {
		t.Fatalf("schema_migrations = %v, want %d rows", first, len(all))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w = open()
	defer w.Close()
	if again := dump(t, w, "SELECT version, name, applied_at FROM meta.schema_migrations ORDER BY version"); !slices.Equal(first, again) {
		t.Errorf("reopen changed schema_migrations:\n%v\n%v", first, again)
	}

	extra := fstest.MapFS{}
	for _, m := range all { // recorded already: must not run
		extra[m.name] = &fstest.MapFile{Data: []byte("SELECT 1")}
	}
	next := len(all) + 1
	extra[fmt.Sprintf("%04d_extra.sql", next)] = &fstest.MapFile{Data: []byte(`CREATE TABLE meta.extra (x INTEGER);
			COMMENT ON TABLE meta.extra IS 'test'; COMMENT ON COLUMN meta.extra.x IS 'test';`)}
	for range 2 {
		if err := w.migrate(t.Context(), extra); err != nil {
			t.Fatal(err)
		}
	}
	if n := queryInt(t, w, "SELECT count(*) FROM meta.schema_migrations WHERE version = ?", next); n != 1 {
		t.Errorf("migration %d recorded %d times, want 1", next, n)
	}
}

func TestMigrationErrors(t *testing.T) {
	t.Parallel()
	w := openTest(t, nil)
	all, err := loadMigrations(migrationsFS())
	if err != nil {
		t.Fatal(err)
	}
	n := len(all)
	tests := []struct {
		name    string
		fsys    fstest.MapFS
		wantErr string
	}{
		{"bad name", fstest.MapFS{"init.sql": {}}, "name must be NNNN_description.sql"},
		{"duplicate version", fstest.MapFS{"0003_a.sql": {}, "0003_b.sql": {}}, "share version 3"},
		{"older binary", fstest.MapFS{"0001_init.sql": {}},
			fmt.Sprintf("schema version %d is newer than this exportpipe knows (1): upgrade exportpipe", n)},
		{"failing migration", fstest.MapFS{
			all[n-1].name:                    {},
			fmt.Sprintf("%04d_bad.sql", n+1): {Data: []byte("CREATE TABLE core.listings (x INT)")}},
			fmt.Sprintf("apply migration %04d_bad.sql", n+1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := w.migrate(t.Context(), tc.fsys)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("migrate error = %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
	if n := queryInt(t, w, "SELECT count(*) FROM meta.schema_migrations WHERE version > ?", n); n != 0 {
		t.Errorf("failed migration was recorded")
	}
}

// TestCoreTablesMatchTypedSchema keeps sql/migrations and pipeline in step:
// core tables are TypedSchema's columns, in order, plus bookkeeping.
func TestCoreTablesMatchTypedSchema(t *testing.T) {
	t.Parallel()
	w := openTest(t, nil)
	for _, d := range pipeline.LoadOrder {
		t.Run(string(d), func(t *testing.T) {
			var want []string
			for _, f := range pipeline.TypedSchema(d).Fields() {
				typ, err := duckType(f.Type)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, "["+f.Name+" "+typ+" "+boolText(!f.Nullable)+"]")
			}
			want = append(want, "[_first_run VARCHAR true]", "[_last_run VARCHAR true]",
				"[_loaded_at TIMESTAMP WITH TIME ZONE true]")
			got := dump(t, w, `SELECT column_name, data_type, NOT is_nullable FROM duckdb_columns()
				WHERE schema_name = 'core' AND table_name = '`+string(d)+`' ORDER BY column_index`)
			if !slices.Equal(got, want) {
				t.Errorf("core.%s columns =\n%s\nwant\n%s", d, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			keys := dump(t, w, `SELECT constraint_column_names FROM duckdb_constraints()
				WHERE schema_name = 'core' AND table_name = '`+string(d)+`' AND constraint_type = 'PRIMARY KEY'`)
			if wantKey := []string{"[[" + strings.Join(pipeline.NaturalKey[d], " ") + "]]"}; !slices.Equal(keys, wantKey) {
				t.Errorf("core.%s primary key = %v, want %v", d, keys, wantKey)
			}
		})
	}
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// migrationsUpTo is the embedded migration set cut at version, as an older
// exportpipe shipped it.
func migrationsUpTo(t *testing.T, version int) fstest.MapFS {
	t.Helper()
	all, err := loadMigrations(migrationsFS())
	if err != nil {
		t.Fatal(err)
	}
	old := fstest.MapFS{}
	for _, m := range all {
		if m.version <= version {
			old[m.name] = &fstest.MapFile{Data: []byte(m.body)}
		}
	}
	return old
}

// TestUpgradeInPlace builds a warehouse with the first two migrations only
// (the schema the walking skeleton shipped), loads data into it, and opens
// it with the current binary: the pending migrations apply, the data stays,
// and a full build, test and publish works on the upgraded file.
func TestUpgradeInPlace(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	dir := t.TempDir()
	opts := Options{Path: filepath.Join(dir, "w.duckdb"), SnapshotPath: filepath.Join(dir, "a.duckdb"), Allocator: mem}
	old, err := openWith(t.Context(), opts, migrationsUpTo(t, 2))
	if err != nil {
		t.Fatal(err)
	}
	beginRun(t, old, "r1")
	stage(t, old, mem, pipeline.Sellers, seller("s1", "PK"))
	stage(t, old, mem, pipeline.Listings, listing("a", t0, 1), listing("b", t0, 2))
	commit(t, old, "r1", nil)
	if _, err := old.conn.ExecContext(t.Context(), `INSERT INTO meta.data_tests VALUES ('r1', 'old_test', 0, true, now())`); err != nil {
		t.Fatal(err)
	}
	before := snapshotCore(t, old)
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	w, err := Open(t.Context(), opts)
	if err != nil {
		t.Fatalf("open the older warehouse with the current binary: %v", err)
	}
	defer w.Close()
	all, _ := loadMigrations(migrationsFS())
	if n := queryInt(t, w, "SELECT count(*) FROM meta.schema_migrations"); n != int64(len(all)) {
		t.Errorf("%d migrations recorded after upgrade, want %d", n, len(all))
	}
	if after := snapshotCore(t, w); !slices.Equal(before, after) {
		t.Errorf("upgrade changed core:\nbefore %v\nafter  %v", before, after)
	}
	if got := dump(t, w, "SELECT test, severity FROM meta.data_tests"); !slices.Equal(got, []string{"[old_test error]"}) {
		t.Errorf("old data test rows after upgrade = %v, want severity error", got)
	}
	beginRun(t, w, "r2")
	stage(t, w, mem, pipeline.Listings, listing("c", t0, 3))
	commit(t, w, "r2", nil)
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.RunDataTests(t.Context(), "r2"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Publish(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, w, "SELECT count(*) FROM core.listings"); n != 3 {
		t.Errorf("core.listings has %d rows after upgrade and a run, want 3", n)
	}
}
