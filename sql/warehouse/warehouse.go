//go:build duckdb_arrow

// Package warehouse implements pipeline.Warehouse on a DuckDB file. It is the
// only package in exportpipe that imports DuckDB: typed Arrow batches are
// registered as views and copied into temporary staging tables, merged into
// the core schema in one transaction per run, modelled into marts with the
// SQL in the sql package, and published as a read-only snapshot file.
//
// Build, test and vet it with the duckdb_arrow build tag; DuckDB's Arrow
// interface is compiled only with that tag.
package warehouse

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow/memory"
	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/sql/warehouse/settings"
)

// ErrLocked reports that another process holds the working database open.
// DuckDB allows one writer process per file. Callers map it to exit code 4.
//
// Within one process DuckDB shares a database between opens of the same
// path, so a second Open in the same process succeeds: the pipeline's run
// lock, not this error, keeps two runs of one process apart.
var ErrLocked = errors.New("file is locked by another process (another exportpipe run? analysts should open the snapshot instead)")

// Options configure Open.
type Options struct {
	// Path is the working database, e.g. data/warehouse.duckdb. Only the
	// pipeline opens it; analysts open the snapshot.
	Path string
	// SnapshotPath is where Publish puts the read-only copy, e.g.
	// data/analytics.duckdb. Empty disables Publish.
	SnapshotPath string
	// ExportDir is where Publish writes every mart as Parquet and CSV with
	// a manifest.json, one folder per run (see ExportDir). Empty means a
	// folder "exports" beside SnapshotPath.
	ExportDir string
	// KeepExports is how many runs' export folders Publish keeps; 0 means
	// DefaultKeepExports.
	KeepExports int
	// Logger receives progress at Info and SQL timings at Debug. Nil discards.
	Logger *slog.Logger
	// Threads caps DuckDB's worker threads; 0 lets DuckDB use every core.
	Threads int
	// MemoryLimit caps DuckDB's memory, in DuckDB's syntax ("2GB"); empty
	// keeps DuckDB's default of 80% of RAM.
	MemoryLimit string
	// Allocator backs the arrival-order column added to staged batches.
	// Nil uses memory.DefaultAllocator.
	Allocator memory.Allocator
	// Checks are the thresholds of the plausibility data tests (the
	// config's checks section); unset ones keep the tests' defaults.
	Checks settings.Checks
	// RebuildMarts rebuilds every mart from core instead of updating only
	// what the run changed (run --rebuild-marts): for repairs.
	RebuildMarts bool
	// FullTests runs every data test over the whole warehouse instead of
	// over what the run changed (run --full-tests).
	FullTests bool
}

// Warehouse is a DuckDB working database. All methods serialise on one
// connection, because DuckDB's temporary staging tables and registered Arrow
// views belong to the connection that made them.
type Warehouse struct {
	mu   sync.Mutex
	opts Options
	log  *slog.Logger
	mem  memory.Allocator
	db   *sql.DB
	conn *sql.Conn

	runID  string                    // set by BeginRun
	staged map[pipeline.Dataset]bool // datasets Stage saw since the last Commit
	seq    int64                     // next arrival number for staged rows
	views  int64                     // names registered Arrow views uniquely

	inRun bool             // Merge opened the run's transaction; Commit or Rollback ends it
	tests []DataTestResult // the open run's data test results, kept through a rollback
	// testScopes is each of those results' scope (scopeFull or scopeRun).
	testScopes map[string]string
	// changed says, per dataset, whether the open run changed any key
	// (changes.go); nil outside a run, when marts and tests see everything.
	changed map[pipeline.Dataset]bool
	// martsChanged names the marts the open run rebuilt or updated.
	martsChanged map[string]bool

	// beforeCommit lets tests fail a commit after every write is done.
	beforeCommit func(context.Context, execer) error
}

// The runner's view of the warehouse is a handful of narrow interfaces;
// this one type is all of them.
var (
	_ pipeline.Warehouse   = (*Warehouse)(nil)
	_ pipeline.RunRecorder = (*Warehouse)(nil)
	_ pipeline.History     = (*Warehouse)(nil)
	_ pipeline.Stager      = (*Warehouse)(nil)
	_ pipeline.RunTx       = (*Warehouse)(nil)
	_ pipeline.Publisher   = (*Warehouse)(nil)
)

// Open opens (creating if needed) the working database at opts.Path and
// applies any pending migrations.
func Open(ctx context.Context, opts Options) (*Warehouse, error) {
	return openWith(ctx, opts, migrationsFS())
}

// openWith opens the warehouse with the given migrations, so tests can build
// a warehouse at an earlier schema version.
func openWith(ctx context.Context, opts Options, migrations fs.FS) (*Warehouse, error) {
	if opts.Path == "" {
		return nil, errors.New("open warehouse: no path given: set warehouse.path in the config")
	}
	if err := os.MkdirAll(filepath.Dir(opts.Path), 0o755); err != nil {
		return nil, fmt.Errorf("open warehouse %s: create its directory: %w", opts.Path, err)
	}
	w := &Warehouse{opts: opts, log: opts.Logger, mem: opts.Allocator, staged: map[pipeline.Dataset]bool{}}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	if w.mem == nil {
		w.mem = memory.DefaultAllocator
	}
	if err := w.connect(ctx); err != nil {
		return nil, err
	}
	if err := w.migrate(ctx, migrations); err != nil {
		return nil, errors.Join(err, w.Close())
	}
	return w, nil
}

// connect opens the database and the one connection the warehouse uses.
func (w *Warehouse) connect(ctx context.Context) error {
	connector, err := duckdb.NewConnector(dsn(w.opts), nil)
	if err != nil {
		return openError(w.opts.Path, err)
	}
	w.db = sql.OpenDB(connector)
	w.conn, err = w.db.Conn(ctx)
	if err != nil {
		return errors.Join(openError(w.opts.Path, err), w.db.Close())
	}
	// Dates derived from TIMESTAMPTZ (a listing's day, a run's day) follow
	// the session time zone; pin it so they are UTC on every machine.
	if _, err := w.conn.ExecContext(ctx, "SET TimeZone = 'UTC'"); err != nil {
		return errors.Join(fmt.Errorf("open warehouse %s: set time zone: %w", w.opts.Path, err), w.closeDB())
	}
	return nil
}

func dsn(opts Options) string {
	q := url.Values{}
	if opts.Threads > 0 {
		q.Set("threads", strconv.Itoa(opts.Threads))
	}
	if opts.MemoryLimit != "" {
		q.Set("memory_limit", opts.MemoryLimit)
	}
	if len(q) == 0 {
		return opts.Path
	}
	return opts.Path + "?" + q.Encode()
}

// openError turns DuckDB's open failures into advice.
func openError(path string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "Could not set lock"):
		return advised(fmt.Errorf("open warehouse %s: %w: wait for it to finish, or stop it", path, ErrLocked), err)
	case strings.Contains(msg, "not a valid DuckDB database file"):
		return advised(fmt.Errorf("open warehouse %s: not a DuckDB database: point warehouse.path at a new or DuckDB file", path), err)
	case strings.Contains(msg, "newer") && strings.Contains(msg, "version"):
		return advised(fmt.Errorf("open warehouse %s: written by a newer DuckDB: upgrade exportpipe", path), err)
	}
	return fmt.Errorf("open warehouse %s: %w", path, err)
}

// Close closes the connection and the database. DuckDB checkpoints on its
// last close, so the file is left without a write-ahead log.
func (w *Warehouse) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.closeDB()
}

func (w *Warehouse) closeDB() error {
	var errs []error
	if w.conn != nil {
		errs = append(errs, w.conn.Close())
		w.conn = nil
	}
	if w.db != nil {
		errs = append(errs, w.db.Close())
		w.db = nil
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close warehouse %s: %w", w.opts.Path, err)
	}
	return nil
}

// ready guards every method against use after Close.
func (w *Warehouse) ready(op string) error {
	if w.conn == nil {
		return fmt.Errorf("%s: warehouse %s is closed", op, w.opts.Path)
	}
	return nil
}

// sqlString quotes s as a SQL string literal, for the few statements (SET
// VARIABLE, ATTACH) that take no parameters.
func sqlString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// ident quotes a column name: several (date, currency) are SQL keywords.
func ident(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
