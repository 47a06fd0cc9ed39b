package demo

import (
	"math"
	"time"
)

// fxCurrencies are the currencies the FX feed quotes, USD first at 1.0.
var fxCurrencies = [...]string{"USD", "PKR", "CNY", "EUR", "AED", "BDT"}

const numFX = len(fxCurrencies)

// fxModel is how one currency drifts: a daily log-normal step pulled back
// toward a level. AED is pegged.
type fxModel struct {
	start, vol, level float64
}

var fxModels = [numFX]fxModel{
	{1, 0, 1},
	{280.6, 0.0012, 283},
	{7.18, 0.0018, 7.15},
	{0.88, 0.0035, 0.9},
	{3.6725, 0, 3.6725},
	{121.6, 0.0008, 122.5},
}

// fxTable holds one rate per currency per business day. It is small (about
// 420 days) and a random walk, which needs the day before, so it is kept.
type fxTable struct {
	days  []time.Time
	rates [][numFX]float64
}

// fxMonths is how far back the FX feed goes: a month further than any
// listing, so every listing date has a prior rate.
const fxMonths = 19

func genFX(seed int64, asOf time.Time) fxTable {
	r := newRNG().reset(seed, tagFX, 0)
	var t fxTable
	x := [numFX]float64{}
	for c, m := range fxModels {
		x[c] = m.start
	}
	day := asOf.AddDate(0, -fxMonths, 0).Truncate(24 * time.Hour)
	for ; !day.After(asOf); day = day.AddDate(0, 0, 1) {
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		var row [numFX]float64
		for c, m := range fxModels {
			x[c] = x[c]*math.Exp(m.vol*r.NormFloat64()) + 0.01*(m.level-x[c])
			row[c] = math.Round(x[c]*1e4) / 1e4
		}
		t.days = append(t.days, day)
		t.rates = append(t.rates, row)
	}
	return t
}

func (t *fxTable) len() int { return len(t.days) * numFX }

// fxJSON is one rate as the API sends it; units_per_usd is a JSON number.
type fxJSON struct {
	Date        string  `json:"date"`
	Currency    string  `json:"currency"`
	UnitsPerUSD float64 `json:"units_per_usd"`
}

func (t *fxTable) render(k int, out *fxJSON) {
	d, c := k/numFX, k%numFX
	*out = fxJSON{Date: t.days[d].Format(time.DateOnly), Currency: fxCurrencies[c], UnitsPerUSD: t.rates[d][c]}
}
