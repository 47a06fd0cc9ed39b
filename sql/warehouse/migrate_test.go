//go:build duckdb_arrow

package warehouse

import (
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
	first := dump(t, w, "SELECT version, name, applied_at FROM meta.schema_migrations ORDER BY version")
	if len(first) != 2 {
		t.Fatalf("schema_migrations = %v, want 2 rows", first)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w = open()
	defer w.Close()
	if again := dump(t, w, "SELECT version, name, applied_at FROM meta.schema_migrations ORDER BY version"); !slices.Equal(first, again) {
		t.Errorf("reopen changed schema_migrations:\n%v\n%v", first, again)
	}

	extra := fstest.MapFS{
		"0001_init.sql": {Data: []byte("SELECT 1")}, // recorded already: must not run
		"0002_core.sql": {Data: []byte("SELECT 1")},
		"0003_extra.sql": {Data: []byte(`CREATE TABLE meta.extra (x INTEGER);
			COMMENT ON TABLE meta.extra IS 'test'; COMMENT ON COLUMN meta.extra.x IS 'test';`)},
	}
	for range 2 {
		if err := w.migrate(t.Context(), extra); err != nil {
			t.Fatal(err)
		}
	}
	if n := queryInt(t, w, "SELECT count(*) FROM meta.schema_migrations WHERE version = 3"); n != 1 {
		t.Errorf("migration 3 recorded %d times, want 1", n)
	}
}

func TestMigrationErrors(t *testing.T) {
	t.Parallel()
	w := openTest(t, nil)
	tests := []struct {
		name    string
		fsys    fstest.MapFS
		wantErr string
	}{
		{"bad name", fstest.MapFS{"init.sql": {}}, "name must be NNNN_description.sql"},
		{"duplicate version", fstest.MapFS{"0003_a.sql": {}, "0003_b.sql": {}}, "share version 3"},
		{"older binary", fstest.MapFS{"0001_init.sql": {}}, "schema version 2 is newer than this exportpipe knows (1): upgrade exportpipe"},
		{"failing migration", fstest.MapFS{"0002_core.sql": {}, "0003_bad.sql": {Data: []byte("CREATE TABLE core.listings (x INT)")}},
			"apply migration 0003_bad.sql"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := w.migrate(t.Context(), tc.fsys)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("migrate error = %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
	if n := queryInt(t, w, "SELECT count(*) FROM meta.schema_migrations WHERE version = 3"); n != 0 {
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
