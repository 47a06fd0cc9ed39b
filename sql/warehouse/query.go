//go:build duckdb_arrow

package warehouse

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Errors of Query that are the user's statement, not the file: the
// command line reports them as usage errors.
var (
	// ErrNotOneStatement: the text holds no statement, or more than one.
	ErrNotOneStatement = errors.New("not exactly one statement")
	// ErrNotAQuery: the statement returns no rows (SET, COPY, ATTACH ...).
	ErrNotAQuery = errors.New("not a statement that returns rows")
)

// Column is one column of a query's result.
type Column struct {
	// Name is the name the statement gives the column.
	Name string
	// JSONKey is Name made unique within the result, as DuckDB names the
	// columns of a subquery (a second "a" is "a_1"): a JSON object cannot
	// hold one key twice.
	JSONKey string
	// Numeric columns are right-aligned in a table, as DuckDB's CLI does.
	Numeric bool
}

// QueryFormat is how Query renders values.
type QueryFormat int

const (
	// AsText renders each value as DuckDB itself writes it as text: the
	// CAST to VARCHAR that DuckDB's CLI shows ([1, 2], {'k': 1}, {a=1},
	// 3 days, 1.50, \xAA, 2024-01-01 05:00:00+00).
	AsText QueryFormat = iota
	// AsJSON renders each value as JSON with JSON types (numbers, strings,
	// arrays, objects in field order), as DuckDB's to_json writes it.
	AsJSON
)

// Query runs one statement against a DuckDB file opened read-only (the
// published snapshot, normally), and hands each row to row as it is read,
// every value rendered by DuckDB itself in format; a NULL is a nil
// pointer. It stops after limit rows (0: no limit) and reports whether
// there were more. cols is called once, before the first row. Timestamps
// with a time zone are shown in UTC, the warehouse's zone, whatever the
// machine's.
func Query(ctx context.Context, path, statement string, format QueryFormat, limit int,
	cols func([]Column) error, row func([]*string) error) (more bool, err error) {
	if _, err := os.Stat(path); err != nil {
		return false, err
	}
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		return false, readOnlyError(path, err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return false, readOnlyError(path, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET TimeZone = 'UTC'"); err != nil {
		return false, fmt.Errorf("set the time zone: %w", err)
	}
	st, err := describe(conn, statement)
	if err != nil {
		return false, err
	}
	q, wrapped := renderingQuery(statement, st, format, limit)
	rows, err := conn.QueryContext(ctx, q)
	if err != nil && wrapped && strings.Contains(err.Error(), "Expected a single SELECT statement") {
		// PRAGMA table_info and the like return rows but cannot be read
		// as a subquery: run them as they are. Their values are plain
		// text and numbers, which render the same either way.
		wrapped = false
		rows, err = conn.QueryContext(ctx, statement)
	}
	if err != nil {
		return false, readOnlyError(path, err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return false, err
	}
	out := st.columns
	for i := range out {
		out[i].JSONKey = out[i].Name
		if wrapped && i < len(names) {
			out[i].JSONKey = names[i]
		}
	}
	if err := cols(out); err != nil {
		return false, err
	}
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	cells := make([]*string, len(names))
	n := 0
	for rows.Next() {
		if limit > 0 && n == limit {
			return true, nil
		}
		if err := rows.Scan(ptrs...); err != nil {
			return false, err
		}
		for i, v := range vals {
			cells[i] = cell(v, wrapped, format)
		}
		if err := row(cells); err != nil {
			return false, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return false, readOnlyError(path, err)
	}
	return false, nil
}

// statementInfo is what DuckDB's parser and binder say about a statement
// before it runs.
type statementInfo struct {
	kind    duckdb.StmtType
	columns []Column
}

// describe prepares the statement without running it: DuckDB's own parser
// counts the statements (the driver would otherwise run all but the last
// and show only the last result), and the binder names the columns.
func describe(conn *sql.Conn, statement string) (statementInfo, error) {
	var info statementInfo
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(*duckdb.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		// Prepare without a context refuses more than one statement
		// before running any of them.
		ps, err := c.Prepare(statement)
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, "multi-statement") {
				return fmt.Errorf("%w: the text holds more than one statement (separated by ;)", ErrNotOneStatement)
			}
			if strings.Contains(msg, "empty query") {
				return fmt.Errorf("%w: the text holds no statement", ErrNotOneStatement)
			}
			return err
		}
		defer ps.Close()
		s := ps.(*duckdb.Stmt)
		if info.kind, err = s.StatementType(); err != nil {
			return err
		}
		switch info.kind {
		case duckdb.STATEMENT_TYPE_SELECT, duckdb.STATEMENT_TYPE_EXPLAIN, duckdb.STATEMENT_TYPE_PRAGMA:
		case duckdb.STATEMENT_TYPE_CALL:
			return fmt.Errorf("%w: CALL f(...) is SELECT * FROM f(...); write it that way", ErrNotAQuery)
		default:
			return fmt.Errorf("%w: query prints the rows of one SELECT, FROM, WITH, VALUES, SHOW, DESCRIBE, SUMMARIZE, PRAGMA or EXPLAIN statement; for anything else use the DuckDB CLI (duckdb -readonly FILE)", ErrNotAQuery)
		}
		n, err := s.ColumnCount()
		if err != nil {
			return err
		}
		for i := range n {
			name, err := s.ColumnName(i)
			if err != nil {
				return err
			}
			t, err := s.ColumnType(i)
			if err != nil {
				return err
			}
			info.columns = append(info.columns, Column{Name: name, Numeric: numericTypes[t]})
		}
		return nil
	})
	return info, err
}

var numericTypes = map[duckdb.Type]bool{
	duckdb.TYPE_TINYINT: true, duckdb.TYPE_SMALLINT: true, duckdb.TYPE_INTEGER: true, duckdb.TYPE_BIGINT: true,
	duckdb.TYPE_UTINYINT: true, duckdb.TYPE_USMALLINT: true, duckdb.TYPE_UINTEGER: true, duckdb.TYPE_UBIGINT: true,
	duckdb.TYPE_HUGEINT: true, duckdb.TYPE_UHUGEINT: true, duckdb.TYPE_FLOAT: true, duckdb.TYPE_DOUBLE: true,
	duckdb.TYPE_DECIMAL: true, duckdb.TYPE_BIGNUM: true,
}

// renderingQuery wraps a statement that returns rows so DuckDB renders
// every value: CAST(... AS VARCHAR) for text, to_json for JSON. The
// statement goes in as a string literal to DuckDB's query() table
// function, so a trailing semicolon or comment cannot break the wrapper
// and nothing in it can escape the literal. A LIMIT one past the caller's
// lets Query say whether rows were left out without computing them all.
func renderingQuery(statement string, st statementInfo, format QueryFormat, limit int) (string, bool) {
	if st.kind != duckdb.STATEMENT_TYPE_SELECT || len(st.columns) == 0 {
		return statement, false
	}
	expr := "CAST(COLUMNS(*) AS VARCHAR)"
	if format == AsJSON {
		expr = "CAST(to_json(COLUMNS(*)) AS VARCHAR)"
	}
	q := "SELECT " + expr + " FROM query('" + strings.ReplaceAll(statement, "'", "''") + "')"
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit+1)
	}
	return q, true
}

// cell is one value as text: DuckDB's text when the query was wrapped, or
// the driver's value rendered here when it could not be (statements whose
// values are plain).
func cell(v any, wrapped bool, format QueryFormat) *string {
	if v == nil {
		return nil
	}
	var s string
	switch {
	case wrapped:
		s = fmt.Sprint(v)
		if format == AsJSON {
			s = jsonNonFinite(s)
		}
	case format == AsJSON:
		s = plainJSON(v)
	default:
		s = render(v)
	}
	return &s
}
