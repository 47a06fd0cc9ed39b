package demo

import (
	"math"
	"strconv"
	"time"
)

// freightCombo is one priced service: carrier, origin, lane, equipment.
type freightCombo struct {
	carrier, origin, lane, equip uint8
}

// freightBase is one served rate record. slot numbers the valid rates
// month by month; invalid records get a random combo instead.
type freightBase struct {
	slot           int32
	combo          freightCombo
	month          uint8
	bad            freightBad
	versions, dups uint8
}

type freightBad uint8

const (
	freightOK freightBad = iota
	freightBadOrigin
	freightBadDestination
	freightBadUpdated
	numFreightBad
)

// freightMonths is how many monthly tariffs are published, ending with
// the as-of month.
const freightMonths = 19

var equipFactor = [3]float64{0.62, 1, 1.06}

var freightCombos = func() []freightCombo {
	var out []freightCombo
	for c := range lines {
		for o := range origins {
			for _, l := range lineLanes[c] {
				for e := range equipmentVariants {
					out = append(out, freightCombo{uint8(c), uint8(o), uint8(l), uint8(e)})
				}
			}
		}
	}
	return out
}()

// genFreight lays out every combo for every month, with an invalid record
// slipped in now and then.
func genFreight(seed int64) []freightBase {
	total := len(freightCombos) * freightMonths
	out := make([]freightBase, 0, total+total/50)
	r := newRNG()
	for i, slot := 0, 0; slot < total; i++ {
		r.reset(seed, tagFreightCore, uint64(i))
		b := freightBase{slot: -1, versions: 1}
		if r.chance(0.01) {
			b.bad = freightBad(1 + r.IntN(int(numFreightBad)-1))
			b.combo = freightCombos[r.IntN(len(freightCombos))]
			b.month = uint8(r.IntN(freightMonths))
			out = append(out, b)
			continue
		}
		b.slot = int32(slot)
		b.combo = freightCombos[slot%len(freightCombos)]
		b.month = uint8(slot / len(freightCombos))
		slot++
		if r.chance(0.02) {
			b.versions = 2
		}
		if r.chance(0.01) {
			b.dups = 1
		}
		out = append(out, b)
	}
	return out
}

func (b freightBase) plan() plan {
	return plan{invalid: b.bad != freightOK, versions: b.versions, dups: b.dups}
}

func (sim *Sim) validFrom(month uint8) time.Time {
	y, m, _ := sim.cfg.AsOf.Date()
	return time.Date(y, m-freightMonths+1+time.Month(month), 1, 0, 0, 0, 0, time.UTC)
}

// season is the freight market over the window: a yearly swing plus a
// disruption spike mid-window.
func season(month uint8) float64 {
	m := float64(month)
	return 1 + 0.12*math.Sin(2*math.Pi*(m-3)/12) + 0.25*math.Exp(-(m-9)*(m-9)/6)
}

// freightVersion is version v's rate in whole USD and when it was
// published: a few days before the month, revisions within it.
func (sim *Sim) freightVersion(r *rng, i, v int) (int64, time.Time) {
	b := sim.freight[i]
	c := b.combo
	from := sim.validFrom(b.month)
	r.reset(sim.cfg.Seed, tagFreightVersion, verKey(i, 0))
	usd := float64(lanes[c.lane].usdPer40) * lines[c.carrier].priceFactor * equipFactor[c.equip] *
		(1 + 0.02*float64(c.origin)) * season(b.month) * r.between(0.94, 1.06)
	rate := max(int64(math.Round(usd/5))*5, 150)
	updated := randomTime(r, from.Add(-10*24*time.Hour), from.Add(-24*time.Hour), 0)
	bound := from.Add(20 * 24 * time.Hour)
	if bound.After(sim.cfg.AsOf) {
		bound = sim.cfg.AsOf
	}
	for k := 1; k <= v; k++ {
		r.reset(sim.cfg.Seed, tagFreightVersion, verKey(i, k))
		f := r.between(1.03, 1.1)
		if r.chance(0.5) {
			f = 1 / f
		}
		next := max(int64(math.Round(float64(rate)*f/5))*5, 150)
		if next == rate {
			next += 5
		}
		rate, updated = next, laterTime(r, updated, bound)
	}
	return rate, updated
}

// freightJSON is a freight rate as the API sends it.
type freightJSON struct {
	RateID      string `json:"rate_id"`
	Carrier     string `json:"carrier"`
	Origin      string `json:"origin"`
	Destination string `json:"destination"`
	Equipment   string `json:"equipment"`
	ValidFrom   string `json:"valid_from"`
	Rate        string `json:"rate"`
	UpdatedAt   any    `json:"updated_at"`
}

func (sim *Sim) renderFreight(r *rng, e entry, out *freightJSON) {
	i, v := int(e.base), int(e.ver)
	b := sim.freight[i]
	c := b.combo
	rate, updated := sim.freightVersion(r, i, v)
	from := sim.validFrom(b.month)
	r.reset(sim.cfg.Seed, tagFreightRender, verKey(i, v))
	*out = freightJSON{
		Carrier:     r.variant(carrierVariants[lines[c.carrier].name]),
		Origin:      renderPort(r, origins[c.origin]),
		Destination: renderPort(r, lanes[c.lane].code),
		Equipment:   r.variant(equipmentVariants[c.equip]),
		ValidFrom:   from.Format(time.DateOnly),
		Rate:        renderRate(r, rate),
		UpdatedAt:   renderTime(r, updated),
	}
	out.RateID = "FRX" + strconv.Itoa(100_000+i)
	if b.bad == freightOK {
		out.RateID = lines[c.carrier].scac + "-" + origins[c.origin] + "-" + lanes[c.lane].code + "-" +
			equipmentVariants[c.equip][0] + "-" + from.Format("200601")
	}
	switch b.bad {
	case freightBadOrigin:
		out.Origin = badPort
	case freightBadDestination:
		out.Destination = badPort
	case freightBadUpdated:
		out.UpdatedAt = r.pick(badTimestamps)
	}
}

func renderRate(r *rng, usd int64) string {
	switch r.IntN(3) {
	case 0:
		return "USD " + group(usd)
	case 1:
		return "$" + strconv.FormatInt(usd, 10) + ".00"
	}
	return "US$ " + group(usd)
}
