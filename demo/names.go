package demo

import (
	"encoding/json"
	"time"
)

// trades are the words a seller of each category puts in its name, in
// pipeline.Categories order.
var trades = [][]string{
	{"Garments", "Apparel", "Knitwear"},
	{"Home Textiles", "Towels", "Linen"},
	{"Fabrics", "Weaving Mills", "Textiles"},
	{"Spinning Mills", "Yarn"},
	{"Sports", "Sports Industries", "Sporting Goods"},
	{"Surgical", "Surgical Instruments", "Medical Instruments"},
	{"Leather Works", "Leather Crafts", "Tanneries"},
	{"Footwear", "Shoes"},
	{"Rice Mills", "Rice Traders", "Agro Foods"},
	{"Furniture", "Woodworks", "Interiors"},
	{"Handicrafts", "Crafts", "Arts"},
	{"Electronics", "Electric Works", "Tech"},
}

// firmStyle is how businesses in one country are usually named.
type firmStyle struct {
	heads    []string
	suffixes []string
	cityHead bool // Chinese firms lead with their city
}

var firmStyles = [numCountries]firmStyle{
	cPK: {heads: []string{"Al-Karim", "Noor", "Madina", "Chenab", "Ravi", "Indus", "Crescent", "Bismillah",
		"Al-Fatah", "Hamza", "Zain", "Shaheen", "Mehran", "Punjab", "Kohistan", "Al-Rehman", "Ittehad", "Sitara",
		"Falcon", "Golden", "Royal", "Usman", "Bilal", "Faizan", "Rehmat", "Anwar", "Haris", "Jamal", "Abbasi",
		"Qureshi", "Sheikh", "Butt", "Malik", "Chaudhry"},
		suffixes: []string{" (Pvt.) Ltd.", " & Co.", " Enterprises", " International", ""}},
	cCN: {heads: []string{"Xinhe", "Huaxin", "Jiali", "Hengtai", "Yongsheng", "Dingsheng", "Hongda", "Meilin"},
		suffixes: []string{" Co., Ltd."}, cityHead: true},
	cTW: {heads: []string{"Formosa", "Chien Hsin", "Sheng Feng", "Da Tong"}, suffixes: []string{" Co., Ltd."}},
	cHK: {heads: []string{"Victoria", "Kowloon", "Pearl River", "Harbour", "Golden Dragon"}, suffixes: []string{" Limited"}},
	cBD: {heads: []string{"Padma", "Meghna", "Jamuna", "Sonar Bangla", "Rahman", "Karim", "Bengal"}, suffixes: []string{" Ltd."}},
	cIN: {heads: []string{"Shree", "Balaji", "Ganesh", "Arihant", "Laxmi", "Om Sai"}, suffixes: []string{" Pvt. Ltd."}},
	cTR: {heads: []string{"Anadolu", "Ege", "Marmara", "Yildiz", "Kaya", "Bosphorus"}, suffixes: []string{" A.S."}},
	cVN: {heads: []string{"Saigon", "Phuong Nam", "Viet Thanh", "Hoang Long"}, suffixes: []string{" JSC"}},
	cAE: {heads: []string{"Al Noor", "Gulf", "Emirates", "Al Safa", "Desert Rose"}, suffixes: []string{" General Trading LLC"}},
}

func sellerName(r *rng, country uint8, c *city, primary uint8) string {
	st := &firmStyles[country]
	name := r.pick(st.heads) + " " + r.pick(trades[primary]) + r.pick(st.suffixes)
	if st.cityHead {
		name = c.name + " " + name
	}
	return name
}

// jsonNull is an explicit null for a field that is otherwise left out when
// empty: sources differ on whether a missing value is null or absent.
var jsonNull = json.RawMessage("null")

func nullOrAbsent(r *rng) any {
	if r.chance(0.5) {
		return jsonNull
	}
	return nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// randomTime is uniform in [from, to) at whole seconds; a share of the
// results carry milliseconds, as some sources stamp them.
func randomTime(r *rng, from, to time.Time, msShare float64) time.Time {
	span := to.Sub(from)
	t := from
	if span > 0 {
		t = from.Add(time.Duration(r.Int64N(int64(span))))
	}
	t = t.Truncate(time.Second)
	if r.chance(msShare) {
		t = t.Add(time.Duration(1+r.IntN(999)) * time.Millisecond)
	}
	return t
}

// laterTime moves a record's update time forward for its next version:
// strictly later, whole seconds later, and never past as-of.
func laterTime(r *rng, prev, asOf time.Time) time.Time {
	gap := asOf.Sub(prev)
	d := time.Duration(float64(gap) * r.between(0.05, 0.6)).Truncate(time.Second)
	return prev.Add(max(d, time.Second))
}
