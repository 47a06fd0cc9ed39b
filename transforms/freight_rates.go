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

var _ pipeline.Transform = (*FreightRates)(nil)

// Raw field positions of a freight rate.
var (
	fID        = fieldIndex(pipeline.FreightRates, "rate_id")
	fCarrier   = fieldIndex(pipeline.FreightRates, "carrier")
	fOrigin    = fieldIndex(pipeline.FreightRates, "origin")
	fDest      = fieldIndex(pipeline.FreightRates, "destination")
	fEquipment = fieldIndex(pipeline.FreightRates, "equipment")
	fValid     = fieldIndex(pipeline.FreightRates, "valid_from")
	fRate      = fieldIndex(pipeline.FreightRates, "rate")
	fUpdated   = fieldIndex(pipeline.FreightRates, "updated_at")
)

// FreightRates normalises container freight quotes: canonical carrier,
// UN/LOCODE ports, 20GP/40GP/40HC, and the amount in its currency and in
// USD at the rate of valid_from. A rate must name its currency: unlike a
// marketplace listing, a freight quote has no default to fall back on.
type FreightRates struct {
	source string
	fx     pipeline.FXLookup
	env    *env
}

// NewFreightRates returns the freight rates transform for one source. fx
// converts amounts to USD and is required.
func NewFreightRates(source string, fx pipeline.FXLookup) (*FreightRates, error) {
	if fx == nil {
		return nil, fmt.Errorf("freight_rates transform for %s: no FX rates given; freight rates need them for USD amounts", source)
	}
	return &FreightRates{source: source, fx: fx, env: defaultEnv.forRun()}, nil
}

type freightRate struct {
	id, carrier, origin, dest, equipment string
	validFrom, updated                   time.Time
	amount                               parse.Price
	rate                                 float64
}

// Apply implements pipeline.Transform.
func (t *FreightRates) Apply(ctx context.Context, mem memory.Allocator, raw arrow.RecordBatch) (good, rejects arrow.RecordBatch, err error) {
	c := shipCaches{carriers: newMemo(parse.Carrier), ports: newMemo(t.env.port)}
	equipment := newMemo(parse.Equipment)
	rates := newFXCache(t.fx, t.env.fxMaxAge)
	return run(ctx, mem, raw, pipeline.FreightRates, t.source, t.env, func(b *array.RecordBuilder) rowFunc {
		out := newFreightBuilders(b)
		return func(r *row) {
			var v freightRate
			if parseFreight(r, &v, c, equipment) && convertFreight(r, &v, rates) {
				out.append(&v)
			}
		}
	})
}

func parseFreight(r *row, v *freightRate, c shipCaches, equipment *memo[string]) bool {
	v.id = r.need(fID)
	v.carrier = lookup(r, fCarrier, c.carriers)
	v.origin = lookup(r, fOrigin, c.ports)
	v.dest = lookup(r, fDest, c.ports)
	v.equipment = lookup(r, fEquipment, equipment)
	v.validFrom = date(r, fValid)
	if s := r.need(fRate); s != "" {
		var err error
		if v.amount, err = parse.ParsePrice(s, ""); err != nil {
			r.bad(fRate, s, err)
		} else if v.amount.Min != v.amount.Max || v.amount.Open {
			r.fail(fRate, CodeNotSingleAmount, fmt.Sprintf("rate %q: a range, want a single amount", s))
		}
	}
	v.updated, _ = r.time(fUpdated, true)
	return !r.failed()
}

// convertFreight finds the USD rate for the currency on valid_from, held
// to the same age limit as a listing's.
func convertFreight(r *row, v *freightRate, rates *fxCache) bool {
	rate, ok := rates.convert(r, fRate, r.text(fRate), v.amount.Currency, v.validFrom)
	v.rate = rate
	return ok
}

// date reads a required calendar date. A full timestamp is accepted too
// and reduced to its UTC date.
func date(r *row, c int) time.Time {
	t, ok := r.time(c, true)
	if !ok {
		return time.Time{}
	}
	return dayStart(dayNumber(t))
}

type freightBuilders struct {
	id, carrier, origin, dest, equipment, currency *array.StringBuilder
	validFrom                                      *array.Date32Builder
	amount, rate, amountUSD                        *array.Float64Builder
	updated                                        *array.TimestampBuilder
}

func newFreightBuilders(b *array.RecordBuilder) *freightBuilders {
	s := func(name string) *array.StringBuilder { return strB(b, typedIndex(b, name)) }
	f := func(name string) *array.Float64Builder { return f64B(b, typedIndex(b, name)) }
	return &freightBuilders{
		id: s("rate_id"), carrier: s("carrier"), origin: s("origin"), dest: s("destination"),
		equipment: s("equipment"), currency: s("currency"),
		validFrom: d32B(b, typedIndex(b, "valid_from")),
		amount:    f("amount"), rate: f("fx_units_per_usd"), amountUSD: f("amount_usd"),
		updated: tsB(b, typedIndex(b, "updated_at")),
	}
}

func (o *freightBuilders) append(v *freightRate) {
	o.id.Append(v.id)
	o.carrier.Append(v.carrier)
	o.origin.Append(v.origin)
	o.dest.Append(v.dest)
	o.equipment.Append(v.equipment)
	o.validFrom.Append(arrow.Date32(dayNumber(v.validFrom)))
	o.currency.Append(v.amount.Currency)
	o.amount.Append(v.amount.Min)
	o.rate.Append(v.rate)
	o.amountUSD.Append(v.amount.Min / v.rate)
	appendTS(o.updated, v.updated)
}
