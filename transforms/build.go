package transforms

import (
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/exportpipe/exportpipe/pipeline"
)

// memo caches a parser's answers for one batch. Countries, categories,
// ports and quantities repeat heavily, so most rows become a map lookup.
// It lives only as long as one Apply because its keys may point into the
// raw batch's buffers.
type memo[T any] struct {
	fn func(string) (T, error)
	m  map[string]memoEntry[T]
}

type memoEntry[T any] struct {
	v   T
	err error
}

func newMemo[T any](fn func(string) (T, error)) *memo[T] {
	return &memo[T]{fn: fn, m: make(map[string]memoEntry[T])}
}

func (m *memo[T]) get(s string) (T, error) {
	if e, ok := m.m[s]; ok {
		return e.v, e.err
	}
	v, err := m.fn(s)
	m.m[s] = memoEntry[T]{v, err}
	return v, err
}

// Typed accessors for a RecordBuilder's columns by position, used once
// per batch when a transform collects its builders.
func strB(b *array.RecordBuilder, i int) *array.StringBuilder {
	return b.Field(i).(*array.StringBuilder)
}

func f64B(b *array.RecordBuilder, i int) *array.Float64Builder {
	return b.Field(i).(*array.Float64Builder)
}

func i32B(b *array.RecordBuilder, i int) *array.Int32Builder { return b.Field(i).(*array.Int32Builder) }

func tsB(b *array.RecordBuilder, i int) *array.TimestampBuilder {
	return b.Field(i).(*array.TimestampBuilder)
}

func d32B(b *array.RecordBuilder, i int) *array.Date32Builder {
	return b.Field(i).(*array.Date32Builder)
}

// appendOpt appends s, or a null when s is empty.
func appendOpt(b *array.StringBuilder, s string) {
	if s == "" {
		b.AppendNull()
		return
	}
	b.Append(s)
}

// appendTS appends t as microseconds, the unit of every typed timestamp.
func appendTS(b *array.TimestampBuilder, t time.Time) {
	b.Append(arrow.Timestamp(t.UnixMicro()))
}

// appendOptTS appends t, or a null when ok is false.
func appendOptTS(b *array.TimestampBuilder, t time.Time, ok bool) {
	if !ok {
		b.AppendNull()
		return
	}
	appendTS(b, t)
}

// appendOptF64 appends v, or a null when ok is false.
func appendOptF64(b *array.Float64Builder, v float64, ok bool) {
	if !ok {
		b.AppendNull()
		return
	}
	b.Append(v)
}

// fxKey is a (currency, UTC day) pair; rows of one batch share few of them.
type fxKey struct {
	currency string
	day      int32
}

// fxCache memoises FX lookups per batch and holds each rate to its age
// limit.
type fxCache struct {
	fx pipeline.FXLookup
	// maxAge is the configured limit (normalise.fx_max_age); 0 takes the
	// default for the series' spacing (fxMaxAgeFor).
	maxAge time.Duration
	m      map[fxKey]fxAnswer
}

type fxAnswer struct {
	rate  pipeline.FXRate
	ok    bool
	limit time.Duration // how old rate may be, from maxAge or its spacing
}

func newFXCache(fx pipeline.FXLookup, maxAge time.Duration) *fxCache {
	return &fxCache{fx: fx, maxAge: maxAge, m: make(map[fxKey]fxAnswer)}
}

// convert returns units of currency per USD on the UTC date of t. With no
// rate on or before that date, or only one older than the age limit, it
// fails row r on field c, quoting value, and returns false.
func (c *fxCache) convert(r *row, field int, value, currency string, t time.Time) (float64, bool) {
	k := fxKey{currency, dayNumber(t)}
	a, seen := c.m[k]
	if !seen {
		a.rate, a.ok = c.fx.Rate(currency, dayStart(k.day))
		a.limit = c.maxAge
		if a.limit <= 0 {
			a.limit, _ = fxMaxAgeFor(a.rate.Spacing)
		}
		c.m[k] = a
	}
	if !a.ok {
		r.fail(field, CodeNoFXRate, fmt.Sprintf("%s %q: no FX rate for %s on or before %s",
			r.d.RawField(field), value, currency, dayStart(k.day).Format(time.DateOnly)))
		return 0, false
	}
	if age := time.Duration(k.day-dayNumber(a.rate.Day)) * 24 * time.Hour; age > a.limit {
		r.fail(field, CodeFXRateTooOld, fmt.Sprintf("%s %q: the nearest %s rate on or before %s is for %s, %d days earlier, past %s; load newer %s rates or set normalise.fx_max_age",
			r.d.RawField(field), value, currency, dayStart(k.day).Format(time.DateOnly), a.rate.Day.Format(time.DateOnly),
			age/(24*time.Hour), c.limitName(a.rate.Spacing), currency))
		return 0, false
	}
	return a.rate.UnitsPerUSD, true
}

// limitName says which age limit applied, for a reject's reason.
func (c *fxCache) limitName(spacing time.Duration) string {
	if c.maxAge > 0 {
		return "the limit of " + days(c.maxAge) + " set in normalise.fx_max_age"
	}
	limit, kind := fxMaxAgeFor(spacing)
	return fmt.Sprintf("the %d-day limit for a %s series", limit/(24*time.Hour), kind)
}

// days names a duration in days when it is whole days ("45 days"), else
// as Go writes it ("36h0m0s").
func days(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return d.String()
}

// dayStart is midnight UTC of a day number.
func dayStart(day int32) time.Time {
	return time.Unix(int64(day)*secondsPerDay, 0).UTC()
}

// typedIndex is the position of a typed column; it panics when the
// contract's schema lacks it, which a test run catches immediately.
func typedIndex(b *array.RecordBuilder, name string) int {
	idx := b.Schema().FieldIndices(name)
	if len(idx) != 1 {
		panic("transforms: typed schema has no single column " + name)
	}
	return idx[0]
}
