// Package pipeline holds exportpipe's domain types and the run that moves data
// from extractors through transforms into the warehouse. It knows no HTTP and
// no DuckDB: those live behind the Extractor and Warehouse interfaces so this
// package builds and tests with CGO_ENABLED=0.
package pipeline

import (
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
)

// Dataset names one kind of record the pipeline knows how to normalise and
// load. The name doubles as the core table name (core.<dataset>).
type Dataset string

const (
	Listings     Dataset = "listings"
	Sellers      Dataset = "sellers"
	Sailings     Dataset = "sailings"
	FreightRates Dataset = "freight_rates"
	FXRates      Dataset = "fx_rates"
)

// LoadOrder is the order datasets are processed in a run. FX rates come
// first because the listing and freight transforms convert to USD with them.
// (A run whose listings name their sellers stages sellers after listings:
// see Runner.loadOrder.) A new slice each call, so no caller can change the
// order for another.
func LoadOrder() []Dataset {
	return []Dataset{FXRates, Sellers, FreightRates, Sailings, Listings}
}

// ParseDataset turns a config string into a Dataset, rejecting unknown names.
func ParseDataset(s string) (Dataset, error) {
	for _, d := range LoadOrder() {
		if string(d) == s {
			return d, nil
		}
	}
	return "", fmt.Errorf("unknown dataset %q: want one of listings, sellers, sailings, freight_rates, fx_rates", s)
}

// RawColumn is the extra column every raw batch carries: the record exactly
// as the source sent it (one JSON object, or the CSV line re-encoded as JSON).
// Rejects keep it so nothing is lost.
const RawColumn = "_raw"

// RawFields lists the canonical field names an extractor must produce for
// d (see rawFields), in order; nil for a name that is no dataset. The
// slice is the caller's own.
func (d Dataset) RawFields() []string { return slices.Clone(rawFields[d]) }

// RawField is the name of d's i-th raw field, without copying the list.
func (d Dataset) RawField(i int) string { return rawFields[d][i] }

// RawFieldIndex is the position of a raw field of d, or -1.
func (d Dataset) RawFieldIndex(name string) int { return slices.Index(rawFields[d], name) }

// NaturalKey lists the typed columns that identify one record of d in core.
func (d Dataset) NaturalKey() []string { return slices.Clone(naturalKeys[d]) }

// VersionColumn is the typed column that orders versions of one natural
// key of d: when a run sees the same key twice, the row with the greatest
// value wins.
func (d Dataset) VersionColumn() string { return versionColumns[d] }

// rawFields lists, per dataset, the canonical field names an extractor must
// produce. A raw batch has one nullable utf8 column per field, in this order,
// followed by RawColumn. Values are text: JSON numbers keep their literal
// text, booleans become "true"/"false", objects and arrays their JSON text,
// and a missing or null field is a null.
//
// Fields added after the first release come last. Listings' hs_code,
// list_price, discount and attributes and sailings' mmsi are optional: a source maps
// them when it has them, and a null is no reject.
var rawFields = map[Dataset][]string{
	Listings: {"listing_id", "marketplace", "seller_id", "title", "category", "price", "moq", "updated_at",
		"hs_code", "list_price", "discount", "attributes"},
	Sellers: {"seller_id", "marketplace", "name", "country", "city", "joined_at", "updated_at"},
	Sailings: {"sailing_id", "carrier", "vessel", "imo", "voyage", "origin", "destination", "etd", "eta", "ata", "updated_at",
		"mmsi"},
	FreightRates: {"rate_id", "carrier", "origin", "destination", "equipment", "valid_from", "rate", "updated_at"},
	FXRates:      {"date", "currency", "units_per_usd"},
}

// RawSchema is the Arrow schema of a raw batch for d.
func RawSchema(d Dataset) *arrow.Schema {
	names := rawFields[d]
	fields := make([]arrow.Field, 0, len(names)+1)
	for _, n := range names {
		fields = append(fields, arrow.Field{Name: n, Type: arrow.BinaryTypes.String, Nullable: true})
	}
	fields = append(fields, arrow.Field{Name: RawColumn, Type: arrow.BinaryTypes.String, Nullable: false})
	return arrow.NewSchema(fields, nil)
}

var naturalKeys = map[Dataset][]string{
	Listings:     {"marketplace", "listing_id"},
	Sellers:      {"marketplace", "seller_id"},
	Sailings:     {"sailing_id"},
	FreightRates: {"rate_id"},
	FXRates:      {"date", "currency"},
}

var versionColumns = map[Dataset]string{
	Listings:     "updated_at",
	Sellers:      "updated_at",
	Sailings:     "updated_at",
	FreightRates: "updated_at",
	FXRates:      "date",
}

var (
	tsUTC  = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	str    = arrow.BinaryTypes.String
	f64    = arrow.PrimitiveTypes.Float64
	i32    = arrow.PrimitiveTypes.Int32
	date32 = arrow.FixedWidthTypes.Date32
)

func req(name string, t arrow.DataType) arrow.Field {
	return arrow.Field{Name: name, Type: t, Nullable: false}
}

func opt(name string, t arrow.DataType) arrow.Field {
	return arrow.Field{Name: name, Type: t, Nullable: true}
}

// TypedSchema is the Arrow schema of a normalised batch for d. Column order
// and names match the core tables one for one, so the warehouse can stage a
// batch with INSERT ... SELECT * and no per-column mapping. Columns added by
// a later migration (ALTER TABLE ... ADD COLUMN, which appends) come last
// here too: listings' hs_code .. discount_pct and sailings' mmsi and flag
// (sql/migrations/0006), which in core follow the bookkeeping columns, then
// sailings' origin_lat .. destination_lon (sql/migrations/0008).
func TypedSchema(d Dataset) *arrow.Schema {
	return typedSchemas[d]
}

var typedSchemas = map[Dataset]*arrow.Schema{
	Listings: arrow.NewSchema([]arrow.Field{
		req("listing_id", str),
		req("marketplace", str),
		opt("seller_id", str), // null: the source names no seller (an unknown seller; sql/migrations/0011)
		opt("title", str),
		req("category", str),       // canonical slug, see Categories
		req("category_group", str), // e.g. "textiles"
		req("hs_chapter", i32),
		opt("price_raw", str),
		req("currency", str), // ISO 4217
		req("price_min", f64),
		req("price_max", f64), // equals price_min for a single price
		opt("price_unit", str),
		req("fx_units_per_usd", f64),
		req("price_min_usd", f64),
		req("price_max_usd", f64),
		opt("moq_qty", f64),
		opt("moq_unit", str), // canonical unit: piece, set, pair, kg, m, l, ...
		req("updated_at", tsUTC),
		opt("hs_code", str),        // 6-digit HS subheading; sets hs_chapter when given
		opt("list_price", f64),     // price before discount, in currency
		opt("list_price_usd", f64), // list_price / fx_units_per_usd
		opt("discount_pct", f64),   // stated discount, else implied by list_price and price_min
		// true when a stated discount disagrees with the one list_price and
		// price_min imply: flagged and kept, never a reject (0009).
		opt("discount_mismatch", arrow.FixedWidthTypes.Boolean),
		opt("source", str), // the configured source that loaded this version (0009)
		// A JSON object of the source's fields with no canonical column, as
		// the source's keep: names them (0012).
		opt("attributes", str),
	}, nil),
	Sellers: arrow.NewSchema([]arrow.Field{
		req("seller_id", str),
		req("marketplace", str),
		opt("name", str),
		req("country", str), // ISO 3166 alpha-2
		opt("city", str),
		opt("joined_at", tsUTC),
		req("updated_at", tsUTC),
	}, nil),
	Sailings: arrow.NewSchema([]arrow.Field{
		req("sailing_id", str),
		req("carrier", str), // canonical carrier name, see Carriers
		opt("vessel", str),
		opt("imo", str), // 7 digits, check digit verified
		opt("voyage", str),
		req("origin", str),      // UN/LOCODE
		req("destination", str), // UN/LOCODE
		req("etd", tsUTC),
		req("eta", tsUTC),
		opt("ata", tsUTC), // null until the vessel has arrived
		opt("transit_days", f64),
		opt("delay_days", f64),
		req("updated_at", tsUTC),
		opt("mmsi", str), // 9 digits
		opt("flag", str), // ISO 3166 alpha-2 of the MMSI's MID; null when unknown
		// Decimal degrees (south, west negative) from the UN/LOCODE file's
		// coordinates column; null without one (sql/migrations/0008).
		opt("origin_lat", f64),
		opt("origin_lon", f64),
		opt("destination_lat", f64),
		opt("destination_lon", f64),
	}, nil),
	FreightRates: arrow.NewSchema([]arrow.Field{
		req("rate_id", str),
		req("carrier", str),
		req("origin", str),
		req("destination", str),
		req("equipment", str), // 20GP, 40GP, 40HC
		req("valid_from", date32),
		req("currency", str),
		req("amount", f64),
		req("fx_units_per_usd", f64),
		req("amount_usd", f64),
		req("updated_at", tsUTC),
	}, nil),
	FXRates: arrow.NewSchema([]arrow.Field{
		req("date", date32),
		req("currency", str),
		req("units_per_usd", f64),
	}, nil),
}

// RejectSchema is the schema of reject batches: one row per record that was
// not loaded, with enough to find and replay it. An arrow.Schema cannot be
// changed, so every call may share one.
func RejectSchema() *arrow.Schema { return rejectSchema }

var rejectSchema = arrow.NewSchema([]arrow.Field{
	req("dataset", str),
	req("source", str),
	opt("record_key", str), // the natural key as text when it could be read
	req("field", str),      // the raw field that failed, or "" for whole-record problems
	req("reason", str),
	req("raw", str),
	// The record's version (VersionColumn) when it could be read, so the
	// warehouse can tell an unusable newest version from an old one.
	opt("version", tsUTC),
	// The reject's code, the one the reason text starts with, so nobody
	// downstream parses it back out of the text; null from a producer
	// that has none, which leaves the warehouse reading the text.
	opt("code", str),
}, nil)
