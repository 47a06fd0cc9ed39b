package transforms

import (
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// runStart is the clock the tests give the factory: transforms are built
// when a run starts, and that moment bounds the versions it accepts.
var runStart = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// A version stamped after the run's start plus normalise.future_tolerance
// cannot be true, and kept it would outrank every later update of its
// record: the warehouse orders versions by updated_at, so a listing
// stamped 2036 would stay "newest" for ten years. Every dataset versioned
// by updated_at rejects it with future_timestamp.
func TestFutureTimestampsAreRejected(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	factory, err := NewFactory(Options{Now: func() time.Time { return runStart }})
	if err != nil {
		t.Fatal(err)
	}
	within := runStart.Add(pipeline.DefaultFutureTolerance).Format(time.RFC3339) // the last moment kept
	beyond := runStart.Add(pipeline.DefaultFutureTolerance + time.Second).Format(time.RFC3339)
	for _, tc := range []struct {
		d   pipeline.Dataset
		rec func(id string, kv ...string) rec
		key func(id string) string
	}{
		{pipeline.Listings, listingRec, func(id string) string { return "alibaba.com/" + id }},
		{pipeline.Sellers, func(id string, kv ...string) rec { return sellerRec(id, "Pakistan", kv...) }, func(id string) string { return "alibaba.com/" + id }},
		{pipeline.Sailings, sailingRec, func(id string) string { return id }},
		{pipeline.FreightRates, freightRec, func(id string) string { return id }},
	} {
		t.Run(string(tc.d), func(t *testing.T) {
			tr, err := factory(tc.d, "clock", testFX(t))
			if err != nil {
				t.Fatal(err)
			}
			out := apply(t, mem, tr, tc.d, []rec{
				tc.rec("OK-1"),
				tc.rec("OK-2", "updated_at", within),
				tc.rec("FUT-1", "updated_at", "2036-01-01T00:00:00Z"),
				tc.rec("FUT-2", "updated_at", beyond),
			})
			defer out.release()
			if out.good.NumRows() != 2 {
				t.Errorf("%d rows kept, want OK-1 and OK-2", out.good.NumRows())
			}
			checkRejects(t, out, tc.d, "clock", map[string][2]string{
				tc.key("FUT-1"): {"updated_at", `[future_timestamp] updated_at "2036-01-01T00:00:00Z": later than this run's start, 2026-06-01T12:00:00Z, plus normalise.future_tolerance (15h0m0s); a version from the future would outrank every real update of the record: check the source's clock and time zone`},
				tc.key("FUT-2"): {"updated_at", `[future_timestamp] updated_at "2026-06-02T03:00:01Z": later than this run's start, 2026-06-01T12:00:00Z, plus normalise.future_tolerance (15h0m0s); a version from the future would outrank every real update of the record: check the source's clock and time zone`},
			})
			// The reject keeps the version it refused, for the warehouse
			// to tell it apart by its code.
			for i := range int(out.rejects.NumRows()) {
				if v, ok := cell(t, out.rejects, "version", i).(time.Time); !ok || !v.After(runStart) {
					t.Errorf("reject %d version = %v, want the future timestamp", i, cell(t, out.rejects, "version", i))
				}
			}
		})
	}
}

// A future version is the reason a record is rejected even when something
// else is wrong with it too: rejected for its price alone, it would still
// carry a 2036 version into meta.rejects as the record's newest word.
func TestFutureTimestampOutranksOtherReasons(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	factory, err := NewFactory(Options{Now: func() time.Time { return runStart }})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := factory(pipeline.Listings, "clock", testFX(t))
	if err != nil {
		t.Fatal(err)
	}
	out := apply(t, mem, tr, pipeline.Listings, []rec{
		listingRec("FUT-3", "price", "Contact Supplier", "updated_at", "2036-01-01T00:00:00Z"),
		listingRec("FUT-4", "category", "Misc", "price", "XYZ 1", "updated_at", "2036-01-01T00:00:00Z"),
	})
	defer out.release()
	for key, r := range rejectsByKey(t, out.rejects, pipeline.Listings, "clock") {
		if r.field != "updated_at" || !strings.HasPrefix(r.reason, "[future_timestamp] ") {
			t.Errorf("reject %s = %s %q, want future_timestamp on updated_at", key, r.field, r.reason)
		}
	}
}

// normalise.future_tolerance sets the margin; the clock is read once, when
// the transform is built, so a run judges all its batches alike. FX dates
// are no versions of this kind: a published rate for tomorrow is real.
func TestFutureToleranceAndClock(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	now := runStart
	factory, err := NewFactory(Options{FutureTolerance: time.Hour, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := factory(pipeline.Sellers, "clock", nil)
	if err != nil {
		t.Fatal(err)
	}
	now = runStart.Add(24 * time.Hour) // the run goes on; its start does not move
	out := apply(t, mem, tr, pipeline.Sellers, []rec{
		sellerRec("S-1", "PK", "updated_at", runStart.Add(59*time.Minute).Format(time.RFC3339)),
		sellerRec("S-2", "PK", "updated_at", runStart.Add(2*time.Hour).Format(time.RFC3339)),
	})
	defer out.release()
	if out.good.NumRows() != 1 || cell(t, out.good, "seller_id", 0) != "S-1" {
		t.Errorf("kept %d rows, want S-1 only", out.good.NumRows())
	}
	if r := rejectsByKey(t, out.rejects, pipeline.Sellers, "clock")["alibaba.com/S-2"]; !strings.Contains(r.reason, "plus normalise.future_tolerance (1h0m0s)") {
		t.Errorf("S-2 reject = %q, want the 1h tolerance named", r.reason)
	}
	fxr, err := factory(pipeline.FXRates, "clock", nil)
	if err != nil {
		t.Fatal(err)
	}
	out2 := apply(t, mem, fxr, pipeline.FXRates, []rec{{"date": "2036-01-01", "currency": "PKR", "units_per_usd": "280"}})
	defer out2.release()
	if out2.good.NumRows() != 1 {
		t.Errorf("a future-dated FX rate was rejected: %v", rejectsByKey(t, out2.rejects, pipeline.FXRates, "clock"))
	}
	if _, err := NewFactory(Options{FutureTolerance: -time.Hour}); err == nil {
		t.Error("a negative tolerance must be refused")
	}
}
