//go:build duckdb_arrow

package warehouse

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	sqlfiles "github.com/exportpipe/exportpipe/sql"

	"github.com/exportpipe/exportpipe/pipeline"
)

// sqlFile is one embedded .sql file.
type sqlFile struct {
	name string // file name without directory or .sql
	body string
}

// readSQLDir returns dir/*.sql of fsys in file name order, which for marts
// is dependency order (NN_ prefixes).
func readSQLDir(fsys fs.FS, dir string) ([]sqlFile, error) {
	names, err := fs.Glob(fsys, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	files := make([]sqlFile, 0, len(names))
	for _, n := range names { // fs.Glob returns names sorted
		body, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		files = append(files, sqlFile{name: strings.TrimSuffix(path.Base(n), ".sql"), body: string(body)})
	}
	return files, nil
}

// mart is one file of sql/marts with what its header declares:
//
//	-- grain: carrier, origin, destination
//	-- reads: sailings
//	-- maintained: incremental
//
// grain is the mart's key, one row per value; reads names the datasets
// whose changes can change the mart; maintained is "incremental" (a night
// recomputes the groups its changes touch, named by
// sql/marts/touched/NN_name.sql) or "full: <why>" (rebuilt whenever
// something it reads changed).
type mart struct {
	file  string // NN_name
	table string // its table in schema marts
	grain []string
	reads []pipeline.Dataset
	// full is why the mart is rebuilt in full; "" when it is maintained
	// incrementally.
	full    string
	body    string // the whole file: the build and its comments
	query   string // the SELECT the table is created as
	touched string // the query naming the groups a run's changes touch
	sha256  string // of body and touched: a change rebuilds the mart
}

// createMart finds the statement that builds a mart's table.
var createMart = regexp.MustCompile(`(?m)^CREATE OR REPLACE TABLE marts\.(\w+) AS\n((?s:.*?));$`)

// loadMarts reads sql/marts and sql/marts/touched.
func loadMarts() ([]mart, error) {
	files, err := readSQLDir(sqlfiles.Marts, "marts")
	if err != nil {
		return nil, fmt.Errorf("read sql/marts: %w", err)
	}
	touched, err := readSQLDir(sqlfiles.Marts, "marts/touched")
	if err != nil {
		return nil, fmt.Errorf("read sql/marts/touched: %w", err)
	}
	marts := make([]mart, 0, len(files))
	for _, f := range files {
		m, err := parseMart(f)
		if err != nil {
			return nil, fmt.Errorf("sql/marts/%s.sql: %w", f.name, err)
		}
		i := slices.IndexFunc(touched, func(t sqlFile) bool { return t.name == f.name })
		switch {
		case m.full == "" && i < 0:
			return nil, fmt.Errorf("sql/marts/%s.sql is maintained incrementally but sql/marts/touched/%s.sql is missing: add it, or declare \"-- maintained: full: <why>\"", f.name, f.name)
		case i >= 0:
			m.touched = strings.TrimRight(strings.TrimSpace(touched[i].body), ";")
		}
		sum := sha256.Sum256([]byte(m.body + "\x00" + m.touched))
		m.sha256 = hex.EncodeToString(sum[:])
		marts = append(marts, m)
	}
	return marts, nil
}

// parseMart reads a mart's header and its CREATE statement. The grain is
// read by sqlfiles.ParseMart, the one reader of it (the generated mart
// tests use it too), which also holds its columns to plain names: they
// are written into the touched-groups join as they are.
func parseMart(f sqlFile) (mart, error) {
	m := mart{file: f.name, body: f.body}
	header, err := sqlfiles.ParseMart("marts/"+f.name+".sql", f.body)
	if err != nil {
		return m, err
	}
	m.grain = header.Grain
	if reads, ok := sqlfiles.HeaderValue(f.body, "reads"); ok {
		for _, d := range splitList(reads) {
			if !slices.Contains(pipeline.LoadOrder(), pipeline.Dataset(d)) {
				return m, fmt.Errorf("reads: %q is not a dataset (%v)", d, pipeline.LoadOrder())
			}
			m.reads = append(m.reads, pipeline.Dataset(d))
		}
	}
	maintained, _ := sqlfiles.HeaderValue(f.body, "maintained")
	if len(m.reads) == 0 || maintained == "" {
		return m, errors.New(`header must declare "-- grain: a, b", "-- reads: dataset, ..." and "-- maintained: incremental" or "-- maintained: full: <why>"`)
	}
	if maintained != "incremental" {
		why, ok := strings.CutPrefix(maintained, "full:")
		if !ok || strings.TrimSpace(why) == "" {
			return m, fmt.Errorf("maintained: %q: want incremental, or full: and why incremental maintenance would be unsound", maintained)
		}
		m.full = strings.TrimSpace(why)
	}
	sub := createMart.FindStringSubmatch(f.body)
	if sub == nil {
		return m, errors.New("no statement CREATE OR REPLACE TABLE marts.<name> AS ... ending in ; at the end of a line")
	}
	m.table, m.query = sub[1], sub[2]
	return m, nil
}

func splitList(s string) []string {
	var out []string
	for p := range strings.SplitSeq(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// How BuildMarts brought a mart up to date.
const (
	martRebuilt = "rebuilt" // from core, in full
	martGroups  = "groups"  // only the groups the run's changes touched
	martSkipped = "skipped" // nothing it reads changed
)

// BuildMarts brings every mart of sql/marts up to date with core, in the
// open run transaction if there is one (else in a transaction of its own),
// so a failed mart leaves the previous marts in place.
//
// In a run, each mart does what the run's changes call for: nothing when
// no dataset it reads changed; its touched groups deleted and recomputed
// when it is maintained incrementally; a rebuild from core otherwise. A
// mart whose SQL differs from the definition it was last built from, one
// that does not exist yet, every mart outside a run, and every mart when
// Options.RebuildMarts is set (run --rebuild-marts) is rebuilt from core.
func (w *Warehouse) BuildMarts(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.ready("build marts"); err != nil {
		return err
	}
	marts, err := loadMarts()
	if err != nil {
		return fmt.Errorf("build marts: %w", err)
	}
	done := map[string]int{}
	w.martsChanged = map[string]bool{}
	err = w.inTx(ctx, func(q execer) error {
		built, err := builtMarts(ctx, q)
		if err != nil {
			return fmt.Errorf("build marts: read meta.marts: %w", err)
		}
		for _, m := range marts {
			how, why := w.martPlan(m, built)
			start := time.Now()
			if err := w.buildMart(ctx, q, m, how); err != nil {
				return fmt.Errorf("build mart sql/marts/%s.sql (%s): %w", m.file, how, err)
			}
			done[how]++
			w.martsChanged[m.table] = how != martSkipped
			w.log.Debug("built mart", "mart", m.file, "how", how, "why", why, "duration_seconds", pipeline.Seconds(time.Since(start)))
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.log.Info("built marts", "marts", len(marts), "rebuilt", done[martRebuilt], "groups", done[martGroups], "skipped", done[martSkipped])
	return nil
}

// builtMart is a mart's row in meta.marts.
type builtMart struct {
	sha256     string
	changedRun string
}

func builtMarts(ctx context.Context, q execer) (map[string]builtMart, error) {
	rows, err := q.QueryContext(ctx, `SELECT mart, definition_sha256, coalesce(changed_run, '') FROM meta.marts
WHERE mart IN (SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'marts')`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]builtMart{}
	for rows.Next() {
		var name string
		var b builtMart
		if err := rows.Scan(&name, &b.sha256, &b.changedRun); err != nil {
			return nil, err
		}
		out[name] = b
	}
	return out, rows.Err()
}

// martPlan decides how to bring m up to date, and says why.
func (w *Warehouse) martPlan(m mart, built map[string]builtMart) (how, why string) {
	b, ok := built[m.table]
	switch {
	case w.opts.RebuildMarts:
		return martRebuilt, "asked to rebuild every mart (--rebuild-marts)"
	case w.changed == nil:
		return martRebuilt, "built outside a run"
	case !ok:
		return martRebuilt, "new mart"
	case b.sha256 != m.sha256:
		w.log.Info("mart definition changed; rebuilding it from core", "mart", m.table)
		return martRebuilt, "definition changed"
	}
	changed := slices.ContainsFunc(m.reads, func(d pipeline.Dataset) bool { return w.changed[d] })
	switch {
	case !changed:
		return martSkipped, "nothing it reads changed"
	case m.full != "":
		return martRebuilt, "maintained in full: " + m.full
	default:
		return martGroups, "its inputs changed"
	}
}

// buildMart runs one plan and records it in meta.marts.
func (w *Warehouse) buildMart(ctx context.Context, q execer, m mart, how string) error {
	switch how {
	case martSkipped:
		return nil
	case martRebuilt:
		if _, err := q.ExecContext(ctx, m.body); err != nil {
			return err
		}
	case martGroups:
		match := joinEach(m.grain, " AND ", "m.%[1]s IS NOT DISTINCT FROM g.%[1]s")
		stmt := fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE mart_touched AS SELECT DISTINCT * FROM (
%[1]s
);
DELETE FROM marts.%[2]s AS m WHERE EXISTS (SELECT 1 FROM mart_touched AS g WHERE %[3]s);
INSERT INTO marts.%[2]s SELECT m.* FROM (
%[4]s
) AS m WHERE EXISTS (SELECT 1 FROM mart_touched AS g WHERE %[3]s);
DROP TABLE mart_touched;`, m.touched, ident(m.table), match, m.query)
		if _, err := q.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	maintained := "incremental"
	if m.full != "" {
		maintained = "full"
	}
	run := sql.NullString{String: w.runID, Valid: w.changed != nil && w.runID != ""}
	_, err := q.ExecContext(ctx, `INSERT INTO meta.marts (mart, definition_sha256, maintained, built_run, built_how, changed_run, updated_at)
VALUES (?, ?, ?, ?, ?, ?, now())
ON CONFLICT (mart) DO UPDATE SET definition_sha256 = excluded.definition_sha256, maintained = excluded.maintained,
    built_run = excluded.built_run, built_how = excluded.built_how, changed_run = excluded.changed_run,
    updated_at = excluded.updated_at`, m.table, m.sha256, maintained, run, how, run)
	if err != nil {
		return fmt.Errorf("record in meta.marts: %w", err)
	}
	return nil
}
