package transforms

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync/atomic"
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
	lHS       = fieldIndex(pipeline.Listings, "hs_code")
	lList     = fieldIndex(pipeline.Listings, "list_price")
	lDiscount = fieldIndex(pipeline.Listings, "discount")
	lAttrs    = fieldIndex(pipeline.Listings, "attributes")
)

// Listings normalises marketplace listings: canonical category, price
// range in its currency and in USD (at the rate of the UTC date of
// updated_at), and minimum order quantity in a canonical unit. Optional
// trade fields: an HS subheading (which then sets hs_chapter), and a list
// price and discount checked against the sale price and flagged when they
// disagree (see checkDiscount).
type Listings struct {
	source         string
	fx             pipeline.FXLookup
	env            *env
	mismatchLogged atomic.Bool
}

// NewListings returns the listings transform for one source. fx converts
// prices to USD and is required.
func NewListings(source string, fx pipeline.FXLookup) (*Listings, error) {
	if fx == nil {
		return nil, fmt.Errorf("listings transform for %s: no FX rates given; listings need them for USD prices", source)
	}
	return &Listings{source: source, fx: fx, env: defaultEnv.forRun()}, nil
}

// listing is one parsed row.
type listing struct {
	id, market, seller, title, priceRaw string
	attrs                               string // JSON object, or "" for none
	cat                                 pipeline.Category
	price                               parse.Price
	rate                                float64
	moq                                 parse.MOQ
	hasMOQ                              bool
	updated                             time.Time
	hs                                  parse.HSCode // Code "" when not given
	list                                float64      // list price in price.Currency
	hasList                             bool
	stated                              parse.Discount // as the source wrote it
	hasStated                           bool
	discount                            float64 // discount_pct: stated or implied
	hasDiscount                         bool
	// discountChecked is true when list price, sale price and discount
	// could be held to each other; discountMismatch then says whether the
	// stated discount disagreed (stored as a flag, the listing kept), and
	// discountWhy how.
	discountChecked, discountMismatch bool
	discountWhy                       error
}

// Apply implements pipeline.Transform.
func (t *Listings) Apply(ctx context.Context, mem memory.Allocator, raw arrow.RecordBatch) (good, rejects arrow.RecordBatch, err error) {
	cats := newMemo(t.env.category)
	moqs := newMemo(parseMOQ)
	rates := newFXCache(t.fx, t.env.fxMaxAge)
	return run(ctx, mem, raw, pipeline.Listings, t.source, t.env, func(b *array.RecordBuilder) rowFunc {
		out := newListingBuilders(b, t.source)
		return func(r *row) {
			var l listing
			if parseListing(r, &l, cats, moqs, rates) {
				out.append(&l)
				if l.discountMismatch {
					t.warnMismatch(&l)
				}
			}
		}
	})
}

// warnMismatch logs the first flagged discount of the source's run, with
// what the prices imply: a flag leaves no reject to read the reason from,
// and one example says what the flags are about. The data test
// listings_discount_mismatch counts them all.
func (t *Listings) warnMismatch(l *listing) {
	if t.mismatchLogged.CompareAndSwap(false, true) {
		slog.Warn("discount disagrees with the prices: listing kept with discount_mismatch = true (first of this source's run)",
			"source", t.source, "marketplace", l.market, "listing_id", l.id, "why", l.discountWhy)
	}
}

func parseListing(r *row, l *listing, cats *memo[pipeline.Category], moqs *memo[moqResult], rates *fxCache) bool {
	// seller_id is optional: a listing without one has an unknown seller
	// (NULL), which the marts count under a NULL seller country.
	l.id, l.market, l.seller = r.need(lID), r.need(lMarket), r.text(lSeller)
	def := marketplaceCurrency(r, lMarket, l.market)
	l.title = r.free(lTitle)
	l.attrs = attributesJSON(r.text(lAttrs))
	if c := r.text(lCategory); c != "" {
		var err error
		if l.cat, err = cats.get(c); err != nil {
			r.bad(lCategory, c, err)
		}
	} else if !r.failed() {
		// A missing category follows normalise.unknown_category like a
		// name nobody mapped.
		var err error
		if l.cat, err = r.env.missingCategory(); err != nil {
			r.fail(lCategory, CodeMissing, err.Error())
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
	parseTradeFields(r, l, def)
	if r.failed() {
		return false
	}
	checkDiscount(l, r.env.discountTolerance)
	return convertListing(r, l, rates)
}

// parseTradeFields reads the optional hs_code, list_price and discount.
// Each is null when not given; a given one that does not parse fails the
// row. A valid HS code overrides the category's default chapter (the
// code names the goods; the category only their usual chapter), while
// category and category_group stay the category's.
func parseTradeFields(r *row, l *listing, def string) {
	if s := r.text(lHS); s != "" {
		c, err := r.env.hs(s)
		if err != nil {
			// An HS code of only "HS" or dots is given but names nothing:
			// bad_hs_code, not missing, since the field is optional.
			r.fail(lHS, CodeBadHS, fmt.Sprintf("hs_code %q: %v", s, err))
		}
		l.hs = c
		if c.Code != "" {
			l.cat.HSChapter = c.Chapter
		}
	}
	if s := r.text(lList); s != "" && !r.failed() {
		p, err := parse.ParsePrice(s, def)
		switch {
		case err != nil:
			r.bad(lList, s, err)
		case p.Min != p.Max:
			r.fail(lList, CodeNotSingleAmount, fmt.Sprintf("list_price %q: a range, want one amount", s))
		case l.priceRaw != "" && p.Currency != l.price.Currency:
			r.fail(lList, CodeMixedCurrency, fmt.Sprintf("list_price %q: in %s, price %q in %s",
				s, p.Currency, l.priceRaw, l.price.Currency))
		}
		l.list, l.hasList = p.Min, true
	}
	if s := r.text(lDiscount); s != "" && !r.failed() {
		d, err := parse.ParseDiscount(s)
		if err != nil {
			r.bad(lDiscount, s, err)
		}
		l.stated, l.hasStated = d, true
	}
}

// checkDiscount holds the list price, the sale price (price_min) and the
// stated discount to each other and records the outcome on the listing;
// it never rejects it. A discount is optional: one that disagrees with
// the prices is a flag for the analyst (discount_mismatch), while the
// price, which every figure in the marts rests on, stays usable.
//
//   - list price and stated discount: checked by parse.CheckDiscount
//     within tol points; discount_pct is the stated figure, or NULL when
//     it is above 100%, which no price can make true.
//   - list price only: discount_pct is the implied discount; a sale price
//     above the list price (or a list price of 0) implies none, so
//     discount_pct is NULL and the listing is flagged.
//   - stated discount only: nothing to hold it to, so it is stored as
//     stated and the flag stays NULL, unless it is above 100%.
func checkDiscount(l *listing, tol float64) {
	sale := l.price.Min
	switch {
	case l.hasList && l.hasStated:
		l.discountWhy = parse.CheckDiscount(l.list, sale, l.stated, tol)
		l.discountChecked = true
		l.discount, l.hasDiscount = l.stated.Pct, l.stated.Pct <= 100
	case l.hasList:
		implied, ok := parse.ImpliedDiscount(l.list, sale)
		l.discount, l.hasDiscount = implied, ok
		if !ok {
			l.discountChecked = true
			l.discountWhy = fmt.Errorf("list price %g and sale price %g imply no discount: the sale price is above the list price, or the list price is 0", l.list, sale)
		}
	case l.hasStated:
		l.discount, l.hasDiscount = l.stated.Pct, l.stated.Pct <= 100
		if !l.hasDiscount {
			l.discountChecked = true
			l.discountWhy = fmt.Errorf("stated discount %g%% is above 100%%", l.stated.Pct)
		}
	}
	l.discountMismatch = l.discountWhy != nil
}

// convertListing finds the USD rate for the listing's currency on the UTC
// date of updated_at; without one, or with only a rate too old to stand
// for that date, the row is rejected on its price.
func convertListing(r *row, l *listing, rates *fxCache) bool {
	rate, ok := rates.convert(r, lPrice, l.priceRaw, l.price.Currency, l.updated)
	l.rate = rate
	return ok
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

// attributesJSON keeps what a source's keep: (or a field mapped to
// attributes) produced. Text that is not JSON is stored as a JSON string,
// so the column always parses: an optional field never rejects a listing.
func attributesJSON(s string) string {
	if s == "" || json.Valid([]byte(s)) {
		return s
	}
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}
