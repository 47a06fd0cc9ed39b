//go:build duckdb_arrow

package warehouse

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func readManifest(t *testing.T, path string) Manifest {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

// TestExportsOpenInIndependentDuckDB publishes the golden fixture and reads
// every exported file back in a fresh in-memory DuckDB, which shares nothing
// with the warehouse but the engine version.
func TestExportsOpenInIndependentDuckDB(t *testing.T) {
	t.Parallel()
	w := loadGoldenFixture(t)
	if _, err := w.Publish(t.Context()); err != nil {
		t.Fatal(err)
	}
	root := w.ExportDir()
	if target, err := os.Readlink(filepath.Join(root, "latest")); err != nil || target != "run_id=r2" {
		t.Errorf("exports/latest -> %q, %v; want run_id=r2", target, err)
	}
	var latest LatestExport
	if b, err := os.ReadFile(filepath.Join(root, "latest.json")); err != nil || json.Unmarshal(b, &latest) != nil || latest.RunID != "r2" {
		t.Errorf("latest.json = %+v, %v", latest, err)
	}
	m := readManifest(t, filepath.Join(root, "latest", "manifest.json"))
	marts := martNames(t, w.conn)
	if m.RunID != "r2" || m.FormatVersion != ManifestVersion || len(m.Files) != 2*len(marts) || m.GeneratedAt.IsZero() {
		t.Fatalf("manifest run %q, version %d, %d files (want %d), generated %v", m.RunID, m.FormatVersion, len(m.Files), 2*len(marts), m.GeneratedAt)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, f := range m.Files {
		t.Run(f.Path, func(t *testing.T) {
			checkExportedFile(t, w, db, filepath.Join(root, "latest", f.Path), f)
		})
	}
}

func checkExportedFile(t *testing.T, w *Warehouse, db *sql.DB, path string, f ManifestFile) {
	table := strings.TrimPrefix(f.Table, "marts.")
	if want := queryInt(t, w, "SELECT count(*) FROM "+f.Table); f.Rows != want {
		t.Errorf("manifest says %d rows, %s has %d", f.Rows, f.Table, want)
	}
	if bytes, sum, err := hashFile(path); err != nil || bytes != f.Bytes || sum != f.SHA256 {
		t.Errorf("file size/sha256 = %d/%s, %v; manifest %d/%s", bytes, sum, err, f.Bytes, f.SHA256)
	}
	reader := "read_parquet"
	if f.Format == "csv" {
		reader = "read_csv"
	}
	src := reader + "(" + sqlString(path) + ")"
	var names []string
	var types []string
	for _, r := range rowsOf(t, db, "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "+src+")") {
		names, types = append(names, r[0]), append(types, r[1])
	}
	var wantNames, wantTypes []string
	for _, c := range f.Schema {
		wantNames, wantTypes = append(wantNames, c.Name), append(wantTypes, c.Type)
		if c.Comment == "" {
			t.Errorf("column %s has no comment in the manifest", c.Name)
		}
	}
	if !slices.Equal(names, wantNames) {
		t.Errorf("columns %v, manifest %v", names, wantNames)
	}
	if f.Format == "csv" {
		return // CSV carries no types; values are compared through Parquet
	}
	if !slices.Equal(types, wantTypes) {
		t.Errorf("parquet types %v, manifest %v", types, wantTypes)
	}
	got := renderQuery(t, db, "SELECT * FROM "+src+" ORDER BY ALL")
	if want := renderQuery(t, w.conn, "SELECT * FROM marts."+table+" ORDER BY ALL"); got != want {
		t.Errorf("parquet content differs from the mart:\n%s\nwant\n%s", got, want)
	}
}

// TestExportsKeepRecentRuns: each publish adds a run folder and moves
// latest; only the newest KeepExports folders stay, and no staging folder
// is left behind.
func TestExportsKeepRecentRuns(t *testing.T) {
	t.Parallel()
	w := openTest(t, checkedAlloc(t))
	w.opts.KeepExports = 2
	for k := 1; k <= 4; k++ {
		publishGeneration(t, w, k)
	}
	entries, err := os.ReadDir(w.ExportDir())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"latest", "latest.json", "run_id=r03", "run_id=r04"}; !slices.Equal(names, want) {
		t.Errorf("exports folder = %v, want %v", names, want)
	}
	m := readManifest(t, filepath.Join(w.ExportDir(), "latest", "manifest.json"))
	for _, f := range m.Files {
		if f.Table == "marts.category_share" && f.Format == "parquet" && f.Rows != 1 {
			t.Errorf("category_share exported %d rows, want 1", f.Rows)
		}
	}
}

// TestParquetTimestampsAreMicroseconds: dashboards and dataframe readers
// expect Parquet timestamps in microseconds, whatever precision a mart
// computes them in, and every column chunk is zstd-compressed.
func TestParquetTimestampsAreMicroseconds(t *testing.T) {
	t.Parallel()
	w := loadGoldenFixture(t)
	if _, err := w.conn.ExecContext(t.Context(), `CREATE TABLE marts.zz_times AS SELECT
		TIMESTAMP '2026-01-02 03:04:05.123456' AS ts,
		TIMESTAMPTZ '2026-01-02 03:04:05.123456+05' AS ts_tz,
		'2026-01-02 03:04:05.123456789'::TIMESTAMP_NS AS ts_ns`); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := w.writeExports(t.Context(), dir, "r-times"); err != nil {
		t.Fatal(err)
	}
	file := sqlString(filepath.Join(dir, "zz_times.parquet"))
	for _, r := range rowsOf(t, w.conn, "SELECT name, coalesce(logical_type, converted_type, '') FROM parquet_schema("+file+") WHERE name LIKE 'ts%'") {
		if !strings.Contains(r[1], "MICROS=MicroSeconds()") {
			t.Errorf("%s is stored as %q, want microseconds", r[0], r[1])
		}
	}
	if got := rowsOf(t, w.conn, "SELECT DISTINCT compression FROM parquet_metadata("+file+")"); len(got) != 1 || got[0][0] != "ZSTD" {
		t.Errorf("column chunks compressed with %v, want only ZSTD", got)
	}
	if got := rowsOf(t, w.conn, "SELECT ts_ns::VARCHAR FROM read_parquet("+file+")"); got[0][0] != "2026-01-02 03:04:05.123456" {
		t.Errorf("ts_ns read back as %s, want the value truncated to microseconds", got[0][0])
	}
}
