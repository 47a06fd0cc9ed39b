package transforms

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	_ "github.com/exportpipe/exportpipe/extractors" // the file kind the example config reads
	"github.com/exportpipe/exportpipe/pipeline"
)

// TestRealDarazDiscountsKeepEveryListing runs the real Daraz BD file
// through the listings transform as configs/examples/daraz-bd-csv.yaml
// maps it, and checks that no listing is lost over its discount. The
// file's discounts are rounded three ways (down, half up, up: 5,302 rows
// agree with two of them, 193 only with rounding down, e.g. 400 -> 190
// shown as 52, not 53), and 6 rows list a sale price above the original
// price: those 6 are flagged, the rest agree.
func TestRealDarazDiscountsKeepEveryListing(t *testing.T) {
	head, rows := readShared(t, "listings/daraz-bd-top-selling/Top_Selling_Product_Data.csv", ',')
	cfg, err := pipeline.LoadConfig("../configs/examples/daraz-bd-csv.yaml")
	if err != nil {
		t.Fatal(err)
	}
	seller, title, cat := column(t, head, rows, "Seller Name"), column(t, head, rows, "Title"), column(t, head, rows, "SubCategory")
	sale, list, pct := column(t, head, rows, "Discount Price"), column(t, head, rows, "Original Price"), column(t, head, rows, "Discount")
	recs := make([]rec, len(rows))
	for i := range rows {
		recs[i] = rec{"listing_id": seller[i] + "/" + title[i], "marketplace": "daraz.com.bd", "seller_id": seller[i],
			"title": title[i], "category": cat[i], "price": sale[i], "list_price": list[i], "discount": pct[i],
			"updated_at": "2023-01-01T00:00:00Z"}
	}
	// Neither reference FX file quotes BDT, so the test gives the one rate
	// the transform needs to get past conversion; its value plays no part
	// in what is checked here.
	fx := NewFXTable()
	if err := fx.Add("BDT", time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), 110); err != nil {
		t.Fatal(err)
	}
	factory, err := FactoryFor(cfg, nil) // as a run of the example builds it
	if err != nil {
		t.Fatal(err)
	}
	tr, err := factory(pipeline.Listings, "daraz_bd_listings", fx)
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	out := apply(t, mem, tr, pipeline.Listings, recs)
	defer out.release()
	if got := out.rejects.NumRows(); got != 0 {
		t.Fatalf("%d of %d real listings rejected, want none: %v", got, len(recs), rejectsByKey(t, out.rejects, pipeline.Listings, "daraz_bd_listings"))
	}
	flags := map[any]int{}
	for i := range int(out.good.NumRows()) {
		flags[cell(t, out.good, "discount_mismatch", i)]++
	}
	t.Logf("COVERAGE daraz.com.bd discount_mismatch: %v of %d listings", flags, len(recs))
	if flags[true] != 6 || flags[false] != 12901 || flags[nil] != 0 {
		t.Errorf("discount_mismatch counts %v, want 6 true (sale above list) and 12,901 false", flags)
	}
	// With nothing rejected, output row i is input row i. Known rows: the
	// file's first (550 -> 255, 53.64% shown as 54), rounded down (400 ->
	// 190, 52.5% shown as 52) and a sale price above the list price (260
	// -> 500, "48.0"), which keeps its stated figure and is flagged.
	want := map[[3]string][2]any{
		{"550", "255", "54.0"}: {54.0, false},
		{"400", "190", "52.0"}: {52.0, false},
		{"260", "500", "48.0"}: {48.0, true},
	}
	found := map[[3]string]int{}
	for i := range rows {
		k := [3]string{list[i], sale[i], pct[i]}
		w, ok := want[k]
		if !ok {
			continue
		}
		found[k]++
		if got := [2]any{cell(t, out.good, "discount_pct", i), cell(t, out.good, "discount_mismatch", i)}; got != w {
			t.Errorf("row %d (list %s, sale %s, discount %s): discount_pct, discount_mismatch = %v, want %v", i+2, k[0], k[1], k[2], got, w)
		}
	}
	if len(found) != len(want) {
		t.Errorf("found the known rows %v; want each of %d at least once (the file changed?)", found, len(want))
	}
}
