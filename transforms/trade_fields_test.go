package transforms

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/transforms/reference"
)

// TestListingsTradeFields covers the optional hs_code, list_price and
// discount: null when absent, typed when valid. A wrong HS code or a list
// price that is no usable amount rejects the listing; a discount that
// disagrees with the prices only flags it (discount_mismatch).
func TestListingsTradeFields(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tr, err := NewListings("daraz", testFX(t))
	if err != nil {
		t.Fatal(err)
	}
	bd := func(id string, kv ...string) rec {
		return listingRec(id, append([]string{"marketplace", "daraz.com.bd", "price", "255", "moq", "<null>", "category", "Garments"}, kv...)...)
	}
	pk := func(id string, kv ...string) rec {
		return listingRec(id, append([]string{"marketplace", "daraz.pk", "moq", "<null>", "category", "Garments"}, kv...)...)
	}
	rows := []rec{
		listingRec("T-1"), // none of the three: all null, chapter from the category
		listingRec("T-2", "hs_code", "6204.62"),
		listingRec("T-3", "hs_code", "HS 620462", "category", "Bed Linen"),
		listingRec("T-4", "hs_code", "6109.10.0012", "price", "US $2.50", "list_price", "5", "discount", "50%"),
		bd("T-5", "list_price", "550", "discount", "54.0"), // Daraz: 53.64% implied, rounded
		bd("T-6", "list_price", "৳ 550", "discount", "-54%"),
		bd("T-7", "list_price", "550"),                    // no discount: implied
		bd("T-8", "discount", "54%"),                      // no list price: stored as stated
		bd("T-9", "list_price", "255", "discount", "0.0"), // no discount at all
		bd("T-10", "hs_code", " ", "list_price", "", "discount", ""),
		// Daraz.pk's two roundings of the same kind of figure: 15.4958%
		// shown half up and 16.94% shown truncated, both as -16%.
		pk("T-11", "price", "Rs.29,999", "list_price", "Rs.35,500", "discount", "-16%"),
		pk("T-12", "price", "Rs.299", "list_price", "Rs.360", "discount", "-16%"),
		// Kept and flagged.
		bd("F-1", "list_price", "260", "discount", "48.0", "price", "500"), // real Daraz BD row: sale above list
		bd("F-2", "list_price", "260", "price", "500"),
		bd("F-3", "list_price", "550", "discount", "40%"),
		bd("F-4", "list_price", "550", "discount", "140%"),
		bd("F-5", "list_price", "0", "discount", "0"),
		bd("F-6", "discount", "140%"),
		// Rejects.
		listingRec("X-1", "hs_code", "6204.6"),
		listingRec("X-2", "hs_code", "7712.34"),
		listingRec("X-3", "hs_code", "HS"),
		listingRec("X-4", "hs_code", "TOTAL"),
		bd("X-9", "list_price", "five hundred"),
		bd("X-10", "list_price", "US$ 10"),
		bd("X-11", "list_price", "500-600"),
		bd("X-12", "discount", "half"),
		bd("X-13", "list_price", "-550"),
	}
	out := apply(t, mem, tr, pipeline.Listings, rows)
	defer out.release()
	idx := goodByKey(t, out.good, "listing_id")
	want := map[string]map[string]any{
		"T-1": {"hs_code": nil, "hs_chapter": int32(61), "list_price": nil, "list_price_usd": nil, "discount_pct": nil,
			"discount_mismatch": nil},
		"T-2": {"hs_code": "620462", "hs_chapter": int32(62), "category": "apparel", "category_group": "textiles"},
		"T-3": {"hs_code": "620462", "hs_chapter": int32(62), "category": "home_textiles"},
		"T-4": {"hs_code": "610910", "hs_chapter": int32(61), "list_price": 5.0, "list_price_usd": 5.0, "discount_pct": 50.0,
			"price_min": 2.5, "discount_mismatch": false},
		"T-5":  {"list_price": 550.0, "list_price_usd": 550.0 / 120, "discount_pct": 54.0, "currency": "BDT", "discount_mismatch": false},
		"T-6":  {"list_price": 550.0, "discount_pct": 54.0, "discount_mismatch": false},
		"T-7":  {"list_price": 550.0, "discount_pct": 100 * (550.0 - 255) / 550, "discount_mismatch": nil}, // nothing stated to check
		"T-8":  {"list_price": nil, "list_price_usd": nil, "discount_pct": 54.0, "discount_mismatch": nil}, // nothing to check it with
		"T-9":  {"list_price": 255.0, "discount_pct": 0.0, "discount_mismatch": false},
		"T-10": {"hs_code": nil, "list_price": nil, "discount_pct": nil, "hs_chapter": int32(61), "discount_mismatch": nil},
		"T-11": {"price_min": 29999.0, "list_price": 35500.0, "discount_pct": 16.0, "currency": "PKR", "discount_mismatch": false},
		"T-12": {"price_min": 299.0, "list_price": 360.0, "discount_pct": 16.0, "discount_mismatch": false},
		"F-1":  {"price_min": 500.0, "list_price": 260.0, "discount_pct": 48.0, "discount_mismatch": true},
		"F-2":  {"price_min": 500.0, "list_price": 260.0, "discount_pct": nil, "discount_mismatch": true}, // a markup is no discount
		"F-3":  {"list_price": 550.0, "discount_pct": 40.0, "discount_mismatch": true},
		"F-4":  {"list_price": 550.0, "discount_pct": nil, "discount_mismatch": true}, // no price makes 140% true
		"F-5":  {"list_price": 0.0, "discount_pct": 0.0, "discount_mismatch": true},
		"F-6":  {"list_price": nil, "discount_pct": nil, "discount_mismatch": true},
	}
	for id, cols := range want {
		i, ok := idx[id]
		if !ok {
			t.Errorf("listing %s rejected", id)
			continue
		}
		for col, w := range cols {
			if got := cell(t, out.good, col, i); !equalish(got, w) {
				t.Errorf("listing %s %s = %v (%T), want %v (%T)", id, col, got, got, w, w)
			}
		}
	}
	checkRejects(t, out, pipeline.Listings, "daraz", map[string][2]string{
		"alibaba.com/X-1":   {"hs_code", `[bad_hs_code] hs_code "6204.6": invalid HS code "6204.6": want 6 digits (or an 8-10 digit tariff line)`},
		"alibaba.com/X-2":   {"hs_code", `[bad_hs_code] hs_code "7712.34": invalid HS code "7712.34": chapter 77 does not exist`},
		"alibaba.com/X-3":   {"hs_code", `[bad_hs_code] hs_code "HS": empty value: hs code`},
		"alibaba.com/X-4":   {"hs_code", `[bad_hs_code] hs_code "TOTAL": invalid HS code "TOTAL": an all-commodities total row, not a commodity code`},
		"daraz.com.bd/X-9":  {"list_price", `[unparseable] list_price "five hundred": cannot parse: no amount`},
		"daraz.com.bd/X-10": {"list_price", `[mixed_currency] list_price "US$ 10": in USD, price "255" in BDT`},
		"daraz.com.bd/X-11": {"list_price", `[not_single_amount] list_price "500-600": a range, want one amount`},
		"daraz.com.bd/X-12": {"discount", `[unparseable] discount "half": cannot parse: discount "half"`},
		"daraz.com.bd/X-13": {"list_price", `[negative] list_price "-550": negative amount -550`},
	})
}

// TestListingsHSReference: with an HS nomenclature loaded, a well-formed
// subheading that is not in it is a bad_hs_code reject.
func TestListingsHSReference(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ref := &reference.Set{}
	if err := ref.LoadHS(strings.NewReader("hscode,description,parent,level\n620462,Trousers of cotton,6204,6\n")); err != nil {
		t.Fatal(err)
	}
	e, err := newEnv(Options{Reference: ref}, pipeline.Listings, "x")
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := NewListings("x", testFX(t))
	tr.env = e
	out := apply(t, mem, tr, pipeline.Listings, []rec{listingRec("A", "hs_code", "620462"), listingRec("B", "hs_code", "620463")})
	defer out.release()
	if out.good.NumRows() != 1 || cell(t, out.good, "hs_code", 0) != "620462" {
		t.Errorf("good rows = %d, want A only", out.good.NumRows())
	}
	checkRejects(t, out, pipeline.Listings, "x", map[string][2]string{
		"alibaba.com/B": {"hs_code", `[bad_hs_code] hs_code "620463": invalid HS code "620463": subheading 620463 is not in the loaded HS nomenclature`},
	})
}

func TestSailingsMMSI(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rows := []rec{
		sailingRec("M-1"),
		sailingRec("M-2", "mmsi", "636021252"),   // Liberia
		sailingRec("M-3", "mmsi", " 565971000 "), // Singapore
		sailingRec("M-4", "mmsi", "201000000"),   // Albania: a valid MID the compact table lacks
		sailingRec("M-5", "mmsi", "970123456"),   // AIS-SART: no MID at all
		sailingRec("M-6", "mmsi", ""),
		sailingRec("M-X1", "mmsi", "63602125"),
		sailingRec("M-X2", "mmsi", "123456789"),
		sailingRec("M-X3", "mmsi", "MMSI 636021252"),
	}
	out := apply(t, mem, NewSailings("demo"), pipeline.Sailings, rows)
	defer out.release()
	idx := goodByKey(t, out.good, "sailing_id")
	want := map[string][2]any{
		"M-1": {nil, nil}, "M-2": {"636021252", "LR"}, "M-3": {"565971000", "SG"},
		"M-4": {"201000000", nil}, "M-5": {"970123456", nil}, "M-6": {nil, nil},
	}
	for id, w := range want {
		i, ok := idx[id]
		if !ok {
			t.Errorf("sailing %s rejected", id)
			continue
		}
		if got := [2]any{cell(t, out.good, "mmsi", i), cell(t, out.good, "flag", i)}; got != w {
			t.Errorf("sailing %s mmsi, flag = %v, want %v", id, got, w)
		}
	}
	checkRejects(t, out, pipeline.Sailings, "demo", map[string][2]string{
		"M-X1": {"mmsi", `[bad_mmsi] mmsi "63602125": invalid MMSI "63602125": want 9 digits`},
		"M-X2": {"mmsi", `[bad_mmsi] mmsi "123456789": invalid MMSI "123456789": 123 is not a maritime identification digit`},
		"M-X3": {"mmsi", `[bad_mmsi] mmsi "MMSI 636021252": invalid MMSI "MMSI 636021252": want 9 digits`},
	})
}

// normalise.discount_tolerance widens or narrows what agrees beyond the
// rounding: 35500 -> 29999 implies 15.4958%, which rounds to 15.49 or
// 15.50 at two decimals, so a stated 15.48 is 0.01 points off.
func TestDiscountToleranceIsConfigurable(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	zero := 0.0
	for _, tc := range []struct {
		tol  *float64
		want bool
	}{{nil, false}, {&zero, true}} {
		factory, err := NewFactory(Options{DiscountTolerance: tc.tol})
		if err != nil {
			t.Fatal(err)
		}
		tr, err := factory(pipeline.Listings, "daraz", testFX(t))
		if err != nil {
			t.Fatal(err)
		}
		out := apply(t, mem, tr, pipeline.Listings, []rec{listingRec("D-1", "marketplace", "daraz.pk", "moq", "<null>",
			"price", "Rs. 29,999", "list_price", "Rs. 35,500", "discount", "15.48%")})
		if got := cell(t, out.good, "discount_mismatch", 0); got != tc.want {
			t.Errorf("tolerance %v: discount_mismatch = %v, want %v", tc.tol, got, tc.want)
		}
		out.release()
	}
	neg := -1.0
	if _, err := NewFactory(Options{DiscountTolerance: &neg}); err == nil {
		t.Error("a negative tolerance must be refused")
	}
}

// A flag leaves no reject to read the reason from, so the first flagged
// listing of a source's run is logged with what its prices imply, to
// enough digits to see which way the rounding went; later ones are not.
func TestDiscountMismatchIsLoggedOncePerSource(t *testing.T) {
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	defer slog.SetDefault(prev)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tr, err := NewListings("warn-once", testFX(t))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		out := apply(t, mem, tr, pipeline.Listings, []rec{
			listingRec("W-1", "marketplace", "daraz.pk", "moq", "<null>", "price", "Rs. 29,999", "list_price", "Rs. 35,500", "discount", "-10%"),
			listingRec("W-2", "marketplace", "daraz.pk", "moq", "<null>", "price", "Rs. 500", "list_price", "Rs. 260"),
		})
		out.release()
	}
	var lines []string
	for _, l := range strings.Split(buf.String(), "\n") {
		if strings.Contains(l, "source=warn-once") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !strings.Contains(lines[0], "listing_id=W-1") || !strings.Contains(lines[0], "imply 15.4958%") {
		t.Errorf("log lines for the source = %q, want one about W-1 showing 15.4958%%", lines)
	}
}
