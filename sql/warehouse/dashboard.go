//go:build duckdb_arrow

package warehouse

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/big"
	"os"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	sqlfiles "github.com/exportpipe/exportpipe/sql"

	"github.com/exportpipe/exportpipe/dashboard"
)

var _ dashboard.Opener = (*SnapshotReader)(nil)

// SnapshotReader opens the published snapshot read-only for the dashboard.
// It keeps the file open between pages and checks on every Open whether a
// run has published a new one (renamed a new file over the path); if so
// the next page gets the new file. A read-only open takes no writer's
// lock, and a run only ever renames a fresh file over the snapshot, so a
// run never waits for the dashboard.
//
// DuckDB keeps one database instance per path within a process, so the
// new file can be opened only once the old one is closed: pages that
// already hold the old snapshot finish on it (each is bounded by its query
// timeout), and pages that arrive meanwhile wait for them, then read the
// new one.
type SnapshotReader struct {
	path string

	mu  sync.Mutex
	cur *openSnapshot

	// waiting, when set, is called each time a page starts waiting for the
	// pages on the previous snapshot: the event a test waits for before it
	// lets those pages finish.
	waiting func()
}

// NewSnapshotReader reads the snapshot at path; nothing is opened until the
// first page.
func NewSnapshotReader(path string) *SnapshotReader { return &SnapshotReader{path: path} }

type openSnapshot struct {
	db      *sql.DB
	file    os.FileInfo
	refs    int
	stale   bool
	closed  bool
	drained chan struct{} // closed with the database
}

// sameFile tells one published file from the next: a publish renames a
// new file (a new inode) over the path, and a file rewritten in place
// changes its size or time.
func sameFile(a, b os.FileInfo) bool {
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

// Open returns the current snapshot, opening it first when it is new.
func (r *SnapshotReader) Open(ctx context.Context) (dashboard.Snapshot, error) {
	fi, err := os.Stat(r.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w at %s: run `exportpipe run` (or wait for the next run) to publish one", dashboard.ErrNoSnapshot, r.path)
	}
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.cur != nil && !sameFile(r.cur.file, fi) {
		old := r.cur
		old.stale = true
		if old.refs == 0 {
			r.closeLocked(old)
			break
		}
		r.mu.Unlock()
		if r.waiting != nil {
			r.waiting()
		}
		select {
		case <-old.drained:
			r.mu.Lock()
		case <-ctx.Done():
			r.mu.Lock()
			return nil, fmt.Errorf("wait for pages reading the previous snapshot: %w", ctx.Err())
		}
	}
	if r.cur == nil {
		db, err := sql.Open("duckdb", r.path+"?access_mode=read_only")
		if err == nil {
			err = db.PingContext(ctx)
		}
		if err != nil {
			if db != nil {
				db.Close()
			}
			return nil, readOnlyError(r.path, err)
		}
		r.cur = &openSnapshot{db: db, file: fi, drained: make(chan struct{})}
	}
	r.cur.refs++
	return &snapshotHandle{r: r, s: r.cur}, nil
}

// closeLocked closes a snapshot no page holds. The caller holds r.mu.
func (r *SnapshotReader) closeLocked(s *openSnapshot) {
	if !s.closed {
		s.closed = true
		s.db.Close()
		close(s.drained)
	}
	if r.cur == s {
		r.cur = nil
	}
}

// Close closes the snapshot; pages still holding it keep it until they are
// done.
func (r *SnapshotReader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if s := r.cur; s != nil {
		s.stale = true
		if s.refs == 0 {
			r.closeLocked(s)
		}
	}
	return nil
}

type snapshotHandle struct {
	r    *SnapshotReader
	s    *openSnapshot
	once sync.Once
}

func (h *snapshotHandle) Path() string { return h.r.path }

func (h *snapshotHandle) Close() error {
	h.once.Do(func() {
		h.r.mu.Lock()
		defer h.r.mu.Unlock()
		h.s.refs--
		if h.s.stale && h.s.refs == 0 {
			h.r.closeLocked(h.s)
		}
	})
	return nil
}

// Query runs sql/dashboard/<name>.sql with its $parameters bound by name.
func (h *snapshotHandle) Query(ctx context.Context, name string, params dashboard.Params) (*dashboard.Table, error) {
	text, err := dashboardQuery(name)
	if err != nil {
		return nil, err
	}
	var args []any
	for _, p := range queryParams(text) {
		v, ok := params[p]
		if !ok {
			return nil, fmt.Errorf("dashboard query %s needs parameter $%s", name, p)
		}
		args = append(args, sql.Named(p, v))
	}
	rows, err := h.s.db.QueryContext(ctx, text, args...)
	if err != nil {
		return nil, readOnlyError(h.r.path, err)
	}
	defer rows.Close()
	return scanTable(name, rows)
}

var (
	queriesOnce sync.Once
	queries     map[string]string
	queriesErr  error
)

// dashboardQuery returns the text of a named dashboard query.
func dashboardQuery(name string) (string, error) {
	queriesOnce.Do(func() {
		queries = map[string]string{}
		queriesErr = fs.WalkDir(sqlfiles.Dashboard, "dashboard", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || path.Ext(p) != ".sql" {
				return err
			}
			b, err := sqlfiles.Dashboard.ReadFile(p)
			queries[strings.TrimSuffix(path.Base(p), ".sql")] = strings.TrimSpace(string(b))
			return err
		})
	})
	if queriesErr != nil {
		return "", queriesErr
	}
	q, ok := queries[name]
	if !ok {
		return "", fmt.Errorf("no dashboard query %q in sql/dashboard", name)
	}
	return q, nil
}

var paramRef = regexp.MustCompile(`\$([a-z_][a-z0-9_]*)`)

// queryParams lists the $names a query uses, once each, skipping comments
// and string literals.
func queryParams(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		for _, m := range paramRef.FindAllStringSubmatch(stripLiterals(line), -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				out = append(out, m[1])
			}
		}
	}
	return out
}

// stripLiterals blanks out '...' literals, where a $ is text.
func stripLiterals(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		if r == '\'' {
			in = !in
			continue
		}
		if !in {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// scanTable reads every row as typed values the dashboard knows: nil,
// int64, float64, string, bool or time.Time.
func scanTable(name string, rows *sql.Rows) (*dashboard.Table, error) {
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	t := &dashboard.Table{Name: name}
	for _, c := range types {
		t.Columns = append(t.Columns, dashboard.Column{Name: c.Name(), Type: c.DatabaseTypeName()})
	}
	vals := make([]any, len(types))
	ptrs := make([]any, len(types))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("dashboard query %s: %w", name, err)
		}
		row := make([]any, len(vals))
		for i, v := range vals {
			row[i] = typed(v)
		}
		t.Rows = append(t.Rows, row)
	}
	return t, rows.Err()
}

// typed narrows a scanned DuckDB value to the dashboard's types.
func typed(v any) any {
	switch x := v.(type) {
	case nil, int64, float64, string, bool:
		return x
	case time.Time:
		return x.UTC()
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x)
		}
		return float64(x)
	case float32:
		return float64(x)
	case *big.Int:
		if x.IsInt64() {
			return x.Int64()
		}
		f, _ := new(big.Float).SetInt(x).Float64()
		return f
	case duckdb.Decimal:
		return x.Float64()
	case []byte:
		return string(x)
	}
	return render(v)
}
