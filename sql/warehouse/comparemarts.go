//go:build duckdb_arrow

package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// CompareMarts compares every mart of two DuckDB files (snapshots or
// working databases) row for row and returns one line per mart that
// differs: present in only one file, other columns, or rows that only one
// holds. Doubles are compared to 9 decimals, because a sum over the same
// rows in another order may differ in its last bits. The benchmark uses it
// to check that a night's incrementally maintained marts equal a rebuild
// (run --rebuild-marts) of the same warehouse.
func CompareMarts(ctx context.Context, a, b string) ([]string, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	for alias, path := range map[string]string{"a": a, "b": b} {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("ATTACH %s AS %s (READ_ONLY)", sqlString(path), alias)); err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
	}
	columns := func(db string) (map[string]string, error) {
		rows, err := conn.QueryContext(ctx, `SELECT table_name,
    string_agg(CASE WHEN data_type = 'DOUBLE' THEN 'round(' || column_name || ', 9) AS ' || column_name ELSE column_name END, ', ' ORDER BY column_index)
FROM duckdb_columns() WHERE database_name = ? AND schema_name = 'marts' GROUP BY table_name`, db)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := map[string]string{}
		for rows.Next() {
			var table, cols string
			if err := rows.Scan(&table, &cols); err != nil {
				return nil, err
			}
			out[table] = cols
		}
		return out, rows.Err()
	}
	ca, err := columns("a")
	if err != nil {
		return nil, fmt.Errorf("list marts of %s: %w", a, err)
	}
	cb, err := columns("b")
	if err != nil {
		return nil, fmt.Errorf("list marts of %s: %w", b, err)
	}
	var diffs []string
	for table := range cb {
		if _, ok := ca[table]; !ok {
			diffs = append(diffs, fmt.Sprintf("marts.%s: only in %s", table, b))
		}
	}
	for table, cols := range ca {
		switch {
		case cb[table] == "":
			diffs = append(diffs, fmt.Sprintf("marts.%s: only in %s", table, a))
			continue
		case cb[table] != cols:
			diffs = append(diffs, fmt.Sprintf("marts.%s: columns differ", table))
			continue
		}
		var onlyA, onlyB int64
		q := fmt.Sprintf(`SELECT (SELECT count(*) FROM (SELECT %[1]s FROM a.marts.%[2]s EXCEPT ALL SELECT %[1]s FROM b.marts.%[2]s)),
       (SELECT count(*) FROM (SELECT %[1]s FROM b.marts.%[2]s EXCEPT ALL SELECT %[1]s FROM a.marts.%[2]s))`, cols, ident(table))
		if err := conn.QueryRowContext(ctx, q).Scan(&onlyA, &onlyB); err != nil {
			return nil, fmt.Errorf("compare marts.%s: %w", table, err)
		}
		if onlyA > 0 || onlyB > 0 {
			diffs = append(diffs, fmt.Sprintf("marts.%s: %d rows only in %s, %d only in %s", table, onlyA, a, onlyB, b))
		}
	}
	slices.Sort(diffs)
	return diffs, nil
}
