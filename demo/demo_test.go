package demo

import (
	"bytes"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name               string
		in                 Config
		sellers, sailings  int
		limitDef, limitMax int
		asOf               time.Time
	}{
		{"zero", Config{}, 20000, 4000, 1000, 5000, DefaultAsOf},
		{"tiny scales down with floors", Config{Listings: 300}, 50, 200, 1000, 5000, DefaultAsOf},
		{"explicit", Config{Listings: 9000, Sellers: 7, Sailings: 300, PageLimitDefault: 10, PageLimitMax: 20,
			AsOf: time.Date(2025, 1, 1, 5, 0, 0, 0, time.FixedZone("", 3600))},
			7, 300, 10, 20, time.Date(2025, 1, 1, 4, 0, 0, 0, time.UTC)},
		{"default limit never above max", Config{PageLimitMax: 100}, 20000, 4000, 100, 100, DefaultAsOf},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.in.WithDefaults()
			if c.Sellers != tt.sellers || c.Sailings != tt.sailings || c.PageLimitDefault != tt.limitDef ||
				c.PageLimitMax != tt.limitMax || !c.AsOf.Equal(tt.asOf) || c.AsOf.Location() != time.UTC {
				t.Errorf("WithDefaults(%+v) = %+v", tt.in, c)
			}
		})
	}
}

func TestTruthReconciles(t *testing.T) {
	t.Parallel()
	truth := small().Truth()
	for _, d := range pipeline.LoadOrder() {
		t.Run(string(d), func(t *testing.T) {
			dt, ok := truth.Datasets[string(d)]
			if !ok {
				t.Fatalf("no truth for %s", d)
			}
			if dt.Extracted != dt.Valid+dt.Invalid+dt.Duplicates {
				t.Errorf("%+v does not reconcile", dt)
			}
			if d == pipeline.FXRates {
				if dt.Invalid != 0 || dt.Duplicates != 0 {
					t.Errorf("fx rates should be clean: %+v", dt)
				}
				return
			}
			if share := float64(dt.Invalid) / float64(dt.Extracted); share < 0.003 || share > 0.03 {
				t.Errorf("invalid share %.4f, want about 1-2%%: %+v", share, dt)
			}
			if dt.Duplicates == 0 {
				t.Errorf("no duplicates or versions: %+v", dt)
			}
		})
	}
}

func TestTruthShape(t *testing.T) {
	t.Parallel()
	truth := small().Truth()
	valid := truth.Datasets[string(pipeline.Listings)].Valid
	sum := func(m map[string]int64) (n int64) {
		for _, v := range m {
			n += v
		}
		return n
	}
	top := func(m map[string]int64) string {
		keys := slices.Collect(maps.Keys(m))
		return slices.MaxFunc(keys, func(a, b string) int { return int(m[a] - m[b]) })
	}
	t.Run("every valid listing is counted once per breakdown", func(t *testing.T) {
		for name, m := range map[string]map[string]int64{"country": truth.ListingsBySellerCountry,
			"category": truth.ListingsByCategory, "group": truth.ListingsByGroup} {
			if sum(m) != valid {
				t.Errorf("listings by %s sum to %d, want %d", name, sum(m), valid)
			}
		}
	})
	t.Run("textiles lead", func(t *testing.T) {
		share := float64(truth.ListingsByGroup[pipeline.TextilesGroup]) / float64(valid)
		if top(truth.ListingsByGroup) != pipeline.TextilesGroup || share < 0.35 || share > 0.6 {
			t.Errorf("textiles share %.2f of %v", share, truth.ListingsByGroup)
		}
	})
	t.Run("Pakistani sellers lead", func(t *testing.T) {
		if top(truth.ListingsBySellerCountry) != "PK" {
			t.Errorf("top country %s: %v", top(truth.ListingsBySellerCountry), truth.ListingsBySellerCountry)
		}
	})
	t.Run("routes cover the valid sailings", func(t *testing.T) {
		var n int64
		for i, rt := range truth.Routes {
			n += rt.Sailings
			if rt.OnTime > rt.Arrived || rt.Arrived > rt.Sailings || rt.Sailings == 0 {
				t.Errorf("route %+v is inconsistent", rt)
			}
			if i > 0 && !routeLess(truth.Routes[i-1], rt) {
				t.Errorf("routes not sorted at %d", i)
			}
		}
		if want := truth.Datasets[string(pipeline.Sailings)].Valid; n != want {
			t.Errorf("routes hold %d sailings, want %d", n, want)
		}
	})
}

func routeLess(a, b RouteTruth) bool {
	if a.Carrier != b.Carrier {
		return a.Carrier < b.Carrier
	}
	if a.Origin != b.Origin {
		return a.Origin < b.Origin
	}
	return a.Destination < b.Destination
}

func TestDeterminism(t *testing.T) {
	t.Parallel()
	a, b := New(Config{Seed: 42, Listings: 2000}), New(Config{Seed: 42, Listings: 2000})
	other := New(Config{Seed: 43, Listings: 2000})
	for d, path := range endpoints {
		t.Run(string(d), func(t *testing.T) {
			target := path + "?limit=200&cursor=" + encodeCursor(d, 100)
			_, pa := get(t, a.Handler(), target)
			_, pb := get(t, b.Handler(), target)
			_, po := get(t, other.Handler(), target)
			if !bytes.Equal(pa, pb) {
				t.Error("same seed served different bytes")
			}
			if bytes.Equal(pa, po) {
				t.Error("different seeds served the same bytes")
			}
		})
	}
	if !slices.Equal(a.Truth().Routes, b.Truth().Routes) || !maps.Equal(a.Truth().Datasets, b.Truth().Datasets) {
		t.Error("same seed, different truth")
	}
}

// Versions of a listing keep its marketplace, seller and category, change
// its price and move updated_at strictly forward.
func TestListingVersions(t *testing.T) {
	t.Parallel()
	s := small()
	r := newRNG()
	checked := 0
	for i := range s.cfg.Listings {
		c := s.listingCore(r, i)
		for v := 1; v < int(c.versions); v++ {
			prev, cur := s.listingVersion(r, i, v-1, c), s.listingVersion(r, i, v, c)
			if c2 := s.listingCore(r, i); c2 != c {
				t.Fatalf("listing %d: core changed between calls", i)
			}
			if !cur.updated.After(prev.updated) || cur.updated.After(s.cfg.AsOf) {
				t.Errorf("listing %d v%d: updated %v after %v, as of %v", i, v, cur.updated, prev.updated, s.cfg.AsOf)
			}
			if cur.price == prev.price || cur.price.cur != prev.price.cur || cur.title != prev.title {
				t.Errorf("listing %d v%d: price %+v -> %+v", i, v, prev.price, cur.price)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no listing has a newer version")
	}
}

func TestListingsReferenceValidSellers(t *testing.T) {
	t.Parallel()
	s := small()
	valid := map[[2]string]bool{}
	for _, sl := range s.sellers {
		if sl.bad == sellerOK {
			valid[[2]string{marketNames[sl.mkt], sl.id}] = true
		}
	}
	for _, raw := range walk(t, s.Handler(), endpoints[pipeline.Listings], 5000) {
		m := decode(t, raw)
		if key := [2]string{m["marketplace"].(string), m["seller_id"].(string)}; !valid[key] {
			t.Fatalf("listing %v references seller %v, which is not a valid seller", m["id"], key)
		}
	}
}

func TestGeneratingIsFast(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("timing is meaningless under -race or -short")
	}
	start := time.Now()
	truth := New(Config{Seed: 1}).Truth()
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("300,000 listings took %v to generate, want well under 2s", took)
	}
	if truth.Datasets[string(pipeline.Listings)].Valid < 290_000 {
		t.Errorf("default size: %+v", truth.Datasets[string(pipeline.Listings)])
	}
}
