package transforms

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// rec is one raw record: field -> value; a missing field is a null.
type rec map[string]string

// rawBatch builds a raw batch of d over pipeline.RawSchema, with _raw set
// to the record's JSON as an extractor would.
func rawBatch(t testing.TB, mem memory.Allocator, d pipeline.Dataset, rows []rec) arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(mem, pipeline.RawSchema(d))
	defer b.Release()
	fields := d.RawFields()
	for _, r := range rows {
		for i, f := range fields {
			sb := b.Field(i).(*array.StringBuilder)
			if v, ok := r[f]; ok {
				sb.Append(v)
			} else {
				sb.AppendNull()
			}
		}
		js, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Field(len(fields)).(*array.StringBuilder).Append(string(js))
	}
	return b.NewRecordBatch()
}

// applied is the outcome of one Apply; the test defers release.
type applied struct {
	good, rejects arrow.RecordBatch
}

func (a applied) release() {
	a.good.Release()
	a.rejects.Release()
}

// apply runs tr over rows and checks the invariants every transform
// keeps: exact schemas, and each input row in exactly one output.
func apply(t *testing.T, mem memory.Allocator, tr pipeline.Transform, d pipeline.Dataset, rows []rec) applied {
	t.Helper()
	raw := rawBatch(t, mem, d, rows)
	defer raw.Release()
	good, rejects, err := tr.Apply(context.Background(), mem, raw)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if !good.Schema().Equal(pipeline.TypedSchema(d)) {
		t.Errorf("good schema = %s, want %s", good.Schema(), pipeline.TypedSchema(d))
	}
	if !rejects.Schema().Equal(pipeline.RejectSchema()) {
		t.Errorf("rejects schema = %s, want %s", rejects.Schema(), pipeline.RejectSchema())
	}
	if got := good.NumRows() + rejects.NumRows(); got != raw.NumRows() {
		t.Errorf("good %d + rejects %d = %d rows, want %d", good.NumRows(), rejects.NumRows(), got, raw.NumRows())
	}
	// Every reject carries its code in a column, and it is the code its
	// reason text starts with, so the two never tell different stories.
	for i := range int(rejects.NumRows()) {
		code, reason := cell(t, rejects, "code", i), cell(t, rejects, "reason", i).(string)
		if parsed, _, ok := pipeline.ParseRejectReason(reason); !ok || code != string(parsed) {
			t.Errorf("reject %d: code column %v, reason %q: want the reason's code in the column", i, code, reason)
		}
	}
	return applied{good, rejects}
}

// cell returns column name of row i as a Go value: string, float64,
// int32, bool, time.Time (UTC), or nil for null.
func cell(t *testing.T, b arrow.RecordBatch, name string, i int) any {
	t.Helper()
	idx := b.Schema().FieldIndices(name)
	if len(idx) != 1 {
		t.Fatalf("no column %q", name)
	}
	col := b.Column(idx[0])
	if col.IsNull(i) {
		return nil
	}
	switch c := col.(type) {
	case *array.String:
		return c.Value(i)
	case *array.Float64:
		return c.Value(i)
	case *array.Int32:
		return c.Value(i)
	case *array.Timestamp:
		return time.UnixMicro(int64(c.Value(i))).UTC()
	case *array.Date32:
		return c.Value(i).ToTime().Format(time.DateOnly)
	case *array.Boolean:
		return c.Value(i)
	}
	t.Fatalf("column %q has unhandled type %s", name, col.DataType())
	return nil
}

// rejectRow is one row of a rejects batch.
type rejectRow struct {
	key           any
	field, reason string
	raw           string
}

// rejectsByKey reads a rejects batch, keyed by record_key ("" for null),
// checking dataset and source on the way.
func rejectsByKey(t *testing.T, b arrow.RecordBatch, d pipeline.Dataset, source string) map[string]rejectRow {
	t.Helper()
	out := map[string]rejectRow{}
	for i := range int(b.NumRows()) {
		if ds, src := cell(t, b, "dataset", i), cell(t, b, "source", i); ds != string(d) || src != source {
			t.Errorf("reject %d: dataset/source = %v/%v, want %s/%s", i, ds, src, d, source)
		}
		k, _ := cell(t, b, "record_key", i).(string)
		out[k] = rejectRow{
			key: cell(t, b, "record_key", i), field: cell(t, b, "field", i).(string),
			reason: cell(t, b, "reason", i).(string), raw: cell(t, b, "raw", i).(string),
		}
	}
	return out
}

// goodByKey maps the first column's value to its row index.
func goodByKey(t *testing.T, b arrow.RecordBatch, name string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for i := range int(b.NumRows()) {
		out[cell(t, b, name, i).(string)] = i
	}
	return out
}

// testFX is a small FX table: PKR, BDT, CNY, EUR and AED from 2025-05-01.
func testFX(t testing.TB) *FXTable {
	t.Helper()
	fx := NewFXTable()
	day := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	for _, r := range []struct {
		cur  string
		day  string
		rate float64
	}{
		{"PKR", "2025-05-01", 280}, {"PKR", "2025-06-02", 250}, {"BDT", "2025-05-01", 120},
		{"CNY", "2025-05-01", 7.2}, {"EUR", "2025-05-01", 0.9}, {"AED", "2025-05-01", 3.6725},
	} {
		if err := fx.Add(r.cur, day(r.day), r.rate); err != nil {
			t.Fatal(err)
		}
	}
	return fx
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v.UTC()
}
