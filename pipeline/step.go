package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// runDataset extracts, transforms and stages every source of one dataset.
// Extraction and transformation run in a producer goroutine that streams
// typed batches into the warehouse's staging insert as they are made.
func (r *Runner) runDataset(ctx context.Context, log *slog.Logger, d Dataset, exs []Extractor) (StepSummary, error) {
	start := time.Now()
	step := StepSummary{Dataset: d, Source: joinNames(exs)}
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()

	stream := NewStream(TypedSchema(d))
	var rejects []arrow.RecordBatch
	defer func() {
		for _, rec := range rejects {
			rec.Release()
		}
	}()
	var wg sync.WaitGroup
	var perr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		perr = r.produce(pctx, d, exs, stream, &step, &rejects)
		stream.Close(perr)
	}()

	staged, serr := r.Warehouse.Stage(ctx, d, stream)
	cancel() // unblocks the producer if staging stopped reading early
	stream.Release()
	wg.Wait()
	stream.Drain()
	step.Duration = time.Since(start)

	if err := firstError(perr, serr, ctx.Err() != nil); err != nil {
		step.Error = err.Error()
		return step, r.classify(d, err)
	}
	if staged != step.Extracted-step.Rejected {
		return step, fmt.Errorf("%w: %s: staged %d rows but transforms produced %d", ErrNotReconciled, d, staged, step.Extracted-step.Rejected)
	}
	if len(rejects) > 0 {
		rdr, err := array.NewRecordReader(RejectSchema(), rejects)
		if err != nil {
			return step, err
		}
		_, err = r.Warehouse.StageRejects(ctx, rdr)
		rdr.Release()
		if err != nil {
			return step, fmt.Errorf("stage rejects of %s: %w", d, err)
		}
	}
	log.Info("dataset staged", "dataset", d, "sources", step.Source, "extracted", step.Extracted,
		"rejected", step.Rejected, "requests", step.Extract.Requests, "retries", step.Extract.Retries,
		"duration_seconds", Seconds(step.Duration))
	return step, nil
}

// produce runs each extractor in turn and pushes its batches through the
// dataset's transform. Reject batches are kept (retained) for staging after
// the good rows, since one connection cannot run two inserts at once.
func (r *Runner) produce(ctx context.Context, d Dataset, exs []Extractor, stream *Stream, step *StepSummary, rejects *[]arrow.RecordBatch) error {
	for _, ex := range exs {
		tr, err := r.Transforms(d, ex.Name(), r.FX)
		if err != nil {
			return fmt.Errorf("transform for %s: %w", ex.Name(), err)
		}
		tally := r.tally(ex.Name(), d)
		handle := func(raw arrow.RecordBatch) error {
			return r.handleBatch(ctx, d, tr, raw, stream, step, tally, rejects)
		}
		if namesSellers(ex) {
			handle = r.splittingSellers(ex.Name(), handle)
		}
		stats, err := ex.Extract(ctx, r.Mem, handle)
		step.Extract = addStats(step.Extract, stats)
		if err != nil {
			return fmt.Errorf("extract %s: %w", ex.Name(), err)
		}
	}
	return nil
}

// tally is the source's tally for this run, made on first use. A listings
// source that also names sellers has a second tally for them, so a mapping
// that loses every seller is caught like one that loses every listing.
func (r *Runner) tally(source string, d Dataset) *SourceTally {
	if r.tallies == nil {
		r.tallies = map[string]*SourceTally{}
	}
	key := source
	if t, ok := r.tallies[key]; ok && t.Dataset != d {
		key = source + " " + string(d)
	}
	t, ok := r.tallies[key]
	if !ok {
		t = &SourceTally{Source: source, Dataset: d}
		r.tallies[key] = t
	}
	return t
}

// splittingSellers wraps the batch handler of a listings source that also
// names sellers: the sellers columns go to the source's collector, the
// listings go on as usual.
func (r *Runner) splittingSellers(source string, next Emit) Emit {
	if r.sellers == nil {
		r.sellers = map[string]*sellerCollector{}
	}
	c, ok := r.sellers[source]
	if !ok {
		c = newSellerCollector(r.Mem, source)
		r.sellers[source] = c
		r.sellerOrder = append(r.sellerOrder, source)
	}
	return func(raw arrow.RecordBatch) error {
		listings, sellers := SplitSellers(raw)
		defer listings.Release()
		if sellers != nil {
			c.add(sellers)
			sellers.Release()
		}
		return next(listings)
	}
}

func (r *Runner) handleBatch(ctx context.Context, d Dataset, tr Transform, raw arrow.RecordBatch, stream *Stream, step *StepSummary, tally *SourceTally, rejects *[]arrow.RecordBatch) error {
	good, rej, err := tr.Apply(ctx, r.Mem, raw)
	if err != nil {
		return fmt.Errorf("transform %s: %w", d, err)
	}
	defer good.Release()
	defer rej.Release()
	if good.NumRows()+rej.NumRows() != raw.NumRows() {
		return fmt.Errorf("%w: transform of %s turned %d rows into %d good + %d rejected", ErrNotReconciled, d, raw.NumRows(), good.NumRows(), rej.NumRows())
	}
	step.Extracted += raw.NumRows()
	step.Rejected += rej.NumRows()
	tally.Extracted += raw.NumRows()
	tally.Rejected += rej.NumRows()
	if r.Observe != nil {
		r.Observe(d, raw.NumRows())
	}
	if rej.NumRows() > 0 {
		tally.countRejects(rej)
		rej.Retain()
		*rejects = append(*rejects, rej)
	}
	if d == FXRates && r.FX != nil {
		if err := r.FX.AddBatch(good); err != nil {
			return fmt.Errorf("learn fx rates: %w", err)
		}
	}
	if good.NumRows() == 0 {
		return nil
	}
	return stream.Send(ctx, good)
}

// classify attaches the exit code a scheduler should see for a stage error.
func (r *Runner) classify(d Dataset, err error) error {
	switch {
	case errors.Is(err, ErrSourceUnavailable):
		return WithExit(ExitUnavailable, err)
	case errors.Is(err, context.Canceled):
		return WithExit(ExitInterrupted, err)
	}
	return fmt.Errorf("%s: %w", d, err)
}

// firstError picks the error that explains a failed stage. A producer error
// is the cause unless it is only the echo of staging having stopped: the
// stream closed under it, or the cancel that runDataset sends once staging
// returns. That cancel is an interruption only when the run itself was
// interrupted; a stager that stopped reading without an error of its own
// has lost rows, which must fail the run as unreconciled, not exit 130 as
// if someone had pressed Ctrl-C.
func firstError(perr, serr error, interrupted bool) error {
	echo := errors.Is(perr, errStreamClosed) ||
		(errors.Is(perr, context.Canceled) && (serr != nil || !interrupted))
	switch {
	case perr != nil && !echo:
		return perr
	case serr != nil:
		return serr
	case perr != nil:
		return fmt.Errorf("%w: the warehouse stopped reading staged rows before the sources ended, without an error; this is a bug, please report it with the run id", ErrNotReconciled)
	}
	return nil
}

func addStats(a, b ExtractStats) ExtractStats {
	sum := ExtractStats{
		Records: a.Records + b.Records, Requests: a.Requests + b.Requests, Retries: a.Retries + b.Retries,
		Status429: a.Status429 + b.Status429, Bytes: a.Bytes + b.Bytes, Pages: a.Pages + b.Pages,
	}
	// A new map, so the step's total never aliases an extractor's figures.
	for _, m := range []map[int]int64{a.StatusCodes, b.StatusCodes} {
		for code, n := range m {
			if sum.StatusCodes == nil {
				sum.StatusCodes = map[int]int64{}
			}
			sum.StatusCodes[code] += n
		}
	}
	return sum
}
