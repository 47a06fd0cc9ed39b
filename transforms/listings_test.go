package transforms

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

const mayFirst = "2025-06-01T10:00:00Z"

// listing returns a valid alibaba.com listing with fields overridden.
func listingRec(id string, kv ...string) rec {
	r := rec{"listing_id": id, "marketplace": "alibaba.com", "seller_id": "S-1", "title": " Cotton T-Shirt ",
		"category": "Apparel", "price": "US $2.50 - 4.00 / Piece", "moq": "500 Pieces", "updated_at": mayFirst}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "<null>" {
			delete(r, kv[i])
			continue
		}
		r[kv[i]] = kv[i+1]
	}
	return r
}

func TestListingsValid(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tr, err := NewListings("alibaba", testFX(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in       rec
		currency string
		min, max float64
		unit     any
		rate     float64
		moqQty   any
		moqUnit  any
	}{
		{listingRec("AL-1"), "USD", 2.5, 4, "piece", 1, 500.0, "piece"},
		{listingRec("AL-2", "price", "USD\u00a0465.00-USD\u00a0550.00", "moq", "1.0 Sets"), "USD", 465, 550, nil, 1, 1.0, "set"},
		{listingRec("AL-3", "price", "¥18.00", "moq", "1 Ton"), "CNY", 18, 18, nil, 7.2, 1000.0, "kg"},
		{listingRec("AL-4", "price", "€14.50", "moq", "10 Dozens"), "EUR", 14.5, 14.5, nil, 0.9, 120.0, "piece"},
		{listingRec("AL-5", "price", "AED 35.00", "moq", "2 Pieces (MOQ)"), "AED", 35, 35, nil, 3.6725, 2.0, "piece"},
		{listingRec("DZ-1", "marketplace", "daraz.pk", "price", "Rs. 1,455", "moq", "<null>"), "PKR", 1455, 1455, nil, 280, nil, nil},
		{listingRec("DZ-2", "marketplace", "daraz.pk", "price", "1,455", "moq", "", "updated_at", "2025-06-03T00:00:00+05:00"),
			"PKR", 1455, 1455, nil, 250, nil, nil}, // 2025-06-02 19:00 UTC: the 06-02 rate applies
		// Daraz.pk's own spelling: the abbreviation's dot against the amount.
		{listingRec("DZ-3", "marketplace", "daraz.pk", "price", "Rs.207", "moq", "<null>"), "PKR", 207, 207, nil, 280, nil, nil},
		{listingRec("DZ-4", "marketplace", "daraz.pk", "price", "Rs.10,357", "moq", "<null>"), "PKR", 10357, 10357, nil, 280, nil, nil},
		{listingRec("BD-1", "marketplace", "daraz.com.bd", "price", "৳ 1,250", "moq", "<null>"), "BDT", 1250, 1250, nil, 120, nil, nil},
		{listingRec("BD-2", "marketplace", "daraz.com.bd", "price", "999", "moq", "<null>"), "BDT", 999, 999, nil, 120, nil, nil},
	}
	rows := make([]rec, len(tests))
	for i, tc := range tests {
		rows[i] = tc.in
	}
	out := apply(t, mem, tr, pipeline.Listings, rows)
	defer out.release()
	if out.rejects.NumRows() != 0 {
		t.Fatalf("unexpected rejects: %v", rejectsByKey(t, out.rejects, pipeline.Listings, "alibaba"))
	}
	for i, tc := range tests {
		t.Run(tc.in["listing_id"]+" "+tc.in["price"], func(t *testing.T) {
			want := map[string]any{
				"currency": tc.currency, "price_min": tc.min, "price_max": tc.max, "price_unit": tc.unit,
				"fx_units_per_usd": tc.rate, "price_min_usd": tc.min / tc.rate, "price_max_usd": tc.max / tc.rate,
				"moq_qty": tc.moqQty, "moq_unit": tc.moqUnit, "price_raw": strings.TrimSpace(tc.in["price"]),
				"category": "apparel", "category_group": "textiles", "hs_chapter": int32(61), "title": "Cotton T-Shirt",
			}
			for col, w := range want {
				if got := cell(t, out.good, col, i); !equalish(got, w) {
					t.Errorf("%s = %v (%T), want %v (%T)", col, got, got, w, w)
				}
			}
		})
	}
}

func equalish(a, b any) bool {
	fa, ok1 := a.(float64)
	fb, ok2 := b.(float64)
	if ok1 && ok2 {
		return math.Abs(fa-fb) <= 1e-12*math.Max(1, math.Abs(fb))
	}
	return a == b
}

func TestListingsRejects(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tr, err := NewListings("alibaba", testFX(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in            rec
		key           string // "" means record_key is null
		field, reason string
	}{
		{listingRec("R-1", "price", "Contact Supplier"), "alibaba.com/R-1", "price", `[unparseable] price "Contact Supplier": cannot parse: no amount`},
		{listingRec("R-2", "price", ""), "alibaba.com/R-2", "price", "[missing] price is missing"},
		{listingRec("R-3", "price", "<null>"), "alibaba.com/R-3", "price", "[missing] price is missing"},
		{listingRec("R-4", "price", "US $-5.00"), "alibaba.com/R-4", "price", `[negative] price "US $-5.00": negative amount -5.00`},
		{listingRec("R-5", "price", "XYZ 12.00"), "alibaba.com/R-5", "price", `[unknown_currency] price "XYZ 12.00": unknown currency "XYZ"`},
		{listingRec("R-6", "price", "US $abc"), "alibaba.com/R-6", "price", `[unparseable] price "US $abc": cannot parse: no amount`},
		{listingRec("R-7", "category", "Misc"), "alibaba.com/R-7", "category", `[unknown_category] category "Misc": unknown category "Misc"`},
		{listingRec("R-8", "category", "N/A"), "alibaba.com/R-8", "category", `[unknown_category] category "N/A": unknown category "N/A"`},
		{listingRec("R-9", "marketplace", "ebay.com"), "ebay.com/R-9", "marketplace",
			`[unknown_marketplace] marketplace "ebay.com": not one of alibaba.com, daraz.com.bd, daraz.pk`},
		{listingRec("R-10", "updated_at", "31/02/2025"), "alibaba.com/R-10", "updated_at", `[ambiguous_date] updated_at "31/02/2025": ambiguous numeric date "31/02/2025": the source declares neither day-first nor month-first`},
		{listingRec("R-11", "updated_at", "not a date"), "alibaba.com/R-11", "updated_at", `[bad_time] updated_at "not a date": invalid timestamp "not a date"`},
		{listingRec("R-12", "moq", "lots"), "alibaba.com/R-12", "moq", `[unparseable] moq "lots": cannot parse: no quantity`},
		{listingRec("R-13", "seller_id", " "), "alibaba.com/R-13", "seller_id", "[missing] seller_id is missing"},
		{listingRec("", "marketplace", "daraz.pk"), "", "listing_id", "[missing] listing_id is missing"},
		{listingRec("R-15", "marketplace", "daraz.pk", "price", "Rs 500", "updated_at", "2025-04-30T23:59:59Z"),
			"daraz.pk/R-15", "price", `[no_fx_rate] price "Rs 500": no FX rate for PKR on or before 2025-04-30`},
		{listingRec("R-16", "price", "£5"), "alibaba.com/R-16", "price", `[no_fx_rate] price "£5": no FX rate for GBP on or before 2025-06-01`},
	}
	rows := make([]rec, len(tests))
	for i, tc := range tests {
		rows[i] = tc.in
	}
	out := apply(t, mem, tr, pipeline.Listings, rows)
	defer out.release()
	if n := out.good.NumRows(); n != 0 {
		t.Errorf("%d rows passed, want all rejected", n)
	}
	got := rejectsByKey(t, out.rejects, pipeline.Listings, "alibaba")
	for _, tc := range tests {
		t.Run(tc.key+" "+tc.field, func(t *testing.T) {
			r, ok := got[tc.key]
			if !ok {
				t.Fatalf("no reject with key %q", tc.key)
			}
			if r.field != tc.field || r.reason != tc.reason {
				t.Errorf("reject = field %q reason %q, want %q %q", r.field, r.reason, tc.field, tc.reason)
			}
			if tc.key == "" && r.key != nil {
				t.Errorf("record_key = %v, want null", r.key)
			}
			if !strings.Contains(r.raw, `"listing_id"`) {
				t.Errorf("raw = %q, want the record's JSON", r.raw)
			}
		})
	}
}

func TestListingsNeedsFX(t *testing.T) {
	t.Parallel()
	if _, err := NewListings("x", nil); err == nil {
		t.Error("NewListings with nil FX: want an error")
	}
	if tr, err := Factory(pipeline.Listings, "x", nil); err == nil || tr != nil {
		t.Errorf("Factory(listings, nil fx) = %v, %v; want nil, error", tr, err)
	}
}

func TestListingsCancelled(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tr, _ := NewListings("alibaba", testFX(t))
	raw := rawBatch(t, mem, pipeline.Listings, []rec{listingRec("AL-1")})
	defer raw.Release()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	good, rejects, err := tr.Apply(ctx, mem, raw)
	if !errors.Is(err, context.Canceled) || good != nil || rejects != nil {
		t.Errorf("Apply on a cancelled context = %v, %v, %v; want nil, nil, context.Canceled", good, rejects, err)
	}
}

func TestListingsUpdatedAtUTC(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tr, _ := NewListings("alibaba", testFX(t))
	out := apply(t, mem, tr, pipeline.Listings, []rec{
		listingRec("A", "updated_at", "Sun, 01 Jun 2025 10:00:00 +0500"),
		listingRec("B", "updated_at", "1748772000"),
		listingRec("C", "updated_at", "2025-06-01 10:00:00.123456789 +0800"),
	})
	defer out.release()
	want := []time.Time{mustTime(t, "2025-06-01T05:00:00Z"), mustTime(t, "2025-06-01T10:00:00Z"), mustTime(t, "2025-06-01T02:00:00.123456Z")}
	for i, w := range want {
		if got := cell(t, out.good, "updated_at", i); got != w {
			t.Errorf("row %d updated_at = %v, want %v", i, got, w)
		}
	}
}

// A price converts at the nearest earlier rate only while that rate can
// stand for the listing's day: a week for a daily series, 45 days for a
// monthly one (or a lone rate), or normalise.fx_max_age when set. Older,
// the listing is rejected with both dates, rather than priced in USD at a
// rate from years before.
func TestListingsFXRateAge(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	fx := testFX(t) // PKR on 2025-05-01 and 2025-06-02 (monthly), CNY once on 2025-05-01
	day := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	for d := day("2025-06-02"); !d.After(day("2025-06-06")); d = d.AddDate(0, 0, 1) {
		if err := fx.Add("EUR", d, 0.88); err != nil { // daily, Monday to Friday
			t.Fatal(err)
		}
	}
	if err := fx.Add("GBP", day("2019-01-02"), 0.78); err != nil { // one rate, years old
		t.Fatal(err)
	}
	rows := []rec{
		listingRec("A-1", "price", "€10", "updated_at", "2025-06-13T23:00:00Z"),                                 // 7 days after Friday's rate
		listingRec("A-2", "price", "€10", "updated_at", "2025-06-14T01:00:00Z"),                                 // 8 days
		listingRec("A-3", "marketplace", "daraz.pk", "price", "Rs.1,455", "updated_at", "2025-07-17T00:00:00Z"), // 45 days
		listingRec("A-4", "marketplace", "daraz.pk", "price", "Rs.1,455", "updated_at", "2025-07-18T00:00:00Z"), // 46 days
		listingRec("A-5", "price", "¥18.00", "updated_at", "2025-06-15T00:00:00Z"),                              // lone rate, 45 days
		listingRec("A-6", "price", "£7.99", "updated_at", "2025-06-01T00:00:00Z"),
	}
	check := func(t *testing.T, opts Options, wantGood []string, wantRejects map[string][2]string) {
		t.Helper()
		factory, err := NewFactory(opts)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := factory(pipeline.Listings, "fx-age", fx)
		if err != nil {
			t.Fatal(err)
		}
		out := apply(t, mem, tr, pipeline.Listings, rows)
		defer out.release()
		idx := goodByKey(t, out.good, "listing_id")
		for _, id := range wantGood {
			if _, ok := idx[id]; !ok {
				t.Errorf("listing %s rejected, want it converted", id)
			}
		}
		checkRejects(t, out, pipeline.Listings, "fx-age", wantRejects)
	}
	t.Run("defaults by spacing", func(t *testing.T) {
		check(t, Options{}, []string{"A-1", "A-3", "A-5"}, map[string][2]string{
			"alibaba.com/A-2": {"price", `[fx_rate_too_old] price "€10": the nearest EUR rate on or before 2025-06-14 is for 2025-06-06, 8 days earlier, past the 7-day limit for a daily series; load newer EUR rates or set normalise.fx_max_age`},
			"daraz.pk/A-4":    {"price", `[fx_rate_too_old] price "Rs.1,455": the nearest PKR rate on or before 2025-07-18 is for 2025-06-02, 46 days earlier, past the 45-day limit for a monthly series; load newer PKR rates or set normalise.fx_max_age`},
			"alibaba.com/A-6": {"price", `[fx_rate_too_old] price "£7.99": the nearest GBP rate on or before 2025-06-01 is for 2019-01-02, 2342 days earlier, past the 45-day limit for a single-rate series; load newer GBP rates or set normalise.fx_max_age`},
		})
	})
	t.Run("normalise.fx_max_age overrides", func(t *testing.T) {
		check(t, Options{FXMaxAge: 10 * 24 * time.Hour}, []string{"A-1", "A-2"}, map[string][2]string{
			"daraz.pk/A-3":    {"price", `[fx_rate_too_old] price "Rs.1,455": the nearest PKR rate on or before 2025-07-17 is for 2025-06-02, 45 days earlier, past the limit of 10 days set in normalise.fx_max_age; load newer PKR rates or set normalise.fx_max_age`},
			"daraz.pk/A-4":    {"price", `[fx_rate_too_old] price "Rs.1,455": the nearest PKR rate on or before 2025-07-18 is for 2025-06-02, 46 days earlier, past the limit of 10 days set in normalise.fx_max_age; load newer PKR rates or set normalise.fx_max_age`},
			"alibaba.com/A-5": {"price", `[fx_rate_too_old] price "¥18.00": the nearest CNY rate on or before 2025-06-15 is for 2025-05-01, 45 days earlier, past the limit of 10 days set in normalise.fx_max_age; load newer CNY rates or set normalise.fx_max_age`},
			"alibaba.com/A-6": {"price", `[fx_rate_too_old] price "£7.99": the nearest GBP rate on or before 2025-06-01 is for 2019-01-02, 2342 days earlier, past the limit of 10 days set in normalise.fx_max_age; load newer GBP rates or set normalise.fx_max_age`},
		})
	})
}
