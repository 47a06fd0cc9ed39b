//go:build duckdb_arrow

package warehouse

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// ExecSteps runs statements on one connection, so a TEMP table and a SET
// made by one statement are there for the next, as in one script; it
// reports each statement's duration and returns the last one's rows.
func TestExecStepsKeepsOneConnection(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "steps.duckdb")
	stmts := []string{
		"SET TimeZone = 'UTC'",
		"CREATE TEMP TABLE t AS SELECT range AS n FROM range(5)",
		"CREATE TABLE kept AS SELECT sum(n) AS total FROM t",
		"SELECT total, current_setting('TimeZone') AS tz FROM kept",
	}
	var reported []int
	cols, rows, err := ExecSteps(context.Background(), path, stmts, func(i int, took time.Duration) {
		if took < 0 {
			t.Errorf("statement %d took %v", i, took)
		}
		reported = append(reported, i)
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cols, ",") != "total,tz" || len(rows) != 1 || rows[0][0] != "10" || rows[0][1] != "UTC" {
		t.Fatalf("got %v %v, want total=10 tz=UTC", cols, rows)
	}
	if len(reported) != len(stmts) {
		t.Fatalf("done called for %v, want every one of %d statements", reported, len(stmts))
	}
	// A failing statement names its position, and nothing after it runs.
	_, _, err = ExecSteps(context.Background(), path, []string{"SELECT 1", "SELEC 2", "CREATE TABLE never AS SELECT 1"}, func(int, time.Duration) {})
	if err == nil || !strings.Contains(err.Error(), "statement 2") {
		t.Fatalf("err = %v, want it to name statement 2", err)
	}
	if _, rows, _ := ExecScript(context.Background(), path, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'never'"); rows[0][0] != "0" {
		t.Fatal("a statement after the failing one ran")
	}
}
