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
