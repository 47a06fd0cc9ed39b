package transforms

import (
	"context"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/transforms/parse"
)

var _ pipeline.Transform = (*Sailings)(nil)

// Raw field positions of a sailing.
var (
	yID      = fieldIndex(pipeline.Sailings, "sailing_id")
	yCarrier = fieldIndex(pipeline.Sailings, "carrier")
	yVessel  = fieldIndex(pipeline.Sailings, "vessel")
	yIMO     = fieldIndex(pipeline.Sailings, "imo")
	yVoyage  = fieldIndex(pipeline.Sailings, "voyage")
	yOrigin  = fieldIndex(pipeline.Sailings, "origin")
	yDest    = fieldIndex(pipeline.Sailings, "destination")
	yETD     = fieldIndex(pipeline.Sailings, "etd")
	yETA     = fieldIndex(pipeline.Sailings, "eta")
	yATA     = fieldIndex(pipeline.Sailings, "ata")
	yUpdated = fieldIndex(pipeline.Sailings, "updated_at")
	yMMSI    = fieldIndex(pipeline.Sailings, "mmsi")
)

// Sailings normalises vessel sailings: canonical carrier, UN/LOCODE ports,
// a verified IMO number, UTC times, and the transit and delay in days
// once the vessel has arrived. An optional MMSI gives the vessel's flag
// (the country its Maritime Identification Digits are allocated to).
// With a UN/LOCODE file loaded, each end gets the position that file's
// coordinates column gives its port (reference.Set.PortCoordinates);
// a port without one leaves its lat and lon null, never a reject.
type Sailings struct {
	source string
	env    *env
}

// NewSailings returns the sailings transform for one source.
func NewSailings(source string) *Sailings { return &Sailings{source: source, env: defaultEnv.forRun()} }

type sailing struct {
	id, carrier, vessel, imo, voyage, origin, dest string
	etd, eta, ata, updated                         time.Time
	arrived                                        bool
	mmsi                                           parse.MMSI // Number "" when not given
	originAt, destAt                               position
}

// position is a port's latitude and longitude in decimal degrees; ok is
// false when the port has none.
type position struct {
	lat, lon float64
	ok       bool
}

// shipCaches memoise the carrier and port strings of one batch, which
// repeat on nearly every sailing and freight rate.
type shipCaches struct {
	carriers, ports *memo[string]
}

// Apply implements pipeline.Transform.
func (t *Sailings) Apply(ctx context.Context, mem memory.Allocator, raw arrow.RecordBatch) (good, rejects arrow.RecordBatch, err error) {
	c := shipCaches{carriers: newMemo(parse.Carrier), ports: newMemo(t.env.port)}
	return run(ctx, mem, raw, pipeline.Sailings, t.source, t.env, func(b *array.RecordBuilder) rowFunc {
		out := newSailingBuilders(b)
		return func(r *row) {
			var v sailing
			if parseSailing(r, &v, c) {
				out.append(&v)
			}
		}
	})
}

func parseSailing(r *row, v *sailing, c shipCaches) bool {
	v.id = r.need(yID)
	v.carrier = lookup(r, yCarrier, c.carriers)
	v.vessel = r.free(yVessel)
	if s := r.text(yIMO); s != "" {
		var err error
		if v.imo, err = parse.ParseIMO(s); err != nil {
			r.bad(yIMO, s, err)
		}
	}
	v.voyage = r.free(yVoyage)
	v.origin = lookup(r, yOrigin, c.ports)
	v.dest = lookup(r, yDest, c.ports)
	v.etd, _ = r.time(yETD, true)
	v.eta, _ = r.time(yETA, true)
	v.ata, v.arrived = r.time(yATA, false)
	v.updated, _ = r.time(yUpdated, true)
	if s := r.text(yMMSI); s != "" {
		// An MID the table does not know leaves the flag null: the
		// number is still valid. Only a malformed MMSI fails the row.
		var err error
		if v.mmsi, err = r.env.mmsi(s); err != nil {
			r.bad(yMMSI, s, err)
		}
	}
	if r.failed() {
		return false
	}
	if !checkSailingOrder(r, v) {
		return false
	}
	v.originAt = portPosition(r.env, v.origin)
	v.destAt = portPosition(r.env, v.dest)
	return true
}

// portPosition looks up a resolved UN/LOCODE's coordinates.
func portPosition(e *env, locode string) position {
	if e.coords == nil {
		return position{}
	}
	lat, lon, ok := e.coords(locode)
	return position{lat, lon, ok}
}

// checkSailingOrder rejects schedules that cannot happen: arriving (or
// being due) before departing.
func checkSailingOrder(r *row, v *sailing) bool {
	if v.eta.Before(v.etd) {
		r.fail(yETA, CodeTimeOrder, fmt.Sprintf("eta %q: before etd %q", r.text(yETA), r.text(yETD)))
		return false
	}
	if v.arrived && v.ata.Before(v.etd) {
		r.fail(yATA, CodeTimeOrder, fmt.Sprintf("ata %q: before etd %q", r.text(yATA), r.text(yETD)))
		return false
	}
	return true
}

// lookup reads a required field through a memoised parser.
func lookup(r *row, c int, m *memo[string]) string {
	s := r.need(c)
	if s == "" {
		return ""
	}
	v, err := m.get(s)
	if err != nil {
		r.bad(c, s, err)
	}
	return v
}

type sailingBuilders struct {
	id, carrier, vessel, imo, voyage, origin, dest, mmsi, flag *array.StringBuilder
	etd, eta, ata, updated                                     *array.TimestampBuilder
	transit, delay                                             *array.Float64Builder
	originLat, originLon, destLat, destLon                     *array.Float64Builder
}

func newSailingBuilders(b *array.RecordBuilder) *sailingBuilders {
	s := func(name string) *array.StringBuilder { return strB(b, typedIndex(b, name)) }
	ts := func(name string) *array.TimestampBuilder { return tsB(b, typedIndex(b, name)) }
	return &sailingBuilders{
		id: s("sailing_id"), carrier: s("carrier"), vessel: s("vessel"), imo: s("imo"), voyage: s("voyage"),
		origin: s("origin"), dest: s("destination"), mmsi: s("mmsi"), flag: s("flag"),
		etd: ts("etd"), eta: ts("eta"), ata: ts("ata"), updated: ts("updated_at"),
		transit: f64B(b, typedIndex(b, "transit_days")), delay: f64B(b, typedIndex(b, "delay_days")),
		originLat: f64B(b, typedIndex(b, "origin_lat")), originLon: f64B(b, typedIndex(b, "origin_lon")),
		destLat: f64B(b, typedIndex(b, "destination_lat")), destLon: f64B(b, typedIndex(b, "destination_lon")),
	}
}

// daysBetween is (to - from) in seconds / 86400.0, as the contract
// defines transit and delay. It subtracts microseconds rather than using
// time.Sub, whose Duration saturates beyond 292 years.
func daysBetween(from, to time.Time) float64 {
	return float64(to.UnixMicro()-from.UnixMicro()) / 1e6 / secondsPerDay
}

func (o *sailingBuilders) append(v *sailing) {
	o.id.Append(v.id)
	o.carrier.Append(v.carrier)
	appendOpt(o.vessel, v.vessel)
	appendOpt(o.imo, v.imo)
	appendOpt(o.voyage, v.voyage)
	o.origin.Append(v.origin)
	o.dest.Append(v.dest)
	appendTS(o.etd, v.etd)
	appendTS(o.eta, v.eta)
	appendOptTS(o.ata, v.ata, v.arrived)
	appendOptF64(o.transit, daysBetween(v.etd, v.ata), v.arrived)
	appendOptF64(o.delay, daysBetween(v.eta, v.ata), v.arrived)
	appendTS(o.updated, v.updated)
	appendOpt(o.mmsi, v.mmsi.Number)
	appendOpt(o.flag, v.mmsi.Flag)
	appendOptF64(o.originLat, v.originAt.lat, v.originAt.ok)
	appendOptF64(o.originLon, v.originAt.lon, v.originAt.ok)
	appendOptF64(o.destLat, v.destAt.lat, v.destAt.ok)
	appendOptF64(o.destLon, v.destAt.lon, v.destAt.ok)
}
