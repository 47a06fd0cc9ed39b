package demo

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// sailingBad is the way an invalid sailing is broken.
type sailingBad uint8

const (
	sailingOK sailingBad = iota
	sailingBadIMO
	sailingBadOrigin
	sailingBadDestination
	sailingBadETD
	sailingBadETA
	sailingBadATA
	sailingBadUpdated
	sailingETABeforeETD
	numSailingBad
)

// grid is the step every schedule time sits on. 45 minutes is 1/32 day, so
// transit and delay days are exact binary fractions and the median of two of
// them is exact too: the simulator and DuckDB cannot disagree in the last bit.
const grid = 45 * time.Minute

const stepsPerDay = int64(24 * time.Hour / grid)

// sailing is the canonical record behind every rendering of one sailing.
// ata is zero while the ship is at sea; preUpdated is when a version
// without ata was last sent, for sailings that have one. eta is the
// promised arrival, the one the first version carries; retimed, when not
// zero, is the ETA the carrier moved it to, which the final version
// carries.
type sailing struct {
	id, voyage                         string
	etd, eta, ata, updated, preUpdated time.Time
	retimed                            time.Time
	carrier, vessel, origin, lane      uint8
	bad                                sailingBad
	versions, dups                     uint8
	noIMO                              bool
}

func (s *sailing) arrived() bool { return !s.ata.IsZero() }

// latestETA is the ETA the final version carries.
func (s *sailing) latestETA() time.Time {
	if !s.retimed.IsZero() {
		return s.retimed
	}
	return s.eta
}

func (s *sailing) plan() plan {
	return plan{invalid: s.bad != sailingOK, versions: s.versions, dups: s.dups}
}

// genSailings draws every sailing, then numbers them in departure order
// as a schedule API would list them.
func genSailings(cfg Config, fleets [][]vessel) []sailing {
	out := make([]sailing, cfg.Sailings)
	r := newRNG()
	for i := range out {
		out[i] = drawSailing(r.reset(cfg.Seed, tagSailingCore, uint64(i)), cfg, fleets)
		retime(r.reset(cfg.Seed, tagSailingRetime, uint64(i)), &out[i])
	}
	slices.SortStableFunc(out, func(a, b sailing) int { return a.etd.Compare(b.etd) })
	seq := make([]int, len(lines))
	for i := range out {
		s := &out[i]
		s.id = "SL" + strconv.Itoa(1_000_000+i)
		seq[s.carrier]++
		dir := "W"
		if lanes[s.lane].code == "LKCMB" || lanes[s.lane].code == "SGSIN" || lanes[s.lane].code == "CNSHA" {
			dir = "E"
		}
		s.voyage = fmt.Sprintf("%s%03d%s", lines[s.carrier].voyage, 100+seq[s.carrier]%900, dir)
	}
	return out
}

func drawSailing(r *rng, cfg Config, fleets [][]vessel) sailing {
	c := lineShares.draw(r)
	s := sailing{carrier: uint8(c), vessel: uint8(r.IntN(len(fleets[c])))}
	s.lane = uint8(lineLanes[c][lineLaneWeights[c].draw(r)])
	if r.chance(0.4) {
		s.origin = 1
	}
	start := cfg.AsOf.AddDate(0, -18, 0).Truncate(24 * time.Hour)
	steps := int64(cfg.AsOf.Add(-12*time.Hour).Sub(start) / grid)
	s.etd = start.Add(time.Duration(r.Int64N(steps)) * grid)
	ln := lanes[s.lane]
	days := r.between(ln.minDays, ln.maxDays) + 0.25*float64(s.origin) // Qasim is further out
	s.eta = s.etd.Add(time.Duration(math.Round(days*float64(stepsPerDay))) * grid)
	ata := s.eta.Add(time.Duration(delaySteps(r, lines[c].reliability)) * grid)
	if !s.eta.After(cfg.AsOf) && !ata.After(cfg.AsOf.Add(-2*time.Hour)) {
		s.ata = ata
	}
	s.updated, s.preUpdated = sailingUpdates(r, s, cfg.AsOf)
	s.noIMO = r.chance(0.03)
	if r.chance(0.015) {
		s.bad = sailingBad(1 + r.IntN(int(numSailingBad)-1))
		if s.bad == sailingETABeforeETD {
			s.eta = s.etd.Add(-time.Duration(r.intBetween(1, 5)*int(stepsPerDay)) * grid)
		}
		s.versions = 1
		return s
	}
	s.versions = 1
	if s.arrived() && r.chance(0.04) {
		s.versions = 2 // first sent before arrival, without ata
	}
	if r.chance(0.015) {
		s.dups = 1
	}
	return s
}

// retime makes half the late arrivals look punctual by their latest ETA,
// as carriers re-time a voyage that runs late: the schedule is first
// published with the promised ETA (a version sent mid-voyage, without
// ata), and the final version carries an ETA moved by the delay's whole
// days, so the ship arrives on the day of its latest ETA or the next. A
// correct pipeline still counts it late against the promise. Its own
// stream leaves every other draw, and so the rest of the world, as it was.
func retime(r *rng, s *sailing) {
	if s.bad != sailingOK || !s.arrived() || calendarDayOffset(s.eta, s.ata) <= 1 || !r.chance(0.5) {
		return
	}
	s.retimed = s.eta.Add(s.ata.Sub(s.eta).Truncate(24 * time.Hour))
	s.versions = 2
}

// calendarDayOffset is the UTC date of to minus the UTC date of from, in
// days: how the marts judge punctuality (core.sailing_punctuality).
func calendarDayOffset(from, to time.Time) int64 {
	day := func(t time.Time) int64 {
		s := t.Unix()
		if s < 0 {
			return (s+1)/86400 - 1
		}
		return s / 86400
	}
	return day(to) - day(from)
}

// delaySteps draws arrival minus schedule, in grid steps: within a day
// for a carrier's reliable share, then one to three days, then a tail.
func delaySteps(r *rng, reliability float64) int64 {
	d := stepsPerDay
	switch x := r.Float64(); {
	case x < reliability:
		return r.Int64N(2*d+1) - d
	case x < reliability+(1-reliability)*0.75:
		late := d + 1 + r.Int64N(2*d)
		if r.chance(0.15) {
			return -late
		}
		return late
	}
	return 3*d + 1 + r.Int64N(9*d)
}

// sailingUpdates is when the final version was sent (after arrival, or
// after departure while at sea) and when a pre-arrival version was.
func sailingUpdates(r *rng, s sailing, asOf time.Time) (final, pre time.Time) {
	if !s.arrived() {
		return s.etd.Add(max(scale(asOf.Sub(s.etd), r.between(0.1, 1)), time.Second)), time.Time{}
	}
	final = s.ata.Add(max(min(scale(72*time.Hour, r.between(0.02, 1)), asOf.Sub(s.ata)), time.Second))
	pre = s.etd.Add(max(scale(s.ata.Sub(s.etd), r.between(0.2, 0.9)), time.Second))
	return final, pre
}

func scale(d time.Duration, f float64) time.Duration {
	return time.Duration(float64(d) * f).Truncate(time.Second)
}

// sailingJSON is a sailing as the API sends it.
type sailingJSON struct {
	SailingID   string `json:"sailing_id"`
	Carrier     string `json:"carrier"`
	Vessel      string `json:"vessel"`
	IMO         any    `json:"imo"`
	Voyage      string `json:"voyage"`
	Origin      string `json:"origin"`
	Destination string `json:"destination"`
	ETD         any    `json:"etd"`
	ETA         any    `json:"eta"`
	ATA         any    `json:"ata"`
	UpdatedAt   any    `json:"updated_at"`
}

// renderSailing writes version e.ver. A sailing with two versions was
// first sent while at sea, so its first version has no ata.
func (sim *Sim) renderSailing(r *rng, e entry, out *sailingJSON) {
	s := &sim.sailings[e.base]
	v := sim.fleets[s.carrier][s.vessel]
	r.reset(sim.cfg.Seed, tagSailingRender, verKey(int(e.base), int(e.ver)))
	// An earlier version carries the promise, the final one any re-timing.
	early, eta := int(e.ver) < int(s.versions)-1, s.latestETA()
	if early {
		eta = s.eta
	}
	*out = sailingJSON{
		SailingID:   s.id,
		Carrier:     r.variant(carrierVariants[lines[s.carrier].name]),
		Vessel:      v.name,
		Voyage:      s.voyage,
		Origin:      renderPort(r, origins[s.origin]),
		Destination: renderPort(r, lanes[s.lane].code),
		ETD:         renderTime(r, s.etd),
		ETA:         renderTime(r, eta),
		UpdatedAt:   renderTime(r, s.updated),
	}
	if !s.noIMO {
		out.IMO = renderIMO(r, v.imo)
	}
	if early {
		out.UpdatedAt = renderTime(r, s.preUpdated)
	} else if s.arrived() {
		out.ATA = renderTime(r, s.ata)
	}
	sim.breakSailing(r, s, v, out)
}

func (sim *Sim) breakSailing(r *rng, s *sailing, v vessel, out *sailingJSON) {
	switch s.bad {
	case sailingBadIMO:
		six := v.imo / 10
		out.IMO = renderIMO(r, six*10+(imoCheck(six)+1+r.IntN(9))%10)
	case sailingBadOrigin:
		out.Origin = badPort
	case sailingBadDestination:
		out.Destination = badPort
	case sailingBadETD:
		out.ETD = r.pick(badTimestamps)
	case sailingBadETA:
		out.ETA = r.pick(badTimestamps)
	case sailingBadATA:
		out.ATA = r.pick(badTimestamps)
	case sailingBadUpdated:
		out.UpdatedAt = r.pick(badTimestamps)
	}
}

// routeTruth aggregates valid sailings per carrier, origin and destination
// using the contract's definitions: on time is an arrival within one UTC
// calendar day of the promised ETA (before any re-timing), the median of an
// even count is the mean of the middle two.
func routeTruth(sailings []sailing) []RouteTruth {
	type key struct{ carrier, origin, dest string }
	acc := map[key]*RouteTruth{}
	transit := map[key][]float64{}
	for i := range sailings {
		s := &sailings[i]
		if s.bad != sailingOK {
			continue
		}
		k := key{lines[s.carrier].name, origins[s.origin], lanes[s.lane].code}
		rt := acc[k]
		if rt == nil {
			rt = &RouteTruth{Carrier: k.carrier, Origin: k.origin, Destination: k.dest}
			acc[k] = rt
		}
		rt.Sailings++
		if !s.arrived() {
			continue
		}
		rt.Arrived++
		if d := calendarDayOffset(s.eta, s.ata); d >= -1 && d <= 1 {
			rt.OnTime++
		}
		transit[k] = append(transit[k], s.ata.Sub(s.etd).Seconds()/86400.0)
	}
	out := make([]RouteTruth, 0, len(acc))
	for k, rt := range acc {
		rt.MedianTransitDays = median(transit[k])
		out = append(out, *rt)
	}
	slices.SortFunc(out, func(a, b RouteTruth) int {
		return cmp.Or(cmp.Compare(a.Carrier, b.Carrier), cmp.Compare(a.Origin, b.Origin), cmp.Compare(a.Destination, b.Destination))
	})
	return out
}

// median is 0 for no values, as the route mart's coalesce(median, 0).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
