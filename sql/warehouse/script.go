//go:build duckdb_arrow

package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ExecScript runs a SQL script against a DuckDB file, opened for writing,
// and returns the rows of its last statement rendered as text. It exists for
// the benchmark baseline ("DuckDB alone") and for operators' one-off fixes,
// so both go through the same DuckDB library the pipeline uses.
func ExecScript(ctx context.Context, path, script string) ([]string, [][]string, error) {
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, script)
	if err != nil {
		return nil, nil, fmt.Errorf("run script on %s: %w", path, err)
	}
	defer rows.Close()
	return collectRows(rows, 0)
}

// ExecSteps runs statements one after another on one connection, so TEMP
// tables and SET options carry from each to the next as in one script, and
// calls done after each with how long it took. It returns the rows of the
// last statement. The benchmark baseline uses it to say where its time
// goes.
func ExecSteps(ctx context.Context, path string, stmts []string, done func(i int, took time.Duration)) ([]string, [][]string, error) {
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer conn.Close()
	for i, stmt := range stmts {
		start := time.Now()
		if i < len(stmts)-1 {
			if _, err := conn.ExecContext(ctx, stmt); err != nil {
				return nil, nil, fmt.Errorf("statement %d on %s: %w", i+1, path, err)
			}
			done(i, time.Since(start))
			continue
		}
		rows, err := conn.QueryContext(ctx, stmt)
		if err != nil {
			return nil, nil, fmt.Errorf("statement %d on %s: %w", i+1, path, err)
		}
		defer rows.Close()
		cols, out, err := collectRows(rows, 0)
		done(i, time.Since(start))
		return cols, out, err
	}
	return nil, nil, nil
}
