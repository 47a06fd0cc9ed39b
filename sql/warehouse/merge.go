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
// key), update (newer and different), same (identical) or stale (older than
// core). sql/merges/*.sql read it.
const changesTable = "merge_changes"

// Commit merges every dataset staged since BeginRun (or the last Commit)
// into core, moves staged rejects to meta.rejects and saves state, in one
// transaction: on any error nothing changes.
func (w *Warehouse) Commit(ctx context.Context, runID string, state map[string]string) (map[pipeline.Dataset]pipeline.MergeCounts, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.readyToStage("commit run " + runID); err != nil {
		return nil, err
	}
	if runID == "" {
		return nil, errors.New("commit run: empty run id")
	}
	start := time.Now()
	// Nothing the merge writes depends on the order rows are inserted in
	// (staged rows carry their arrival number in _seq), and DuckDB's
	// tuning guide names insertion-order preservation as a cost in memory
	// for large CREATE TABLE AS and INSERT ... SELECT. The setting is
	// global to the database, so it is put back after the commit: marts
	// and exports keep their order.
	if _, err := w.conn.ExecContext(ctx, "SET preserve_insertion_order = false"); err != nil {
		return nil, fmt.Errorf("commit run %s: %w (nothing was changed)", runID, err)
	}
	defer w.conn.ExecContext(context.WithoutCancel(ctx), "RESET preserve_insertion_order") //nolint:errcheck // a failure only leaves a faster setting
	tx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("commit run %s: begin transaction: %w", runID, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	counts, err := w.commitTx(ctx, tx, runID, state)
	if err != nil {
		return nil, fmt.Errorf("commit run %s: %w (nothing was changed)", runID, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit run %s: %w (nothing was changed)", runID, err)
	}
	w.staged = map[pipeline.Dataset]bool{}
	// The staged rows were deleted inside the transaction, but DuckDB keeps
	// a temporary table's blocks until the table goes: recreating the empty
	// staging tables hands that memory back before the marts and data
	// tests run. At 10M listings under a 256MB memory_limit the data tests
	// ran out of memory without this. A failure here loses nothing: the
	// data is committed, and the next BeginRun recreates staging anyway.
	if ddl, err := stagingDDL(); err == nil {
		if _, err := w.conn.ExecContext(ctx, ddl); err != nil {
			w.log.Warn("could not free staging after the commit", "run_id", runID, "err", err.Error())
		}
	}
	w.log.Info("committed run", "run_id", runID, "datasets", len(counts), "state_keys", len(state),
		"duration", time.Since(start).Round(time.Millisecond))
	return counts, nil
}

func (w *Warehouse) commitTx(ctx context.Context, tx *sql.Tx, runID string, state map[string]string) (map[pipeline.Dataset]pipeline.MergeCounts, error) {
	if _, err := tx.ExecContext(ctx, "SET VARIABLE exportpipe_run_id = "+sqlString(runID)); err != nil {
		return nil, err
	}
	counts := map[pipeline.Dataset]pipeline.MergeCounts{}
	for _, d := range pipeline.LoadOrder {
		if !w.staged[d] {
			continue
		}
		mc, err := w.mergeDataset(ctx, tx, d)
		if err != nil {
			return nil, fmt.Errorf("merge %s into core.%s: %w", d, d, err)
		}
		counts[d] = mc
		w.log.Info("merged dataset", "run_id", runID, "dataset", d, "staged", mc.Staged, "loaded", mc.Loaded,
			"duplicates", mc.Duplicates, "inserted", mc.Inserted, "updated", mc.Updated)
	}
	if err := moveRejects(ctx, tx); err != nil {
		return nil, fmt.Errorf("move rejects to meta.rejects: %w", err)
	}
	if err := saveState(ctx, tx, runID, state); err != nil {
		return nil, fmt.Errorf("save state: %w", err)
	}
	if err := clearStaging(ctx, tx); err != nil {
		return nil, err
	}
	if w.beforeCommit != nil {
		if err := w.beforeCommit(ctx, tx); err != nil {
			return nil, err
		}
	}
	return counts, nil
}

// mergeDataset collapses the staged rows of d to one per key and merges the
// ones that are new or changed into core.
func (w *Warehouse) mergeDataset(ctx context.Context, tx *sql.Tx, d pipeline.Dataset) (pipeline.MergeCounts, error) {
	var mc pipeline.MergeCounts
	changes, merge, err := mergeSQL(d)
	if err != nil {
		return mc, err
	}
	if err := w.timed(ctx, tx, d, "collapse staged rows", changes); err != nil {
		return mc, err
	}
	// count_if over no rows is NULL, not 0: a source whose every record was
	// rejected stages nothing, and that must still commit.
	err = tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT (SELECT count(*) FROM %s), count(*),
		coalesce(count_if(_action = 'insert'), 0), coalesce(count_if(_action = 'update'), 0) FROM %s`, stagingTable(d), changesTable)).
		Scan(&mc.Staged, &mc.Loaded, &mc.Inserted, &mc.Updated)
	if err != nil {
		return mc, fmt.Errorf("count changes: %w", err)
	}
	mc.Duplicates = mc.Staged - mc.Loaded
	if step, err := fs.ReadFile(sqlfiles.Merges, "merges/"+string(d)+".sql"); err == nil {
		// Dataset-specific steps see core as it was before this merge.
		if err := w.timed(ctx, tx, d, "sql/merges/"+string(d)+".sql", string(step)); err != nil {
			return mc, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return mc, err
	}
	if err := w.timed(ctx, tx, d, "merge", merge); err != nil {
		return mc, err
	}
	// Post-merge step (the sailings' promised ETA): see afterMerge.
	if err := w.afterMerge(ctx, tx, d); err != nil {
		return mc, err
	}
	_, err = tx.ExecContext(ctx, "DROP TABLE "+changesTable)
	return mc, err
}

// timed runs one step of a merge and logs how long it took, because a slow
// commit is the first thing to investigate when a run slows down.
func (w *Warehouse) timed(ctx context.Context, tx *sql.Tx, d pipeline.Dataset, step, query string) error {
	start := time.Now()
	if _, err := tx.ExecContext(ctx, query); err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}
	w.log.Debug("merge step", "dataset", d, "step", step, "duration", time.Since(start).Round(time.Millisecond))
	return nil
}

// mergeSQL generates, from the dataset's schema and keys, the statement that
// fills changesTable and the MERGE that applies it. Rows that are unchanged
// or older than core are left alone, so re-running a load rewrites nothing.
func mergeSQL(d pipeline.Dataset) (changes, merge string, err error) {
	cols, keys, rest, err := datasetColumns(d)
	if err != nil {
		return "", "", err
	}
	version := ident(pipeline.VersionColumn[d])
	on := joinEach(keys, " AND ", "t.%[1]s = s.%[1]s")
	differs := "false"
	if len(rest) > 0 {
		differs = joinEach(rest, " OR ", "s.%[1]s IS DISTINCT FROM t.%[1]s")
	}
	changes = fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE %[1]s AS
WITH latest AS (
    SELECT * EXCLUDE (%[2]s) FROM %[3]s
    QUALIFY row_number() OVER (PARTITION BY %[4]s ORDER BY %[5]s DESC, %[2]s DESC) = 1
)
SELECT s.*, CASE
    WHEN t.%[6]s IS NULL THEN 'insert'
    WHEN s.%[5]s < t.%[5]s THEN 'stale'
    WHEN %[7]s THEN 'update'
    ELSE 'same' END AS _action
FROM latest AS s LEFT JOIN core.%[8]s AS t ON %[9]s`,
		changesTable, seqColumn, stagingTable(d), joinEach(keys, ", ", "%s"), version,
		ident(keys[0]), differs, d, on)

	merge = fmt.Sprintf(`MERGE INTO core.%[1]s AS t
USING (SELECT * FROM %[2]s WHERE _action IN ('insert', 'update')) AS s
ON %[3]s
WHEN MATCHED THEN UPDATE SET %[4]s
WHEN NOT MATCHED THEN INSERT (%[5]s, _first_run, _last_run, _loaded_at)
    VALUES (%[6]s, getvariable('exportpipe_run_id'), getvariable('exportpipe_run_id'), now())`,
		d, changesTable, on,
		strings.Join(append(eachCol(rest, "%[1]s = s.%[1]s"),
			"_last_run = getvariable('exportpipe_run_id')", "_loaded_at = now()"), ", "),
		joinEach(cols, ", ", "%s"), joinEach(cols, ", ", "s.%s"))
	return changes, merge, nil
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

func moveRejects(ctx context.Context, tx *sql.Tx) error {
	// Columns are named: code was added after rejected_at (migration 0007).
	_, err := tx.ExecContext(ctx, `INSERT INTO meta.rejects (run_id, dataset, source, record_key, field, reason, raw, rejected_at, code, version)
SELECT getvariable('exportpipe_run_id'), dataset, source, record_key, field, reason, raw, now(),
       nullif(regexp_extract(reason, '^\[([a-z0-9_]+)\]', 1), ''), version
FROM `+rejectsTable)
	return err
}

// clearStaging empties staging inside the commit, so a rollback keeps the
// staged rows and a second Commit does not merge them twice.
func clearStaging(ctx context.Context, tx *sql.Tx) error {
	for _, table := range append(stagingTables(), rejectsTable) {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
			return fmt.Errorf("clear %s: %w", table, err)
		}
	}
	return nil
}

// saveState upserts the cursors in key order, so a failure names the same
// key every time.
func saveState(ctx context.Context, tx *sql.Tx, runID string, state map[string]string) error {
	for _, k := range slices.Sorted(maps.Keys(state)) {
		_, err := tx.ExecContext(ctx, `INSERT INTO meta.state (key, value, run_id, updated_at) VALUES (?, ?, ?, now())
ON CONFLICT (key) DO UPDATE SET value = excluded.value, run_id = excluded.run_id, updated_at = excluded.updated_at`,
			k, state[k], runID)
		if err != nil {
			return fmt.Errorf("key %q: %w", k, err)
		}
	}
	return nil
}
