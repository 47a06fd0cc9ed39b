package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// FXCollector is an FXLookup that learns rates from the run's fx_rates
// batches as they stream past on their way to the warehouse.
type FXCollector interface {
	FXLookup
	AddBatch(rec arrow.RecordBatch) error
}

// Runner runs one pipeline: extract -> transform -> stage -> commit ->
// marts -> publish. It owns the order of stages and the bookkeeping, and
// leaves every outside system to the interfaces it is given.
type Runner struct {
	Warehouse  Warehouse
	Extractors []Extractor
	Transforms TransformFactory
	FX         FXCollector
	Mem        memory.Allocator
	Logger     *slog.Logger
	Pipeline   string
	Config     string
	// Observe, when set, is told each dataset's progress as raw batches pass.
	Observe func(d Dataset, rows int64)
}

// Run executes the pipeline once and returns its summary. The summary is
// filled as far as the run got, even when err is non-nil.
func (r *Runner) Run(ctx context.Context) (RunSummary, error) {
	if r.Mem == nil {
		r.Mem = memory.DefaultAllocator
	}
	if r.Logger == nil {
		r.Logger = slog.New(slog.DiscardHandler)
	}
	sum := RunSummary{RunInfo: RunInfo{ID: NewRunID(time.Now()), Pipeline: r.Pipeline, StartedAt: time.Now().UTC(), Config: r.Config}}
	log := r.Logger.With("run_id", sum.ID)
	if err := r.Warehouse.BeginRun(ctx, sum.RunInfo); err != nil {
		return sum, fmt.Errorf("begin run: %w", err)
	}
	log.Info("run started", "pipeline", r.Pipeline, "sources", len(r.Extractors))
	err := r.execute(ctx, log, &sum)
	sum.FinishedAt = time.Now().UTC()
	sum.Status = statusOf(err)
	if err != nil {
		sum.Error = err.Error()
	}
	// The outcome is recorded even when the run's own context is gone, so
	// an interrupted run is visible in meta.runs rather than stuck "running".
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if ferr := r.Warehouse.FinishRun(fctx, sum); ferr != nil {
		log.Error("could not record run outcome", "err", ferr)
		if err == nil {
			err = fmt.Errorf("record run outcome: %w", ferr)
		}
	}
	if err != nil {
		log.Error("run failed", "status", sum.Status, "err", err)
		return sum, err
	}
	log.Info("run finished", "duration", sum.FinishedAt.Sub(sum.StartedAt).Round(time.Millisecond).String())
	return sum, nil
}

func (r *Runner) execute(ctx context.Context, log *slog.Logger, sum *RunSummary) error {
	for _, d := range LoadOrder {
		exs := r.extractorsFor(d)
		if len(exs) == 0 {
			continue
		}
		step, err := r.runDataset(ctx, log, d, exs)
		sum.Steps = append(sum.Steps, step)
		if err != nil {
			return err
		}
	}
	counts, err := r.Warehouse.Commit(ctx, sum.ID, nil)
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	for i := range sum.Steps {
		s := &sum.Steps[i]
		s.Merge = counts[s.Dataset]
		if !s.Reconciles() || s.Merge.Staged != s.Extracted-s.Rejected {
			return notReconciled(*s)
		}
		log.Info("dataset merged", "dataset", s.Dataset, "extracted", s.Extracted, "loaded", s.Merge.Loaded,
			"rejected", s.Rejected, "duplicates", s.Merge.Duplicates, "inserted", s.Merge.Inserted, "updated", s.Merge.Updated)
	}
	if err := r.Warehouse.BuildMarts(ctx); err != nil {
		return fmt.Errorf("build marts: %w", err)
	}
	path, err := r.Warehouse.Publish(ctx)
	if err != nil {
		return fmt.Errorf("publish snapshot: %w", err)
	}
	log.Info("snapshot published", "path", path)
	return nil
}

func (r *Runner) extractorsFor(d Dataset) []Extractor {
	var out []Extractor
	for _, e := range r.Extractors {
		if e.Dataset() == d {
			out = append(out, e)
		}
	}
	return out
}

// NewRunID returns a sortable, unique run id such as 20261128T183000Z-1a2b3c.
func NewRunID(now time.Time) string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

func statusOf(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, context.Canceled):
		return "interrupted"
	default:
		return "failed"
	}
}

func joinNames(exs []Extractor) string {
	names := make([]string, len(exs))
	for i, e := range exs {
		names[i] = e.Name()
	}
	return strings.Join(names, ",")
}
