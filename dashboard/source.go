// Package dashboard serves the published snapshot as web pages, and writes
// the same pages as one self-contained HTML report: an overview of the
// runs, one view per question the marts answer, and the rejects.
//
// It knows no DuckDB. Data comes through Opener and Snapshot: named queries
// (sql/dashboard/*.sql, run by sql/warehouse over the snapshot opened
// read-only) with bound parameters, and rows of typed values. Charts are
// SVG drawn here with html/template, each beside a table of its numbers;
// every asset is embedded, so the pages work offline and under a strict
// Content-Security-Policy.
package dashboard

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// ErrNoSnapshot is wrapped by Opener.Open when no snapshot has been
// published at the path yet.
var ErrNoSnapshot = errors.New("no snapshot published yet")

// Opener opens the published snapshot. A page calls Open once and reads
// every query from the Snapshot it got, so it never mixes two runs; the
// next page sees a snapshot published in between.
type Opener interface {
	Open(ctx context.Context) (Snapshot, error)
}

// Snapshot is one published snapshot, open read-only.
type Snapshot interface {
	// Query runs the named query (sql/dashboard/<name>.sql) with its
	// $parameters bound from params.
	Query(ctx context.Context, name string, params Params) (*Table, error)
	// Path is the snapshot file.
	Path() string
	// Close releases the snapshot; the Opener may close the file once a
	// newer snapshot is open and no page holds this one.
	Close() error
}

// Params are a named query's parameters, by name without the $.
type Params map[string]any

// Table is a query's result. Every value is nil, int64, float64, string,
// bool or time.Time.
type Table struct {
	Name    string
	Columns []Column
	Rows    [][]any
}

// Column is a result column with its DuckDB type.
type Column struct {
	Name string
	Type string
}

// Index returns the positions of the named columns, or an error naming the
// first one missing, so a renamed mart column fails one view with a clear
// message rather than showing wrong numbers.
func (t *Table) Index(names ...string) ([]int, error) {
	out := make([]int, len(names))
	for i, n := range names {
		out[i] = -1
		for j, c := range t.Columns {
			if c.Name == n {
				out[i] = j
				break
			}
		}
		if out[i] < 0 {
			have := make([]string, len(t.Columns))
			for j, c := range t.Columns {
				have[j] = c.Name
			}
			return nil, fmt.Errorf("query %s has no column %q (it has %s)", t.Name, n, strings.Join(have, ", "))
		}
	}
	return out, nil
}

// asInt reads a count. Floats are rounded; anything else is 0.
func asInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(math.Round(x))
	case *big.Int:
		return x.Int64()
	}
	return 0
}

// asFloat reads a number; ok is false for NULL and non-numbers.
func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, !math.IsNaN(x)
	}
	return 0, false
}

// asString reads text; NULL is "".
func asString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// asTime reads a date or timestamp; ok is false for NULL.
func asTime(v any) (time.Time, bool) {
	t, ok := v.(time.Time)
	return t.UTC(), ok
}
