package demo

import (
	"math"
	"strconv"
)

// Currencies a price can carry.
const (
	curUSD uint8 = iota
	curPKR
	curBDT
	curCNY
	curEUR
	curAED
)

// money is a canonical listing price. min == max for a single price; unit
// is the alibaba.com unit word ("Piece", "Set", "Meter") or "" for none.
type money struct {
	min, max float64
	unit     string
	cur      uint8
}

// plainLimit bounds amounts in the formats whose contract examples never
// group thousands ("US $2.50 - 4.00 / Piece", "CNY 125.00", "Tk 450"):
// larger amounts use a format that does.
const plainLimit = 1000

// usdToForeign is roughly what the simulation's FX table starts at; a
// listing priced in CNY, EUR or AED is converted from USD once, then kept.
var usdToForeign = map[uint8]float64{curCNY: 7.18, curEUR: 0.88, curAED: 3.6725}

// drawPrice draws a listing's first price for its marketplace.
func drawPrice(r *rng, p product, mkt, country uint8) money {
	switch mkt {
	case mktDarazPK:
		x := retail(r.logBetween(p.pkrLo, p.pkrHi), r)
		return money{cur: curPKR, min: x, max: x}
	case mktDarazBD:
		x := retail(0.43*r.logBetween(p.pkrLo, p.pkrHi), r)
		return money{cur: curBDT, min: x, max: x}
	}
	m := money{cur: curUSD, min: round2(r.logBetween(p.usdLo, p.usdHi)), unit: r.pick(p.units)}
	if m.unit != "" && r.chance(0.15) {
		m.unit = ""
	}
	m.max = m.min
	if r.chance(0.55) {
		m.max = round2(m.min * r.between(1.15, 1.8))
	}
	if m.max >= plainLimit {
		m.max, m.unit = m.min, "" // only "$1,200.00" groups thousands
	}
	if cur, ok := foreignCurrency(r, country); ok && m.min*usdToForeign[cur] < plainLimit {
		m = money{cur: cur, min: round2(m.min * usdToForeign[cur])}
	}
	m.max = max(m.max, m.min)
	return m
}

// foreignCurrency decides whether an alibaba.com seller quotes in its own
// currency rather than USD.
func foreignCurrency(r *rng, country uint8) (uint8, bool) {
	x := r.Float64()
	switch {
	case country == cCN && x < 0.35:
		return curCNY, true
	case country == cTR && x < 0.30, x < 0.02:
		return curEUR, true
	case country == cAE && x < 0.35:
		return curAED, true
	}
	return 0, false
}

// retail rounds a Daraz price the way shops do: often to ...99 or ...49.
func retail(x float64, r *rng) float64 {
	n := math.Round(x)
	if n >= 200 && r.chance(0.5) {
		n = math.Round(n/50)*50 - 1
	}
	return max(n, 1)
}

// reprice is a newer version's price: moved by a few to twenty percent,
// always changed, and still within its format's limits.
func reprice(r *rng, m money) money {
	f := r.between(1.03, 1.2)
	if r.chance(0.5) {
		f = 1 / f
	}
	whole := m.cur == curPKR || m.cur == curBDT
	grouped := whole || m.cur == curUSD && m.unit == "" && m.min == m.max
	if !grouped && m.max*f >= plainLimit {
		f = 1 / f
	}
	next := m
	if whole {
		next.min = max(math.Round(m.min*f), 1)
	} else {
		next.min, next.max = max(round2(m.min*f), 0.01), max(round2(m.max*f), 0.01)
	}
	if next.min == m.min && whole {
		next.min++
	} else if next.min == m.min {
		next.min = round2(m.min + 0.01)
	}
	next.max = max(next.max, next.min)
	if m.min == m.max {
		next.max = next.min
	}
	return next
}

// renderPrice writes a price in one of the contract's formats for its
// currency and shape.
func renderPrice(r *rng, m money) string {
	switch m.cur {
	case curPKR:
		return renderPKR(r, int64(m.min))
	case curBDT:
		return renderBDT(r, int64(m.min))
	case curCNY:
		return r.pick([]string{"¥", "CNY "}) + money2(m.min, false)
	case curEUR:
		return r.pick([]string{"€", "EUR "}) + money2(m.min, false)
	case curAED:
		return "AED " + money2(m.min, false)
	}
	return renderUSD(r, m)
}

func renderUSD(r *rng, m money) string {
	lo, hi := money2(m.min, false), money2(m.max, false)
	switch {
	case m.min == m.max && m.unit != "":
		return "US$ " + lo + " / " + m.unit
	case m.min == m.max:
		return "$" + money2(m.min, true)
	case m.unit == "":
		return "USD\u00a0" + lo + "-USD\u00a0" + hi
	case r.chance(0.6):
		return "US $" + lo + " - " + hi + " / " + m.unit
	}
	return "US $" + lo + "-" + hi + " / " + m.unit
}

func renderPKR(r *rng, n int64) string {
	switch r.IntN(5) {
	case 0, 1:
		return "Rs. " + group(n)
	case 2:
		return "Rs " + group(n)
	case 3:
		return "PKR " + group(n) + ".00"
	}
	return group(n) // a bare number is in the marketplace's currency
}

func renderBDT(r *rng, n int64) string {
	x := r.IntN(4)
	if n >= plainLimit && x >= 2 {
		x -= 2
	}
	switch x {
	case 0:
		return "৳ " + group(n)
	case 2:
		return "Tk " + strconv.FormatInt(n, 10)
	case 3:
		return "BDT " + strconv.FormatInt(n, 10)
	}
	return group(n)
}

// badPrice is one of the contract's unparseable prices; nil leaves the
// field out altogether.
func badPrice(r *rng) any {
	switch r.IntN(6) {
	case 0:
		return "Contact Supplier"
	case 1:
		return ""
	case 2:
		return nil
	case 3:
		return "US $-" + money2(r.between(1, 20), false)
	case 4:
		return "XYZ " + money2(r.between(1, 200), false)
	}
	return "US $abc"
}
