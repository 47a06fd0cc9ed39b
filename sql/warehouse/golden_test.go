//go:build duckdb_arrow

package warehouse

import (
	"context"
	"database/sql"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ and sql/DICTIONARY.md")

// TestMartsGolden renders every mart built from the golden fixture and
// compares it with testdata/golden/<mart>.csv. Regenerate after an intended
// change with -update and review the diff.
func TestMartsGolden(t *testing.T) {
	t.Parallel()
	w := loadGoldenFixture(t)
	marts := martNames(t, w.conn)
	dir := filepath.Join("testdata", "golden")
	for _, m := range marts {
		t.Run(m, func(t *testing.T) {
			got := renderQuery(t, w.conn, "SELECT * FROM marts."+m+" ORDER BY ALL")
			checkGolden(t, filepath.Join(dir, m+".csv"), got)
		})
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	for _, f := range files {
		if name := strings.TrimSuffix(filepath.Base(f), ".csv"); !slices.Contains(marts, name) {
			t.Errorf("%s has no mart: remove it", f)
		}
	}
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update and review the diff):\ngot\n%s\nwant\n%s", path, got, want)
	}
}

func martNames(t *testing.T, q queryer) []string {
	t.Helper()
	var names []string
	for _, r := range rowsOf(t, q, `SELECT table_name FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'marts' ORDER BY table_name`) {
		names = append(names, r[0])
	}
	return names
}

// renderQuery prints a result as comma-separated text with a header.
// Doubles keep 10 significant digits, so the last bits of a parallel sum
// cannot make a golden file flaky.
func renderQuery(t *testing.T, q queryer, query string) string {
	t.Helper()
	rows, err := q.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	b.WriteString(strings.Join(cols, ",") + "\n")
	for _, r := range scanAll(t, rows, len(cols)) {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	return b.String()
}

func rowsOf(t *testing.T, q queryer, query string) [][]string {
	t.Helper()
	rows, err := q.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	return scanAll(t, rows, len(cols))
}

func scanAll(t *testing.T, rows *sql.Rows, n int) [][]string {
	t.Helper()
	var out [][]string
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		r := make([]string, n)
		for i, v := range vals {
			r[i] = goldenValue(v)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func goldenValue(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'g', 10, 64)
	case time.Time:
		return render(x)
	}
	return render(v)
}
