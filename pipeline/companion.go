package pipeline

import (
	"context"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// A listings source with sellers: in its mapping reads each seller from
// the same record as the listing (one read of the file, not a second
// source over it). Its raw listings batches then carry one more column per
// sellers field, named SellerColumnPrefix + field, after RawColumn. The
// runner splits them off, keeps each distinct seller once, and stages them
// as that source's part of the sellers step.

// SellerColumnPrefix names the sellers columns of a listings raw batch.
const SellerColumnPrefix = "sellers."

// RawSchemaWithSellers is the raw listings schema followed by a column for
// every sellers field, for a listings source that maps sellers: too.
func RawSchemaWithSellers() *arrow.Schema {
	fields := RawSchema(Listings).Fields()
	for _, n := range rawFields[Sellers] {
		fields = append(fields, arrow.Field{Name: SellerColumnPrefix + n, Type: arrow.BinaryTypes.String, Nullable: true})
	}
	return arrow.NewSchema(fields, nil)
}

// NamesSellers is an Extractor of listings whose batches carry sellers
// columns (RawSchemaWithSellers). The runner asks before the run so it can
// stage sellers after the listings that name them.
type NamesSellers interface {
	NamesSellers() bool
}

func namesSellers(e Extractor) bool {
	ns, ok := e.(NamesSellers)
	return ok && e.Dataset() == Listings && ns.NamesSellers()
}

// SplitSellers cuts a listings raw batch into the raw listings batch and,
// when it carries sellers columns, a raw sellers batch of the same rows
// (with the same raw record text). Both share the input's arrays, so
// nothing is copied; the caller releases both. sellers is nil for a batch
// without sellers columns, and listings is then raw itself, retained.
func SplitSellers(raw arrow.RecordBatch) (listings, sellers arrow.RecordBatch) {
	base := len(rawFields[Listings]) + 1
	if int(raw.NumCols()) <= base || !strings.HasPrefix(raw.ColumnName(base), SellerColumnPrefix) {
		raw.Retain()
		return raw, nil
	}
	listings = array.NewRecordBatch(RawSchema(Listings), raw.Columns()[:base], raw.NumRows())
	cols := make([]arrow.Array, 0, len(rawFields[Sellers])+1)
	for _, n := range rawFields[Sellers] {
		idx := raw.Schema().FieldIndices(SellerColumnPrefix + n)
		cols = append(cols, raw.Column(idx[0]))
	}
	cols = append(cols, raw.Column(base-1)) // the record as sent
	return listings, array.NewRecordBatch(RawSchema(Sellers), cols, raw.NumRows())
}

// sellerCollector keeps the distinct sellers one listings source names.
// Listing records name the same seller again and again (a shop lists
// hundreds of products), so it holds one row per distinct seller as
// written, which is about as many sellers as the source has, not one per
// listing. The first record that shows a seller in a given state stands
// for it; a seller shown in two states (a changed name or country) keeps
// both, and the merge takes the newer by updated_at as for any source.
type sellerCollector struct {
	source string
	seen   map[string]struct{}
	b      *array.RecordBuilder
	// named counts listing records that named a seller, unnamed those
	// whose seller_id was missing.
	named, unnamed int64
	out            *collectedSellers
}

func newSellerCollector(mem memory.Allocator, source string) *sellerCollector {
	return &sellerCollector{source: source, seen: map[string]struct{}{}, b: array.NewRecordBuilder(mem, RawSchema(Sellers))}
}

// add keeps the sellers of one raw sellers batch not seen before.
func (c *sellerCollector) add(sellers arrow.RecordBatch) {
	names := rawFields[Sellers]
	cols := make([]*array.String, len(names)+1)
	for i := range cols {
		cols[i] = sellers.Column(i).(*array.String)
	}
	id := indexOf(names, "seller_id")
	version := indexOf(names, "updated_at")
	var key strings.Builder
	for row := range int(sellers.NumRows()) {
		if cols[id].IsNull(row) || strings.TrimSpace(cols[id].Value(row)) == "" {
			c.unnamed++
			continue
		}
		c.named++
		key.Reset()
		for i, col := range cols[:len(names)] {
			if i == version {
				continue // the same seller seen in a later listing is not a new state
			}
			if col.IsValid(row) {
				key.WriteString(col.Value(row))
			} else {
				key.WriteByte(0)
			}
			key.WriteByte(0x1f)
		}
		if _, dup := c.seen[key.String()]; dup {
			continue
		}
		c.seen[key.String()] = struct{}{}
		for i, col := range cols {
			sb := c.b.Field(i).(*array.StringBuilder)
			if col.IsValid(row) {
				sb.Append(col.Value(row))
			} else {
				sb.AppendNull()
			}
		}
	}
}

// extractor hands the collected sellers to the sellers step as if they
// were a source of their own, under the listings source's name, so their
// rejects and counts say where they came from.
func (c *sellerCollector) extractor() Extractor {
	c.out = &collectedSellers{source: c.source, rec: c.b.NewRecordBatch()}
	c.b.Release()
	c.b, c.seen = nil, nil
	return c.out
}

// release frees what the collector holds and its extractor did not emit.
func (c *sellerCollector) release() {
	if c.b != nil {
		c.b.Release()
		c.b = nil
	}
	if c.out != nil && c.out.rec != nil {
		c.out.rec.Release()
		c.out.rec = nil
	}
}

type collectedSellers struct {
	source string
	rec    arrow.RecordBatch
}

func (e *collectedSellers) Name() string     { return e.source }
func (e *collectedSellers) Dataset() Dataset { return Sellers }

// Extract emits the collected sellers once.
func (e *collectedSellers) Extract(_ context.Context, _ memory.Allocator, emit Emit) (ExtractStats, error) {
	if e.rec == nil {
		return ExtractStats{}, nil
	}
	rec := e.rec
	e.rec = nil
	defer rec.Release()
	n := rec.NumRows()
	if n == 0 {
		return ExtractStats{}, nil
	}
	return ExtractStats{Records: n}, emit(rec)
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}
