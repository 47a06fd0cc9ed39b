//go:build duckdb_arrow

package warehouse

import (
	"context"
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/array"
	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/exportpipe/exportpipe/pipeline"
)

// BeginRun records the run as running and creates empty staging tables.
func (w *Warehouse) BeginRun(ctx context.Context, run pipeline.RunInfo) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.ready("begin run"); err != nil {
		return err
	}
	if run.ID == "" {
		return errors.New("begin run: empty run id")
	}
	if w.inRun {
		return fmt.Errorf("begin run %s: run %s is still open: Commit or Rollback it first", run.ID, w.runID)
	}
	ddl, err := stagingDDL()
	if err != nil {
		return fmt.Errorf("begin run %s: %w", run.ID, err)
	}
	if _, err := w.conn.ExecContext(ctx, ddl); err != nil {
		return fmt.Errorf("begin run %s: create staging tables: %w", run.ID, err)
	}
	if err := w.closeAbandonedRuns(ctx, run.ID); err != nil {
		return fmt.Errorf("begin run %s: %w", run.ID, err)
	}
	_, err = w.conn.ExecContext(ctx,
		`INSERT INTO meta.runs (run_id, pipeline, config, started_at, status) VALUES (?, ?, ?, ?, 'running')`,
		run.ID, run.Pipeline, run.Config, run.StartedAt.UTC())
	if err != nil {
		return fmt.Errorf("begin run %s: record in meta.runs (is the run id reused?): %w", run.ID, err)
	}
	w.runID = run.ID
	w.tests = nil
	w.staged = map[pipeline.Dataset]bool{}
	w.seq = 0
	return nil
}

// Stage copies every batch of rdr into the staging table of d and returns
// the number of rows staged. rdr must have pipeline.TypedSchema(d).
func (w *Warehouse) Stage(ctx context.Context, d pipeline.Dataset, rdr array.RecordReader) (int64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	want := pipeline.TypedSchema(d)
	if want == nil {
		return 0, fmt.Errorf("stage %s: unknown dataset", d)
	}
	if err := w.readyToStage("stage " + string(d)); err != nil {
		return 0, err
	}
	if err := checkSchema(rdr.Schema(), want); err != nil {
		return 0, fmt.Errorf("stage %s: batch schema is not pipeline.TypedSchema(%q): %w", d, d, err)
	}
	seqr := newSeqReader(w.mem, rdr, w.seq)
	defer seqr.Release()
	n, err := w.insertFromArrow(ctx, seqr, stagingTable(d))
	if err != nil {
		return 0, fmt.Errorf("stage %s: %w", d, err)
	}
	w.seq += n
	w.staged[d] = true
	return n, nil
}

// StageRejects copies reject batches (pipeline.RejectSchema) into staging.
func (w *Warehouse) StageRejects(ctx context.Context, rdr array.RecordReader) (int64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.readyToStage("stage rejects"); err != nil {
		return 0, err
	}
	if err := checkSchema(rdr.Schema(), pipeline.RejectSchema()); err != nil {
		return 0, fmt.Errorf("stage rejects: batch schema is not pipeline.RejectSchema: %w", err)
	}
	n, err := w.insertFromArrow(ctx, rdr, rejectsTable)
	if err != nil {
		return 0, fmt.Errorf("stage rejects: %w", err)
	}
	return n, nil
}

func (w *Warehouse) readyToStage(op string) error {
	if err := w.ready(op); err != nil {
		return err
	}
	if w.runID == "" {
		return fmt.Errorf("%s: no run started: call BeginRun first", op)
	}
	return nil
}

// insertFromArrow registers rdr as a view for the length of one INSERT ...
// SELECT, the fastest way found to move Arrow batches into a DuckDB file
// (about 1M rows/s). The view can be scanned once, so it is dropped at once.
func (w *Warehouse) insertFromArrow(ctx context.Context, rdr array.RecordReader, table string) (int64, error) {
	w.views++
	view := fmt.Sprintf("exportpipe_arrow_%d", w.views)
	var n int64
	err := w.conn.Raw(func(dc any) error {
		conn, ok := dc.(*duckdb.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		arrow, err := duckdb.NewArrowFromConn(conn)
		if err != nil {
			return err
		}
		release, err := arrow.RegisterView(rdr, view)
		if err != nil {
			return fmt.Errorf("register arrow view: %w", err)
		}
		defer release()
		defer conn.ExecContext(context.WithoutCancel(ctx), "DROP VIEW IF EXISTS "+view, nil) //nolint:errcheck // temp view, dies with the connection
		res, err := conn.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s SELECT * FROM %s", table, view), nil)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err == nil {
		err = rdr.Err()
	}
	return n, err
}

// closeAbandonedRuns marks runs still shown as running as failed: only one
// process can hold the warehouse, so such a run was killed or crashed
// before it could record its outcome. finished_at stays NULL, as the
// column's comment promises for a crashed run.
func (w *Warehouse) closeAbandonedRuns(ctx context.Context, by string) error {
	_, err := w.conn.ExecContext(ctx, `UPDATE meta.runs SET status = 'failed',
    error = 'the run stopped without recording its outcome (killed, crashed or lost power); noticed by run ' || ?
WHERE status = 'running'`, by)
	if err != nil {
		return fmt.Errorf("close runs left running by a crash: %w", err)
	}
	return nil
}
