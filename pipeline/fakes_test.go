package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The fakes in this file stand in for the parts of a run that live outside
// this package (extractors, transforms, the DuckDB warehouse), so that the
// Runner's own rules can be tested with CGO_ENABLED=0. They move real Arrow
// batches, allocated from the test's checked allocator, so a batch the
// runner forgets to release fails the test.

// rec is one record as a source sends it: raw field name to text. A field
// left out is null.
type rec map[string]string

// badPrefix marks a value the fake transform rejects: "bad:unknown_port"
// rejects the record with the code unknown_port.
const badPrefix = "bad:"

// buildBatch makes a batch of schema from rows keyed by column name. Text
// becomes the column's type; a missing or empty value of a nullable column
// is a null, and of a required one its zero value.
func buildBatch(mem memory.Allocator, schema *arrow.Schema, rows []map[string]string) arrow.RecordBatch {
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for _, row := range rows {
		for i, f := range schema.Fields() {
			v, ok := row[f.Name]
			if (!ok || v == "") && f.Nullable {
				b.Field(i).AppendNull()
				continue
			}
			switch fb := b.Field(i).(type) {
			case *array.StringBuilder:
				fb.Append(v)
			case *array.Float64Builder:
				x, _ := strconv.ParseFloat(v, 64)
				fb.Append(x)
			case *array.Int32Builder:
				x, _ := strconv.Atoi(v)
				fb.Append(int32(x))
			case *array.BooleanBuilder:
				fb.Append(v == "true")
			case *array.TimestampBuilder:
				fb.Append(0)
			case *array.Date32Builder:
				fb.Append(0)
			default:
				panic(fmt.Sprintf("buildBatch: no rule for column %s of type %s", f.Name, f.Type))
			}
		}
	}
	return b.NewRecordBatch()
}

// rawBatch is a raw batch of d, its _raw column the record as JSON.
func rawBatch(mem memory.Allocator, d Dataset, rows []rec) arrow.RecordBatch {
	return rawBatchOf(mem, RawSchema(d), rows)
}

// rawBatchOf is a raw batch of schema, its _raw column the record as JSON.
func rawBatchOf(mem memory.Allocator, schema *arrow.Schema, rows []rec) arrow.RecordBatch {
	maps := make([]map[string]string, len(rows))
	for i, r := range rows {
		js, _ := json.Marshal(r)
		m := map[string]string{RawColumn: string(js)}
		for k, v := range r {
			m[k] = v
		}
		maps[i] = m
	}
	return buildBatch(mem, schema, maps)
}

// fakeExtractor emits its batches in order, then returns err.
type fakeExtractor struct {
	name    string
	dataset Dataset
	batches [][]rec
	stats   ExtractStats
	err     error
	// afterBatch, when set, runs after batch i was emitted: a test cancels
	// the run there to interrupt it mid-source.
	afterBatch func(i int)
	// withSellers makes a listings source's batches carry the sellers
	// columns (RawSchemaWithSellers), as one whose mapping has sellers:.
	withSellers bool

	emitted int // batches the runner accepted
}

func (e *fakeExtractor) Name() string       { return e.name }
func (e *fakeExtractor) Dataset() Dataset   { return e.dataset }
func (e *fakeExtractor) NamesSellers() bool { return e.withSellers }

var _ NamesSellers = (*fakeExtractor)(nil)

func (e *fakeExtractor) Extract(ctx context.Context, mem memory.Allocator, emit Emit) (ExtractStats, error) {
	for i, rows := range e.batches {
		// A real extractor notices cancellation between pages.
		if err := ctx.Err(); err != nil {
			return e.stats, err
		}
		schema := RawSchema(e.dataset)
		if e.withSellers {
			schema = RawSchemaWithSellers()
		}
		b := rawBatchOf(mem, schema, rows)
		err := emit(b)
		b.Release()
		if err != nil {
			return e.stats, err
		}
		e.emitted++
		if e.afterBatch != nil {
			e.afterBatch(i)
		}
	}
	return e.stats, e.err
}

// fakeIncremental is a source that resumes from a saved cursor and moves
// it to next when it has extracted.
type fakeIncremental struct {
	fakeExtractor
	key, next string
	resumed   []string // every cursor Resume was handed
}

func (e *fakeIncremental) StateKey() string     { return e.key }
func (e *fakeIncremental) Resume(cursor string) { e.resumed = append(e.resumed, cursor) }
func (e *fakeIncremental) Cursor() string       { return e.next }

var _ Incremental = (*fakeIncremental)(nil)

// fakeTransform copies raw text into the typed columns of the same name and
// rejects a record any of whose fields starts with badPrefix.
type fakeTransform struct {
	d      Dataset
	source string
	err    error // returned by Apply
	lose   int   // rows Apply drops without a reject: a broken transform
	// noBuild makes the factory fail with it instead of returning the
	// transform: a mapping that cannot be compiled.
	noBuild error
}

func (t *fakeTransform) Apply(ctx context.Context, mem memory.Allocator, raw arrow.RecordBatch) (good, rejects arrow.RecordBatch, err error) {
	if t.err != nil {
		return nil, nil, t.err
	}
	var goodRows, rejRows []map[string]string
	for i := range int(raw.NumRows()) {
		row := map[string]string{}
		for j, f := range raw.Schema().Fields() {
			if col := raw.Column(j); !col.IsNull(i) {
				row[f.Name] = col.(*array.String).Value(i)
			}
		}
		if code, field, ok := rejectOf(row); ok {
			detail := fmt.Sprintf("%s %q is not usable", field, row[field])
			rejRows = append(rejRows, map[string]string{"dataset": string(t.d), "source": t.source,
				"field": field, "reason": "[" + code + "] " + detail, "raw": row[RawColumn], "code": code})
			continue
		}
		goodRows = append(goodRows, row)
	}
	goodRows = goodRows[:max(0, len(goodRows)-t.lose)]
	return buildBatch(mem, TypedSchema(t.d), goodRows), buildBatch(mem, RejectSchema(), rejRows), nil
}

// rejectOf finds the first field marked bad, in field order.
func rejectOf(row map[string]string) (code, field string, ok bool) {
	for _, f := range slices.Sorted(maps.Keys(row)) {
		if c, ok := strings.CutPrefix(row[f], badPrefix); ok && f != RawColumn {
			return c, f, true
		}
	}
	return "", "", false
}

// fakeFX learns currencies from typed fx_rates batches; every rate it
// knows is 1 unit per USD.
type fakeFX struct {
	mu    sync.Mutex
	known map[string]bool
}

func (f *fakeFX) AddBatch(b arrow.RecordBatch) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.known == nil {
		f.known = map[string]bool{}
	}
	col := b.Column(b.Schema().FieldIndices("currency")[0]).(*array.String)
	for i := range col.Len() {
		f.known[col.Value(i)] = true
	}
	return nil
}

func (f *fakeFX) Rate(currency string, day time.Time) (FXRate, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.known[currency] {
		return FXRate{}, false
	}
	return FXRate{UnitsPerUSD: 1, Day: day}, true
}

// fakeWarehouse keeps a run in memory: it reads staged batches to their end
// (or fails as told), merges by natural key, holds cursors in a pending set
// that Commit saves and Rollback drops, and records every call in order.
type fakeWarehouse struct {
	mu    sync.Mutex
	calls []string
	// fail makes the named call return its error: "BeginRun", "State",
	// "ReadFXRates", "Stage" or "Stage <dataset>", "StageRejects", "Merge",
	// "BuildMarts", "RunDataTests", "Commit", "Rollback", "FinishRun" or
	// "FinishRun <status>", "Publish".
	fail map[string]error
	// stopAfter makes Stage of a dataset return, without an error, after
	// reading that many batches: a stager that quits early.
	stopAfter map[Dataset]int
	// miscount is added to the count Stage reports.
	miscount int64
	// tamper changes what Merge reports, for counts that do not add up.
	tamper func(*MergeResult)
	// delists is what Merge reports for complete sources.
	delists map[string]DelistCount
	// tests is what RunDataTests returns.
	tests []DataTestResult
	// savedFX are the currencies earlier runs loaded; ReadFXRates streams them.
	savedFX []string

	saved   map[string]string // cursors committed by earlier runs
	pending map[string]string // cursors of the open run
	core    map[Dataset]map[string]bool

	staged       map[Dataset]int64
	stagedKeys   map[Dataset]map[string]int64
	rejects      int64
	rejectCodes  map[string]int64
	merged       *MergeRequest
	finished     []RunSummary
	began        RunInfo
	snapshotPath string
}

func newFakeWarehouse() *fakeWarehouse {
	return &fakeWarehouse{fail: map[string]error{}, saved: map[string]string{}, snapshotPath: "/tmp/analytics.duckdb"}
}

// call records the call and returns the error the test set for it, by
// its full name ("Stage listings") or by the method alone ("Stage").
func (w *fakeWarehouse) call(name, detail string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	full := strings.TrimSpace(name + " " + detail)
	w.calls = append(w.calls, full)
	if err, ok := w.fail[full]; ok {
		return err
	}
	return w.fail[name]
}

func (w *fakeWarehouse) BeginRun(ctx context.Context, run RunInfo) error {
	w.began = run
	w.staged, w.stagedKeys, w.rejects, w.rejectCodes = map[Dataset]int64{}, map[Dataset]map[string]int64{}, 0, map[string]int64{}
	return w.call("BeginRun", "")
}

func (w *fakeWarehouse) State(ctx context.Context) (map[string]string, error) {
	if err := w.call("State", ""); err != nil {
		return nil, err
	}
	return maps.Clone(w.saved), nil
}

func (w *fakeWarehouse) ReadFXRates(ctx context.Context, emit Emit) error {
	if err := w.call("ReadFXRates", ""); err != nil {
		return err
	}
	var rows []map[string]string
	for _, c := range w.savedFX {
		rows = append(rows, map[string]string{"currency": c, "units_per_usd": "1"})
	}
	b := buildBatch(memory.DefaultAllocator, TypedSchema(FXRates), rows)
	defer b.Release()
	return emit(b)
}

func (w *fakeWarehouse) Stage(ctx context.Context, d Dataset, rdr array.RecordReader) (int64, error) {
	if err := w.call("Stage", string(d)); err != nil {
		// Fails before reading anything, as an INSERT that cannot start.
		return 0, fmt.Errorf("stage %s: %w", d, err)
	}
	if !rdr.Schema().Equal(TypedSchema(d)) {
		return 0, fmt.Errorf("stage %s: batch schema %s is not the typed schema", d, rdr.Schema())
	}
	keys := map[string]int64{}
	var n int64
	batches := 0
	for rdr.Next() {
		b := rdr.RecordBatch()
		for i := range int(b.NumRows()) {
			keys[naturalKey(d, b, i)]++
		}
		n += b.NumRows()
		batches++
		if stop, ok := w.stopAfter[d]; ok && batches >= stop {
			break
		}
	}
	// The real warehouse's INSERT fails when the reader ends in an error,
	// so a source that broke halfway loads none of its rows.
	if err := rdr.Err(); err != nil {
		return n, fmt.Errorf("stage %s: %w", d, err)
	}
	w.mu.Lock()
	w.staged[d] += n
	w.stagedKeys[d] = keys
	w.mu.Unlock()
	return n + w.miscount, nil
}

func naturalKey(d Dataset, b arrow.RecordBatch, i int) string {
	var parts []string
	for _, k := range d.NaturalKey() {
		parts = append(parts, b.Column(b.Schema().FieldIndices(k)[0]).ValueStr(i))
	}
	return strings.Join(parts, "/")
}

func (w *fakeWarehouse) StageRejects(ctx context.Context, rdr array.RecordReader) (int64, error) {
	if err := w.call("StageRejects", ""); err != nil {
		return 0, err
	}
	var n int64
	for rdr.Next() {
		b := rdr.RecordBatch()
		reasons := b.Column(b.Schema().FieldIndices("reason")[0]).(*array.String)
		for i := range reasons.Len() {
			w.rejectCodes[reasons.Value(i)]++
		}
		n += b.NumRows()
	}
	w.rejects += n
	return n, rdr.Err()
}

func (w *fakeWarehouse) Merge(ctx context.Context, req MergeRequest) (MergeResult, error) {
	if err := w.call("Merge", ""); err != nil {
		return MergeResult{}, err
	}
	w.merged = &req
	if w.core == nil {
		w.core = map[Dataset]map[string]bool{}
	}
	res := MergeResult{Datasets: map[Dataset]MergeCounts{}, Delists: map[string]DelistCount{}}
	for d, keys := range w.stagedKeys {
		c := MergeCounts{Staged: w.staged[d], Loaded: int64(len(keys))}
		c.Duplicates = c.Staged - c.Loaded
		for k := range keys {
			if w.core[d][k] {
				c.Updated++
			} else {
				c.Inserted++
			}
		}
		res.Datasets[d] = c
	}
	for _, src := range req.Complete {
		if dc, ok := w.delists[src]; ok {
			res.Delists[src] = dc
		}
	}
	if w.tamper != nil {
		w.tamper(&res)
	}
	w.pending = maps.Clone(req.State)
	return res, nil
}

func (w *fakeWarehouse) BuildMarts(ctx context.Context) error { return w.call("BuildMarts", "") }

func (w *fakeWarehouse) RunDataTests(ctx context.Context, runID string) ([]DataTestResult, error) {
	if err := w.call("RunDataTests", ""); err != nil {
		return nil, err
	}
	return w.tests, nil
}

func (w *fakeWarehouse) Commit(ctx context.Context) error {
	if err := w.call("Commit", ""); err != nil {
		return err
	}
	for d, keys := range w.stagedKeys {
		if w.core[d] == nil {
			w.core[d] = map[string]bool{}
		}
		for k := range keys {
			w.core[d][k] = true
		}
	}
	maps.Copy(w.saved, w.pending)
	w.pending = nil
	return nil
}

func (w *fakeWarehouse) Rollback(ctx context.Context) error {
	w.pending = nil
	return w.call("Rollback", "")
}

func (w *fakeWarehouse) FinishRun(ctx context.Context, sum RunSummary) error {
	// The runner records the outcome even when the run's context is gone.
	if ctx.Err() != nil {
		return fmt.Errorf("finish run: %w", ctx.Err())
	}
	w.finished = append(w.finished, sum)
	return w.call("FinishRun", string(sum.Status))
}

func (w *fakeWarehouse) Publish(ctx context.Context) (string, error) {
	if err := w.call("Publish", ""); err != nil {
		return "", err
	}
	return w.snapshotPath, nil
}

var _ Warehouse = (*fakeWarehouse)(nil)

// callsOf lists the calls made, in order.
func (w *fakeWarehouse) callsOf() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.calls)
}

// lastFinish is the outcome the runner recorded last.
func (w *fakeWarehouse) lastFinish(t *testing.T) RunSummary {
	t.Helper()
	if len(w.finished) == 0 {
		t.Fatal("the run recorded no outcome (FinishRun was never called)")
	}
	return w.finished[len(w.finished)-1]
}

// transformsFor is a TransformFactory of fakeTransforms; broken names the
// sources whose transform the given function breaks.
func transformsFor(broken map[string]func(*fakeTransform)) TransformFactory {
	return func(d Dataset, source string, fx FXLookup) (Transform, error) {
		t := &fakeTransform{d: d, source: source}
		if f, ok := broken[source]; ok {
			f(t)
		}
		if t.noBuild != nil {
			return nil, t.noBuild
		}
		return t, nil
	}
}
