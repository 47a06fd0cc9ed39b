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
	d, src                           string
}

func newRejectBuilder(mem memory.Allocator, d pipeline.Dataset, source string) *rejectBuilder {
	b := array.NewRecordBuilder(mem, pipeline.RejectSchema())
	str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	return &rejectBuilder{
		b: b, dataset: str(0), source: str(1), key: str(2), field: str(3), why: str(4), raw: str(5),
		version: b.Field(6).(*array.TimestampBuilder),
		d:       string(d), src: source,
	}
}

// add records one rejected row. raw is the record as the source sent it;
// version is the record's version when it could be read (ok).
func (r *rejectBuilder) add(key string, hasKey bool, field, reason, raw string, version time.Time, hasVersion bool) {
	r.dataset.Append(r.d)
	r.source.Append(r.src)
	if hasKey {
		r.key.Append(key)
	} else {
		r.key.AppendNull()
	}
	r.field.Append(field)
	r.why.Append(reason)
	// The warehouse stores raw as VARCHAR, which must be valid UTF-8; the
	// reason already quotes the bad value with escapes.
	r.raw.Append(strings.ToValidUTF8(raw, "\uFFFD"))
	appendOptTS(r.version, version, hasVersion)
}

func (r *rejectBuilder) finish() arrow.RecordBatch { return r.b.NewRecordBatch() }

func (r *rejectBuilder) release() { r.b.Release() }
