//go:build duckdb_arrow

package warehouse

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

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
	// Versions may skip a number (one taken by a branch not merged yet),
	// so the next is after the highest, not after the count.
	next := all[len(all)-1].version + 1
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
	n := all[len(all)-1].version
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
			all[len(all)-1].name:             {},
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
	uniqueTest := dataTestBody(t, "core_keys_unique")
	for _, d := range pipeline.LoadOrder() {
		t.Run(string(d), func(t *testing.T) {
			var want []string
			for _, f := range pipeline.TypedSchema(d).Fields() {
				typ, err := duckType(f.Type)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, "["+f.Name+" "+typ+" "+boolText(!f.Nullable)+"]")
			}
			// Bookkeeping columns come after the columns of the first
			// schema; columns added since (ADD COLUMN appends) follow them.
			// The merge names every column, so only the typed order and
			// the bookkeeping's presence matter.
			got := dump(t, w, `SELECT column_name, data_type, NOT is_nullable FROM duckdb_columns()
				WHERE schema_name = 'core' AND table_name = '`+string(d)+`' AND NOT starts_with(column_name, '_')
				AND column_name NOT IN ('`+strings.Join(append(warehouseColumns[d], ""), "', '")+`') ORDER BY column_index`)
			if !slices.Equal(got, want) {
				t.Errorf("core.%s columns =\n%s\nwant\n%s", d, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			bookkeeping := dump(t, w, `SELECT column_name, data_type, NOT is_nullable FROM duckdb_columns()
				WHERE schema_name = 'core' AND table_name = '`+string(d)+`' AND starts_with(column_name, '_') ORDER BY column_name`)
			// _content_hash is NULL for rows written before migration 0013.
			if want := []string{"[_content_hash UBIGINT false]", "[_first_run VARCHAR true]", "[_last_run VARCHAR true]", "[_loaded_at TIMESTAMP WITH TIME ZONE true]"}; !slices.Equal(bookkeeping, want) {
				t.Errorf("core.%s bookkeeping columns = %v, want %v", d, bookkeeping, want)
			}
			// No PRIMARY KEY since 0005: the merge keeps one row per natural
			// key and the data test core_keys_unique checks it, by that key.
			if keys := dump(t, w, `SELECT constraint_column_names FROM duckdb_constraints()
				WHERE schema_name = 'core' AND table_name = '`+string(d)+`' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')`); len(keys) > 0 {
				t.Errorf("core.%s has key constraints %v, want none (migration 0005)", d, keys)
			}
			byKey := fmt.Sprintf("FROM core.%s GROUP BY %s HAVING", d, strings.Join(d.NaturalKey(), ", "))
			if !strings.Contains(uniqueTest, byKey) {
				t.Errorf("sql/tests/core_keys_unique.sql does not check core.%s by its natural key (%q)", d, byKey)
			}
		})
	}
}

// dataTestBody is the query of the shipped data test sql/tests/NAME.sql.
func dataTestBody(t *testing.T, name string) string {
	t.Helper()
	tests, err := loadDataTests()
	if err != nil {
		t.Fatal(err)
	}
	for _, dt := range tests {
		if dt.name == name {
			return dt.query
		}
	}
	t.Fatalf("no data test sql/tests/%s.sql", name)
	return ""
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
	// Rows are written with SQL in version 2's columns: staging follows the
	// current schema, which later migrations extend.
	for _, q := range []string{
		`INSERT INTO core.sellers VALUES ('s1', 'alibaba.com', 'Seller s1', 'PK', 'Karachi', NULL, TIMESTAMPTZ '2025-01-01 00:00:00+00', 'r1', 'r1', now())`,
		`INSERT INTO core.listings SELECT id, 'alibaba.com', 's1', 'Towel', 'home_textiles', 'textiles', 63, 'US $1', 'USD',
			i, i, 'piece', 1.0, i, i, 500, 'piece', TIMESTAMPTZ '2025-01-01 00:00:00+00', 'r1', 'r1', now()
			FROM (VALUES ('a', 1), ('b', 2)) AS v(id, i)`,
		`INSERT INTO core.listing_price_history SELECT marketplace, listing_id, currency, price_min, price_max, price_min_usd,
			price_max_usd, updated_at, NULL, 'r1' FROM core.listings`,
		`INSERT INTO meta.data_tests VALUES ('r1', 'old_test', 0, true, now())`,
	} {
		if _, err := old.conn.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	snapshotV2 := v2Snapshot(t, old)
	before := snapshotV2(old)
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
	if after := snapshotV2(w); !slices.Equal(before, after) {
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

// v2Snapshot returns a function that dumps every core table in the columns
// it has in w now, so rows can be compared across migrations that add
// columns.
func v2Snapshot(t *testing.T, w *Warehouse) func(*Warehouse) []string {
	t.Helper()
	cols := map[string]string{}
	tables := []string{"listings", "sellers", "sailings", "fx_rates", "listing_price_history"}
	for _, table := range tables {
		var list string
		if err := w.conn.QueryRowContext(t.Context(), `SELECT string_agg(column_name, ', ' ORDER BY column_index)
			FROM duckdb_columns() WHERE schema_name = 'core' AND table_name = ?`, table).Scan(&list); err != nil {
			t.Fatal(err)
		}
		cols[table] = list
	}
	return func(w *Warehouse) []string {
		var out []string
		for _, table := range tables {
			out = append(out, table)
			out = append(out, dump(t, w, "SELECT "+cols[table]+" FROM core."+table+" ORDER BY ALL")...)
		}
		return out
	}
}

// TestUpgradeDropsPrimaryKeys opens a warehouse written at version 4 (core
// tables with PRIMARY KEYs, rows in them and in price history) with the
// current binary. Migration 0005 rebuilds the core tables without their
// keys: rows, comments and NOT NULLs stay, and the merge still keeps one
// row per key, reruns change nothing and history still closes prices. The
// version 4 rows are written with SQL in version 4's columns, because
// staging follows the current schema, which later migrations extend.
func TestUpgradeDropsPrimaryKeys(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	dir := t.TempDir()
	opts := Options{Path: filepath.Join(dir, "w.duckdb"), SnapshotPath: filepath.Join(dir, "a.duckdb"), Allocator: mem}
	old, err := openWith(t.Context(), opts, migrationsUpTo(t, 4))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO core.sellers VALUES ('s1', 'alibaba.com', 'Seller s1', 'PK', 'Karachi', NULL, TIMESTAMPTZ '2025-01-01 00:00:00+00', 'r1', 'r1', now())`,
		`INSERT INTO core.listings SELECT 'old' || i, 'alibaba.com', 's1', 'Towel', 'home_textiles', 'textiles', 63, 'US $1', 'USD',
			i, i, 'piece', 1.0, i, i, 500, 'piece', TIMESTAMPTZ '2025-01-01 00:00:00+00', 'r1', 'r1', now() FROM range(1, 4) AS r(i)`,
		`INSERT INTO core.listing_price_history SELECT marketplace, listing_id, currency, price_min, price_max, price_min_usd,
			price_max_usd, updated_at, NULL, 'r1' FROM core.listings`,
	} {
		if _, err := old.conn.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	if n := queryInt(t, old, `SELECT count(*) FROM duckdb_constraints()
		WHERE schema_name = 'core' AND constraint_type = 'PRIMARY KEY'`); n != 5 {
		t.Fatalf("version 4 has %d core primary keys, want 5", n)
	}
	// Later migrations may add columns: compare version 4's.
	var v4cols, v4sellerCols string
	if err := old.conn.QueryRowContext(t.Context(), `SELECT string_agg('l.' || column_name, ', ' ORDER BY column_index)
		FROM duckdb_columns() WHERE schema_name = 'core' AND table_name = 'listings'`).Scan(&v4cols); err != nil {
		t.Fatal(err)
	}
	if err := old.conn.QueryRowContext(t.Context(), `SELECT string_agg('s.' || column_name, ', ' ORDER BY column_index)
		FROM duckdb_columns() WHERE schema_name = 'core' AND table_name = 'sellers'`).Scan(&v4sellerCols); err != nil {
		t.Fatal(err)
	}
	coreV4 := `SELECT ` + v4cols + `, ` + v4sellerCols + ` FROM core.listings AS l JOIN core.sellers AS s USING (marketplace, seller_id) ORDER BY ALL`
	// Later migrations may reword comments: that each column keeps one is
	// what is compared.
	columns := `SELECT table_name, column_name, data_type, is_nullable, comment IS NOT NULL FROM duckdb_columns()
		WHERE schema_name = 'core' ORDER BY ALL`
	before, columnsBefore := dump(t, old, coreV4), dump(t, old, columns)
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	w, err := Open(t.Context(), opts)
	if err != nil {
		t.Fatalf("open the version 4 warehouse with the current binary: %v", err)
	}
	defer w.Close()
	if n := queryInt(t, w, `SELECT count(*) FROM duckdb_constraints()
		WHERE schema_name = 'core' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')`); n != 0 {
		t.Errorf("%d core key constraints after upgrade, want 0", n)
	}
	if after := dump(t, w, coreV4); !slices.Equal(before, after) {
		t.Errorf("upgrade changed core:\nbefore %v\nafter  %v", before, after)
	}
	columnsAfter := dump(t, w, columns)
	for _, c := range columnsBefore {
		// 0011 makes listings.seller_id optional on purpose: a source may
		// name no seller.
		if c == "[listings seller_id VARCHAR false true]" {
			c = "[listings seller_id VARCHAR true true]"
		}
		if !slices.Contains(columnsAfter, c) {
			t.Errorf("upgrade lost or changed core column %s", c)
		}
	}
	if n := queryInt(t, w, `SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'core' AND table_name LIKE '%_0004'`); n != 0 {
		t.Errorf("upgrade left %d renamed tables behind", n)
	}

	// New rows merge by key; the same rows again change nothing; a new price
	// closes the old one.
	for i, runID := range []string{"r2", "r3"} {
		beginRun(t, w, runID)
		stage(t, w, mem, pipeline.Listings, listing("a", t0, 1), listing("b", t0, 2), listing("a", t0, 1))
		c := commit(t, w, runID, map[string]string{"src": runID})[pipeline.Listings]
		if want := int64(2 * (1 - i)); c.Inserted != want || c.Updated != 0 || c.Duplicates != 1 {
			t.Errorf("run %s merged %+v, want %d inserted and 1 duplicate", runID, c, want)
		}
	}
	beginRun(t, w, "r4")
	stage(t, w, mem, pipeline.Listings, listing("a", t0.Add(time.Hour), 5), listing("old1", t0, 9))
	commit(t, w, "r4", nil)
	if n := queryInt(t, w, "SELECT count(*) FROM core.listings"); n != 5 {
		t.Errorf("core.listings has %d rows, want 5", n)
	}
	if got := dump(t, w, `SELECT listing_id, price_min, valid_to IS NULL FROM core.listing_price_history
		WHERE listing_id IN ('a', 'old1') ORDER BY listing_id, valid_from`); strings.Join(got, ";") != "[a 1 false];[a 5 true];[old1 1 false];[old1 9 true]" {
		t.Errorf("price history after upgrade = %v", got)
	}
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
	results, err := w.RunDataTests(t.Context(), "r4")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Name == "core_keys_unique" && !r.Passed() {
			t.Errorf("core_keys_unique failed after upgrade: %d keys", r.Failures)
		}
	}
}
