package demo

import (
	"strconv"
	"time"
)

// listingBad is the way an invalid listing is broken.
type listingBad uint8

const (
	listingOK listingBad = iota
	listingBadPrice
	listingBadCategory
	listingBadUpdated
)

// listingCore is everything the ground truth depends on. It comes from its
// own random stream, so the truth can be counted without rendering titles
// or prices.
type listingCore struct {
	seller         uint32
	mkt, cat       uint8
	bad            listingBad
	versions, dups uint8
}

func (sim *Sim) listingCore(r *rng, i int) listingCore {
	r.reset(sim.cfg.Seed, tagListingCore, uint64(i))
	c := listingCore{mkt: uint8(listingMarkets.draw(r)), versions: 1}
	pool := sim.sellersByMkt[c.mkt]
	u := r.Float64()
	c.seller = pool[int(float64(len(pool))*u*u)] // a few big sellers list most
	s := &sim.sellers[c.seller]
	c.cat = s.primary
	if r.chance(0.35) {
		c.cat = uint8(s.city.cats.draw(r))
	}
	switch x := r.Float64(); {
	case x < 0.006:
		c.bad = listingBadPrice
	case x < 0.009:
		c.bad = listingBadCategory
	case x < 0.015:
		c.bad = listingBadUpdated
	}
	if c.bad != listingOK {
		return c
	}
	if x := r.Float64(); x < 0.0045 {
		c.versions = 3
	} else if x < 0.03 {
		c.versions = 2
	}
	if r.chance(0.02) {
		c.dups = 1
	}
	return c
}

func (c listingCore) plan() plan {
	return plan{invalid: c.bad != listingOK, versions: c.versions, dups: c.dups}
}

// listingState is one version of a listing before it is made messy.
type listingState struct {
	title   string
	price   money
	moq     moq
	updated time.Time
}

// listingVersion computes version v of listing i: the first version from
// the detail stream, each later one by repricing the one before.
func (sim *Sim) listingVersion(r *rng, i, v int, c listingCore) listingState {
	s := &sim.sellers[c.seller]
	p := catalog[c.cat]
	r.reset(sim.cfg.Seed, tagListingDetail, uint64(i))
	st := listingState{title: title(r, p)}
	st.price = drawPrice(r, p, c.mkt, s.country)
	st.moq = drawMOQ(r, p)
	from := later(s.joined, sim.cfg.AsOf.AddDate(0, -18, 0))
	st.updated = randomTime(r, from, sim.cfg.AsOf.Add(-time.Hour), 0.25)
	for k := 1; k <= v; k++ {
		r.reset(sim.cfg.Seed, tagListingVersion, verKey(i, k))
		st.price = reprice(r, st.price)
		st.updated = laterTime(r, st.updated, sim.cfg.AsOf)
	}
	return st
}

// listingJSON is a listing as the API sends it.
type listingJSON struct {
	ID          string `json:"id"`
	Marketplace string `json:"marketplace"`
	SellerID    string `json:"seller_id"`
	Title       string `json:"title"`
	Category    string `json:"category"`
	Price       any    `json:"price,omitempty"`
	MOQ         any    `json:"moq,omitempty"`
	UpdatedAt   any    `json:"updated_at"`
}

func listingID(mkt uint8, i int) string {
	switch mkt {
	case mktAlibaba:
		return strconv.FormatInt(1_600_000_000_000+int64(i)*7919, 10)
	case mktDarazPK:
		return "i" + strconv.FormatInt(380_000_000+int64(i)*13, 10)
	}
	return "i" + strconv.FormatInt(210_000_000+int64(i)*17, 10)
}

func (sim *Sim) renderListing(r *rng, e entry, out *listingJSON) {
	i, v := int(e.base), int(e.ver)
	c := sim.listingCore(r, i)
	st := sim.listingVersion(r, i, v, c)
	r.reset(sim.cfg.Seed, tagListingRender, verKey(i, v))
	*out = listingJSON{
		ID:          listingID(c.mkt, i),
		Marketplace: marketNames[c.mkt],
		SellerID:    sim.sellers[c.seller].id,
		Title:       st.title,
		Category:    renderCategory(r, categories[c.cat].Slug),
		Price:       renderPrice(r, st.price),
		UpdatedAt:   renderTime(r, st.updated),
	}
	if c.mkt == mktAlibaba {
		out.MOQ = renderMOQ(r, st.moq)
	} else {
		out.MOQ = nullOrAbsent(r)
	}
	switch c.bad {
	case listingBadPrice:
		out.Price = badPrice(r)
	case listingBadCategory:
		out.Category = r.pick(badCategories)
	case listingBadUpdated:
		out.UpdatedAt = r.pick(badTimestamps)
	}
}
