//go:build duckdb_arrow

package warehouse

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// QueryReadOnly runs one statement against a DuckDB file opened read-only
// (normally the published snapshot) and returns the column names and every
// value rendered as text, at most limit rows (0 for all). Read-only opens
// never take the writer's lock, so this never blocks or is blocked by a run.
func QueryReadOnly(ctx context.Context, path, query string, limit int) ([]string, [][]string, error) {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, fmt.Errorf("no database at %s: run `exportpipe run` first, or pass --db", path)
		}
		return nil, nil, err
	}
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		return nil, nil, readOnlyError(path, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return nil, nil, readOnlyError(path, err)
	}
	defer rows.Close()
	return collectRows(rows, limit)
}

// collectRows reads at most limit rows (0 for all), every value rendered as
// text the way an analyst expects to read it.
func collectRows(rows *sql.Rows, limit int) ([]string, [][]string, error) {
	cols, err := rows.Columns()
	if err != nil {
		return nil, nil, err
	}
	var out [][]string
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() && (limit <= 0 || len(out) < limit) {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = render(v)
		}
		out = append(out, row)
	}
	return cols, out, rows.Err()
}

// lockedError is what an analyst sees when the file they query is the
// working database and a run holds it. DuckDB's own message (a file lock,
// a PID, a link to its docs) says what happened but not what to do, so it
// is replaced rather than wrapped.
type lockedError struct {
	path string
	pid  string
}

func (e *lockedError) Error() string {
	by := "another process"
	if e.pid != "" {
		by = "another process (pid " + e.pid + ")"
	}
	// Which snapshot belongs to this warehouse is the config's business:
	// the command line names it (see cmd/exportpipe lockedSnapshot).
	return fmt.Sprintf("%s is being written by %s, most likely an exportpipe run: "+
		"query the published snapshot instead (the config's warehouse.snapshot); runs never lock it", e.path, by)
}

func (e *lockedError) Unwrap() error { return ErrLocked }

var lockPID = regexp.MustCompile(`PID (\d+)`)

// readOnlyError turns DuckDB's failures to open or query a file read-only
// into messages for analysts.
func readOnlyError(path string, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "Could not set lock") || strings.Contains(msg, "Conflicting lock") {
		le := &lockedError{path: path}
		if m := lockPID.FindStringSubmatch(msg); m != nil {
			le.pid = m[1]
		}
		return le
	}
	return fmt.Errorf("query %s read-only: %w", path, err)
}

// render prints a scanned DuckDB value the way an analyst expects to read it.
func render(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return x
	case []byte:
		return string(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.UTC().Format(time.DateOnly)
		}
		return x.UTC().Format("2006-01-02 15:04:05.999999Z07:00")
	case *big.Int:
		return x.String()
	default:
		return fmt.Sprint(x)
	}
}
