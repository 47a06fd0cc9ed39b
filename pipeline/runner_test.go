package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// harness is one run of the Runner over fakes: an FX source and a Daraz
// listings source by default, which tests change before calling run.
type harness struct {
	t        *testing.T
	wh       *fakeWarehouse
	fx       *fakeFX
	mem      *memory.CheckedAllocator
	fxSource *fakeExtractor
	listings *fakeExtractor
	r        *Runner
	broken   map[string]func(*fakeTransform)
	phases   []string
	observed map[Dataset]int64
}

func listing(id string) rec {
	return rec{"listing_id": id, "marketplace": "daraz", "seller_id": "s1", "title": "Cotton bedsheet",
		"category": "bedding", "price": "Rs. 1,455", "updated_at": "2026-12-01T00:00:00Z"}
}

// rejected is a listing the fake transform rejects with code.
func rejected(id, code string) rec {
	r := listing(id)
	r["price"] = badPrefix + code
	return r
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, wh: newFakeWarehouse(), fx: &fakeFX{}, broken: map[string]func(*fakeTransform){},
		mem: memory.NewCheckedAllocator(memory.NewGoAllocator()), observed: map[Dataset]int64{}}
	// Every batch the run made, on every path, must be released by its end.
	t.Cleanup(func() { h.mem.AssertSize(t, 0) })
	h.fxSource = &fakeExtractor{name: "ecb", dataset: FXRates,
		batches: [][]rec{{{"date": "2026-12-01", "currency": "PKR", "units_per_usd": "280.5"}}}}
	h.listings = &fakeExtractor{name: "daraz", dataset: Listings,
		batches: [][]rec{{listing("1"), listing("2")}, {listing("3"), rejected("4", "unknown_currency")}},
		stats:   ExtractStats{Records: 4, Requests: 2, Pages: 2, StatusCodes: map[int]int64{200: 2}}}
	h.r = &Runner{Warehouse: h.wh, FX: h.fx, Mem: h.mem, Pipeline: "test", Config: "test.yaml",
		Observe: func(d Dataset, rows int64) { h.observed[d] += rows },
		OnPhase: func(p Phase, d Dataset) { h.phases = append(h.phases, strings.TrimSpace(string(p)+" "+string(d))) },
	}
	return h
}

// run runs the pipeline with the harness's extractors (unless the test set
// its own) and the context ctx.
func (h *harness) run(ctx context.Context) (RunSummary, error) {
	if h.r.Extractors == nil {
		h.r.Extractors = []Extractor{h.listings, h.fxSource}
	}
	if h.r.Transforms == nil {
		h.r.Transforms = transformsFor(h.broken)
	}
	return h.r.Run(ctx)
}

// The happy path, in the order the warehouse is asked: record the run,
// read what earlier runs left, stage each dataset in load order (FX first,
// so prices can be converted) with its rejects after its rows, merge, build
// the marts, test them, commit, record the outcome, and only then publish.
func TestRunnerCallsTheWarehouseInOrder(t *testing.T) {
	h := newHarness(t)
	sum, err := h.run(t.Context())
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	want := []string{"BeginRun", "State", "ReadFXRates", "Stage fx_rates", "Stage listings", "StageRejects",
		"Merge", "BuildMarts", "RunDataTests", "Commit", "FinishRun ok", "Publish"}
	if got := h.wh.callsOf(); !slices.Equal(got, want) {
		t.Errorf("calls =\n%v\nwant\n%v", got, want)
	}
	wantPhases := []string{"extract fx_rates", "extract listings", "merge", "marts", "tests", "publish"}
	if !slices.Equal(h.phases, wantPhases) {
		t.Errorf("phases = %v, want %v", h.phases, wantPhases)
	}
	if sum.Status != StatusOK || sum.Error != "" || sum.ID != h.wh.began.ID || sum.Pipeline != "test" || sum.Config != "test.yaml" {
		t.Errorf("summary = %+v, want status ok, no error, the begun run's id", sum)
	}
	if rec := h.wh.lastFinish(t); rec.Status != StatusOK || len(rec.Steps) != 2 || rec.FinishedAt.IsZero() {
		t.Errorf("recorded outcome = %+v, want ok with two steps and a finish time", rec)
	}
	if h.observed[Listings] != 4 || h.observed[FXRates] != 1 {
		t.Errorf("progress observed %v, want 4 listings and 1 fx rate", h.observed)
	}
}

// Each step's line says what happened to every record, and adds up:
// extracted = loaded + rejected + duplicates.
func TestRunnerSummaryAccountsForEveryRecord(t *testing.T) {
	h := newHarness(t)
	// A second page repeats listing 1: one duplicate collapsed.
	h.listings.batches = append(h.listings.batches, []rec{listing("1")})
	sum, err := h.run(t.Context())
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if len(sum.Steps) != 2 || sum.Steps[0].Dataset != FXRates || sum.Steps[1].Dataset != Listings {
		t.Fatalf("steps = %+v, want fx_rates then listings", sum.Steps)
	}
	s := sum.Steps[1]
	if s.Source != "daraz" || s.Extracted != 5 || s.Rejected != 1 || s.Merge.Loaded != 3 || s.Merge.Duplicates != 1 || !s.Reconciles() {
		t.Errorf("listings step = %+v, want 5 extracted = 3 loaded + 1 rejected + 1 duplicate", s)
	}
	if s.Extract.Requests != 2 || s.Extract.StatusCodes[200] != 2 || s.Error != "" || s.Duration <= 0 {
		t.Errorf("listings step's extract figures = %+v, duration %v; want the source's own", s.Extract, s.Duration)
	}
	if h.wh.rejects != 1 || h.wh.rejectCodes[`[unknown_currency] price "bad:unknown_currency" is not usable`] != 1 {
		t.Errorf("staged rejects = %d %v, want the one unknown_currency reject", h.wh.rejects, h.wh.rejectCodes)
	}
}

// A dataset fed by two sources is one step: its source names both, its
// figures are their sum, and each source still answers to its own guard.
func TestRunnerStepOfTwoSourcesSumsThemAndGuardsEach(t *testing.T) {
	h := newHarness(t)
	alibaba := &fakeExtractor{name: "alibaba", dataset: Listings, stats: ExtractStats{Requests: 3},
		batches: [][]rec{{rejected("a1", "unknown_unit"), rejected("a2", "unknown_unit")}}}
	h.listings.batches = [][]rec{{listing("1"), listing("2"), listing("3"), listing("5"), listing("6")}}
	h.r.Extractors = []Extractor{h.listings, alibaba}
	sum, err := h.run(t.Context())
	// 2 of 7 listings rejected is fine for the dataset, but alibaba
	// loaded nothing at all.
	if ExitCode(err) != ExitDataTests || !strings.Contains(fmt.Sprint(err), "source alibaba (listings) loaded 0 of 2 records, all rejected (unknown_unit 2)") {
		t.Fatalf("err = %v, want alibaba's guard to fail the run with exit 5", err)
	}
	s := sum.Steps[0]
	if s.Source != "daraz,alibaba" || s.Extracted != 7 || s.Rejected != 2 || s.Extract.Requests != 5 {
		t.Errorf("step = %+v, want both sources summed", s)
	}
}

// What can go wrong in a run, where it stops, and what a scheduler sees.
// A failure before the merge changes nothing; a failure after it rolls the
// run's transaction back; either way the outcome is recorded and nothing
// is published.
func TestRunnerFailurePaths(t *testing.T) {
	boom := errors.New("boom")
	extractFailed := []string{"BeginRun", "State", "ReadFXRates", "Stage fx_rates", "Stage listings", "FinishRun failed"}
	rolledBack := func(last ...string) []string {
		return append([]string{"BeginRun", "State", "ReadFXRates", "Stage fx_rates", "Stage listings", "StageRejects", "Merge"},
			append(last, "Rollback", "FinishRun failed")...)
	}
	tests := []struct {
		name      string
		setup     func(h *harness)
		wantIs    error  // errors.Is(err, wantIs), when set
		wantText  string // in the error and in the recorded outcome
		wantExit  int
		wantCalls []string
	}{
		{
			name:      "an extract error fails the run before anything is merged",
			setup:     func(h *harness) { h.listings.err = errors.New("connection reset by peer") },
			wantText:  "listings: extract daraz: connection reset by peer",
			wantExit:  ExitFailed,
			wantCalls: extractFailed,
		},
		{
			name: "an unavailable source exits 75 so the scheduler retries later",
			setup: func(h *harness) {
				h.listings.err = fmt.Errorf("%w: HTTP 503 after 5 attempts", ErrSourceUnavailable)
			},
			wantIs:    ErrSourceUnavailable,
			wantText:  "extract daraz: source unavailable: HTTP 503 after 5 attempts",
			wantExit:  ExitUnavailable,
			wantCalls: extractFailed,
		},
		{
			name: "a transform that cannot be built fails its dataset",
			setup: func(h *harness) {
				h.broken["daraz"] = func(t *fakeTransform) { t.noBuild = errors.New("no transform for this source's mapping") }
			},
			wantText:  "listings: transform for daraz: no transform for this source's mapping",
			wantExit:  ExitFailed,
			wantCalls: extractFailed,
		},
		{
			name:      "a transform error fails its dataset",
			setup:     func(h *harness) { h.broken["daraz"] = func(t *fakeTransform) { t.err = boom } },
			wantText:  "extract daraz: transform listings: boom",
			wantExit:  ExitFailed,
			wantCalls: extractFailed,
		},
		{
			name:      "a transform that loses rows does not reconcile",
			setup:     func(h *harness) { h.broken["daraz"] = func(t *fakeTransform) { t.lose = 1 } },
			wantIs:    ErrNotReconciled,
			wantText:  "transform of listings turned 2 rows into 1 good + 0 rejected",
			wantExit:  ExitFailed,
			wantCalls: extractFailed,
		},
		{
			name:      "a staging error fails the dataset",
			setup:     func(h *harness) { h.wh.fail["Stage listings"] = errors.New("disk full") },
			wantText:  "listings: stage listings: disk full",
			wantExit:  ExitFailed,
			wantCalls: extractFailed,
		},
		{
			name: "a stager that stops reading early without an error has lost rows",
			setup: func(h *harness) {
				h.wh.stopAfter = map[Dataset]int{Listings: 1}
				// More batches than the stream buffers, so the source is
				// still being read when staging quits.
				for i := range 8 {
					h.listings.batches = append(h.listings.batches, []rec{listing(fmt.Sprint(10 + i))})
				}
			},
			wantIs:    ErrNotReconciled,
			wantText:  "the warehouse stopped reading staged rows before the sources ended",
			wantExit:  ExitFailed,
			wantCalls: extractFailed,
		},
		{
			name:      "a stager whose count differs from what the transforms made does not reconcile",
			setup:     func(h *harness) { h.wh.fail["Stage fx_rates"] = nil; h.wh.miscount = -1 },
			wantIs:    ErrNotReconciled,
			wantText:  "fx_rates: staged 0 rows but transforms produced 1",
			wantExit:  ExitFailed,
			wantCalls: []string{"BeginRun", "State", "ReadFXRates", "Stage fx_rates", "FinishRun failed"},
		},
		{
			name:      "a rejects staging error fails the dataset",
			setup:     func(h *harness) { h.wh.fail["StageRejects"] = boom },
			wantText:  "stage rejects of listings: boom",
			wantExit:  ExitFailed,
			wantCalls: []string{"BeginRun", "State", "ReadFXRates", "Stage fx_rates", "Stage listings", "StageRejects", "FinishRun failed"},
		},
		{
			name:     "a merge error fails the run, and the merge has rolled itself back",
			setup:    func(h *harness) { h.wh.fail["Merge"] = boom },
			wantText: "commit: boom",
			wantExit: ExitFailed,
			wantCalls: []string{"BeginRun", "State", "ReadFXRates", "Stage fx_rates", "Stage listings", "StageRejects",
				"Merge", "FinishRun failed"},
		},
		{
			name: "merge counts that do not add up roll the run back",
			setup: func(h *harness) {
				h.wh.tamper = func(r *MergeResult) { c := r.Datasets[Listings]; c.Loaded++; r.Datasets[Listings] = c }
			},
			wantIs:    ErrNotReconciled,
			wantText:  "listings extracted 4 but loaded 4 + rejected 1 + duplicates 0 = 5",
			wantExit:  ExitFailed,
			wantCalls: rolledBack(),
		},
		{
			name: "a source over its reject share rolls the run back with exit 5",
			setup: func(h *harness) {
				h.listings.batches = [][]rec{{listing("1"), rejected("2", "no_fx_rate"), rejected("3", "no_fx_rate"), rejected("4", "missing")}}
			},
			wantText:  "source daraz (listings) rejected 3 of 4 records (75.0%, over max_reject_share 0.5: no_fx_rate 2, missing 1)",
			wantExit:  ExitDataTests,
			wantCalls: rolledBack(),
		},
		{
			name: "a source that loaded nothing fails whatever its threshold",
			setup: func(h *harness) {
				h.listings.batches = [][]rec{{rejected("1", "missing")}}
				h.r.Policies = map[string]SourcePolicy{"daraz": {MaxRejectShare: 1}}
			},
			wantText:  "source daraz (listings) loaded 0 of 1 records, all rejected (missing 1)",
			wantExit:  ExitDataTests,
			wantCalls: rolledBack(),
		},
		{
			name: "a complete catalogue that would delist too much looks truncated",
			setup: func(h *harness) {
				h.r.Policies = map[string]SourcePolicy{"daraz": {MaxRejectShare: 0.5, DelistMissing: true, MaxDelistShare: 0.5}}
				h.wh.delists = map[string]DelistCount{"daraz": {Current: 10, Delisted: 6}}
			},
			wantText:  "source daraz would delist 6 of its 10 current listings (60.0%, over max_delist_share 0.5): a truncated catalogue?",
			wantExit:  ExitDataTests,
			wantCalls: rolledBack(),
		},
		{
			name:      "a marts error rolls the run back",
			setup:     func(h *harness) { h.wh.fail["BuildMarts"] = boom },
			wantText:  "build marts: boom",
			wantExit:  ExitFailed,
			wantCalls: rolledBack("BuildMarts"),
		},
		{
			name:      "data tests that cannot run roll the run back",
			setup:     func(h *harness) { h.wh.fail["RunDataTests"] = boom },
			wantText:  "data tests: boom",
			wantExit:  ExitFailed,
			wantCalls: rolledBack("BuildMarts", "RunDataTests"),
		},
		{
			name: "an error-level data test that fails rolls the run back with exit 5",
			setup: func(h *harness) {
				h.wh.tests = []DataTestResult{{Name: "countries_iso", Severity: SeverityError, Failures: 2, Examples: []string{"XX"}},
					{Name: "prices_positive", Severity: SeverityError}}
			},
			wantText:  "data tests failed: countries_iso (2 rows); the previous snapshot stays published",
			wantExit:  ExitDataTests,
			wantCalls: rolledBack("BuildMarts", "RunDataTests"),
		},
		{
			name:     "a commit error fails the run and publishes nothing",
			setup:    func(h *harness) { h.wh.fail["Commit"] = boom },
			wantText: "commit: boom",
			wantExit: ExitFailed,
			wantCalls: []string{"BeginRun", "State", "ReadFXRates", "Stage fx_rates", "Stage listings", "StageRejects",
				"Merge", "BuildMarts", "RunDataTests", "Commit", "FinishRun failed"},
		},
		{
			name: "a rollback that fails is reported beside the failure that needed it",
			setup: func(h *harness) {
				h.wh.fail["BuildMarts"] = errors.New("out of memory")
				h.wh.fail["Rollback"] = errors.New("connection lost")
			},
			wantText:  "build marts: out of memory\nroll back: connection lost",
			wantExit:  ExitFailed,
			wantCalls: rolledBack("BuildMarts"),
		},
		{
			name:     "a publish error after the commit is recorded as a failed run",
			setup:    func(h *harness) { h.wh.fail["Publish"] = errors.New("rename: permission denied") },
			wantText: "publish snapshot: rename: permission denied",
			wantExit: ExitFailed,
			wantCalls: []string{"BeginRun", "State", "ReadFXRates", "Stage fx_rates", "Stage listings", "StageRejects",
				"Merge", "BuildMarts", "RunDataTests", "Commit", "FinishRun ok", "Publish", "FinishRun failed"},
		},
		{
			name:     "an outcome that cannot be recorded fails the run before publishing",
			setup:    func(h *harness) { h.wh.fail["FinishRun"] = boom },
			wantText: "record run outcome: boom",
			wantExit: ExitFailed,
			wantCalls: []string{"BeginRun", "State", "ReadFXRates", "Stage fx_rates", "Stage listings", "StageRejects",
				"Merge", "BuildMarts", "RunDataTests", "Commit", "FinishRun ok", "FinishRun failed"},
		},
		{
			name:      "saved state that cannot be read fails the run before any source is read",
			setup:     func(h *harness) { h.wh.fail["State"] = boom },
			wantText:  "read saved state: boom",
			wantExit:  ExitFailed,
			wantCalls: []string{"BeginRun", "State", "FinishRun failed"},
		},
		{
			name:      "saved FX rates that cannot be read fail the run before any source is read",
			setup:     func(h *harness) { h.wh.fail["ReadFXRates"] = boom },
			wantText:  "load saved fx rates: boom",
			wantExit:  ExitFailed,
			wantCalls: []string{"BeginRun", "State", "ReadFXRates", "FinishRun failed"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			tc.setup(h)
			sum, err := h.run(t.Context())
			if err == nil {
				t.Fatal("run succeeded")
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("err = %v, want it to wrap %v", err, tc.wantIs)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("err = %q\nwant it to say %q", err, tc.wantText)
			}
			if got := ExitCode(err); got != tc.wantExit {
				t.Errorf("exit code = %d, want %d", got, tc.wantExit)
			}
			if got := h.wh.callsOf(); !slices.Equal(got, tc.wantCalls) {
				t.Errorf("calls =\n%v\nwant\n%v", got, tc.wantCalls)
			}
			if sum.Status != StatusFailed || sum.Error != err.Error() {
				t.Errorf("summary status %q error %q, want failed with the run's error", sum.Status, sum.Error)
			}
			if rec := h.wh.lastFinish(t); rec.Status != StatusFailed || !strings.Contains(rec.Error, tc.wantText) {
				t.Errorf("recorded outcome %q %q, want failed saying %q", rec.Status, rec.Error, tc.wantText)
			}
			if len(h.wh.saved) != 0 {
				t.Errorf("a failed run saved cursors %v", h.wh.saved)
			}
		})
	}
}

// A run that never got its meta.runs row has no outcome to record.
func TestRunnerThatCannotBeginRecordsNothing(t *testing.T) {
	h := newHarness(t)
	h.wh.fail["BeginRun"] = errors.New("database is read-only")
	_, err := h.run(t.Context())
	if err == nil || !strings.Contains(err.Error(), "begin run: database is read-only") {
		t.Fatalf("err = %v, want the begin error", err)
	}
	if got := h.wh.callsOf(); !slices.Equal(got, []string{"BeginRun"}) {
		t.Errorf("calls = %v, want only BeginRun", got)
	}
}

// The guards give way to --allow-rejects for one night known to be bad,
// and a warning-level data test only warns: both runs load and publish.
func TestRunnerLoadsNightsThatOnlyWarn(t *testing.T) {
	for name, setup := range map[string]func(h *harness){
		"allow rejects passes over the reject guard": func(h *harness) {
			h.listings.batches = [][]rec{{listing("1"), rejected("2", "no_fx_rate"), rejected("3", "no_fx_rate")}}
			h.r.AllowRejects = true
		},
		"allow rejects passes over the delist guard": func(h *harness) {
			h.r.Policies = map[string]SourcePolicy{"daraz": {MaxRejectShare: 0.5, DelistMissing: true, MaxDelistShare: 0.1}}
			h.wh.delists = map[string]DelistCount{"daraz": {Current: 10, Delisted: 2}}
			h.r.AllowRejects = true
		},
		"a warning-level data test that fails": func(h *harness) {
			h.wh.tests = []DataTestResult{{Name: "listings_price_plausible", Severity: SeverityWarn, Failures: 7}}
		},
		"a complete source delisting within its share": func(h *harness) {
			h.r.Policies = map[string]SourcePolicy{"daraz": {MaxRejectShare: 0.5, DelistMissing: true, MaxDelistShare: 0.5}}
			h.wh.delists = map[string]DelistCount{"daraz": {Current: 10, Delisted: 2}}
		},
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			setup(h)
			sum, err := h.run(t.Context())
			if err != nil || sum.Status != StatusOK {
				t.Fatalf("run: %v (status %q), want it loaded", err, sum.Status)
			}
			if calls := h.wh.callsOf(); !slices.Contains(calls, "Publish") || slices.Contains(calls, "Rollback") {
				t.Errorf("calls = %v, want a commit and a publish", calls)
			}
		})
	}
}

// A source that breaks halfway loads none of its rows: the stream ends in
// its error, so staging fails rather than keep the pages read so far, and
// the step says how far the source got.
func TestRunnerSourceThatBreaksHalfwayLoadsNothing(t *testing.T) {
	h := newHarness(t)
	h.listings.err = errors.New("page 3: unexpected EOF")
	sum, err := h.run(t.Context())
	if err == nil {
		t.Fatal("run succeeded")
	}
	if h.listings.emitted != 2 || h.wh.staged[Listings] != 0 || h.wh.staged[FXRates] != 1 {
		t.Errorf("emitted %d batches, staged %v; want 2 batches read and no listing staged", h.listings.emitted, h.wh.staged)
	}
	last := sum.Steps[len(sum.Steps)-1]
	if last.Dataset != Listings || last.Extracted != 4 || last.Rejected != 1 || !strings.Contains(last.Error, "page 3: unexpected EOF") {
		t.Errorf("listings step = %+v, want 4 extracted, 1 rejected and the source's error", last)
	}
}

// Only listings sources that return their whole catalogue are named
// complete to the merge, so only their missing listings are delisted.
func TestRunnerNamesCompleteSourcesToTheMerge(t *testing.T) {
	h := newHarness(t)
	partial := &fakeExtractor{name: "alibaba", dataset: Listings, batches: [][]rec{{listing("a1")}}}
	h.r.Extractors = []Extractor{h.listings, partial, h.fxSource}
	h.r.Policies = map[string]SourcePolicy{
		"daraz": {MaxRejectShare: 0.5, DelistMissing: true, MaxDelistShare: 0.5},
		"ecb":   {MaxRejectShare: 0.5, DelistMissing: true}, // not listings: nothing to delist
	}
	if _, err := h.run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := h.wh.merged.Complete; !slices.Equal(got, []string{"daraz"}) {
		t.Errorf("complete sources = %v, want [daraz]", got)
	}
}

// Ctrl-C (or SIGTERM) in the middle of a source stops the run: nothing is
// merged, the outcome is still recorded as interrupted, and the scheduler
// sees exit code 130.
func TestRunnerInterruptedMidExtract(t *testing.T) {
	h := newHarness(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	h.listings.afterBatch = func(i int) { cancel() }
	sum, err := h.run(ctx)
	if !errors.Is(err, context.Canceled) || ExitCode(err) != ExitInterrupted {
		t.Fatalf("err = %v (exit %d), want context.Canceled and exit 130", err, ExitCode(err))
	}
	if h.listings.emitted != 1 {
		t.Errorf("the source went on for %d batches after the interrupt, want it stopped after the first", h.listings.emitted)
	}
	if sum.Status != StatusInterrupted || sum.Error != interruptedText {
		t.Errorf("summary %q %q, want interrupted with the text an operator can act on", sum.Status, sum.Error)
	}
	// Recorded although the run's own context is gone.
	if rec := h.wh.lastFinish(t); rec.Status != StatusInterrupted {
		t.Errorf("recorded status %q, want interrupted", rec.Status)
	}
	if calls := h.wh.callsOf(); slices.Contains(calls, "Merge") || slices.Contains(calls, "Publish") {
		t.Errorf("calls = %v: an interrupted run merged or published", calls)
	}
}

// Incremental sources resume from the cursor the last good run saved; the
// new cursor is saved with the data, so a failed run never advances it.
func TestRunnerCursors(t *testing.T) {
	newInc := func(next string) *fakeIncremental {
		return &fakeIncremental{fakeExtractor: fakeExtractor{name: "daraz", dataset: Listings,
			batches: [][]rec{{listing("1")}}}, key: "daraz.updated_at", next: next}
	}
	t.Run("a good run resumes from the saved cursor and saves the new one", func(t *testing.T) {
		h := newHarness(t)
		inc := newInc("2026-12-07")
		h.r.Extractors = []Extractor{inc}
		h.wh.saved["daraz.updated_at"] = "2026-12-01"
		if _, err := h.run(t.Context()); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(inc.resumed, []string{"2026-12-01"}) || h.wh.saved["daraz.updated_at"] != "2026-12-07" {
			t.Errorf("resumed from %v, saved %v; want from 2026-12-01, then 2026-12-07 saved", inc.resumed, h.wh.saved)
		}
	})
	t.Run("a failed run keeps the old cursor", func(t *testing.T) {
		h := newHarness(t)
		inc := newInc("2026-12-07")
		h.r.Extractors = []Extractor{inc}
		h.wh.saved["daraz.updated_at"] = "2026-12-01"
		h.wh.fail["BuildMarts"] = errors.New("boom")
		if _, err := h.run(t.Context()); err == nil {
			t.Fatal("run succeeded")
		}
		if h.wh.merged.State["daraz.updated_at"] != "2026-12-07" || h.wh.saved["daraz.updated_at"] != "2026-12-01" {
			t.Errorf("merge was handed %v and %v is saved; want the new cursor offered and the old one kept", h.wh.merged.State, h.wh.saved)
		}
	})
	t.Run("a full refresh starts over and saves the new cursor", func(t *testing.T) {
		h := newHarness(t)
		inc := newInc("2026-12-07")
		h.r.Extractors = []Extractor{inc}
		h.r.FullRefresh = true
		h.wh.saved["daraz.updated_at"] = "2026-12-01"
		if _, err := h.run(t.Context()); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(inc.resumed, []string{""}) || h.wh.saved["daraz.updated_at"] != "2026-12-07" {
			t.Errorf("resumed from %q, saved %v; want from the beginning, then 2026-12-07 saved", inc.resumed, h.wh.saved)
		}
	})
	t.Run("a source with no new cursor keeps the saved one", func(t *testing.T) {
		h := newHarness(t)
		inc := newInc("")
		h.r.Extractors = []Extractor{inc}
		h.wh.saved["daraz.updated_at"] = "2026-12-01"
		if _, err := h.run(t.Context()); err != nil {
			t.Fatal(err)
		}
		if h.wh.merged.State["daraz.updated_at"] != "2026-12-01" {
			t.Errorf("merge was handed %v, want the saved cursor kept", h.wh.merged.State)
		}
	})
}

// Transforms are built after the run knows its FX rates: those earlier
// runs loaded, and those the fx_rates step has just extracted.
func TestRunnerTeachesTransformsTheRunsFXRates(t *testing.T) {
	h := newHarness(t)
	h.wh.savedFX = []string{"EUR"}
	// Which rates the lookup handed to each dataset's transform knows.
	seen := map[Dataset][]string{}
	build := transformsFor(nil)
	h.r.Transforms = func(d Dataset, source string, fx FXLookup) (Transform, error) {
		for _, c := range []string{"EUR", "PKR"} {
			if _, ok := fx.Rate(c, h.wh.began.StartedAt); ok {
				seen[d] = append(seen[d], c)
			}
		}
		return build(d, source, fx)
	}
	if _, err := h.run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seen[FXRates], []string{"EUR"}) || !slices.Equal(seen[Listings], []string{"EUR", "PKR"}) {
		t.Errorf("rates known when each transform was built: %v; want EUR before fx_rates, EUR and PKR before listings", seen)
	}
}

// A run without an FX lookup, logger or allocator gets working defaults.
func TestRunnerDefaults(t *testing.T) {
	wh := newFakeWarehouse()
	r := &Runner{Warehouse: wh, Transforms: transformsFor(nil),
		Extractors: []Extractor{&fakeExtractor{name: "lines", dataset: Sailings, batches: [][]rec{{{"sailing_id": "S1"}}}}}}
	sum, err := r.Run(t.Context())
	if err != nil || sum.Status != StatusOK || sum.Steps[0].Merge.Loaded != 1 {
		t.Fatalf("run: %v, %+v", err, sum)
	}
	if slices.Contains(wh.callsOf(), "ReadFXRates") {
		t.Error("a run without an FX lookup read the saved FX rates")
	}
}
