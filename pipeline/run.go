package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
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
	// OnPhase, when set, is told each phase as the run enters it.
	OnPhase func(p Phase, d Dataset)
	// FullRefresh ignores saved cursors: incremental sources start over.
	FullRefresh bool
	// Policies holds each source's guards by source name; a source not
	// named gets DefaultPolicy.
	Policies map[string]SourcePolicy
	// AllowRejects lets this run pass its reject thresholds (run
	// --allow-rejects): for a night known to be bad at one source.
	AllowRejects bool

	// tallies counts each source's records and rejects during a run.
	tallies map[string]*SourceTally
	// sellers collects the sellers that listings sources name (sellers:
	// in their mapping), in the order the sources ran.
	sellers     map[string]*sellerCollector
	sellerOrder []string
}

func (r *Runner) policy(source string) SourcePolicy {
	if p, ok := r.Policies[source]; ok {
		return p
	}
	return DefaultPolicy()
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
	if err == nil {
		// The outcome is recorded before publishing so the snapshot itself
		// shows this run as finished.
		err = r.finish(ctx, log, &sum, nil)
		if err == nil {
			r.enter(PhasePublish, "")
			err = r.publish(ctx, log)
		}
		if err != nil {
			_ = r.finish(ctx, log, &sum, err)
		}
	} else {
		_ = r.finish(ctx, log, &sum, err)
	}
	if err != nil {
		logOutcome(log, sum, err)
		return sum, err
	}
	logOutcome(log, sum, nil)
	return sum, nil
}

// finish records the run's outcome in meta.runs and meta.run_steps. It runs
// even when the run's own context is gone, so an interrupted run is visible
// rather than stuck "running".
func (r *Runner) finish(ctx context.Context, log *slog.Logger, sum *RunSummary, runErr error) error {
	sum.FinishedAt = time.Now().UTC()
	sum.Status = statusOf(ctx, runErr)
	sum.Error = outcomeText(sum.Status, runErr)
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := r.Warehouse.FinishRun(fctx, *sum); err != nil {
		log.Error("could not record run outcome", "err", err)
		return fmt.Errorf("record run outcome: %w", err)
	}
	return nil
}

func (r *Runner) publish(ctx context.Context, log *slog.Logger) error {
	// The warehouse logs what it published, and where.
	if _, err := r.Warehouse.Publish(ctx); err != nil {
		return fmt.Errorf("publish snapshot: %w", err)
	}
	return nil
}

func (r *Runner) execute(ctx context.Context, log *slog.Logger, sum *RunSummary) error {
	state, err := r.prepare(ctx)
	if err != nil {
		return err
	}
	r.tallies = map[string]*SourceTally{}
	r.sellers, r.sellerOrder = nil, nil
	defer r.releaseSellers()
	for _, d := range r.loadOrder() {
		exs := r.extractorsFor(d)
		if d == Sellers {
			exs = append(exs, r.collectedSellers(log)...)
		}
		if len(exs) == 0 {
			continue
		}
		r.enter(PhaseExtract, d)
		step, err := r.runDataset(ctx, log, d, exs)
		sum.Steps = append(sum.Steps, step)
		if err != nil {
			return err
		}
	}
	r.enter(PhaseMerge, "")
	res, err := r.Warehouse.Merge(ctx, MergeRequest{RunID: sum.ID, StartedAt: sum.StartedAt,
		State: r.cursors(state), Complete: r.completeSources()})
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	// From here the run's changes are one open transaction: any failure
	// rolls it back, so a bad night leaves the warehouse as it was and the
	// next good night publishes.
	if err := r.checkMerged(ctx, log, sum, res); err != nil {
		if rerr := r.Warehouse.Rollback(context.WithoutCancel(ctx)); rerr != nil {
			log.Error("could not roll the run back", "err", rerr)
			return errors.Join(err, fmt.Errorf("roll back: %w", rerr))
		}
		log.Warn("run rolled back: core, marts and cursors are as they were before it", "reason", err.Error())
		return err
	}
	if err := r.Warehouse.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// checkMerged reconciles the merge's counts, holds the sources to their
// guards, builds the marts and runs the data tests, all inside the run's
// transaction.
func (r *Runner) checkMerged(ctx context.Context, log *slog.Logger, sum *RunSummary, res MergeResult) error {
	for i := range sum.Steps {
		s := &sum.Steps[i]
		s.Merge = res.Datasets[s.Dataset]
		if !s.Reconciles() || s.Merge.Staged != s.Extracted-s.Rejected {
			return notReconciled(*s)
		}
		log.Info("dataset merged", "dataset", s.Dataset, "extracted", s.Extracted, "loaded", s.Merge.Loaded,
			"rejected", s.Rejected, "duplicates", s.Merge.Duplicates, "inserted", s.Merge.Inserted, "updated", s.Merge.Updated,
			"unchanged", s.Merge.Unchanged, "backfilled", s.Merge.Backfilled, "withdrawn", s.Merge.Withdrawn, "delisted", s.Merge.Delisted, "relisted", s.Merge.Relisted)
	}
	if breaches := slices.Concat(rejectBreaches(r.tallies, r.policy), delistBreaches(res, r.tallies, r.policy), r.sellerBreaches()); len(breaches) > 0 {
		if !r.AllowRejects {
			return WithExit(ExitDataTests, fmt.Errorf("%s; the previous snapshot stays published and nothing was loaded; see meta.rejects, fix the source or its mapping, or rerun with --allow-rejects to load this night anyway",
				strings.Join(breaches, "; ")))
		}
		for _, b := range breaches {
			log.Warn("guard passed over by --allow-rejects", "breach", b)
		}
	}
	r.enter(PhaseMarts, "")
	if err := r.Warehouse.BuildMarts(ctx); err != nil {
		return fmt.Errorf("build marts: %w", err)
	}
	r.enter(PhaseTests, "")
	return r.dataTests(ctx, log, sum.ID)
}

// completeSources names the listings sources that return their whole
// catalogue (delist_missing). Reaching the merge means every source was
// extracted to its end: a source that fails fails the run.
func (r *Runner) completeSources() []string {
	var out []string
	for _, e := range r.Extractors {
		if e.Dataset() == Listings && r.policy(e.Name()).DelistMissing {
			out = append(out, e.Name())
		}
	}
	return out
}

// prepare hands incremental sources their saved cursors and teaches the FX
// lookup the rates earlier runs loaded.
func (r *Runner) prepare(ctx context.Context) (map[string]string, error) {
	state, err := r.Warehouse.State(ctx)
	if err != nil {
		return nil, fmt.Errorf("read saved state: %w", err)
	}
	for _, e := range r.Extractors {
		if inc, ok := e.(Incremental); ok {
			cur := state[inc.StateKey()]
			if r.FullRefresh {
				cur = ""
			}
			inc.Resume(cur)
		}
	}
	if r.FX != nil {
		if err := r.Warehouse.ReadFXRates(ctx, r.FX.AddBatch); err != nil {
			return nil, fmt.Errorf("load saved fx rates: %w", err)
		}
	}
	return state, nil
}

// cursors collects the incremental sources' new cursors for the commit.
func (r *Runner) cursors(prev map[string]string) map[string]string {
	out := map[string]string{}
	for _, e := range r.Extractors {
		if inc, ok := e.(Incremental); ok {
			if c := inc.Cursor(); c != "" {
				out[inc.StateKey()] = c
			} else if p, ok := prev[inc.StateKey()]; ok {
				out[inc.StateKey()] = p
			}
		}
	}
	return out
}

// dataTests fails the run with exit code 5 on any error-level failure, which
// keeps the previous snapshot published.
func (r *Runner) dataTests(ctx context.Context, log *slog.Logger, runID string) error {
	results, err := r.Warehouse.RunDataTests(ctx, runID)
	if err != nil {
		return fmt.Errorf("data tests: %w", err)
	}
	var failed []string
	for _, t := range results {
		if t.Passed() {
			continue
		}
		log.Warn("data test failed", "test", t.Name, "severity", t.Severity, "failures", t.Failures,
			"examples", strings.Join(t.Examples, " | "))
		if t.Severity != SeverityWarn {
			failed = append(failed, fmt.Sprintf("%s (%d rows)", t.Name, t.Failures))
		}
	}
	if len(failed) > 0 {
		return WithExit(ExitDataTests, fmt.Errorf("data tests failed: %s; the previous snapshot stays published; see meta.data_tests", strings.Join(failed, ", ")))
	}
	return nil
}

// loadOrder is LoadOrder, except that sellers come after listings when a
// listings source names them: they are only known once it has been read.
// Staging order changes nothing else, since every check runs after the
// merge.
func (r *Runner) loadOrder() []Dataset {
	if !slices.ContainsFunc(r.Extractors, namesSellers) {
		return LoadOrder()
	}
	order := slices.DeleteFunc(LoadOrder(), func(d Dataset) bool { return d == Sellers })
	at := slices.Index(order, Listings)
	return slices.Insert(order, at+1, Sellers)
}

// collectedSellers turns what each listings source's sellers: mapping
// found into an extractor for the sellers step.
func (r *Runner) collectedSellers(log *slog.Logger) []Extractor {
	var out []Extractor
	for _, name := range r.sellerOrder {
		c := r.sellers[name]
		log.Info("sellers named by listings", "source", name, "records_naming_a_seller", c.named,
			"records_without_seller_id", c.unnamed, "distinct_sellers", len(c.seen))
		out = append(out, c.extractor())
	}
	return out
}

// releaseSellers frees whatever a failed run collected and did not stage.
func (r *Runner) releaseSellers() {
	for _, c := range r.sellers {
		c.release()
	}
}

// sellerBreaches names every listings source whose sellers: mapping found
// no seller in any record: a seller_id path that matches nothing, which
// would otherwise load the listings and quietly no sellers.
func (r *Runner) sellerBreaches() []string {
	var out []string
	for _, name := range r.sellerOrder {
		if c := r.sellers[name]; c.named == 0 && c.unnamed > 0 {
			out = append(out, fmt.Sprintf("source %s named no seller in any of its %d listing records: check sellers.seller_id in its mapping (exportpipe preview shows what it reads)", name, c.unnamed))
		}
	}
	return out
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

// NewRunID returns a unique run id that sorts in start order, such as
// 20261128T183000.123Z-1a2b3c. The start time is fixed-width to the
// millisecond: with seconds only, two runs in one second (short runs, a
// scheduler's retry) sorted by their random suffix, and max(run_id) could
// name the older one. One writer at a time means two runs never start in
// the same millisecond on one warehouse.
func NewRunID(now time.Time) string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return now.UTC().Format("20060102T150405.000Z") + "-" + hex.EncodeToString(b[:])
}

// statusOf names a run's outcome. A run whose context was cancelled is
// "interrupted" whatever error it surfaced: DuckDB does not always report an
// interrupted statement as context.Canceled.
func statusOf(ctx context.Context, err error) Status {
	switch {
	case err == nil:
		return StatusOK
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return StatusInterrupted
	default:
		return StatusFailed
	}
}

func joinNames(exs []Extractor) string {
	names := make([]string, len(exs))
	for i, e := range exs {
		names[i] = e.Name()
	}
	return strings.Join(names, ",")
}
