package transforms

import (
	"context"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

var _ pipeline.Transform = (*Sellers)(nil)

// Raw field positions of a seller.
var (
	sID      = fieldIndex(pipeline.Sellers, "seller_id")
	sMarket  = fieldIndex(pipeline.Sellers, "marketplace")
	sName    = fieldIndex(pipeline.Sellers, "name")
	sCountry = fieldIndex(pipeline.Sellers, "country")
	sCity    = fieldIndex(pipeline.Sellers, "city")
	sJoined  = fieldIndex(pipeline.Sellers, "joined_at")
	sUpdated = fieldIndex(pipeline.Sellers, "updated_at")
)

// Sellers normalises sellers: ISO 3166 alpha-2 country and UTC times. The
// marketplace must be one of pipeline.Marketplaces, as for listings, so
// that listings join to their sellers on (marketplace, seller_id).
type Sellers struct {
	source string
	env    *env
}

// NewSellers returns the sellers transform for one source.
func NewSellers(source string) *Sellers { return &Sellers{source: source, env: defaultEnv.forRun()} }

type seller struct {
	id, market, name, country, city string
	joined, updated                 time.Time
	hasJoined                       bool
}

// Apply implements pipeline.Transform.
func (t *Sellers) Apply(ctx context.Context, mem memory.Allocator, raw arrow.RecordBatch) (good, rejects arrow.RecordBatch, err error) {
	countries := newMemo(t.env.country)
	return run(ctx, mem, raw, pipeline.Sellers, t.source, t.env, func(b *array.RecordBuilder) rowFunc {
		s := func(name string) *array.StringBuilder { return strB(b, typedIndex(b, name)) }
		id, market, name, country, city := s("seller_id"), s("marketplace"), s("name"), s("country"), s("city")
		joined, updated := tsB(b, typedIndex(b, "joined_at")), tsB(b, typedIndex(b, "updated_at"))
		return func(r *row) {
			var v seller
			if !parseSeller(r, &v, countries) {
				return
			}
			id.Append(v.id)
			market.Append(v.market)
			appendOpt(name, v.name)
			country.Append(v.country)
			appendOpt(city, v.city)
			appendOptTS(joined, v.joined, v.hasJoined)
			appendTS(updated, v.updated)
		}
	})
}

func parseSeller(r *row, v *seller, countries *memo[string]) bool {
	v.id, v.market = r.need(sID), r.need(sMarket)
	if _, ok := pipeline.Marketplaces[v.market]; v.market != "" && !ok {
		r.fail(sMarket, CodeUnknownMarketplace, fmt.Sprintf("marketplace %q: not one of %s", v.market, marketplaceList))
	}
	v.name = r.free(sName)
	if c := r.need(sCountry); c != "" {
		var err error
		if v.country, err = countries.get(c); err != nil {
			r.bad(sCountry, c, err)
		}
	}
	v.city = r.free(sCity)
	v.joined, v.hasJoined = r.time(sJoined, false)
	v.updated, _ = r.time(sUpdated, true)
	return !r.failed()
}
