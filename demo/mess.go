package demo

import (
	"strconv"
	"strings"
	"time"
)

// The spellings below are exactly the ones the shared contract promises the
// transforms. Inventing a new one here would make the demo reject records
// that the ground truth counts as valid, so every table is closed.

var countryVariants = map[string][]string{
	"PK": {"Pakistan", "PK", "PAK", "pakistan", "Pakistan ", "Islamic Republic of Pakistan", "586"},
	"CN": {"China", "CN", "China (Mainland)", "Mainland China"},
	"TW": {"Taiwan, China", "Taiwan", "TW"},
	"HK": {"Hong Kong S.A.R.", "Hong Kong", "HK"},
	"BD": {"Bangladesh", "BD"},
	"IN": {"India", "IN"},
	"TR": {"Turkey", "Türkiye", "TR"},
	"VN": {"Vietnam", "Viet Nam"},
	"AE": {"United Arab Emirates", "UAE"},
}

var badCountries = []string{"Narnia", ""}

var carrierVariants = map[string][]string{
	"PNSC":        {"PNSC", "Pakistan National Shipping Corporation", "P.N.S.C."},
	"Maersk":      {"Maersk", "MAERSK LINE", "Maersk A/S"},
	"MSC":         {"MSC", "Mediterranean Shipping Company"},
	"CMA CGM":     {"CMA CGM", "CMA-CGM"},
	"COSCO":       {"COSCO", "COSCO Shipping"},
	"Hapag-Lloyd": {"Hapag-Lloyd", "Hapag Lloyd"},
	"ONE":         {"ONE", "Ocean Network Express"},
	"Evergreen":   {"Evergreen", "Evergreen Line"},
}

var portNames = map[string][]string{
	"PKKHI": {"Karachi", "Karachi Port", "KICT", "South Asia Pakistan Terminals"},
	"PKBQM": {"Port Qasim", "Port Muhammad Bin Qasim", "Muhammad Bin Qasim", "QICT"},
	"AEJEA": {"Jebel Ali"}, "NLRTM": {"Rotterdam"}, "DEHAM": {"Hamburg"}, "GBFXT": {"Felixstowe"},
	"CNSHA": {"Shanghai"}, "SGSIN": {"Singapore"}, "LKCMB": {"Colombo"}, "USNYC": {"New York"},
	"SAJED": {"Jeddah"}, "ITGOA": {"Genoa"}, "ESVLC": {"Valencia"}, "BEANR": {"Antwerp"},
}

const badPort = "Atlantis"

var categoryVariants = map[string][]string{
	"apparel":              {"Apparel", "Garments", "Clothing", "Apparel & Accessories", "apparel"},
	"home_textiles":        {"Home Textiles", "home textiles", "Home Textile", "Bed Linen", "Towels"},
	"fabric":               {"Fabric", "Fabrics", "Cotton Fabric"},
	"yarn":                 {"Yarn", "Cotton Yarn"},
	"sports_goods":         {"Sports Goods", "Sporting Goods", "Sports & Entertainment"},
	"surgical_instruments": {"Surgical Instruments", "Medical Instruments"},
	"leather_goods":        {"Leather Goods", "Leather Products"},
	"footwear":             {"Footwear", "Shoes"},
	"rice":                 {"Rice", "Basmati Rice"},
	"furniture":            {"Furniture"},
	"handicrafts":          {"Handicrafts", "Handicraft"},
	"electronics":          {"Electronics", "Consumer Electronics"},
}

var badCategories = []string{"Misc", "N/A"}

var equipmentVariants = [][]string{{"20GP", "20'"}, {"40GP"}, {"40HC", "40' HC", "40HQ"}}

var badTimestamps = []string{"31/02/2025", "not a date"}

// recase varies letter case and surrounding space, which the contract
// allows for categories and ports.
func recase(r *rng, s string, pad bool) string {
	switch x := r.IntN(20); {
	case x < 2:
		s = strings.ToLower(s)
	case x < 4:
		s = strings.ToUpper(s)
	case pad && x < 5:
		s = " " + s
	case pad && x < 6:
		s = s + "  "
	}
	return s
}

func renderCategory(r *rng, slug string) string {
	return recase(r, r.variant(categoryVariants[slug]), true)
}

// renderPort writes a UN/LOCODE as a code, a spaced code or a port name.
func renderPort(r *rng, code string) string {
	var s string
	switch x := r.IntN(20); {
	case x < 8:
		s = code
	case x < 11:
		s = code[:2] + " " + code[2:]
	default:
		s = r.pick(portNames[code])
	}
	return recase(r, s, false)
}

// zones are offsets sources stamp times with: Pakistan's most often.
var zones = []*time.Location{
	time.FixedZone("", 5*3600), time.FixedZone("", 5*3600), time.FixedZone("", 5*3600),
	time.FixedZone("", 8*3600), time.FixedZone("", 4*3600), time.FixedZone("", 3*3600),
	time.FixedZone("", 6*3600), time.FixedZone("", 5*3600+1800), time.FixedZone("", 3600),
	time.FixedZone("", -4*3600), time.FixedZone("", -5*3600),
}

var timeFormats = newWeighted(25, 20, 15, 15, 20, 5)

// renderTime writes an instant in one of the contract's timestamp formats.
// Times with sub-second parts only fit the fractional RFC 3339 form, so
// they always use it; whole seconds may also come as epoch numbers.
func renderTime(r *rng, t time.Time) any {
	const fracZ = "2006-01-02T15:04:05.000Z"
	if t.Nanosecond() != 0 {
		return t.UTC().Format(fracZ)
	}
	switch timeFormats.draw(r) {
	case 0:
		return t.UTC().Format(time.RFC3339)
	case 1:
		return t.In(zones[r.IntN(len(zones))]).Format(time.RFC3339)
	case 2:
		return t.In(zones[r.IntN(len(zones))]).Format(time.RFC1123Z)
	case 3:
		return t.In(zones[r.IntN(len(zones))]).Format("2006-01-02 15:04:05 -0700")
	case 4:
		return t.Unix()
	}
	return t.UTC().Format(fracZ)
}

// imoCheck is the IMO number check digit: the first six digits weighted
// 7..2, summed, mod 10.
func imoCheck(six int) int {
	sum := 0
	for w := 2; w <= 7; w++ {
		sum += (six % 10) * w
		six /= 10
	}
	return sum % 10
}

func renderIMO(r *rng, imo int) string {
	s := strconv.Itoa(imo)
	if r.chance(0.5) {
		return "IMO " + s
	}
	return s
}

// group writes a non-negative integer with thousands separators.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		b.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// money2 writes an amount with two decimals, grouped or not.
func money2(x float64, grouped bool) string {
	cents := int64(x*100 + 0.5)
	frac := strconv.FormatInt(100+cents%100, 10)[1:]
	if grouped {
		return group(cents/100) + "." + frac
	}
	return strconv.FormatInt(cents/100, 10) + "." + frac
}
