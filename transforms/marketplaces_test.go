package transforms

import (
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// A marketplace the config adds is known to listings and sellers alike,
// and its currency settles prices: a bare amount is in it, its own sign
// parses, and a sign several currencies share means it where it can
// ("Rs." is INR on amazon.in and PKR on daraz.pk; "$" is CAD on a CAD
// marketplace and USD on amazon.in).
func TestConfiguredMarketplaces(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	markets, err := pipeline.NewMarketplaceSet([]pipeline.Marketplace{
		{Name: "amazon.in", Currency: "INR", Country: "IN"},
		{Name: "amazon.ca", Currency: "CAD", Country: "CA"},
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := NewFactory(Options{Marketplaces: markets})
	if err != nil {
		t.Fatal(err)
	}
	fx := testFX(t)
	day := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	for cur, rate := range map[string]float64{"INR": 84, "CAD": 1.4} {
		if err := fx.Add(cur, day, rate); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := f(pipeline.Listings, "shops", fx)
	if err != nil {
		t.Fatal(err)
	}
	in := func(id, market, price string) rec { return listingRec(id, "marketplace", market, "price", price) }
	out := apply(t, mem, tr, pipeline.Listings, []rec{
		in("rupee-sign", "amazon.in", "₹1,299"),
		in("rs-in", "amazon.in", "Rs. 1,299"),
		in("bare-in", "amazon.in", "1,299"),
		in("dollar-in", "amazon.in", "$15.00"),
		in("rs-pk", "daraz.pk", "Rs. 1,299"),
		in("dollar-ca", "amazon.ca", "$15.00"),
		in("usd-ca", "amazon.ca", "US $15.00"),
		in("unknown", "amazon.de", "€15.00"),
	})
	defer out.release()
	want := map[string]struct {
		market, currency string
		min, usd         float64
	}{
		"rupee-sign": {"amazon.in", "INR", 1299, 1299.0 / 84},
		"rs-in":      {"amazon.in", "INR", 1299, 1299.0 / 84},
		"bare-in":    {"amazon.in", "INR", 1299, 1299.0 / 84},
		"dollar-in":  {"amazon.in", "USD", 15, 15},
		"rs-pk":      {"daraz.pk", "PKR", 1299, 1299.0 / 280},
		"dollar-ca":  {"amazon.ca", "CAD", 15, 15 / 1.4},
		"usd-ca":     {"amazon.ca", "USD", 15, 15},
	}
	good := goodByKey(t, out.good, "listing_id")
	for id, w := range want {
		i, ok := good[id]
		if !ok {
			t.Errorf("%s rejected: %v", id, rejectsByKey(t, out.rejects, pipeline.Listings, "shops"))
			continue
		}
		if m, c, p, u := cell(t, out.good, "marketplace", i), cell(t, out.good, "currency", i), cell(t, out.good, "price_min", i), cell(t, out.good, "price_min_usd", i); m != w.market || c != w.currency || !equalish(p, w.min) || !equalish(u, w.usd) {
			t.Errorf("%s = %v %v %v (%v USD), want %+v", id, m, c, p, u, w)
		}
	}
	rej := rejectsByKey(t, out.rejects, pipeline.Listings, "shops")
	r, ok := rej["amazon.de/unknown"]
	if !ok || len(rej) != 1 || r.field != "marketplace" ||
		r.reason != `[unknown_marketplace] marketplace "amazon.de": not one of alibaba.com, amazon.ca, amazon.in, daraz.com.bd, daraz.pk; add it under marketplaces: in the config, with its currency` {
		t.Errorf("rejects = %+v; want only amazon.de, unknown_marketplace, listing the configured marketplaces", rej)
	}

	// Sellers use the same set: a seller of amazon.in loads.
	st, err := f(pipeline.Sellers, "shops", nil)
	if err != nil {
		t.Fatal(err)
	}
	sellers := apply(t, mem, st, pipeline.Sellers, []rec{
		{"seller_id": "S1", "marketplace": "amazon.in", "country": "India", "updated_at": mayFirst},
		{"seller_id": "S2", "marketplace": "amazon.de", "country": "Germany", "updated_at": mayFirst},
	})
	defer sellers.release()
	if sellers.good.NumRows() != 1 || cell(t, sellers.good, "marketplace", 0) != "amazon.in" || cell(t, sellers.good, "country", 0) != "IN" {
		t.Errorf("sellers: %d good; want the amazon.in seller only", sellers.good.NumRows())
	}
	if r := rejectsByKey(t, sellers.rejects, pipeline.Sellers, "shops")["amazon.de/S2"]; !strings.HasPrefix(r.reason, "[unknown_marketplace]") {
		t.Errorf("amazon.de seller: reject %+v, want unknown_marketplace", r)
	}

	// Without the config the same marketplace is unknown: the set is the
	// factory's, never a shared table a config could change.
	plain, err := NewFactory(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ptr, err := plain(pipeline.Listings, "shops", fx)
	if err != nil {
		t.Fatal(err)
	}
	bare := apply(t, mem, ptr, pipeline.Listings, []rec{in("rupee-sign", "amazon.in", "₹1,299")})
	defer bare.release()
	if bare.good.NumRows() != 0 {
		t.Errorf("amazon.in loaded by a factory whose options do not add it")
	}
}
