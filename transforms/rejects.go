package transforms

import (
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// rejectBuilder accumulates rows of pipeline.RejectSchema.
type rejectBuilder struct {
	b                                *array.RecordBuilder
	dataset, source, key, field, why *array.StringBuilder
	raw                              *array.StringBuilder
	version                          *array.TimestampBuilder
	code                             *array.StringBuilder
	d, src                           string
	// buf is where each reason's text is put together before it is
	// copied into the column, so a dirty batch makes no string per reject.
	buf []byte
}

func newRejectBuilder(mem memory.Allocator, d pipeline.Dataset, source string) *rejectBuilder {
	b := array.NewRecordBuilder(mem, pipeline.RejectSchema())
	str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	return &rejectBuilder{
		b: b, dataset: str(0), source: str(1), key: str(2), field: str(3), why: str(4), raw: str(5),
		version: b.Field(6).(*array.TimestampBuilder), code: str(7),
		d: string(d), src: source,
	}
}

// add records one rejected row, the only way a transform makes a reject:
// code and detail become the reason text (pipeline.AppendRejectReason) and
// the code its own column. raw is the record as the source sent it;
// version is the record's version when it could be read (hasVersion).
func (r *rejectBuilder) add(key string, hasKey bool, field string, code pipeline.RejectCode, detail, raw string, version time.Time, hasVersion bool) {
	r.dataset.Append(r.d)
	r.source.Append(r.src)
	if hasKey {
		r.key.Append(key)
	} else {
		r.key.AppendNull()
	}
	r.field.Append(field)
	r.buf = pipeline.AppendRejectReason(r.buf[:0], code, detail)
	r.why.BinaryBuilder.Append(r.buf)
	r.code.Append(string(code))
	// The warehouse stores raw as VARCHAR, which must be valid UTF-8; the
	// reason already quotes the bad value with escapes.
	r.raw.Append(strings.ToValidUTF8(raw, "\uFFFD"))
	appendOptTS(r.version, version, hasVersion)
}

func (r *rejectBuilder) finish() arrow.RecordBatch { return r.b.NewRecordBatch() }

func (r *rejectBuilder) release() { r.b.Release() }
