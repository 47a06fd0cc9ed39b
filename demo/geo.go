package demo

import "github.com/exportpipe/exportpipe/pipeline"

// Marketplaces, as small indexes.
const (
	mktAlibaba = iota
	mktDarazPK
	mktDarazBD
	numMarkets
)

var marketNames = [numMarkets]string{"alibaba.com", "daraz.pk", "daraz.com.bd"}

// Seller countries, as small indexes into countryCodes.
const (
	cPK = iota
	cCN
	cTW
	cHK
	cBD
	cIN
	cTR
	cVN
	cAE
	numCountries
)

var countryCodes = [numCountries]string{"PK", "CN", "TW", "HK", "BD", "IN", "TR", "VN", "AE"}

// sellerCountries is, per marketplace, where its sellers are based.
// alibaba.com is overwhelmingly Pakistani sellers in this simulation
// (it models Pakistan's exporters), Daraz sellers are local.
var sellerCountries = [numMarkets]weighted{
	//           PK   CN  TW HK  BD  IN  TR VN AE
	newWeighted(930, 25, 5, 5, 10, 10, 6, 5, 4),
	newWeighted(980, 20, 0, 0, 0, 0, 0, 0, 0),
	newWeighted(8, 7, 0, 0, 82, 3, 0, 0, 0),
}

// sellerMarkets is the share of sellers on each marketplace.
var sellerMarkets = newWeighted(55, 33, 12)

// listingMarkets is the share of listings on each marketplace.
var listingMarkets = newWeighted(60, 30, 10)

// city is where a seller works, and so what it tends to sell: Sialkot makes
// footballs and surgical instruments, Faisalabad weaves and spins.
type city struct {
	name string
	cats weighted // over pipeline.Categories
}

// cw lists category weights in pipeline.Categories order: apparel,
// home_textiles, fabric, yarn, sports_goods, surgical_instruments,
// leather_goods, footwear, rice, furniture, handicrafts, electronics.
func cw(w ...int) weighted {
	if len(w) != len(pipeline.Categories()) {
		panic("demo: city category weights do not match pipeline.Categories()")
	}
	return newWeighted(w...)
}

type countryCities struct {
	pick   weighted
	cities []city
}

var cities = [numCountries]countryCities{
	cPK: {newWeighted(28, 24, 16, 12, 5, 4, 4, 3, 2, 2), []city{
		{"Karachi", cw(18, 14, 8, 3, 2, 1, 10, 6, 14, 6, 6, 12)},
		{"Lahore", cw(22, 10, 8, 2, 3, 2, 10, 10, 5, 10, 8, 10)},
		{"Faisalabad", cw(15, 30, 25, 20, 1, 0, 1, 1, 3, 2, 1, 1)},
		{"Sialkot", cw(8, 1, 1, 0, 40, 30, 15, 3, 0, 0, 2, 0)},
		{"Multan", cw(10, 10, 10, 15, 1, 0, 5, 3, 10, 3, 20, 2)},
		{"Gujranwala", cw(10, 10, 3, 1, 3, 1, 3, 3, 10, 15, 10, 30)},
		{"Islamabad", cw(20, 8, 3, 1, 3, 2, 5, 5, 5, 10, 15, 20)},
		{"Peshawar", cw(10, 3, 2, 0, 1, 0, 10, 20, 3, 20, 30, 1)},
		{"Hyderabad", cw(20, 20, 5, 3, 1, 0, 3, 3, 20, 3, 20, 2)},
		{"Rawalpindi", cw(20, 10, 5, 1, 3, 2, 8, 8, 5, 10, 15, 13)},
	}},
	cCN: {newWeighted(25, 30, 20, 15, 10), []city{
		{"Guangzhou", cw(25, 5, 10, 2, 3, 0, 5, 15, 0, 5, 5, 25)},
		{"Shenzhen", cw(5, 2, 1, 0, 5, 2, 2, 3, 0, 5, 5, 70)},
		{"Yiwu", cw(20, 10, 5, 2, 10, 0, 3, 5, 0, 5, 20, 20)},
		{"Ningbo", cw(10, 20, 20, 5, 5, 2, 2, 3, 0, 20, 3, 20)},
		{"Shaoxing", cw(20, 5, 55, 20, 0, 0, 0, 0, 0, 0, 0, 0)},
	}},
	cTW: {newWeighted(60, 40), []city{
		{"Taipei", cw(10, 2, 3, 2, 10, 3, 3, 10, 0, 2, 3, 60)},
		{"Taichung", cw(5, 2, 5, 3, 30, 5, 2, 5, 0, 20, 3, 30)},
	}},
	cHK: {newWeighted(1), []city{
		{"Hong Kong", cw(25, 5, 5, 0, 5, 0, 10, 10, 0, 0, 10, 40)},
	}},
	cBD: {newWeighted(45, 20, 20, 15), []city{
		{"Dhaka", cw(55, 15, 10, 5, 0, 0, 5, 5, 0, 0, 5, 0)},
		{"Chattogram", cw(45, 20, 10, 5, 0, 0, 5, 5, 5, 0, 5, 0)},
		{"Gazipur", cw(70, 10, 10, 10, 0, 0, 0, 0, 0, 0, 0, 0)},
		{"Narayanganj", cw(50, 15, 20, 15, 0, 0, 0, 0, 0, 0, 0, 0)},
	}},
	cIN: {newWeighted(25, 25, 20, 15, 15), []city{
		{"Mumbai", cw(25, 15, 10, 5, 2, 2, 5, 5, 10, 5, 6, 10)},
		{"Delhi", cw(25, 15, 5, 5, 5, 2, 5, 5, 10, 5, 15, 3)},
		{"Ludhiana", cw(40, 10, 10, 30, 10, 0, 0, 0, 0, 0, 0, 0)},
		{"Tiruppur", cw(80, 15, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0)},
		{"Amritsar", cw(10, 5, 0, 0, 0, 0, 5, 5, 60, 0, 15, 0)},
	}},
	cTR: {newWeighted(50, 30, 20), []city{
		{"Istanbul", cw(40, 20, 10, 5, 0, 0, 10, 5, 0, 10, 0, 0)},
		{"Bursa", cw(10, 30, 40, 20, 0, 0, 0, 0, 0, 0, 0, 0)},
		{"Denizli", cw(10, 70, 10, 10, 0, 0, 0, 0, 0, 0, 0, 0)},
	}},
	cVN: {newWeighted(65, 35), []city{
		{"Ho Chi Minh City", cw(30, 5, 5, 0, 0, 0, 0, 30, 0, 20, 0, 10)},
		{"Hanoi", cw(20, 5, 5, 0, 0, 0, 0, 10, 0, 0, 20, 40)},
	}},
	cAE: {newWeighted(75, 25), []city{
		{"Dubai", cw(10, 5, 5, 0, 0, 0, 5, 5, 25, 10, 0, 35)},
		{"Sharjah", cw(10, 5, 0, 0, 0, 0, 5, 5, 30, 15, 0, 30)},
	}},
}

func init() {
	for _, m := range marketNames {
		if _, ok := pipeline.BuiltinMarketplaceSet().Lookup(m); !ok {
			panic("demo: marketplace " + m + " missing from pipeline.BuiltinMarketplaces")
		}
	}
	for _, c := range countryCodes {
		if _, ok := countryVariants[c]; !ok {
			panic("demo: no spellings for country " + c)
		}
	}
}
