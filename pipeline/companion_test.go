package pipeline

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// sellersBatch builds a raw listings batch with sellers columns: each row
// gives the seller's id, name, country and updated_at (empty is null).
func sellersBatch(t *testing.T, mem memory.Allocator, rows [][4]string) arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(mem, RawSchemaWithSellers())
	defer b.Release()
	for i, f := range b.Schema().Fields() {
		sb := b.Field(i).(*array.StringBuilder)
		for _, r := range rows {
			v := ""
			switch f.Name {
			case "listing_id":
				v = "L-" + r[0]
			case RawColumn:
				v = "{}"
			case "sellers.seller_id":
				v = r[0]
			case "sellers.name":
				v = r[1]
			case "sellers.country":
				v = r[2]
			case "sellers.updated_at":
				v = r[3]
			}
			if v == "" && f.Name != RawColumn {
				sb.AppendNull()
			} else {
				sb.Append(v)
			}
		}
	}
	return b.NewRecordBatch()
}

// A listings batch with sellers columns splits into the listings as the
// listings transform expects them and the sellers of the same rows.
func TestSplitSellers(t *testing.T) {
	t.Parallel()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	raw := sellersBatch(t, mem, [][4]string{{"S1", "Gul", "PK", "2026-12-01"}, {"", "", "", ""}})
	defer raw.Release()
	listings, sellers := SplitSellers(raw)
	defer listings.Release()
	defer sellers.Release()
	if !listings.Schema().Equal(RawSchema(Listings)) || !sellers.Schema().Equal(RawSchema(Sellers)) {
		t.Fatalf("schemas: listings %v, sellers %v", listings.Schema(), sellers.Schema())
	}
	if listings.NumRows() != 2 || sellers.NumRows() != 2 {
		t.Fatalf("rows: %d listings, %d sellers, want 2 and 2", listings.NumRows(), sellers.NumRows())
	}
	if id := sellers.Column(0).(*array.String); id.Value(0) != "S1" || id.IsValid(1) {
		t.Errorf("seller ids = %v", id)
	}

	// A batch without sellers columns passes through as it is.
	plain := array.NewRecordBatch(RawSchema(Listings), listings.Columns(), listings.NumRows())
	defer plain.Release()
	same, none := SplitSellers(plain)
	defer same.Release()
	if none != nil || same != plain {
		t.Errorf("a plain listings batch was split: %v, %v", same, none)
	}
}

// The collector keeps one row per distinct seller state, whatever
// updated_at the later listings carry, keeps a changed state as a second
// row, and counts the records that named no seller.
func TestSellerCollectorKeepsDistinctSellers(t *testing.T) {
	t.Parallel()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	c := newSellerCollector(mem, "crawl")
	for _, rows := range [][][4]string{
		{{"S1", "Gul", "PK", "2026-12-01"}, {"S1", "Gul", "PK", "2026-12-02"}, {"", "", "", "2026-12-01"}},
		{{"S2", "Sialkot", "PK", "2026-12-01"}, {"S1", "Gul", "AE", "2026-12-03"}, {" ", "", "", ""}},
	} {
		raw := sellersBatch(t, mem, rows)
		listings, sellers := SplitSellers(raw)
		listings.Release()
		raw.Release()
		c.add(sellers)
		sellers.Release()
	}
	if c.named != 4 || c.unnamed != 2 {
		t.Errorf("named %d, unnamed %d; want 4 and 2", c.named, c.unnamed)
	}
	var got []string
	ex := c.extractor()
	if ex.Name() != "crawl" || ex.Dataset() != Sellers {
		t.Errorf("extractor %s (%s), want crawl (sellers)", ex.Name(), ex.Dataset())
	}
	stats, err := ex.Extract(t.Context(), mem, func(rec arrow.RecordBatch) error {
		for i := range int(rec.NumRows()) {
			row := make([]string, 0, 4)
			for _, n := range []string{"seller_id", "name", "country", "updated_at"} {
				row = append(row, rec.Column(rec.Schema().FieldIndices(n)[0]).(*array.String).Value(i))
			}
			got = append(got, strings.Join(row, "|"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "S1|Gul|PK|2026-12-01; S2|Sialkot|PK|2026-12-01; S1|Gul|AE|2026-12-03"
	if strings.Join(got, "; ") != want || stats.Records != 3 {
		t.Errorf("collected %q (%d records), want %q", strings.Join(got, "; "), stats.Records, want)
	}
	c.release() // nothing left to free after Extract; must not double-free
}
