//go:build duckdb_arrow

package warehouse

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// row is one record by column name; a missing column is null.
type row map[string]any

var t0 = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)

// openTest opens a warehouse in a fresh directory and closes it when the
// test ends. The checked allocator must be empty when the test ends.
func openTest(t *testing.T, mem memory.Allocator) *Warehouse {
	t.Helper()
	dir := t.TempDir()
	w, err := Open(t.Context(), Options{
		Path:         filepath.Join(dir, "warehouse.duckdb"),
		SnapshotPath: filepath.Join(dir, "analytics.duckdb"),
		Threads:      2,
		Allocator:    mem,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Error(err)
		}
	})
	return w
}

func checkedAlloc(t *testing.T) *memory.CheckedAllocator {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}

func beginRun(t *testing.T, w *Warehouse, id string) {
	t.Helper()
	err := w.BeginRun(t.Context(), pipeline.RunInfo{ID: id, Pipeline: "test", StartedAt: t0, Config: "demo"})
	if err != nil {
		t.Fatal(err)
	}
}

// buildBatch makes one batch of schema from rows.
func buildBatch(t testing.TB, mem memory.Allocator, schema *arrow.Schema, rows []row) arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for i, f := range schema.Fields() {
		for _, r := range rows {
			if err := appendValue(b.Field(i), r[f.Name]); err != nil {
				t.Fatalf("column %s: %v", f.Name, err)
			}
		}
	}
	return b.NewRecordBatch()
}

func appendValue(fb array.Builder, v any) error {
	if v == nil {
		fb.AppendNull()
		return nil
	}
	switch b := fb.(type) {
	case *array.StringBuilder:
		b.Append(v.(string))
	case *array.Float64Builder:
		b.Append(v.(float64))
	case *array.Int32Builder:
		b.Append(int32(v.(int)))
	case *array.Int64Builder:
		b.Append(v.(int64))
	case *array.TimestampBuilder:
		b.Append(arrow.Timestamp(v.(time.Time).UnixMicro()))
	case *array.Date32Builder:
		b.Append(arrow.Date32FromTime(v.(time.Time)))
	default:
		return fmt.Errorf("no test builder for %T", fb)
	}
	return nil
}

// stage stages rows of d in one batch.
func stage(t *testing.T, w *Warehouse, mem memory.Allocator, d pipeline.Dataset, rows ...row) int64 {
	t.Helper()
	rec := buildBatch(t, mem, pipeline.TypedSchema(d), rows)
	defer rec.Release()
	rdr, err := array.NewRecordReader(rec.Schema(), []arrow.RecordBatch{rec})
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Release()
	n, err := w.Stage(t.Context(), d, rdr)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func stageRejects(t *testing.T, w *Warehouse, mem memory.Allocator, rows ...row) {
	t.Helper()
	rec := buildBatch(t, mem, pipeline.RejectSchema(), rows)
	defer rec.Release()
	rdr, err := array.NewRecordReader(rec.Schema(), []arrow.RecordBatch{rec})
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Release()
	if _, err := w.StageRejects(t.Context(), rdr); err != nil {
		t.Fatal(err)
	}
}

func commit(t *testing.T, w *Warehouse, runID string, state map[string]string) map[pipeline.Dataset]pipeline.MergeCounts {
	t.Helper()
	res, err := w.Merge(t.Context(), pipeline.MergeRequest{RunID: runID, State: state})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	return res.Datasets
}

// listing is a valid listing; callers change fields as a case needs.
func listing(id string, at time.Time, price float64) row {
	return row{
		"listing_id": id, "marketplace": "alibaba.com", "seller_id": "s1", "title": "Cotton towel " + id,
		"category": "home_textiles", "category_group": "textiles", "hs_chapter": 63,
		"price_raw": fmt.Sprintf("US $%.2f / Piece", price), "currency": "USD",
		"price_min": price, "price_max": price, "price_unit": "piece", "fx_units_per_usd": 1.0,
		"price_min_usd": price, "price_max_usd": price, "moq_qty": 500.0, "moq_unit": "piece",
		"updated_at": at,
	}
}

func seller(id, country string) row {
	return row{"seller_id": id, "marketplace": "alibaba.com", "name": "Seller " + id, "country": country,
		"city": "Karachi", "joined_at": t0.AddDate(-1, 0, 0), "updated_at": t0}
}

// sailing is a sailing from etd taking transit, arriving off schedule by
// late; a negative transit means not arrived.
func sailing(id, carrier string, transit, late time.Duration) row {
	etd := t0
	eta := etd.Add(transit - late)
	r := row{"sailing_id": id, "carrier": carrier, "origin": "PKKHI", "destination": "NLRTM",
		"etd": etd, "eta": eta, "updated_at": t0}
	if transit >= 0 {
		ata := etd.Add(transit)
		r["ata"] = ata
		r["transit_days"] = ata.Sub(etd).Seconds() / 86400.0
		r["delay_days"] = ata.Sub(eta).Seconds() / 86400.0
	} else {
		r["eta"] = etd.Add(10 * 24 * time.Hour)
	}
	return r
}

func queryInt(t *testing.T, w *Warehouse, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := w.conn.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// dump renders a query's rows as text, for comparing table contents.
func dump(t *testing.T, w *Warehouse, q string) []string {
	t.Helper()
	rows, err := w.conn.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%v", vals))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
