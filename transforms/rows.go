package transforms

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/transforms/parse"
)

// ctxCheckEvery is how many rows pass between cancellation checks: often
// enough to stop a 16k-row batch promptly, rarely enough to cost nothing.
const ctxCheckEvery = 4096

// fieldIndex is the position of a raw field in d.RawFields(). It
// panics at start-up if the field is missing, so a renamed field in the
// contract cannot silently read the wrong column.
func fieldIndex(d pipeline.Dataset, name string) int {
	for i, f := range d.RawFields() {
		if f == name {
			return i
		}
	}
	panic(fmt.Sprintf("transforms: %s has no raw field %q", d, name))
}

// rawColumns finds each raw field of d, by name, in a raw batch, and the
// _raw column. Matching by name lets extractors add columns or reorder.
func rawColumns(d pipeline.Dataset, rec arrow.RecordBatch) (cols []*array.String, raw *array.String, err error) {
	names := slices.Concat(d.RawFields(), []string{pipeline.RawColumn})
	cols = make([]*array.String, len(names))
	for i, name := range names {
		idx := rec.Schema().FieldIndices(name)
		if len(idx) != 1 {
			return nil, nil, fmt.Errorf("transform %s: raw batch has %d columns named %q, want 1", d, len(idx), name)
		}
		c, ok := rec.Column(idx[0]).(*array.String)
		if !ok {
			return nil, nil, fmt.Errorf("transform %s: raw column %q is %s, want utf8", d, name, rec.Column(idx[0]).DataType())
		}
		cols[i] = c
	}
	return cols[:len(names)-1], cols[len(names)-1], nil
}

// row reads one raw row and remembers the first thing wrong with it.
type row struct {
	d     pipeline.Dataset
	env   *env
	cols  []*array.String
	i     int
	field string
	// code and detail say why the row is rejected; code is "" while it
	// is fine.
	code   pipeline.RejectCode
	detail string
	// futureCol is the raw column of the version timestamp held to the
	// run's start (env.future), or -1 when the dataset has none.
	futureCol int
}

// text is the trimmed value of column c, "" when null or blank. A value
// that is not valid UTF-8 fails the row: in an identifier or code a
// replaced byte would change what the value names.
func (r *row) text(c int) string {
	col := r.cols[c]
	if col.IsNull(r.i) {
		return ""
	}
	v := strings.TrimSpace(col.Value(r.i))
	if r.env.repr != nil {
		v = r.reprValue(c, v)
	}
	if !utf8.ValidString(v) {
		r.bad(c, v, parse.ErrInvalidUTF8)
		return ""
	}
	return v
}

// free is free text (titles, names): cleaned by parse.CleanText, with
// invalid UTF-8 repaired rather than rejected.
func (r *row) free(c int) string {
	col := r.cols[c]
	if col.IsNull(r.i) {
		return ""
	}
	v := col.Value(r.i)
	if r.env.repr != nil {
		v = r.reprValue(c, strings.TrimSpace(v))
	}
	v, _ = parse.CleanText(v)
	return v
}

// reprValue picks the declared value out of a Python-literal cell; a
// placeholder ('-', None) or missing path is a blank, a broken literal
// fails the row.
func (r *row) reprValue(c int, v string) string {
	path, ok := r.env.repr[c]
	if !ok || v == "" {
		return v
	}
	out, _, err := parse.SelectRepr(v, path)
	if err != nil {
		r.bad(c, v, err)
		return ""
	}
	return strings.TrimSpace(out)
}

// need is text for a required field; a missing value fails the row.
func (r *row) need(c int) string {
	v := r.text(c)
	if v == "" {
		r.fail(c, CodeMissing, r.d.RawField(c)+" is missing")
	}
	return v
}

func (r *row) failed() bool { return r.code != "" }

// fail records why the row is rejected, keeping the first reason only.
// The reject's reason text is made from code and detail when it is
// added (rejectBuilder.add).
func (r *row) fail(c int, code pipeline.RejectCode, detail string) {
	if r.code == "" {
		r.field, r.code, r.detail = r.d.RawField(c), code, detail
	}
}

// bad fails the row with the field's value and the parser's error, e.g.
// price "XYZ 12.00": unknown currency "XYZ".
func (r *row) bad(c int, value string, err error) {
	if r.code == "" { // formatted in one go: rejects are a hot path on dirty sources
		r.field, r.code = r.d.RawField(c), ReasonCodeOf(err)
		r.detail = fmt.Sprintf("%s %q: %v", r.field, value, err)
	}
}

// time parses column c; ok is false when it is blank or invalid, and an
// invalid value (or a blank required one) fails the row.
func (r *row) time(c int, required bool) (t time.Time, ok bool) {
	v := r.text(c)
	if v == "" {
		if required {
			r.fail(c, CodeMissing, r.d.RawField(c)+" is missing")
		}
		return time.Time{}, false
	}
	t, err := parse.ParseTimestampIn(v, r.env.time)
	if err != nil {
		r.bad(c, v, err)
		return time.Time{}, false
	}
	if c == r.futureCol && !r.env.future.IsZero() && t.After(r.env.future) {
		r.failFuture(c, v)
		return time.Time{}, false
	}
	return t, true
}

// failFuture rejects a row whose version is later than the run's start
// plus the tolerance. It replaces any reason found before it: the reject
// still carries the version, and under another code a 2036 version would
// read as the record's newest word (see VersionColumn).
func (r *row) failFuture(c int, value string) {
	r.field, r.code = r.d.RawField(c), CodeFutureTimestamp
	r.detail = fmt.Sprintf(
		"%s %q: later than this run's start, %s, plus normalise.future_tolerance (%s); a version from the future would outrank every real update of the record: check the source's clock and time zone",
		r.field, value, r.env.runStart.Format(time.RFC3339), r.env.futureTolerance)
}

// recordKey is the natural key as "part/part" when every part is readable.
func (r *row) recordKey(keyCols []int) (string, bool) {
	parts := make([]string, len(keyCols))
	for j, c := range keyCols {
		if parts[j] = r.text(c); parts[j] == "" {
			return "", false
		}
	}
	return strings.Join(parts, "/"), true
}

// version reads a rejected row's version column without failing the row
// again: the warehouse compares it with the key's good versions, so an
// unusable newest version is never hidden behind an older usable one.
func (r *row) version(c int) (time.Time, bool) {
	col := r.cols[c]
	if col.IsNull(r.i) {
		return time.Time{}, false
	}
	t, err := parse.ParseTimestampIn(strings.TrimSpace(col.Value(r.i)), r.env.time)
	return t, err == nil
}

// keyColumns maps a dataset's natural key onto raw field positions; the
// typed key columns have the same names as their raw fields.
func keyColumns(d pipeline.Dataset) []int {
	key := d.NaturalKey()
	out := make([]int, len(key))
	for i, name := range key {
		out[i] = fieldIndex(d, name)
	}
	return out
}

// rowFunc parses row r and, only when every field is valid, appends it to
// the typed builders. It must not append anything for a failed row.
type rowFunc func(r *row)

// run drives one Apply: it checks the raw batch, lets setup bind the
// typed builders once, calls the returned rowFunc for every row and
// routes failed rows to the rejects batch.
func run(ctx context.Context, mem memory.Allocator, raw arrow.RecordBatch, d pipeline.Dataset, source string, e *env,
	setup func(b *array.RecordBuilder) rowFunc) (good, rejects arrow.RecordBatch, err error) {
	cols, rawCol, err := rawColumns(d, raw)
	if err != nil {
		return nil, nil, err
	}
	b := array.NewRecordBuilder(mem, pipeline.TypedSchema(d))
	defer b.Release()
	n := int(raw.NumRows())
	reserve(b, d, cols, n)
	rj := newRejectBuilder(mem, d, source)
	defer rj.release()
	keys := keyColumns(d)
	versionCol := fieldIndex(d, d.VersionColumn())
	each := setup(b)
	r := row{d: d, env: e, cols: cols, futureCol: -1}
	// Only updated_at is held to the clock: an FX rate's date is its
	// version too, and a central bank may publish tomorrow's rate today.
	if d.VersionColumn() == "updated_at" {
		r.futureCol = versionCol
	}
	for i := range n {
		if i%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, fmt.Errorf("transform %s from %s: %w", d, source, err)
			}
		}
		r.i, r.field, r.code, r.detail = i, "", "", ""
		if allNull(cols, i) {
			// The extractor could not read the record at all (a ragged CSV
			// row, a line that is not a JSON object): say that, not that
			// the first required field is missing.
			rj.add("", false, "", CodeUnparseable, unreadableDetail(rawCol.Value(i)), rawCol.Value(i), time.Time{}, false)
			continue
		}
		if each(&r); r.failed() {
			key, ok := r.recordKey(keys)
			v, hasV := r.version(versionCol)
			rj.add(key, ok, r.field, r.code, r.detail, rawCol.Value(i), v, hasV)
		}
	}
	good = b.NewRecordBatch()
	return good, rj.finish(), nil
}

// avgShortString is the byte estimate per value for typed string columns
// with no raw column of the same name (codes, slugs, units).
const avgShortString = 8

// reserve sizes the typed builders for n rows, including string data, so
// appends never regrow buffers: a typed string column takes at most the
// bytes of the raw column of the same name (values are only trimmed).
func reserve(b *array.RecordBuilder, d pipeline.Dataset, cols []*array.String, n int) {
	b.Reserve(n)
	for i, f := range b.Schema().Fields() {
		sb, ok := b.Field(i).(*array.StringBuilder)
		if !ok {
			continue
		}
		size := n * avgShortString
		if j := d.RawFieldIndex(f.Name); j >= 0 {
			size = len(cols[j].ValueBytes())
		}
		sb.ReserveData(size)
	}
}

// allNull reports whether every raw field of row i is null, which is how
// extractors hand over a record they could not read.
func allNull(cols []*array.String, i int) bool {
	for _, c := range cols {
		if c != nil && c.IsValid(i) {
			return false
		}
	}
	return true
}

// unreadableDetail explains an unreadable record: the extractor's own note
// (CSV rows carry {"_error": ...}) when there is one.
func unreadableDetail(raw string) string {
	var note struct {
		Error string `json:"_error"`
	}
	if json.Unmarshal([]byte(raw), &note) == nil && note.Error != "" {
		return "record could not be read: " + note.Error
	}
	return "record could not be read: not a JSON object, or no field the source maps"
}
