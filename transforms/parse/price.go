package parse

import (
	"fmt"
	"strings"
)

// Price is a parsed listing price: a single amount (Min == Max) or a range,
// in one ISO 4217 currency, optionally per a canonical unit.
type Price struct {
	Min, Max float64
	Currency string
	// Unit is the canonical unit after "/" ("piece", "set", "m") or "".
	// Amounts are per canonical unit: "$500 / Ton" is 0.5 per kg.
	Unit string
	// Open marks a lower bound only ("$1,200,000+"). Max is then set equal
	// to Min, so Max is never a guess and never infinite; Open says the
	// true upper end is unknown.
	Open bool
}

// ParsePrice reads a marketplace price such as "US $2.50 - 4.00 / Piece",
// "USD\u00a0465.00-USD\u00a0550.00", "Rs. 1,455", "৳ 1,250", "1,00,000",
// "€1.455,00", "$2.5k", "$1,200,000+" or a "+USD\u00a0349.32" shipping
// charge (the leading "+" adds nothing). defaultCurrency is the
// marketplace's currency: a value that names no currency takes it, and a
// sign several currencies share ("$", "Rs", "¥", "£", "DH") means it when
// it is one of them, so "Rs. 1,299" is INR with INR and PKR with PKR, and
// "$5" is CAD with CAD and USD with PKR. With no currency written and an
// empty default it is an error, because guessing a currency silently
// corrupts every USD figure downstream.
func ParsePrice(s, defaultCurrency string) (Price, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Price{}, fmt.Errorf("%w: price", ErrEmpty)
	}
	amount, unitText := splitUnit(s)
	var unit Unit
	if unitText != "" {
		u, err := ParseUnit(unitText)
		if err != nil {
			return Price{}, err
		}
		unit = u
	}
	var buf [16]token
	toks, err := tokenize(amount, buf[:0])
	if err != nil {
		return Price{}, err
	}
	p, err := parseRange(toks, defaultCurrency)
	if err != nil {
		return Price{}, err
	}
	if unit.Name != "" {
		p.Min, p.Max, p.Unit = p.Min/unit.Factor, p.Max/unit.Factor, unit.Name
	}
	return p, nil
}

// splitUnit separates "US $2.50 / Piece" into the amount and "Piece". A
// Pakistani "Rs. 1,455/-" ends in "/-", which means "whole rupees", not a
// unit.
func splitUnit(s string) (amount, unit string) {
	if i := strings.IndexByte(s, '/'); i >= 0 {
		amount, unit = s[:i], strings.TrimSpace(s[i+1:])
		if unit == "-" {
			unit = ""
		}
		return amount, unit
	}
	if i := lastIndexFold(s, " per "); i >= 0 {
		return s[:i], strings.TrimSpace(s[i+len(" per "):])
	}
	return s, ""
}

// side is one end of a price range: an amount and the currency words
// written before and after it.
type side struct {
	value         float64
	before, after string
	negative      bool
}

// parseRange applies the grammar  ["+"] side [ sep side | "+" ]  to the
// tokens. A leading "+" is how Alibaba writes a shipping charge that is
// added to the item price ("+USD\u00a0349.32" next to "(Shipping)"): the
// amount is still 349.32, so the sign is skipped. Only one, and only
// first: "++5" or "5 - +6" stay unparseable.
func parseRange(toks []token, def string) (Price, error) {
	start := 0
	if len(toks) > 0 && toks[0].kind == tPlus {
		start = 1
	}
	lo, i, err := parseSide(toks, start)
	if err != nil {
		return Price{}, err
	}
	hi, open := lo, false
	if i < len(toks) {
		switch toks[i].kind {
		case tDash:
			if hi, i, err = parseSide(toks, i+1); err != nil {
				return Price{}, err
			}
		case tPlus:
			open, i = true, i+1
		}
	}
	if i < len(toks) {
		return Price{}, fmt.Errorf("%w: unexpected %q", ErrUnparseable, toks[i].text)
	}
	cur, err := rangeCurrency(def, lo.before, lo.after, hi.before, hi.after)
	if err != nil {
		return Price{}, err
	}
	if lo.value > hi.value {
		return Price{}, fmt.Errorf("%w: %g is above %g", ErrBadRange, lo.value, hi.value)
	}
	return Price{Min: lo.value, Max: hi.value, Currency: cur, Open: open}, nil
}

// parseSide reads  words* ["-"] words* number words*  starting at toks[i]
// and returns the index after it. A dash before any number is a minus sign.
func parseSide(toks []token, i int) (side, int, error) {
	var sd side
	for ; i < len(toks) && toks[i].kind != tNum; i++ {
		switch toks[i].kind {
		case tWord:
			sd.before += toks[i].text
		case tDash:
			sd.negative = true
		default:
			return sd, i, fmt.Errorf("%w: unexpected %q", ErrUnparseable, toks[i].text)
		}
	}
	if i == len(toks) {
		return sd, i, fmt.Errorf("%w: no amount", ErrUnparseable)
	}
	v, err := parseNumber(toks[i].text)
	if err != nil {
		return sd, i, err
	}
	if sd.negative {
		return sd, i, fmt.Errorf("%w -%s", ErrNegative, toks[i].text)
	}
	if toks[i].kilo {
		v *= 1000
	}
	sd.value = v
	for i++; i < len(toks) && toks[i].kind == tWord; i++ {
		sd.after += toks[i].text
	}
	return sd, i, nil
}

// rangeCurrency resolves every currency word written around a price and
// insists they agree; with none written, the default applies. The default
// is the marketplace's currency. A shared sign ("Rs", "$") means the
// currency spelt out elsewhere in the price when it can ("Rs 5 - PKR 6"),
// else the marketplace's when it can, else its usual one.
func rangeCurrency(def string, words ...string) (string, error) {
	def = strings.ToUpper(def)
	// Fixed arrays keep this off the heap: parseRange passes the words
	// before and after each end of the range, four at most.
	var codes [4]string
	var cans [4]map[string]struct{}
	if len(words) > len(codes) {
		panic("rangeCurrency: more than four currency words")
	}
	explicit := ""
	for i, w := range words {
		if w == "" {
			continue
		}
		c, can, err := currencyCode(w)
		if err != nil {
			return "", err
		}
		codes[i], cans[i] = c, can
		if can != nil {
			continue
		}
		if explicit != "" && c != explicit {
			return "", fmt.Errorf("%w: %s and %s", ErrMixedCurrency, explicit, c)
		}
		explicit = c
	}
	context := def
	if explicit != "" {
		context = explicit
	}
	cur := explicit
	for i, c := range codes[:len(words)] {
		if cans[i] == nil {
			continue
		}
		if _, fits := cans[i][context]; fits {
			c = context
		}
		if cur != "" && c != cur {
			return "", fmt.Errorf("%w: %s and %s", ErrMixedCurrency, cur, c)
		}
		cur = c
	}
	if cur != "" {
		return cur, nil
	}
	if def == "" {
		return "", ErrNoCurrency
	}
	if !KnownCurrency(def) {
		return "", fmt.Errorf("default currency: %w %q", ErrUnknownCurrency, def)
	}
	return def, nil
}
