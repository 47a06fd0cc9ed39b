//go:build duckdb_arrow

package warehouse

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
)

// bookkeeping are the columns that say which run wrote a row and when, not
// what the row is. Idempotency is judged without them, although a re-run
// that changes nothing leaves them alone too.
var bookkeeping = []string{"_first_run", "_last_run", "_loaded_at", "run_id"}

// tableChecksums returns, for every table of core and marts, its row count
// and an order-independent hash of its rows without bookkeeping columns.
// Doubles are hashed at 12 significant digits, so that a parallel sum that
// differs in its last bit does not count as a change.
func tableChecksums(t *testing.T, w *Warehouse) map[string]string {
	t.Helper()
	cols := map[string][]string{}
	for _, r := range rowsOf(t, w.conn, `SELECT schema_name || '.' || table_name, column_name, data_type
		FROM duckdb_columns() WHERE database_name = current_database() AND schema_name IN ('core', 'marts')
		ORDER BY schema_name, table_name, column_index`) {
		if slices.Contains(bookkeeping, r[1]) {
			continue
		}
		expr := ident(r[1])
		if r[2] == "DOUBLE" {
			expr = "printf('%.12g', " + expr + ")"
		}
		cols[r[0]] = append(cols[r[0]], expr)
	}
	sums := map[string]string{}
	for _, table := range slices.Sorted(maps.Keys(cols)) {
		q := fmt.Sprintf("SELECT count(*) || ':' || coalesce(sum(hash(%s)), 0) FROM %s", strings.Join(cols[table], ", "), table)
		sums[table] = rowsOf(t, w.conn, q)[0][0]
	}
	return sums
}

// TestTwoRunsOverTheSameInputAreIdentical runs the whole golden input twice
// (every version the sources served, as a full refresh would) and compares
// every core and marts table.
func TestTwoRunsOverTheSameInputAreIdentical(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	runs := goldenRuns()
	full := runs[len(runs)-1]
	loadRun(t, w, mem, "r1", full)
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
	first := tableChecksums(t, w)
	counts := loadRun(t, w, mem, "r2", full)
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
	for d, mc := range counts {
		if mc.Inserted != 0 || mc.Updated != 0 {
			t.Errorf("%s: second run inserted %d, updated %d; want 0, 0", d, mc.Inserted, mc.Updated)
		}
	}
	second := tableChecksums(t, w)
	if len(first) < 15 {
		t.Errorf("checksummed %d tables, want every core and marts table", len(first))
	}
	for table, sum := range first {
		if second[table] != sum {
			t.Errorf("%s changed on the second run: %s -> %s", table, sum, second[table])
		}
	}
	// The checksum does see a change of one value.
	if _, err := w.conn.ExecContext(t.Context(), "UPDATE core.listings SET title = 'x' WHERE listing_id = 'a'"); err != nil {
		t.Fatal(err)
	}
	if tableChecksums(t, w)["core.listings"] == second["core.listings"] {
		t.Error("checksum of core.listings did not change with a title")
	}
}

// TestPriceChangeMovesIndex: a listing whose price rises 20% gets a second
// history row, and its chapter's index rises by the geometric mean of the
// matched listings' changes.
func TestPriceChangeMovesIndex(t *testing.T) {
	t.Parallel()
	w := loadGoldenFixture(t)
	hist := dump(t, w, `SELECT listing_id, price_min_usd, strftime(valid_from, '%m-%d'), coalesce(strftime(valid_to, '%m-%d'), '-')
		FROM core.listing_price_history WHERE listing_id IN ('a', 'c') ORDER BY listing_id, valid_from`)
	want := []string{"[a 10 06-01 07-15]", "[a 12 07-15 -]", "[c 10 06-05 08-02]", "[c 11 08-02 -]"}
	if !slices.Equal(hist, want) {
		t.Errorf("history =\n%s\nwant\n%s", strings.Join(hist, "\n"), strings.Join(want, "\n"))
	}
	tests := []struct {
		chapter int
		month   string
		want    float64
	}{
		{63, "2025-06-01", 100},
		{63, "2025-07-01", 120}, // a: 10 -> 12; e is new and does not move it
		{63, "2025-08-01", 120},
		{61, "2025-07-01", 100},
		{61, "2025-08-01", 100 * math.Sqrt(1.1)}, // c: +10%, b unchanged
	}
	for _, tc := range tests {
		var got float64
		err := w.conn.QueryRowContext(t.Context(), `SELECT price_index FROM marts.price_index_monthly
			WHERE hs_chapter = ? AND month = CAST(? AS DATE)`, tc.chapter, tc.month).Scan(&got)
		if err != nil || math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("chapter %d %s: index %v, %v; want %v", tc.chapter, tc.month, got, err, tc.want)
		}
	}
}
