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

var _ pipeline.Transform = (*Listings)(nil)

// Raw field positions of a listing.
var (
	lID       = fieldIndex(pipeline.Listings, "listing_id")
	lMarket   = fieldIndex(pipeline.Listings, "marketplace")
	lSeller   = fieldIndex(pipeline.Listings, "seller_id")
	lTitle    = fieldIndex(pipeline.Listings, "title")
	lCategory = fieldIndex(pipeline.Listings, "category")
	lPrice    = fieldIndex(pipeline.Listings, "price")
	lMOQ      = fieldIndex(pipeline.Listings, "moq")
	lUpdated  = fieldIndex(pipeline.Listings, "updated_at")
)

// Listings normalises marketplace listings: canonical category, price
// range in its currency and in USD (at the rate of the UTC date of
// updated_at), and minimum order quantity in a canonical unit.
type Listings struct {
	source string
	fx     pipeline.FXLookup
	env    *env
}

// NewListings returns the listings transform for one source. fx converts
// prices to USD and is required.
func NewListings(source string, fx pipeline.FXLookup) (*Listings, error) {
	if fx == nil {
		return nil, fmt.Errorf("listings transform for %s: no FX rates given; listings need them for USD prices", source)
	}
	return &Listings{source: source, fx: fx, env: defaultEnv}, nil
}

// listing is one parsed row.
type listing struct {
	id, market, seller, title, priceRaw string
	cat                                 pipeline.Category
	price                               parse.Price
	rate                                float64
	moq                                 parse.MOQ
	hasMOQ                              bool
	updated                             time.Time
}

// Apply implements pipeline.Transform.
func (t *Listings) Apply(ctx context.Context, mem memory.Allocator, raw arrow.RecordBatch) (good, rejects arrow.RecordBatch, err error) {
	cats := newMemo(t.env.category)
	moqs := newMemo(parseMOQ)
	rates := newFXCache(t.fx)
	return run(ctx, mem, raw, pipeline.Listings, t.source, t.env, func(b *array.RecordBuilder) rowFunc {
		out := newListingBuilders(b)
		return func(r *row) {
			var l listing
			if parseListing(r, &l, cats, moqs, rates) {
				out.append(&l)
			}
		}
	})
}

func parseListing(r *row, l *listing, cats *memo[pipeline.Category], moqs *memo[moqResult], rates *fxCache) bool {
	l.id, l.market, l.seller = r.need(lID), r.need(lMarket), r.need(lSeller)
	def, known := pipeline.Marketplaces[l.market]
	if l.market != "" && !known {
		r.fail(lMarket, CodeUnknownMarketplace, fmt.Sprintf("marketplace %q: not one of %s", l.market, marketplaceList))
	}
	l.title = r.free(lTitle)
	if c := r.need(lCategory); c != "" {
		var err error
		if l.cat, err = cats.get(c); err != nil {
			r.bad(lCategory, c, err)
		}
	}
	if l.priceRaw = r.need(lPrice); l.priceRaw != "" && !r.failed() {
		var err error
		if l.price, err = parse.ParsePrice(l.priceRaw, def); err != nil {
			r.bad(lPrice, l.priceRaw, err)
		}
	}
	if m := r.text(lMOQ); m != "" {
		res, err := moqs.get(m)
		if err != nil {
			r.bad(lMOQ, m, err)
		}
		l.moq, l.hasMOQ = res.m, res.ok
	}
	l.updated, _ = r.time(lUpdated, true)
	if r.failed() {
		return false
	}
	return convertListing(r, l, rates)
}

// convertListing finds the USD rate for the listing's currency on the UTC
// date of updated_at; without one the row is rejected on its price.
func convertListing(r *row, l *listing, rates *fxCache) bool {
	rate, ok := rates.rate(l.price.Currency, l.updated)
	if !ok {
		r.fail(lPrice, CodeNoFXRate, fmt.Sprintf("price %q: no FX rate for %s on or before %s",
			l.priceRaw, l.price.Currency, l.updated.Format(time.DateOnly)))
		return false
	}
	l.rate = rate
	return true
}

// moqResult bundles ParseMOQ's results so a memo can cache them.
type moqResult struct {
	m  parse.MOQ
	ok bool
}

func parseMOQ(s string) (moqResult, error) {
	m, ok, err := parse.ParseMOQ(s)
	return moqResult{m, ok}, err
}
