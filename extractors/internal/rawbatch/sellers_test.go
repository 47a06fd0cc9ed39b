package rawbatch

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// A listings source with sellers: builds raw batches with the sellers
// columns after the listing's own. A sellers field the mapping does not
// name is null, never read from the record's key of that name (a
// listing's "name" is the product's); marketplace and updated_at follow
// the listing's mapping, constants included.
func TestSellersColumnsFollowTheListing(t *testing.T) {
	t.Parallel()
	m, err := Compile(pipeline.Listings, pipeline.Mapping{
		Fields:    map[string]string{"listing_id": "sku", "updated_at": "seen"},
		Constants: map[string]string{"marketplace": "daraz.pk"},
		Sellers:   map[string]string{"seller_id": "shop.id", "country": "shop.country"},
		Keep:      []string{pipeline.KeepAll},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !m.NamesSellers() {
		t.Fatal("NamesSellers = false for a mapping with sellers:")
	}
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	b := NewBuilder(mem, pipeline.Listings, m, 10)
	defer b.Release()
	raw := `{"sku":"7","name":"Lawn suit","city":"Lahore","seen":"2026-12-01","shop":{"id":"S1","country":"PK"},"rating":"4.5"}`
	obj := map[string]json.RawMessage{}
	if err := json.Unmarshal([]byte(raw), &obj); err != nil {
		t.Fatal(err)
	}
	b.Add(JSONGetter(obj), raw)
	var got map[string]string
	err = b.Flush(func(rec arrow.RecordBatch) error {
		if !rec.Schema().Equal(pipeline.RawSchemaWithSellers()) {
			t.Errorf("schema = %v, want RawSchemaWithSellers", rec.Schema())
		}
		got = map[string]string{}
		for i, f := range rec.Schema().Fields() {
			col := rec.Column(i).(*array.String)
			if col.IsValid(0) {
				got[f.Name] = col.Value(0)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"sellers.seller_id": "S1", "sellers.country": "PK", "sellers.marketplace": "daraz.pk", "sellers.updated_at": "2026-12-01",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	for _, k := range []string{"sellers.name", "sellers.city", "sellers.joined_at"} {
		if v, ok := got[k]; ok {
			t.Errorf("%s = %q, want null: sellers: does not name it", k, v)
		}
	}
	// keep: "*" keeps what no mapping reads; the seller's object is read.
	if got["attributes"] != `{"city":"Lahore","name":"Lawn suit","rating":"4.5"}` {
		t.Errorf("attributes = %s, want the unmapped fields without shop", got["attributes"])
	}
}

// sellers: on a mapping is checked like fields: an unknown field or a bad
// template is an error naming sellers:.
func TestSellersMappingErrors(t *testing.T) {
	t.Parallel()
	_, err := Compile(pipeline.Listings, pipeline.Mapping{Sellers: map[string]string{"seller_id": "{shop.id", "rating": "r"}})
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{"sellers:", "unclosed {", `no field "rating"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to mention %q", err, want)
		}
	}
}

// The seller's id read from the same column as the listing's is cut by the
// listing's pattern too, so the two agree and join; a rule written for the
// seller (constants: {sellers.country: ...}) applies to the seller only.
func TestSellersInheritTheListingsPatternAndTakeTheirOwnRules(t *testing.T) {
	t.Parallel()
	m, err := Compile(pipeline.Listings, pipeline.Mapping{
		Fields:    map[string]string{"seller_id": "fc3 href"},
		Patterns:  map[string]string{"seller_id": `//([a-z0-9-]+)\.en\.alibaba\.com`},
		Constants: map[string]string{"marketplace": "alibaba.com", "sellers.country": "CN"},
		Sellers:   map[string]string{"seller_id": "fc3 href", "name": "company"},
	})
	if err != nil {
		t.Fatal(err)
	}
	get := func(k string) (string, bool) {
		v, ok := map[string]string{"fc3 href": "https://hxy168.en.alibaba.com/company_profile.html", "company": "Hxy Medical"}[k]
		return v, ok
	}
	s := m.sellers
	for field, want := range map[string]string{"seller_id": "hxy168", "name": "Hxy Medical", "country": "CN", "marketplace": "alibaba.com"} {
		if v, _ := s.Value(s.Index(field), get); v != want {
			t.Errorf("seller %s = %q, want %q", field, v, want)
		}
	}
	if v, _ := m.Value(m.Index("seller_id"), get); v != "hxy168" {
		t.Errorf("listing seller_id = %q, want hxy168", v)
	}
}
