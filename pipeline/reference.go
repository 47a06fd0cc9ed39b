package pipeline

import (
	"slices"
	"strings"
)

// Category is one canonical product category. Sources spell categories in
// many ways; transforms map them onto these slugs, and the simulator draws
// its ground truth from the same table.
type Category struct {
	Slug      string // stored in core.listings.category
	Name      string // human-readable name
	HSChapter int    // the Harmonized System chapter most of its goods fall in
	Group     string // stored in core.listings.category_group
}

// TextilesGroup is the group of HS chapters 50-63, reported together because
// textiles are Pakistan's largest export.
const TextilesGroup = "textiles"

// Categories is the canonical category table. Each call returns a new
// slice, so no caller can change another's table.
func Categories() []Category { return slices.Clone(categories) }

var categories = []Category{
	{"apparel", "Apparel", 61, TextilesGroup},
	{"home_textiles", "Home Textiles", 63, TextilesGroup},
	{"fabric", "Fabric", 52, TextilesGroup},
	{"yarn", "Yarn", 52, TextilesGroup},
	{"sports_goods", "Sports Goods", 95, "sports_goods"},
	{"surgical_instruments", "Surgical Instruments", 90, "surgical_instruments"},
	{"leather_goods", "Leather Goods", 42, "leather"},
	{"footwear", "Footwear", 64, "footwear"},
	{"rice", "Rice", 10, "food"},
	{"furniture", "Furniture", 94, "furniture"},
	{"handicrafts", "Handicrafts", 44, "handicrafts"},
	{"electronics", "Electronics", 85, "electronics"},
}

// OtherCategory is the canonical catch-all: goods that none of
// Categories describes, such as a general marketplace's groceries or
// cosmetics. Nothing maps to it by default: a config sends a source's
// category names to it (normalise.categories), or sends every name it
// does not map there (normalise.unknown_category: other). Its goods span
// many HS chapters, so it has none: HSChapter 0, stored as hs_chapter 0,
// which is no chapter of the HS (they are 1-97). It is kept out of
// Categories, which the demo draws its catalogue from.
func OtherCategory() Category { return Category{"other", "Other", 0, "other"} }

// CategoryBySlug finds a canonical category, OtherCategory included.
func CategoryBySlug(slug string) (Category, bool) {
	for _, c := range categories {
		if c.Slug == slug {
			return c, true
		}
	}
	if other := OtherCategory(); slug == other.Slug {
		return other, true
	}
	return Category{}, false
}

// CategoryKey is how a source's category name is matched against the keys
// of normalise.categories: case, and runs of spaces (no-break ones too),
// do not matter; "Men's & Boys' Fashion" and "men's &  boys' fashion" are
// one name.
func CategoryKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// Unknown-category policies (normalise.unknown_category).
const (
	// UnknownCategoryReject rejects a listing whose category is neither
	// mapped nor known, with reason unknown_category (the default).
	UnknownCategoryReject = "reject"
	// UnknownCategoryOther stores such a listing under OtherCategory and
	// logs each such name once per source.
	UnknownCategoryOther = "other"
)

// CarrierInfo is one shipping line: the canonical name stored in
// core.sailings and core.freight_rates, its SCAC codes (booking and
// tracking data often carry only those) and the other spellings sources
// use. Spellings match after case, accents, spaces and punctuation are
// folded away, so "P.N.S.C." and "Hapag Lloyd" need no entry of their own.
// A config's carriers: section lists more, with the same keys.
type CarrierInfo struct {
	Name    string   `yaml:"name"`
	SCAC    []string `yaml:"scac"`
	Aliases []string `yaml:"aliases"`
}

// BuiltinCarriers are the world's main container lines and the lines and
// feeders that call at Karachi and Port Qasim. A config's carriers: section
// adds more (Config.CarrierSet merges them into the run's set). Each call
// returns a new copy.
func BuiltinCarriers() []CarrierInfo {
	out := slices.Clone(builtinCarrierTable)
	for i := range out {
		out[i].SCAC, out[i].Aliases = slices.Clone(out[i].SCAC), slices.Clone(out[i].Aliases)
	}
	return out
}

var builtinCarrierTable = []CarrierInfo{
	{Name: "PNSC", Aliases: []string{"Pakistan National Shipping Corporation", "Pakistan National Shipping Corp"}},
	{Name: "Maersk", SCAC: []string{"MAEU", "MCPU"}, Aliases: []string{"Maersk Line", "Maersk A/S", "A.P. Moller-Maersk", "AP Moeller Maersk"}},
	{Name: "MSC", SCAC: []string{"MSCU", "MEDU"}, Aliases: []string{"Mediterranean Shipping Company", "Mediterranean Shipping Co"}},
	{Name: "CMA CGM", SCAC: []string{"CMDU"}, Aliases: []string{"CMA CGM Group"}},
	{Name: "COSCO", SCAC: []string{"COSU"}, Aliases: []string{"COSCO Shipping", "COSCO Shipping Lines", "COSCON"}},
	{Name: "Hapag-Lloyd", SCAC: []string{"HLCU"}, Aliases: []string{"Hapag-Lloyd AG", "HLAG"}},
	{Name: "ONE", SCAC: []string{"ONEY"}, Aliases: []string{"Ocean Network Express", "ONE Line"}},
	{Name: "Evergreen", SCAC: []string{"EGLV"}, Aliases: []string{"Evergreen Line", "Evergreen Marine"}},
	// Maersk-owned since 2017 but sailing under its own name and SCAC;
	// German ASCII spells the umlaut "ue".
	{Name: "Hamburg Süd", SCAC: []string{"SUDU"}, Aliases: []string{"Hamburg Sued", "Hamburg Sud"}},
	{Name: "Yang Ming", SCAC: []string{"YMLU"}, Aliases: []string{"YML", "Yang Ming Marine Transport", "Yang Ming Line"}},
	{Name: "HMM", SCAC: []string{"HDMU"}, Aliases: []string{"Hyundai Merchant Marine", "HMM Co"}},
	{Name: "OOCL", SCAC: []string{"OOLU"}, Aliases: []string{"Orient Overseas Container Line"}},
	{Name: "ZIM", SCAC: []string{"ZIMU"}, Aliases: []string{"ZIM Integrated Shipping Services", "ZIM Line"}},
	{Name: "Wan Hai", SCAC: []string{"WHLC"}, Aliases: []string{"Wan Hai Lines"}},
	{Name: "PIL", SCAC: []string{"PCIU"}, Aliases: []string{"Pacific International Lines"}},
	{Name: "X-Press Feeders", Aliases: []string{"Xpress Feeders", "X Press Feeders"}},
	{Name: "Emirates Shipping Line", Aliases: []string{"ESL", "Emirates Shipping"}},
	{Name: "Global Feeder Shipping", Aliases: []string{"GFS"}},
	{Name: "Simatech", Aliases: []string{"Simatech Shipping"}},
	{Name: "RCL", Aliases: []string{"Regional Container Lines"}},
	{Name: "SITC", Aliases: []string{"SITC Container Lines"}},
	{Name: "KMTC", Aliases: []string{"Korea Marine Transport", "Korea Marine Transport Co"}},
	{Name: "TS Lines", Aliases: []string{"T.S. Lines"}},
	{Name: "Sealand", Aliases: []string{"Sealand Maersk", "Sea-Land"}},
	{Name: "APL", SCAC: []string{"APLU"}, Aliases: []string{"American President Lines"}},
	{Name: "ANL", Aliases: []string{"ANL Container Line"}},
	{Name: "Gold Star Line", Aliases: []string{"Gold Star"}},
	{Name: "Arkas", Aliases: []string{"Arkas Line", "Arkas Container Transport"}},
	{Name: "Unifeeder"},
	{Name: "Samudera", Aliases: []string{"Samudera Shipping Line"}},
	{Name: "Interasia", Aliases: []string{"Interasia Lines"}},
	{Name: "Matson", SCAC: []string{"MATS"}, Aliases: []string{"Matson Navigation"}},
	{Name: "Seatrade", Aliases: []string{"Seatrade Reefer Chartering"}},
	{Name: "Geest Line", Aliases: []string{"Geest", "Geest Lines"}},
}

// Carriers is the canonical names of BuiltinCarriers, in that order.
func Carriers() []string {
	out := make([]string, len(builtinCarrierTable))
	for i, c := range builtinCarrierTable {
		out[i] = c.Name
	}
	return out
}
