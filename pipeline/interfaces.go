package pipeline

import (
	"context"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Emit receives one batch from a producer. The producer created the batch
// and releases it after Emit returns; a consumer that keeps the batch longer
// must Retain it.
type Emit func(arrow.RecordBatch) error

// Extractor pulls one source and streams its records as raw batches
// (RawSchema of its dataset). It never holds a whole source in memory.
type Extractor interface {
	Name() string
	Dataset() Dataset
	Extract(ctx context.Context, mem memory.Allocator, emit Emit) (ExtractStats, error)
}

// ExtractStats are the figures an extractor reports for meta.run_steps.
type ExtractStats struct {
	Records   int64
	Requests  int64
	Retries   int64
	Status429 int64
	Bytes     int64
	Pages     int64
	// StatusCodes counts HTTP responses by status code, every attempt
	// (retries included); nil for sources that made no HTTP request.
	// Requests minus their sum is the attempts that got no response.
	StatusCodes map[int]int64
}

// Transform normalises one raw batch into typed rows (TypedSchema of its
// dataset) and rejects (RejectSchema). The caller owns and releases both
// returned batches. Every input row ends up in exactly one of them.
type Transform interface {
	Apply(ctx context.Context, mem memory.Allocator, raw arrow.RecordBatch) (good, rejects arrow.RecordBatch, err error)
}

// TransformFactory builds the transform for a dataset. It is called after
// the FX rates of the run are known, so transforms that convert currencies
// can be handed them.
type TransformFactory func(d Dataset, source string, fx FXLookup) (Transform, error)

// FXLookup answers "how many units of currency buy one USD on this day",
// using the nearest rate on or before the day's UTC date. ok is false when
// no rate is known. The answer says which day the rate is for and how far
// apart the currency's rates are, so that a caller can refuse a rate too
// old to stand for the day instead of using a years-old one silently.
type FXLookup interface {
	Rate(currency string, day time.Time) (rate FXRate, ok bool)
}

// FXRate is one answer of an FXLookup.
type FXRate struct {
	UnitsPerUSD float64
	// Day is the UTC date the rate is quoted for: the asked day or the
	// nearest earlier one that has a rate.
	Day time.Time
	// Spacing is the median gap between the currency's quoted days: a day
	// for a daily series, about a month for a monthly one. 0 when the
	// currency has a single rate, and for USD, which is always 1.
	Spacing time.Duration
}

// MergeCounts is what the warehouse did with one dataset's staged rows.
type MergeCounts struct {
	Staged     int64 // typed rows handed to Stage
	Loaded     int64 // distinct natural keys merged into core
	Duplicates int64 // Staged - Loaded: repeats and older versions collapsed
	Inserted   int64 // keys new to core
	Updated    int64 // keys whose row changed
	// Backfilled counts keys whose newest staged version was older than
	// the stored one: core kept its row, price history took the version.
	Backfilled int64
	// Withdrawn counts keys whose newest version this run was unusable (a
	// reject newer than every usable version): core keeps the last good
	// state, marked withdrawn_at, and it is no longer current.
	Withdrawn int64
	// Delisted counts keys a source that returns its whole catalogue no
	// longer returned (delist_missing); Relisted those that came back.
	Delisted, Relisted int64
}

// MergeRequest is what Merge needs besides the staged rows.
type MergeRequest struct {
	RunID     string
	StartedAt time.Time
	// State holds the incremental cursors, saved with the data.
	State map[string]string
	// Complete names the listings sources that returned their whole
	// catalogue this run (delist_missing: true): their keys not seen are
	// delisted. A source named here must have been extracted in full.
	Complete []string
}

// MergeResult is what Merge did: per dataset, and per complete source how
// many of its current listings it delisted.
type MergeResult struct {
	Datasets map[Dataset]MergeCounts
	Delists  map[string]DelistCount
}

// DelistCount is one complete source's delisting: how many of its listings
// were current before the merge, and how many of those it no longer
// returned.
type DelistCount struct {
	Current, Delisted int64
}

// The warehouse is split by what each stage of a run asks of it, so a
// caller (or a test's fake) depends on the methods it calls and no more.
// Only sql/warehouse implements them for real, because only that package
// may import DuckDB; its Warehouse implements all of them.

// RunRecorder keeps the run's own bookkeeping in meta.runs and
// meta.run_steps.
type RunRecorder interface {
	// BeginRun records a running row in meta.runs and clears staging.
	BeginRun(ctx context.Context, run RunInfo) error
	// FinishRun records the outcome in meta.runs and meta.run_steps.
	FinishRun(ctx context.Context, sum RunSummary) error
}

// History is what earlier runs left that this one starts from.
type History interface {
	// State returns the saved cursors.
	State(ctx context.Context) (map[string]string, error)
	// ReadFXRates streams the FX rates already in core (typed fx_rates
	// batches), so a run that does not extract FX can still convert prices.
	ReadFXRates(ctx context.Context, emit Emit) error
}

// Stager takes the run's typed rows and rejects before they are merged.
type Stager interface {
	// Stage streams typed batches for one dataset into staging. The reader
	// is consumed once.
	Stage(ctx context.Context, d Dataset, rdr array.RecordReader) (int64, error)
	// StageRejects streams reject batches into staging.
	StageRejects(ctx context.Context, rdr array.RecordReader) (int64, error)
}

// RunTx is the run's transaction: the merge opens it, the marts and data
// tests run inside it, and Commit or Rollback ends it.
type RunTx interface {
	// Merge opens the run's transaction and, inside it, collapses
	// duplicates, merges every staged dataset into core, moves staged
	// rejects to meta.rejects and saves the state cursors. The transaction
	// stays open for BuildMarts and RunDataTests until Commit or Rollback,
	// so a night that fails its checks changes nothing. On error Merge has
	// rolled back already.
	Merge(ctx context.Context, req MergeRequest) (MergeResult, error)
	// BuildMarts rebuilds every mart from core (inside the open run
	// transaction, if there is one).
	BuildMarts(ctx context.Context) error
	// RunDataTests checks core and marts after a build, records the results
	// in meta.data_tests and returns them. A failing test is a result, not
	// an error; the error is for tests that could not run.
	RunDataTests(ctx context.Context, runID string) ([]DataTestResult, error)
	// Commit makes the run's transaction permanent.
	Commit(ctx context.Context) error
	// Rollback undoes the run's transaction: core, marts and cursors are as
	// they were before the run. The run's rejects and data test results are
	// still recorded, so the failed night can be investigated.
	Rollback(ctx context.Context) error
}

// Publisher makes a committed run visible to readers.
type Publisher interface {
	// Publish writes the read-only snapshot analysts open and returns its path.
	Publish(ctx context.Context) (string, error)
}

// Warehouse is everything a Runner asks of the warehouse over one run. It
// has no Close: whoever opened the warehouse closes it.
type Warehouse interface {
	RunRecorder
	History
	Stager
	RunTx
	Publisher
}

// Severity of a data test: an error-level failure fails the run (exit code
// 5) and keeps the previous snapshot published; a warning is only reported.
// The text is what sql/tests files declare and meta.data_tests stores.
type Severity string

const (
	SeverityError Severity = "error"
	SeverityWarn  Severity = "warn"
)

// DataTestResult is the outcome of one data test.
type DataTestResult struct {
	Name     string
	Severity Severity
	Failures int64 // rows that violate the test
	// Examples are a few violating rows as text, for a failed test: the
	// count says something is wrong, the rows say what and where.
	Examples []string
}

// Passed reports whether no row violated the test.
func (r DataTestResult) Passed() bool { return r.Failures == 0 }

// Incremental is an Extractor that resumes from a cursor saved in
// meta.state. The runner hands it the saved cursor before Extract and saves
// the new one in the same transaction as the data, so a failed run never
// advances it.
type Incremental interface {
	Extractor
	// StateKey names the cursor in meta.state, e.g. "daraz_listings.updated_at".
	StateKey() string
	// Resume sets the cursor to start from; "" means from the beginning.
	Resume(cursor string)
	// Cursor is the cursor to save after a successful Extract.
	Cursor() string
}

// RunInfo identifies a run as it starts.
type RunInfo struct {
	ID        string
	Pipeline  string
	StartedAt time.Time
	Config    string // config file path, or "demo"
}

// StepSummary is one dataset's line in meta.run_steps.
type StepSummary struct {
	Dataset   Dataset
	Source    string
	Extract   ExtractStats
	Extracted int64
	Rejected  int64
	Merge     MergeCounts
	Duration  time.Duration
	Error     string
}

// Status is how a run ended, as meta.runs.status stores it.
type Status string

const (
	StatusOK          Status = "ok"
	StatusFailed      Status = "failed"
	StatusInterrupted Status = "interrupted" // its context was cancelled: SIGINT, SIGTERM, the daemon stopping
)

// RunSummary is a finished run, as recorded in meta.runs.
type RunSummary struct {
	RunInfo
	FinishedAt time.Time
	Status     Status
	Error      string
	Steps      []StepSummary
}

// Reconciles reports whether every record of the step is accounted for:
// extracted = loaded + rejected + duplicates collapsed.
func (s StepSummary) Reconciles() bool {
	return s.Extracted == s.Merge.Loaded+s.Rejected+s.Merge.Duplicates
}
