package transforms

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/array"
)

// marketplaceCurrency checks the marketplace a record names (column c)
// against the run's marketplaces and returns its currency. An unknown one
// fails the row: the record says where it was listed, and no config
// declared that marketplace or its currency.
func marketplaceCurrency(r *row, c int, name string) string {
	if name == "" {
		return "" // need has failed the row already
	}
	m, ok := r.env.markets.Lookup(name)
	if !ok {
		r.fail(c, CodeUnknownMarketplace, fmt.Sprintf("marketplace %q: not one of %s; add it under marketplaces: in the config, with its currency",
			name, r.env.markets.Names()))
	}
	return m.Currency
}

// listingBuilders are the typed columns of one listings batch.
type listingBuilders struct {
	id, market, seller, title, category, group, priceRaw, currency, unit, moqUnit, hsCode *array.StringBuilder
	hs                                                                                    *array.Int32Builder
	min, max, rate, minUSD, maxUSD, moqQty, list, listUSD, discount                       *array.Float64Builder
	updated                                                                               *array.TimestampBuilder
	mismatch                                                                              *array.BooleanBuilder
	source, attrs                                                                         *array.StringBuilder
	sourceName                                                                            string
}

func newListingBuilders(b *array.RecordBuilder, source string) *listingBuilders {
	s := func(name string) *array.StringBuilder { return strB(b, typedIndex(b, name)) }
	f := func(name string) *array.Float64Builder { return f64B(b, typedIndex(b, name)) }
	return &listingBuilders{
		id: s("listing_id"), market: s("marketplace"), seller: s("seller_id"), title: s("title"),
		category: s("category"), group: s("category_group"), priceRaw: s("price_raw"),
		currency: s("currency"), unit: s("price_unit"), moqUnit: s("moq_unit"),
		hs:  i32B(b, typedIndex(b, "hs_chapter")),
		min: f("price_min"), max: f("price_max"), rate: f("fx_units_per_usd"),
		minUSD: f("price_min_usd"), maxUSD: f("price_max_usd"), moqQty: f("moq_qty"),
		updated: tsB(b, typedIndex(b, "updated_at")),
		hsCode:  s("hs_code"), list: f("list_price"), listUSD: f("list_price_usd"), discount: f("discount_pct"),
		mismatch: b.Field(typedIndex(b, "discount_mismatch")).(*array.BooleanBuilder),
		source:   s("source"), sourceName: source, attrs: s("attributes"),
	}
}

func (o *listingBuilders) append(l *listing) {
	o.id.Append(l.id)
	o.market.Append(l.market)
	appendOpt(o.seller, l.seller)
	appendOpt(o.title, l.title)
	o.category.Append(l.cat.Slug)
	o.group.Append(l.cat.Group)
	o.hs.Append(int32(l.cat.HSChapter))
	appendOpt(o.priceRaw, l.priceRaw)
	o.currency.Append(l.price.Currency)
	o.min.Append(l.price.Min)
	o.max.Append(l.price.Max)
	appendOpt(o.unit, l.price.Unit)
	o.rate.Append(l.rate)
	o.minUSD.Append(l.price.Min / l.rate)
	o.maxUSD.Append(l.price.Max / l.rate)
	appendOptF64(o.moqQty, l.moq.Qty, l.hasMOQ)
	appendOpt(o.moqUnit, l.moq.Unit)
	appendTS(o.updated, l.updated)
	appendOpt(o.hsCode, l.hs.Code)
	appendOptF64(o.list, l.list, l.hasList)
	appendOptF64(o.listUSD, l.list/l.rate, l.hasList)
	appendOptF64(o.discount, l.discount, l.hasDiscount)
	if l.discountChecked {
		o.mismatch.Append(l.discountMismatch)
	} else {
		o.mismatch.AppendNull()
	}
	appendOpt(o.source, o.sourceName)
	appendOpt(o.attrs, l.attrs)
}
