//go:build duckdb_arrow

package warehouse

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/exportpipe/exportpipe/pipeline"
)

// failingReader yields its batches, then fails.
type failingReader struct {
	array.RecordReader
	err error
}

func (r *failingReader) Err() error {
	if err := r.RecordReader.Err(); err != nil {
		return err
	}
	return r.err
}

func TestStageFailures(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	beginRun(t, w, "r1")
	noPrice := listing("b", t0, 1)
	noPrice["price_min"] = nil
	tests := []struct {
		name    string
		rows    []row
		readErr error
		wantErr string
	}{
		{"reader fails after a batch", []row{listing("a", t0, 1)}, errors.New("source went away"), "source went away"},
		{"null in a required column", []row{listing("a", t0, 1), noPrice}, nil, "price_min"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := buildBatch(t, mem, pipeline.TypedSchema(pipeline.Listings), tc.rows)
			defer rec.Release()
			inner, err := array.NewRecordReader(rec.Schema(), []arrow.RecordBatch{rec})
			if err != nil {
				t.Fatal(err)
			}
			defer inner.Release()
			_, err = w.Stage(t.Context(), pipeline.Listings, &failingReader{RecordReader: inner, err: tc.readErr})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Stage error = %v, want it to contain %q", err, tc.wantErr)
			}
			if n := queryInt(t, w, "SELECT count(*) FROM stage_listings"); n != 0 {
				t.Errorf("a failed Stage left %d rows in staging", n)
			}
		})
	}
}

func TestClosedWarehouse(t *testing.T) {
	t.Parallel()
	w := openTest(t, nil)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	if _, err := w.State(t.Context()); err == nil || !strings.Contains(err.Error(), "is closed") {
		t.Errorf("State after Close = %v, want a closed error", err)
	}
}
