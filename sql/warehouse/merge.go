//go:build duckdb_arrow

package warehouse

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
	sqlfiles "github.com/exportpipe/exportpipe/sql"
)

// changesTable holds, during a commit, the latest staged row of each key of
// one dataset with the action the merge takes for it (_action): insert (new
// key), update (newer and different, or a correction: same version,
// different content), same (identical) or stale (older than core), and how
// many staged rows the key had (_staged). sql/merges/*.sql read it.
const changesTable = "merge_changes"

// countsTable lets a dataset's merge SQL report what it did, as (name, n)
// rows: withdrawn, delisted, relisted (see mergeCountNames).
const countsTable = "merge_counts"

// hashColumn is the content hash every core table keeps per key
// (migration 0013): equal hashes mean the staged row repeats the stored one.
const hashColumn = "_content_hash"

// execer is what a merge step needs: the warehouse's one connection, on
// which the run's transaction is open.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Merge opens the run's transaction on the warehouse's connection and, in
// it, merges every dataset staged since BeginRun into core, delists what
// complete sources no longer return, moves staged rejects to meta.rejects
// and saves state. The transaction stays open, so the marts and data tests
// that follow see the merged data and a failure among them can still undo
// it (Rollback); Commit makes it permanent. On error Merge rolls back.
//
// The transaction is opened with BEGIN on the connection rather than as a
// database/sql Tx because it spans several calls (Merge, BuildMarts,
// RunDataTests), each taking the warehouse's lock in turn.
func (w *Warehouse) Merge(ctx context.Context, req pipeline.MergeRequest) (pipeline.MergeResult, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.readyToStage("commit run " + req.RunID); err != nil {
		return pipeline.MergeResult{}, err
	}
	if req.RunID == "" {
		return pipeline.MergeResult{}, errors.New("commit run: empty run id")
	}
	if w.inRun {
		return pipeline.MergeResult{}, fmt.Errorf("commit run %s: a run transaction is already open: Commit or Rollback it first", req.RunID)
	}
	start := time.Now()
	// Nothing the merge writes depends on the order rows are inserted in
	// (staged rows carry their arrival number in _seq), and DuckDB's
	// tuning guide names insertion-order preservation as a cost in memory
	// for large CREATE TABLE AS and INSERT ... SELECT. The setting is
	// global to the database, so it is put back before the marts: they
	// and their exports keep their order.
	if _, err := w.conn.ExecContext(ctx, "SET preserve_insertion_order = false"); err != nil {
		return pipeline.MergeResult{}, fmt.Errorf("commit run %s: %w (nothing was changed)", req.RunID, err)
	}
	defer w.conn.ExecContext(context.WithoutCancel(ctx), "RESET preserve_insertion_order") //nolint:errcheck // a failure only leaves a faster setting
	if _, err := w.conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return pipeline.MergeResult{}, fmt.Errorf("commit run %s: begin transaction: %w", req.RunID, err)
	}
	res, err := w.mergeTx(ctx, w.conn, req)
	if err != nil {
		_, rerr := w.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return pipeline.MergeResult{}, errors.Join(fmt.Errorf("commit run %s: %w (nothing was changed)", req.RunID, err), rerr)
	}
	w.inRun = true
	w.log.Info("merged run", "run_id", req.RunID, "datasets", len(res.Datasets), "state_keys", len(req.State),
		"duration_seconds", pipeline.Seconds(time.Since(start)))
	return res, nil
}

// Commit makes the run's transaction permanent.
func (w *Warehouse) Commit(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.ready("commit run"); err != nil {
		return err
	}
	if !w.inRun {
		return fmt.Errorf("commit run %s: no run transaction is open: call Merge first", w.runID)
	}
	if w.beforeCommit != nil {
		if err := w.beforeCommit(ctx, w.conn); err != nil {
			return errors.Join(err, w.rollback(ctx))
		}
	}
	if _, err := w.conn.ExecContext(ctx, "COMMIT"); err != nil {
		return errors.Join(fmt.Errorf("commit run %s: %w (nothing was changed)", w.runID, err), w.rollback(ctx))
	}
	w.inRun = false
	w.changed, w.martsChanged = nil, nil
	w.staged = map[pipeline.Dataset]bool{}
	w.freeStaging(ctx)
	w.log.Info("committed run", "run_id", w.runID)
	return nil
}

// Rollback undoes the run's transaction: core, marts, price history and
// cursors are as they were before the run. What explains the failed night
// is kept: its rejects go to meta.rejects and its data test results to
// meta.data_tests, in a transaction of their own.
func (w *Warehouse) Rollback(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.ready("roll back run"); err != nil {
		return err
	}
	if !w.inRun {
		return nil
	}
	return w.rollback(ctx)
}

func (w *Warehouse) rollback(ctx context.Context) error {
	w.inRun = false
	w.changed, w.martsChanged = nil, nil
	if _, err := w.conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		return fmt.Errorf("roll back run %s: %w", w.runID, err)
	}
	// The rollback put the staged rows back too, rejects among them.
	err := w.inTx(ctx, func(q execer) error {
		if _, err := q.ExecContext(ctx, "SET VARIABLE exportpipe_run_id = "+sqlString(w.runID)); err != nil {
			return err
		}
		if err := moveRejects(ctx, q); err != nil {
			return fmt.Errorf("keep its rejects in meta.rejects: %w", err)
		}
		for _, r := range w.tests {
			if err := recordDataTest(ctx, q, w.runID, r, w.testScopes[r.Name]); err != nil {
				return fmt.Errorf("keep its data test results: %w", err)
			}
		}
		return nil
	})
	w.staged = map[pipeline.Dataset]bool{}
	w.freeStaging(ctx)
	if err != nil {
		return fmt.Errorf("roll back run %s: %w", w.runID, err)
	}
	// The runner logs the rollback with its reason; this is the detail.
	w.log.Debug("rolled back run", "run_id", w.runID)
	return nil
}

// inTx runs fn in the open run transaction, or else in a transaction of
// its own that it commits when fn succeeds.
func (w *Warehouse) inTx(ctx context.Context, fn func(q execer) error) error {
	if w.inRun {
		return fn(w.conn)
	}
	tx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// freeStaging recreates the empty staging tables. DuckDB keeps a temporary
// table's blocks until the table goes, so this hands that memory back; at
// 10M listings under a 256MB memory_limit the data tests ran out of memory
// without it. A failure loses nothing: the next BeginRun recreates them.
func (w *Warehouse) freeStaging(ctx context.Context) {
	ddl, err := stagingDDL()
	if err == nil {
		_, err = w.conn.ExecContext(ctx, ddl)
	}
	if err != nil {
		w.log.Warn("could not free staging", "run_id", w.runID, "err", err.Error())
	}
}

func (w *Warehouse) mergeTx(ctx context.Context, q execer, req pipeline.MergeRequest) (pipeline.MergeResult, error) {
	res := pipeline.MergeResult{Datasets: map[pipeline.Dataset]pipeline.MergeCounts{}}
	started := req.StartedAt
	if started.IsZero() {
		started = time.Now()
	}
	if _, err := q.ExecContext(ctx, "SET VARIABLE exportpipe_run_id = "+sqlString(req.RunID)); err != nil {
		return res, err
	}
	if _, err := q.ExecContext(ctx, "SET VARIABLE exportpipe_run_started = "+sqlString(started.UTC().Format(time.RFC3339Nano))+"::TIMESTAMPTZ"); err != nil {
		return res, err
	}
	if err := createChangeTables(ctx, q); err != nil {
		return res, err
	}
	for _, d := range pipeline.LoadOrder() {
		if !w.staged[d] {
			continue
		}
		mc, err := w.mergeDataset(ctx, q, d)
		if err != nil {
			return res, fmt.Errorf("merge %s into core.%s: %w", d, d, err)
		}
		res.Datasets[d] = mc
		// The runner logs each dataset's merge with the run's counts
		// ("dataset merged"); this is the warehouse's detail.
		w.log.Debug("merged dataset", "run_id", req.RunID, "dataset", d, "staged", mc.Staged, "loaded", mc.Loaded,
			"duplicates", mc.Duplicates, "inserted", mc.Inserted, "updated", mc.Updated, "unchanged", mc.Unchanged, "backfilled", mc.Backfilled,
			"withdrawn", mc.Withdrawn, "relisted", mc.Relisted)
	}
	delists, err := delist(ctx, q, req.Complete)
	if err != nil {
		return res, fmt.Errorf("delist what complete sources no longer return: %w", err)
	}
	res.Delists = delists
	if len(delists) > 0 {
		mc := res.Datasets[pipeline.Listings]
		for _, d := range delists {
			mc.Delisted += d.Delisted
		}
		res.Datasets[pipeline.Listings] = mc
	}
	if err := moveRejects(ctx, q); err != nil {
		return res, fmt.Errorf("move rejects to meta.rejects: %w", err)
	}
	if err := saveState(ctx, q, req.RunID, req.State); err != nil {
		return res, fmt.Errorf("save state: %w", err)
	}
	if err := clearStaging(ctx, q); err != nil {
		return res, err
	}
	changed, err := changedDatasets(ctx, q)
	if err != nil {
		return res, err
	}
	w.changed = changed
	return res, nil
}

// delist marks the listings of each complete source that the run did not
// see, neither as a usable version nor as a reject (a listing whose newest
// version is unusable is still listed: it is withdrawn, not delisted).
// delisted_at is the run's start. It returns, per source, how many of its
// listings were current before and how many it delisted.
func delist(ctx context.Context, q execer, sources []string) (map[string]pipeline.DelistCount, error) {
	if len(sources) == 0 {
		return nil, nil
	}
	out := map[string]pipeline.DelistCount{}
	for _, src := range sources {
		var c pipeline.DelistCount
		err := q.QueryRowContext(ctx, `SELECT count(*) FROM core.listings WHERE source = ? AND delisted_at IS NULL`, src).Scan(&c.Current)
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", src, err)
		}
		missing := `l.source = $1 AND l.delisted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM ` + stagingTable(pipeline.Listings) + ` AS s
                  WHERE s.marketplace = l.marketplace AND s.listing_id = l.listing_id)
  AND NOT EXISTS (SELECT 1 FROM ` + rejectsTable + ` AS r
                  WHERE r.dataset = 'listings' AND r.source = $1
                    AND r.record_key = l.marketplace || '/' || l.listing_id)`
		// Noted before the update, which changes what the condition finds.
		if _, err := q.ExecContext(ctx, `INSERT INTO `+changedTable(pipeline.Listings)+
			` SELECT marketplace, listing_id FROM core.listings AS l WHERE `+missing, src); err != nil {
			return nil, fmt.Errorf("source %s: record delisted keys: %w", src, err)
		}
		r, err := q.ExecContext(ctx, `UPDATE core.listings AS l SET delisted_at = getvariable('exportpipe_run_started')
WHERE `+missing, src)
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", src, err)
		}
		if c.Delisted, err = r.RowsAffected(); err != nil {
			return nil, fmt.Errorf("source %s: %w", src, err)
		}
		out[src] = c
	}
	return out, nil
}

// mergeDataset collapses the staged rows of d to one per key and merges the
// ones that are new or changed into core.
func (w *Warehouse) mergeDataset(ctx context.Context, q execer, d pipeline.Dataset) (pipeline.MergeCounts, error) {
	var mc pipeline.MergeCounts
	hashes, changes, merge, err := mergeSQL(d)
	if err != nil {
		return mc, err
	}
	if err := w.timed(ctx, q, d, "hash rows stored without one", hashes); err != nil {
		return mc, err
	}
	if err := w.timed(ctx, q, d, "collapse staged rows", changes); err != nil {
		return mc, err
	}
	// count_if over no rows is NULL, not 0: a source whose every record was
	// rejected stages nothing, and that must still commit.
	err = q.QueryRowContext(ctx, fmt.Sprintf(`SELECT (SELECT count(*) FROM %s), count(*),
		coalesce(count_if(_action = 'insert'), 0), coalesce(count_if(_action = 'update'), 0),
		coalesce(count_if(_action = 'same'), 0), coalesce(count_if(_action = 'stale'), 0) FROM %s`, stagingTable(d), changesTable)).
		Scan(&mc.Staged, &mc.Loaded, &mc.Inserted, &mc.Updated, &mc.Unchanged, &mc.Backfilled)
	if err != nil {
		return mc, fmt.Errorf("count changes: %w", err)
	}
	if err := recordChanges(ctx, q, d); err != nil {
		return mc, err
	}
	mc.Duplicates = mc.Staged - mc.Loaded
	if _, err := q.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE "+countsTable+" (name VARCHAR, n BIGINT)"); err != nil {
		return mc, err
	}
	// Dataset-specific steps: sql/merges/<dataset>.sql sees core as it was
	// before the merge, <dataset>_after.sql as it is after.
	if err := w.mergeStep(ctx, q, d, string(d)); err != nil {
		return mc, err
	}
	if err := w.timed(ctx, q, d, "merge", merge); err != nil {
		return mc, err
	}
	if err := w.mergeStep(ctx, q, d, string(d)+"_after"); err != nil {
		return mc, err
	}
	if err := readMergeCounts(ctx, q, &mc); err != nil {
		return mc, err
	}
	_, err = q.ExecContext(ctx, "DROP TABLE "+changesTable+"; DROP TABLE "+countsTable)
	return mc, err
}

// mergeStep runs sql/merges/<name>.sql when there is one.
func (w *Warehouse) mergeStep(ctx context.Context, q execer, d pipeline.Dataset, name string) error {
	step, err := fs.ReadFile(sqlfiles.Merges, "merges/"+name+".sql")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return w.timed(ctx, q, d, "sql/merges/"+name+".sql", string(step))
}

// readMergeCounts adds what the dataset's merge SQL reported in
// countsTable to mc.
func readMergeCounts(ctx context.Context, q execer, mc *pipeline.MergeCounts) error {
	rows, err := q.QueryContext(ctx, "SELECT name, sum(n) FROM "+countsTable+" GROUP BY name")
	if err != nil {
		return fmt.Errorf("read merge counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			return fmt.Errorf("read merge counts: %w", err)
		}
		switch name {
		case "withdrawn":
			mc.Withdrawn += n
		case "relisted":
			mc.Relisted += n
		default:
			return fmt.Errorf("read merge counts: sql/merges reported %q, which no MergeCounts field holds", name)
		}
	}
	return rows.Err()
}

// timed runs one step of a merge and logs how long it took, because a slow
// commit is the first thing to investigate when a run slows down.
func (w *Warehouse) timed(ctx context.Context, q execer, d pipeline.Dataset, step, query string) error {
	start := time.Now()
	if _, err := q.ExecContext(ctx, query); err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}
	w.log.Debug("merge step", "dataset", d, "step", step, "duration_seconds", pipeline.Seconds(time.Since(start)))
	return nil
}

// mergeSQL generates, from the dataset's schema and keys, the statement that
// hashes stored rows that have no content hash yet, the one that fills
// changesTable, and the MERGE that applies it. Rows that are unchanged
// or older than core are left alone, so re-running a load rewrites nothing.
func mergeSQL(d pipeline.Dataset) (hashes, changes, merge string, err error) {
	cols, keys, rest, err := datasetColumns(d)
	if err != nil {
		return "", "", "", err
	}
	version := ident(d.VersionColumn())
	on := joinEach(keys, " AND ", "t.%[1]s = s.%[1]s")
	// The content hash covers every column but the key, the version
	// included, so a correction (same version, new content) is a new hash,
	// and the comparison with core reads three narrow columns of it rather
	// than every column. Two different contents sharing a 64-bit hash would
	// be taken for unchanged; at a billion keys that is a one in ~10^10
	// chance per night, and the next real change of the key repairs it.
	content := "hash(" + joinEach(rest, ", ", "%s") + ")"
	if len(rest) == 0 {
		content = "hash(" + joinEach(cols, ", ", "%s") + ")"
	}
	// Rows written before migration 0013 get their hash from the same
	// expression over the same typed columns, once: later nights find
	// none without.
	hashes = fmt.Sprintf("UPDATE core.%s SET %s = %s WHERE %s IS NULL", d, hashColumn, content, hashColumn)
	changes = fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE %[1]s AS
WITH latest AS (
    SELECT * EXCLUDE (%[2]s), count(*) OVER (PARTITION BY %[4]s) AS _staged, %[7]s AS %[8]s FROM %[3]s
    QUALIFY row_number() OVER (PARTITION BY %[4]s ORDER BY %[5]s DESC, %[2]s DESC) = 1
)
SELECT s.*, CASE
    WHEN t.%[6]s IS NULL THEN 'insert'
    WHEN s.%[5]s < t.%[5]s THEN 'stale'
    WHEN s.%[8]s IS DISTINCT FROM t.%[8]s THEN 'update'
    ELSE 'same' END AS _action
FROM latest AS s LEFT JOIN (SELECT %[4]s, %[5]s, %[8]s FROM core.%[9]s) AS t ON %[10]s`,
		changesTable, seqColumn, stagingTable(d), joinEach(keys, ", ", "%s"), version,
		ident(keys[0]), content, hashColumn, d, on)

	merge = fmt.Sprintf(`MERGE INTO core.%[1]s AS t
USING (SELECT * FROM %[2]s WHERE _action IN ('insert', 'update')) AS s
ON %[3]s
WHEN MATCHED THEN UPDATE SET %[4]s
WHEN NOT MATCHED THEN INSERT (%[5]s, _first_run, _last_run, _loaded_at)
    VALUES (%[6]s, getvariable('exportpipe_run_id'), getvariable('exportpipe_run_id'), now())`,
		d, changesTable, on,
		strings.Join(append(eachCol(append(rest, hashColumn), "%[1]s = s.%[1]s"),
			"_last_run = getvariable('exportpipe_run_id')", "_loaded_at = now()"), ", "),
		joinEach(append(cols, hashColumn), ", ", "%s"), joinEach(append(cols, hashColumn), ", ", "s.%s"))
	return hashes, changes, merge, nil
}

// eachCol formats every column name, quoted, with format.
func eachCol(names []string, format string) []string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf(format, ident(n))
	}
	return parts
}

func joinEach(names []string, sep, format string) string {
	return strings.Join(eachCol(names, format), sep)
}

func moveRejects(ctx context.Context, q execer) error {
	// Columns are named: code was added after rejected_at (migration 0007).
	// A reject batch carries its code; only a batch without one (another
	// producer's) has it read out of the reason text, as 0007 did for the
	// rows before it.
	_, err := q.ExecContext(ctx, `INSERT INTO meta.rejects (run_id, dataset, source, record_key, field, reason, raw, rejected_at, code, version)
SELECT getvariable('exportpipe_run_id'), dataset, source, record_key, field, reason, raw, now(),
       coalesce(nullif(code, ''), nullif(regexp_extract(reason, '^\[([a-z0-9_]+)\]', 1), '')), version
FROM `+rejectsTable)
	return err
}

// clearStaging empties staging inside the commit, so a rollback keeps the
// staged rows and a second Commit does not merge them twice.
func clearStaging(ctx context.Context, q execer) error {
	for _, table := range append(stagingTables(), rejectsTable) {
		if _, err := q.ExecContext(ctx, "DELETE FROM "+table); err != nil {
			return fmt.Errorf("clear %s: %w", table, err)
		}
	}
	return nil
}

// saveState upserts the cursors in key order, so a failure names the same
// key every time.
func saveState(ctx context.Context, q execer, runID string, state map[string]string) error {
	for _, k := range slices.Sorted(maps.Keys(state)) {
		_, err := q.ExecContext(ctx, `INSERT INTO meta.state (key, value, run_id, updated_at) VALUES (?, ?, ?, now())
ON CONFLICT (key) DO UPDATE SET value = excluded.value, run_id = excluded.run_id, updated_at = excluded.updated_at`,
			k, state[k], runID)
		if err != nil {
			return fmt.Errorf("key %q: %w", k, err)
		}
	}
	return nil
}
