package demo

import (
	"strconv"
	"time"
)

// sellerBad is the way an invalid seller is broken.
type sellerBad uint8

const (
	sellerOK sellerBad = iota
	sellerBadCountry
	sellerBadJoined
	sellerBadUpdated
	numSellerBad
)

// seller is the canonical record behind every rendering of one seller.
// Sellers are few (about one per fifteen listings), so they are kept, and
// listings look up their marketplace, country and city here.
type seller struct {
	id, name        string
	city            *city
	joined, updated time.Time // updated is the first version's
	mkt, country    uint8
	primary         uint8 // the category it mostly sells
	bad             sellerBad
	versions, dups  uint8
	noJoined        bool
}

var sellerPrefixes = [numMarkets]string{"AB", "DPK", "DBD"}

// genSellers draws every seller and indexes the valid ones by marketplace.
// The first seller of each marketplace is always valid, so even a tiny
// simulation has someone to attribute listings to.
func genSellers(cfg Config) ([]seller, [numMarkets][]uint32) {
	out := make([]seller, cfg.Sellers)
	var byMkt [numMarkets][]uint32
	r := newRNG()
	for i := range out {
		s := drawSeller(r.reset(cfg.Seed, tagSellerCore, uint64(i)), cfg)
		if i < numMarkets {
			s.mkt, s.bad = uint8(i), sellerOK
			s.country = uint8(sellerCountries[i].draw(r))
			s.city, s.primary, s.name = drawTrade(r, s.country)
		}
		out[i] = s
		if s.bad == sellerOK {
			byMkt[s.mkt] = append(byMkt[s.mkt], uint32(i))
		}
	}
	for i := range out {
		out[i].id = sellerPrefixes[out[i].mkt] + strconv.Itoa(1_000_000+i)
	}
	return out, byMkt
}

func drawSeller(r *rng, cfg Config) seller {
	s := seller{mkt: uint8(sellerMarkets.draw(r))}
	s.country = uint8(sellerCountries[s.mkt].draw(r))
	s.city, s.primary, s.name = drawTrade(r, s.country)
	// Newer sellers are more common: the platform is growing.
	age := time.Duration(r.Float64() * r.Float64() * float64(9*365*24*time.Hour))
	s.joined = cfg.AsOf.Add(-30*24*time.Hour - age).Truncate(time.Second)
	from := later(s.joined, cfg.AsOf.AddDate(0, -18, 0))
	s.updated = randomTime(r, from, cfg.AsOf.Add(-time.Hour), 0.25)
	s.noJoined = r.chance(0.01)
	if r.chance(0.015) {
		s.bad = sellerBad(1 + r.IntN(int(numSellerBad)-1))
		s.versions = 1
		return s
	}
	s.versions = 1
	if r.chance(0.02) {
		s.versions = 2
	}
	if r.chance(0.015) {
		s.dups = 1
	}
	return s
}

func drawTrade(r *rng, country uint8) (*city, uint8, string) {
	cc := &cities[country]
	c := &cc.cities[cc.pick.draw(r)]
	primary := uint8(c.cats.draw(r))
	return c, primary, sellerName(r, country, c, primary)
}

func (s seller) plan() plan {
	return plan{invalid: s.bad != sellerOK, versions: s.versions, dups: s.dups}
}

// sellerUpdated is when version v of seller i was last changed. Each
// version is strictly later than the one before and never after as-of.
func (sim *Sim) sellerUpdated(r *rng, i, v int) time.Time {
	t := sim.sellers[i].updated
	for k := 1; k <= v; k++ {
		t = laterTime(r.reset(sim.cfg.Seed, tagSellerVersion, verKey(i, k)), t, sim.cfg.AsOf)
	}
	return t
}

// sellerJSON is a seller as the API sends it.
type sellerJSON struct {
	SellerID    string `json:"seller_id"`
	Marketplace string `json:"marketplace"`
	Name        string `json:"name"`
	Country     string `json:"country"`
	City        string `json:"city"`
	JoinedAt    any    `json:"joined_at,omitempty"`
	UpdatedAt   any    `json:"updated_at"`
}

func (sim *Sim) renderSeller(r *rng, e entry, out *sellerJSON) {
	i, v := int(e.base), int(e.ver)
	s := &sim.sellers[i]
	updated := sim.sellerUpdated(r, i, v)
	r.reset(sim.cfg.Seed, tagSellerRender, verKey(i, v))
	*out = sellerJSON{
		SellerID:    s.id,
		Marketplace: marketNames[s.mkt],
		Name:        s.name,
		Country:     r.variant(countryVariants[countryCodes[s.country]]),
		City:        s.city.name,
		JoinedAt:    renderTime(r, s.joined),
		UpdatedAt:   renderTime(r, updated),
	}
	if s.noJoined {
		out.JoinedAt = nullOrAbsent(r)
	}
	switch s.bad {
	case sellerBadCountry:
		out.Country = r.pick(badCountries)
	case sellerBadJoined:
		out.JoinedAt = r.pick(badTimestamps)
	case sellerBadUpdated:
		out.UpdatedAt = r.pick(badTimestamps)
	}
}
