package pipeline

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

// CategoryBySlug finds a canonical category.
func CategoryBySlug(slug string) (Category, bool) {
	for _, c := range Categories {
		if c.Slug == slug {
			return c, true
		}
	}
	return Category{}, false
}

// Carriers is the canonical list of carrier names stored in core.sailings
// and core.freight_rates.
var Carriers = []string{"PNSC", "Maersk", "MSC", "CMA CGM", "COSCO", "Hapag-Lloyd", "ONE", "Evergreen"}

// Marketplaces and the currency a price carries there when it names none.
var Marketplaces = map[string]string{
	"alibaba.com":  "USD",
	"daraz.pk":     "PKR",
	"daraz.com.bd": "BDT",
}
