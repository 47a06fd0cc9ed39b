//go:build duckdb_arrow

package warehouse

import (
	"context"
	"database/sql"
	"fmt"
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
