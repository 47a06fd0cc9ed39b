//go:build duckdb_arrow

package warehouse

import (
	"slices"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// seqReader appends an int64 arrival number to every batch of src. DuckDB
// scans an Arrow stream with several threads, so the order rows land in
// staging is not the order they arrived in; the number keeps "the later one
// wins" exact when two versions of a key tie on their version column.
//
// The caller keeps ownership of src: releasing a seqReader does not release
// src.
type seqReader struct {
	refs   atomic.Int64
	mem    memory.Allocator
	src    array.RecordReader
	schema *arrow.Schema
	next   int64
	cur    arrow.RecordBatch
}

var _ array.RecordReader = (*seqReader)(nil)

func newSeqReader(mem memory.Allocator, src array.RecordReader, first int64) *seqReader {
	fields := append(slices.Clone(src.Schema().Fields()),
		arrow.Field{Name: seqColumn, Type: arrow.PrimitiveTypes.Int64})
	r := &seqReader{mem: mem, src: src, schema: arrow.NewSchema(fields, nil), next: first}
	r.refs.Store(1)
	return r
}

func (r *seqReader) Retain() { r.refs.Add(1) }

func (r *seqReader) Release() {
	if r.refs.Add(-1) == 0 && r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
}

func (r *seqReader) Schema() *arrow.Schema { return r.schema }

func (r *seqReader) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if !r.src.Next() {
		return false
	}
	rec := r.src.RecordBatch()
	n := rec.NumRows()
	b := array.NewInt64Builder(r.mem)
	defer b.Release()
	b.Reserve(int(n))
	for i := range n {
		b.UnsafeAppend(r.next + i)
	}
	seq := b.NewInt64Array()
	defer seq.Release()
	cols := append(slices.Clone(rec.Columns()), seq)
	r.cur = array.NewRecordBatch(r.schema, cols, n)
	r.next += n
	return true
}

func (r *seqReader) RecordBatch() arrow.RecordBatch { return r.cur }

// Record is the deprecated name of RecordBatch, kept for the interface.
func (r *seqReader) Record() arrow.RecordBatch { return r.cur }

func (r *seqReader) Err() error { return r.src.Err() }
