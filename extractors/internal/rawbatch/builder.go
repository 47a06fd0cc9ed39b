package rawbatch

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// Builder accumulates records into a raw batch and emits it when full. Its
// caller releases it; each emitted batch is released right after emit, as
// pipeline.Emit requires.
type Builder struct {
	m    *Mapping
	rb   *array.RecordBuilder
	cols []*array.StringBuilder
	raw  *array.StringBuilder
	// sellers are the sellers columns of a listings source that names
	// them (pipeline.RawSchemaWithSellers), after raw.
	sellers []*array.StringBuilder
	rows    int
	max     int
	at      string // when this extraction started: the value of ExtractedAt
}

// NewBuilder returns a builder for d emitting batches of batchSize rows.
func NewBuilder(mem memory.Allocator, d pipeline.Dataset, m *Mapping, batchSize int) *Builder {
	if batchSize <= 0 {
		batchSize = 16384
	}
	schema := pipeline.RawSchema(d)
	if m.sellers != nil {
		schema = pipeline.RawSchemaWithSellers()
	}
	rb := array.NewRecordBuilder(mem, schema)
	b := &Builder{m: m, rb: rb, max: batchSize, at: time.Now().UTC().Format(time.RFC3339)}
	for i := range m.names {
		b.cols = append(b.cols, rb.Field(i).(*array.StringBuilder))
	}
	b.raw = rb.Field(len(m.names)).(*array.StringBuilder)
	if m.sellers != nil {
		for i := range m.sellers.names {
			b.sellers = append(b.sellers, rb.Field(len(m.names)+1+i).(*array.StringBuilder))
		}
	}
	return b
}

// Add appends one record read through get, with raw as sent.
func (b *Builder) Add(get Getter, raw string) {
	if b.m.usesExtractedAt {
		inner := get
		get = func(key string) (string, bool) {
			if key == ExtractedAt {
				return b.at, true
			}
			return inner(key)
		}
	}
	for i, col := range b.cols {
		if i == b.m.attrs && b.m.keeps() {
			if v, ok := b.m.attributes(get, raw); ok {
				col.Append(v)
			} else {
				col.AppendNull()
			}
			continue
		}
		if v, ok := b.m.Value(i, get); ok {
			col.Append(v)
		} else {
			col.AppendNull()
		}
	}
	b.raw.Append(raw)
	for i, col := range b.sellers {
		if v, ok := b.m.sellers.Value(i, get); ok {
			col.Append(v)
		} else {
			col.AppendNull()
		}
	}
	b.rows++
}

// AddInvalid appends a record that could not be read (bad JSON, a ragged
// CSV row): every field is null, so the transform rejects it and keeps raw
// in meta.rejects instead of the extractor dropping it.
func (b *Builder) AddInvalid(raw string) {
	for _, col := range b.cols {
		col.AppendNull()
	}
	b.raw.Append(raw)
	for _, col := range b.sellers {
		col.AppendNull()
	}
	b.rows++
}

// Full reports whether the batch has reached its size.
func (b *Builder) Full() bool { return b.rows >= b.max }

// Rows is the number of rows waiting in the current batch.
func (b *Builder) Rows() int { return b.rows }

// Flush emits the current batch, if any.
func (b *Builder) Flush(emit pipeline.Emit) error {
	if b.rows == 0 {
		return nil
	}
	rec := b.rb.NewRecordBatch()
	defer rec.Release()
	b.rows = 0
	return emit(rec)
}

// FlushIfFull emits the batch once it is full.
func (b *Builder) FlushIfFull(emit pipeline.Emit) error {
	if !b.Full() {
		return nil
	}
	return b.Flush(emit)
}

// Release frees the builder's buffers.
func (b *Builder) Release() { b.rb.Release() }
