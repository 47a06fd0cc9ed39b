package transforms

import (
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/transforms/parse"
)

func TestNewFactoryOptions(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	f, err := NewFactory(Options{
		HSChapters: map[string]int{"apparel": 62, "handicrafts": 57, "home_textiles": 94},
		Sources:    map[string]SourceOptions{"pk_feed": {Time: parse.TimeOptions{Order: parse.DayFirst, Zone: time.FixedZone("PKT", 5*3600)}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := f(pipeline.Listings, "pk_feed", testFX(t))
	if err != nil {
		t.Fatal(err)
	}
	out := apply(t, mem, tr, pipeline.Listings, []rec{
		listingRec("A", "updated_at", "01/06/2025 15:00"), // 1 June, Karachi time
		listingRec("B", "category", "Handicraft", "updated_at", "21 Jun 2025 05:22"),
		listingRec("C", "category", "Bed Linen"),
	})
	defer out.release()
	if out.rejects.NumRows() != 0 {
		t.Fatalf("rejects: %v", rejectsByKey(t, out.rejects, pipeline.Listings, "pk_feed"))
	}
	want := []struct {
		ch    int32
		group string
		at    time.Time
	}{
		{62, "textiles", mustTime(t, "2025-06-01T10:00:00Z")},
		{57, "textiles", mustTime(t, "2025-06-21T00:22:00Z")},
		{94, "home_textiles", mustTime(t, mayFirst)},
	}
	for i, w := range want {
		if ch, g, at := cell(t, out.good, "hs_chapter", i), cell(t, out.good, "category_group", i), cell(t, out.good, "updated_at", i); ch != w.ch || g != w.group || at != w.at {
			t.Errorf("row %d = chapter %v group %v at %v; want %v", i, ch, g, at, w)
		}
	}
}

func TestNewFactoryRejectsBadOptions(t *testing.T) {
	t.Parallel()
	if _, err := NewFactory(Options{HSChapters: map[string]int{"toys": 95, "apparel": 77}}); err == nil ||
		!strings.Contains(err.Error(), `"toys"`) || !strings.Contains(err.Error(), "77") {
		t.Errorf("NewFactory with a bad slug and chapter: error = %v, want both named", err)
	}
	f, err := NewFactory(Options{Sources: map[string]SourceOptions{"s": {Repr: map[string]string{"nope": "0"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f(pipeline.Sailings, "s", nil); err == nil {
		t.Error("repr on an unknown field: want an error")
	}
}

// TestSailingsRepr reads vessel and IMO from a Maersk Vessels cell.
func TestSailingsRepr(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	f, err := NewFactory(Options{Sources: map[string]SourceOptions{"maersk": {
		Time: parse.TimeOptions{Zone: time.UTC},
		Repr: map[string]string{"imo": "-1.1", "vessel": "-1.0"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := f(pipeline.Sailings, "maersk", nil)
	cellText := `[['FORT DESAIX', '-', '-', '-', '-', '-'], ['MAERSK BRATAN', '9394894', 'CLX', 'SG', '9V8044', '2009']]`
	out := apply(t, mem, tr, pipeline.Sailings, []rec{
		sailingRec("M-1", "imo", cellText, "vessel", cellText, "etd", "21 Dec 2022 05:22", "eta", "28 Jan 2023 06:00", "ata", "<null>"),
		sailingRec("M-2", "imo", "[['X', '-']", "vessel", "<null>"),
	})
	defer out.release()
	if out.good.NumRows() != 1 || cell(t, out.good, "imo", 0) != "9394894" || cell(t, out.good, "vessel", 0) != "MAERSK BRATAN" {
		t.Fatalf("good = %v rows, imo %v", out.good.NumRows(), cell(t, out.good, "imo", 0))
	}
	if r := rejectsByKey(t, out.rejects, pipeline.Sailings, "maersk")["M-2"]; !strings.HasPrefix(r.reason, "[bad_repr] imo ") {
		t.Errorf("M-2 reason = %q, want [bad_repr]", r.reason)
	}
}

// TestInvalidUTF8 rejects a bad identifier, repairs a bad title, and keeps
// the reject's raw text valid for the warehouse.
func TestInvalidUTF8(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tr, _ := NewListings("x", testFX(t))
	out := apply(t, mem, tr, pipeline.Listings, []rec{
		listingRec("U-1", "title", "Caf\xe9 <b>mug</b>"),
		listingRec("U-2", "seller_id", "S\xff1"),
	})
	defer out.release()
	if out.good.NumRows() != 1 || cell(t, out.good, "title", 0) != "Caf\uFFFD mug" {
		t.Fatalf("good rows %d, title %q", out.good.NumRows(), cell(t, out.good, "title", 0))
	}
	r := rejectsByKey(t, out.rejects, pipeline.Listings, "x")["alibaba.com/U-2"]
	if r.field != "seller_id" || !strings.HasPrefix(r.reason, "[invalid_utf8] ") {
		t.Errorf("reject = %q %q, want seller_id [invalid_utf8]", r.field, r.reason)
	}
}

// TestReasonCodes checks every code is documented once and every parse
// sentinel has a code of its own.
func TestReasonCodes(t *testing.T) {
	t.Parallel()
	seen := map[pipeline.RejectCode]bool{}
	for _, c := range ReasonCodes {
		if seen[c.Code] || c.Description == "" || strings.ContainsAny(string(c.Code), "[] ") {
			t.Errorf("code %q: duplicate, undocumented or malformed", c.Code)
		}
		seen[c.Code] = true
	}
	for _, s := range sentinelCodes {
		if !seen[s.code] || ReasonCodeOf(s.err) != s.code {
			t.Errorf("sentinel %v -> %q: not documented or shadowed", s.err, s.code)
		}
	}
}

func TestFXCrossRate(t *testing.T) {
	t.Parallel()
	fx := testFX(t)
	got, ok := fx.CrossRate("EUR", "PKR", mustTime(t, "2025-06-03T00:00:00Z"))
	if !ok || !equalish(got, 250/0.9) {
		t.Errorf("EUR->PKR = %v, %v; want %v", got, ok, 250/0.9)
	}
	if _, ok := fx.CrossRate("GBP", "PKR", mustTime(t, mayFirst)); ok {
		t.Error("GBP->PKR without a GBP rate: want ok false")
	}
}
