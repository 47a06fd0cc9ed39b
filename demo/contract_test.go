package demo

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// verdict classifies a served value against the contract.
type verdict int

const (
	good  verdict = iota // a listed valid form
	bad                  // a listed invalid form: the transform must reject it
	alien                // neither: the transforms were never promised this
)

func worst(vs ...verdict) verdict { return slices.Max(vs) }

func oneOf(ok bool, isBad bool) verdict {
	switch {
	case ok:
		return good
	case isBad:
		return bad
	}
	return alien
}

var (
	goodPrice = regexp.MustCompile(`^(US \$\d+\.\d\d ?- ?\d+\.\d\d / (Piece|Set|Meter)|US\$ \d+\.\d\d / (Piece|Set|Meter)|` +
		`USD\x{00a0}\d+\.\d\d-USD\x{00a0}\d+\.\d\d|\$\d{1,3}(,\d{3})*\.\d\d|(¥|CNY |€|EUR |AED )\d{1,3}\.\d\d|` +
		`(Rs\. |Rs |৳ )?\d{1,3}(,\d{3})*|PKR \d{1,3}(,\d{3})*\.00|(Tk|BDT) \d{1,3})$`)
	badPriceRe = regexp.MustCompile(`^(Contact Supplier|US \$-\d+\.\d\d|XYZ \d+\.\d\d|US \$abc|)$`)
	goodMOQ    = regexp.MustCompile(`^(1 Piece|\d+ Pieces|\d+ Pieces \(MOQ\)|1\.0 Sets|\d+(\.0)? Sets|\d+ Pairs|1 Ton|` +
		`\d+ Kilograms|\d+ Meters|\d+ Dozens)$`)
	imoRe     = regexp.MustCompile(`^(IMO )?(\d{6})(\d)$`)
	goodRate  = regexp.MustCompile(`^(USD \d{1,3}(,\d{3})*|\$\d+\.00|US\$ \d{1,3}(,\d{3})*)$`)
	pkrAmount = regexp.MustCompile(`^\d{1,3}(,\d{3})*$`)
)

func str(v any) (string, bool) { s, ok := v.(string); return s, ok }

func stamp(v any, optional bool) verdict {
	if v == nil {
		return oneOf(optional, false)
	}
	if _, ok := contractTime(v); ok {
		return good
	}
	s, _ := str(v)
	return oneOf(false, slices.Contains(badTimestamps, s))
}

func price(m map[string]any) verdict {
	v, present := m["price"]
	s, isStr := str(v)
	if !present || v == nil {
		return bad
	}
	if !isStr {
		return alien
	}
	if pkrAmount.MatchString(s) && m["marketplace"] == "alibaba.com" {
		return alien // a bare number means the marketplace currency: Daraz only
	}
	return oneOf(goodPrice.MatchString(s), badPriceRe.MatchString(s))
}

func imo(v any) verdict {
	if v == nil {
		return good
	}
	s, _ := str(v)
	g := imoRe.FindStringSubmatch(s)
	if g == nil {
		return alien
	}
	six, _ := strconv.Atoi(g[2])
	return oneOf(strconv.Itoa(imoCheck(six)) == g[3], true)
}

func port(v any) verdict {
	s, _ := str(v)
	return oneOf(anyPort(s), s == badPort)
}

// sailingOrder rejects an eta before its etd, as the contract says.
func sailingOrder(m map[string]any) verdict {
	etd, ok1 := contractTime(m["etd"])
	eta, ok2 := contractTime(m["eta"])
	return oneOf(!ok1 || !ok2 || !eta.Before(etd), true)
}

var checks = map[pipeline.Dataset]func(m map[string]any) verdict{
	pipeline.Listings: func(m map[string]any) verdict {
		cat, _ := str(m["category"])
		moq := good
		if s, ok := str(m["moq"]); ok && !goodMOQ.MatchString(s) || m["moq"] != nil && !ok {
			moq = alien
		}
		return worst(price(m), moq, stamp(m["updated_at"], false),
			oneOf(anyVariant(categoryVariants, cat, true), slices.Contains(badCategories, cat)))
	},
	pipeline.Sellers: func(m map[string]any) verdict {
		c, _ := str(m["country"])
		return worst(oneOf(anyVariant(countryVariants, c, false), slices.Contains(badCountries, c)),
			stamp(m["joined_at"], true), stamp(m["updated_at"], false))
	},
	pipeline.Sailings: func(m map[string]any) verdict {
		c, _ := str(m["carrier"])
		return worst(oneOf(anyVariant(carrierVariants, c, false), false), imo(m["imo"]), port(m["origin"]),
			port(m["destination"]), stamp(m["etd"], false), stamp(m["eta"], false), stamp(m["ata"], true),
			stamp(m["updated_at"], false), sailingOrder(m))
	},
	pipeline.FreightRates: func(m map[string]any) verdict {
		c, _ := str(m["carrier"])
		e, _ := str(m["equipment"])
		r, _ := str(m["rate"])
		vf, _ := str(m["valid_from"])
		_, vfErr := time.Parse(time.DateOnly, vf)
		return worst(oneOf(anyVariant(carrierVariants, c, false), false), port(m["origin"]), port(m["destination"]),
			oneOf(slices.ContainsFunc(equipmentVariants, func(vs []string) bool { return slices.Contains(vs, e) }), false),
			oneOf(goodRate.MatchString(r), false), oneOf(vfErr == nil, false), stamp(m["updated_at"], false))
	},
	pipeline.FXRates: func(m map[string]any) verdict {
		n, ok := m["units_per_usd"].(json.Number)
		f, err := n.Float64()
		_, dErr := time.Parse(time.DateOnly, fmt.Sprint(m["date"]))
		return oneOf(ok && err == nil && f > 0 && dErr == nil && slices.Contains(fxCurrencies[:], fmt.Sprint(m["currency"])), false)
	},
}

// Every served value is one of the contract's forms, and exactly the
// records the truth calls invalid carry one of its invalid forms.
func TestServedValuesFollowContract(t *testing.T) {
	t.Parallel()
	s := small()
	truth := s.Truth()
	for d, path := range endpoints {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			var invalid int64
			for _, raw := range walk(t, s.Handler(), path, 5000) {
				switch checks[d](decode(t, raw)) {
				case bad:
					invalid++
				case alien:
					t.Errorf("value outside the contract: %s", raw)
				}
			}
			if want := truth.Datasets[string(d)].Invalid; invalid != want {
				t.Errorf("%d records carry an invalid value, truth says %d", invalid, want)
			}
		})
	}
}
