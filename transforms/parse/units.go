package parse

import (
	"fmt"
	"strings"
)

// Unit is a canonical unit of measure and how many of it one source unit
// is: a ton is 1000 kg, a dozen is 12 pieces.
type Unit struct {
	Name   string // canonical: piece, set, pair, kg, m, m2, l, carton, ...
	Factor float64
}

// ParseUnit maps a unit word as marketplaces write it ("Pieces", "pcs",
// "1 Ton" minus the number, "Piece/Pieces") onto a canonical Unit.
// Unknown words are an error rather than being passed through, so the
// unit columns stay a closed set analysts can group by; an unknown unit
// shows up in meta.rejects and the table below can be extended.
func ParseUnit(s string) (Unit, error) {
	key := strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(s, ".", ""))), " ")
	if key == "" {
		return Unit{}, fmt.Errorf("%w: unit", ErrEmpty)
	}
	if u, ok := lookupUnit(key); ok {
		return u, nil
	}
	// Alibaba writes "Piece/Pieces" and "Set/Sets": singular and plural of one unit.
	if a, b, ok := strings.Cut(key, "/"); ok {
		ua, oka := lookupUnit(strings.TrimSpace(a))
		ub, okb := lookupUnit(strings.TrimSpace(b))
		if oka && okb && ua == ub {
			return ua, nil
		}
	}
	return Unit{}, fmt.Errorf("%w %q", ErrUnknownUnit, strings.TrimSpace(s))
}

// lookupUnit tries the key, then the key with an English plural ending
// removed, so the table only needs singular forms.
func lookupUnit(key string) (Unit, bool) {
	if u, ok := units[key]; ok {
		return u, true
	}
	for _, suf := range []string{"es", "s"} {
		if base, ok := strings.CutSuffix(key, suf); ok && base != "" {
			if u, ok := units[base]; ok {
				return u, true
			}
		}
	}
	return Unit{}, false
}

const (
	kgPerTon   = 1000
	kgPerPound = 0.45359237
	mPerYard   = 0.9144
	mPerFoot   = 0.3048
)

// units holds singular (or invariant) spellings. A "unit" of a product is
// one item, so it maps to piece.
var units = map[string]Unit{
	"piece": {"piece", 1}, "pc": {"piece", 1}, "pcs": {"piece", 1}, "unit": {"piece", 1},
	"no": {"piece", 1}, "nos": {"piece", 1}, "item": {"piece", 1}, "ea": {"piece", 1}, "each": {"piece", 1},
	"dozen": {"piece", 12}, "dz": {"piece", 12}, "doz": {"piece", 12}, "gross": {"piece", 144},
	"set": {"set", 1}, "pair": {"pair", 1}, "pr": {"pair", 1}, "prs": {"pair", 1},
	"kilogram": {"kg", 1}, "kg": {"kg", 1}, "kgs": {"kg", 1}, "kilo": {"kg", 1}, "kilogramme": {"kg", 1},
	"gram": {"kg", 0.001}, "g": {"kg", 0.001}, "gm": {"kg", 0.001}, "gramme": {"kg", 0.001},
	"ton": {"kg", kgPerTon}, "tonne": {"kg", kgPerTon}, "t": {"kg", kgPerTon}, "mt": {"kg", kgPerTon},
	"metric ton": {"kg", kgPerTon}, "metric tonne": {"kg", kgPerTon},
	"pound": {"kg", kgPerPound}, "lb": {"kg", kgPerPound}, "lbs": {"kg", kgPerPound},
	"meter": {"m", 1}, "metre": {"m", 1}, "m": {"m", 1}, "mtr": {"m", 1}, "mtrs": {"m", 1},
	"centimeter": {"m", 0.01}, "cm": {"m", 0.01}, "yard": {"m", mPerYard}, "yd": {"m", mPerYard},
	"yds": {"m", mPerYard}, "foot": {"m", mPerFoot}, "feet": {"m", mPerFoot}, "ft": {"m", mPerFoot},
	"square meter": {"m2", 1}, "square metre": {"m2", 1}, "sqm": {"m2", 1}, "m2": {"m2", 1}, "sq m": {"m2", 1},
	"litre": {"l", 1}, "liter": {"l", 1}, "l": {"l", 1}, "ltr": {"l", 1},
	"millilitre": {"l", 0.001}, "milliliter": {"l", 0.001}, "ml": {"l", 0.001},
	"carton": {"carton", 1}, "ctn": {"carton", 1}, "ctns": {"carton", 1},
	"box": {"box", 1}, "pack": {"pack", 1}, "packet": {"pack", 1}, "bag": {"bag", 1},
	"roll": {"roll", 1}, "case": {"case", 1}, "bale": {"bale", 1}, "sheet": {"sheet", 1},
	"bottle": {"bottle", 1}, "barrel": {"barrel", 1}, "acre": {"acre", 1},
	"container": {"container", 1}, "twenty foot container": {"container", 1},
	"forty foot container": {"container", 1},
}
