package pipeline

import "strings"

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

// Categories is the canonical category table.
var Categories = []Category{
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
var OtherCategory = Category{"other", "Other", 0, "other"}

// CategoryBySlug finds a canonical category, OtherCategory included.
func CategoryBySlug(slug string) (Category, bool) {
	for _, c := range Categories {
		if c.Slug == slug {
			return c, true
		}
	}
	if slug == OtherCategory.Slug {
		return OtherCategory, true
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

// Carriers is the canonical list of carrier names stored in core.sailings
// and core.freight_rates.
var Carriers = []string{"PNSC", "Maersk", "MSC", "CMA CGM", "COSCO", "Hapag-Lloyd", "ONE", "Evergreen", "Hamburg Süd"}

// Marketplaces and the currency a price carries there when it names none.
var Marketplaces = map[string]string{
	"alibaba.com":  "USD",
	"daraz.pk":     "PKR",
	"daraz.com.bd": "BDT",
}
