//go:build duckdb_arrow

package warehouse

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/exportpipe/exportpipe/pipeline"
)

// FinishRun records the outcome of the run in meta.runs and its steps in
// meta.run_steps, in one transaction. It upserts the run row, so a run whose
// BeginRun failed is still recorded, and it replaces the steps, so calling it
// twice leaves one set. Error texts are stored as given: the pipeline keeps
// secrets out of them.
func (w *Warehouse) FinishRun(ctx context.Context, sum pipeline.RunSummary) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.ready("finish run " + sum.ID); err != nil {
		return err
	}
	tx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("finish run %s: %w", sum.ID, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := upsertRun(ctx, tx, sum); err != nil {
		return fmt.Errorf("finish run %s: record in meta.runs: %w", sum.ID, err)
	}
	if err := replaceSteps(ctx, tx, sum); err != nil {
		return fmt.Errorf("finish run %s: record in meta.run_steps: %w", sum.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("finish run %s: %w", sum.ID, err)
	}
	return nil
}

func upsertRun(ctx context.Context, tx *sql.Tx, sum pipeline.RunSummary) error {
	var extracted, loaded, rejected, duplicates int64
	for _, s := range sum.Steps {
		extracted += s.Extracted
		loaded += s.Merge.Loaded
		rejected += s.Rejected
		duplicates += s.Merge.Duplicates
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO meta.runs
    (run_id, pipeline, config, started_at, finished_at, status, error, extracted, loaded, rejected, duplicates)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (run_id) DO UPDATE SET finished_at = excluded.finished_at, status = excluded.status,
    error = excluded.error, extracted = excluded.extracted, loaded = excluded.loaded,
    rejected = excluded.rejected, duplicates = excluded.duplicates`,
		sum.ID, sum.Pipeline, sum.Config, sum.StartedAt.UTC(), sum.FinishedAt.UTC(), string(sum.Status),
		nullString(sum.Error), extracted, loaded, rejected, duplicates)
	return err
}

func replaceSteps(ctx context.Context, tx *sql.Tx, sum pipeline.RunSummary) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM meta.run_steps WHERE run_id = ?", sum.ID); err != nil {
		return err
	}
	for _, s := range sum.Steps {
		_, err := tx.ExecContext(ctx, `INSERT INTO meta.run_steps
    (run_id, dataset, source, extracted, loaded, rejected, duplicates, inserted, updated,
     requests, retries, status_429, bytes, pages, duration_ms, error, backfilled, withdrawn, delisted, relisted)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			sum.ID, string(s.Dataset), s.Source, s.Extracted, s.Merge.Loaded, s.Rejected, s.Merge.Duplicates,
			s.Merge.Inserted, s.Merge.Updated, s.Extract.Requests, s.Extract.Retries, s.Extract.Status429,
			s.Extract.Bytes, s.Extract.Pages, s.Duration.Milliseconds(), nullString(s.Error),
			s.Merge.Backfilled, s.Merge.Withdrawn, s.Merge.Delisted, s.Merge.Relisted)
		if err != nil {
			return fmt.Errorf("step %s/%s: %w", s.Dataset, s.Source, err)
		}
	}
	return nil
}

func nullString(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}

// State returns the cursors saved in meta.state.
func (w *Warehouse) State(ctx context.Context) (map[string]string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.ready("read state"); err != nil {
		return nil, err
	}
	rows, err := w.conn.QueryContext(ctx, "SELECT key, value FROM meta.state")
	if err != nil {
		return nil, fmt.Errorf("read state from meta.state: %w", err)
	}
	defer rows.Close()
	state := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("read state from meta.state: %w", err)
		}
		state[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read state from meta.state: %w", err)
	}
	return state, nil
}
