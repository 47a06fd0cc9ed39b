// Package demo is exportpipe's built-in marketplace and shipping simulator.
// It serves listings, sellers, sailings, freight rates and FX rates over the
// paginated JSON API a real source would, with the messy values real
// sources send, and publishes the ground truth a correct pipeline must
// reproduce. Everything is a function of the seed and the as-of time, never
// of wall time, so one seed always serves byte-identical pages.
package demo

import (
	"maps"
	"slices"
	"sync/atomic"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// Config sizes and seeds a simulation. Zero values take the defaults.
type Config struct {
	Seed     int64
	Listings int       // distinct listings, valid and invalid; default 300,000
	Sellers  int       // default max(50, Listings/15)
	Sailings int       // default max(200, Listings/75)
	AsOf     time.Time // the simulator's clock; default 2026-11-01T00:00:00Z

	PageLimitDefault int // records per page without ?limit=; default 1000
	PageLimitMax     int // larger limits are capped to this; default 5000

	// Fail429Every, when > 0, answers every n-th page request with 429 Too
	// Many Requests (Retry-After: Faults.RetryAfter, default 0), to exercise
	// an extractor's retries.
	Fail429Every int

	// Faults make the server misbehave in the other ways real APIs do.
	// The zero value serves every page correctly.
	Faults Faults
}

// DefaultAsOf is the simulator's default clock.
var DefaultAsOf = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// WithDefaults fills in every zero field.
func (c Config) WithDefaults() Config {
	if c.Listings <= 0 {
		c.Listings = 300_000
	}
	if c.Sellers <= 0 {
		c.Sellers = max(50, c.Listings/15)
	}
	c.Sellers = max(c.Sellers, numMarkets)
	if c.Sailings <= 0 {
		c.Sailings = max(200, c.Listings/75)
	}
	if c.AsOf.IsZero() {
		c.AsOf = DefaultAsOf
	}
	c.AsOf = c.AsOf.UTC().Truncate(time.Second)
	if c.PageLimitMax <= 0 {
		c.PageLimitMax = 5000
	}
	if c.PageLimitDefault <= 0 {
		c.PageLimitDefault = 1000
	}
	c.PageLimitDefault = min(c.PageLimitDefault, c.PageLimitMax)
	return c
}

// Sim is one simulated world. It is immutable once built, so a Handler may
// serve it from many goroutines.
type Sim struct {
	cfg          Config
	sellers      []seller
	sellersByMkt [numMarkets][]uint32
	fleets       [][]vessel
	sailings     []sailing
	freight      []freightBase
	fx           fxTable
	layouts      map[pipeline.Dataset]layout
	truth        Truth
	requests     atomic.Int64
	injected     atomic.Int64
}

// New builds the world for cfg. Only small tables (sellers, sailings,
// freight and FX) are kept; listings are recomputed from (seed, index)
// whenever a page is served.
func New(cfg Config) *Sim {
	cfg = cfg.WithDefaults()
	s := &Sim{cfg: cfg, layouts: map[pipeline.Dataset]layout{}}
	s.sellers, s.sellersByMkt = genSellers(cfg)
	s.fleets = genFleets(cfg.Seed)
	s.sailings = genSailings(cfg, s.fleets)
	s.freight = genFreight(cfg.Seed)
	s.fx = genFX(cfg.Seed, cfg.AsOf)

	s.layouts[pipeline.Sellers] = buildLayout(len(s.sellers), cfg.Seed, tagSellerPlace,
		func(i int) plan { return s.sellers[i].plan() })
	s.layouts[pipeline.Sailings] = buildLayout(len(s.sailings), cfg.Seed, tagSailingPlace,
		func(i int) plan { return s.sailings[i].plan() })
	s.layouts[pipeline.FreightRates] = buildLayout(len(s.freight), cfg.Seed, tagFreightPlace,
		func(i int) plan { return s.freight[i].plan() })
	s.layouts[pipeline.FXRates] = buildLayout(s.fx.len(), cfg.Seed, 0,
		func(int) plan { return plan{versions: 1} })
	s.layouts[pipeline.Listings] = s.listingLayout()
	s.truth.Routes = routeTruth(s.sailings)
	s.truth.Seed, s.truth.AsOf = cfg.Seed, cfg.AsOf
	s.truth.Datasets = map[string]DatasetTruth{}
	for d, l := range s.layouts {
		s.truth.Datasets[string(d)] = l.truth
	}
	return s
}

// listingLayout lays out the listings and counts the valid ones by seller
// country, category and group on the way, from canonical values.
func (s *Sim) listingLayout() layout {
	var byCountry [numCountries]int64
	byCat := make([]int64, len(pipeline.Categories()))
	r := newRNG()
	l := buildLayout(s.cfg.Listings, s.cfg.Seed, tagListingPlace, func(i int) plan {
		c := s.listingCore(r, i)
		if c.bad == listingOK {
			byCountry[s.sellers[c.seller].country]++
			byCat[c.cat]++
		}
		return c.plan()
	})
	s.truth.ListingsBySellerCountry = map[string]int64{}
	for c, n := range byCountry {
		if n > 0 {
			s.truth.ListingsBySellerCountry[countryCodes[c]] = n
		}
	}
	s.truth.ListingsByCategory = map[string]int64{}
	s.truth.ListingsByGroup = map[string]int64{}
	for k, n := range byCat {
		if n > 0 {
			cat := categories[k]
			s.truth.ListingsByCategory[cat.Slug] = n
			s.truth.ListingsByGroup[cat.Group] += n
		}
	}
	return l
}

// Config returns the configuration the simulation was built with, defaults
// filled in.
func (s *Sim) Config() Config { return s.cfg }

// DatasetTruth is what a correct run must count for one dataset.
// Valid is the number of distinct natural keys loaded;
// Extracted = Valid + Invalid + Duplicates.
type DatasetTruth struct{ Extracted, Valid, Invalid, Duplicates int64 }

// RouteTruth is one carrier/origin/destination's schedule performance over
// its valid sailings. MedianTransitDays is 0 when none has arrived.
type RouteTruth struct {
	Carrier, Origin, Destination string
	Sailings, Arrived, OnTime    int64
	MedianTransitDays            float64
}

// Truth is the ground truth of a simulation, computed from canonical
// values before they are made messy.
type Truth struct {
	Seed                    int64
	AsOf                    time.Time
	Datasets                map[string]DatasetTruth // keyed by pipeline.Dataset name
	ListingsBySellerCountry map[string]int64        // ISO2 -> distinct valid listings
	ListingsByCategory      map[string]int64        // slug -> distinct valid listings
	ListingsByGroup         map[string]int64        // category group -> distinct valid listings
	Routes                  []RouteTruth            // sorted by carrier, origin, destination
}

// Truth returns a copy of the ground truth; callers may modify it.
func (s *Sim) Truth() Truth {
	t := s.truth
	t.Datasets = maps.Clone(t.Datasets)
	t.ListingsBySellerCountry = maps.Clone(t.ListingsBySellerCountry)
	t.ListingsByCategory = maps.Clone(t.ListingsByCategory)
	t.ListingsByGroup = maps.Clone(t.ListingsByGroup)
	t.Routes = slices.Clone(t.Routes)
	return t
}
