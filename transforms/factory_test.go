package transforms

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

func TestFactory(t *testing.T) {
	t.Parallel()
	fx := NewFXTable()
	for _, d := range pipeline.LoadOrder() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			tr, err := Factory(d, "demo", fx)
			if err != nil || tr == nil {
				t.Fatalf("Factory(%s) = %v, %v", d, tr, err)
			}
		})
	}
	for _, d := range []pipeline.Dataset{pipeline.FXRates, pipeline.Sellers, pipeline.Sailings} {
		if _, err := Factory(d, "demo", nil); err != nil {
			t.Errorf("Factory(%s, nil fx): %v; want no FX needed", d, err)
		}
	}
	for _, d := range []pipeline.Dataset{pipeline.Listings, pipeline.FreightRates, "shipments"} {
		if tr, err := Factory(d, "demo", nil); err == nil || tr != nil {
			t.Errorf("Factory(%s, nil fx) = %v, %v; want nil and an error", d, tr, err)
		}
	}
}

// TestRawSchemaChecks refuses batches that are not raw batches of the dataset.
func TestRawSchemaChecks(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	raw := rawBatch(t, mem, pipeline.Sellers, []rec{{"seller_id": "S"}})
	defer raw.Release()
	if _, _, err := NewSailings("demo").Apply(t.Context(), mem, raw); err == nil {
		t.Error("sailings Apply on a sellers batch: want an error")
	}
}
