package settings

import (
	"fmt"
	"math"
)

// Checks (the top-level checks: section) tunes the warehouse's warn-level
// plausibility data tests: checks that do not prove a number wrong but
// flag one that is very likely so, such as a parser error that shifts a
// whole file's prices.
type Checks struct {
	Prices PriceChecks `yaml:"prices"`
}

// PriceChecks tunes sql/tests/listings_price_plausible.sql. A nil field
// keeps the test's own default, so the SQL file and this config cannot
// disagree about it: outlier_ratio 100, min_usd 0.01, min_listings 20.
type PriceChecks struct {
	// OutlierRatio flags a current listing whose USD price is more than
	// this many times above or below its category's median on its
	// marketplace. Must be above 1.
	OutlierRatio *float64 `yaml:"outlier_ratio"`
	// MinUSD flags a current listing priced under this many US dollars,
	// median or not; 0 turns the floor off.
	MinUSD *float64 `yaml:"min_usd"`
	// MinListings is how many listings a category needs on a marketplace
	// before its median is compared with; with fewer, only MinUSD applies.
	MinListings *int `yaml:"min_listings"`
}

// Validate returns every threshold that would flag every listing, or none
// in a way nobody meant. at is the section's key path (checks).
func (c Checks) Validate(at string) []error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &Problem{Key: at + key, Msg: at + key + fmt.Sprintf(format, args...)})
	}
	p := c.Prices
	if r := p.OutlierRatio; r != nil && (math.IsNaN(*r) || math.IsInf(*r, 0) || *r <= 1) {
		bad(".prices.outlier_ratio", " %v: want a number above 1, how many times above or below its category's median a price is flagged (default 100)", *r)
	}
	if m := p.MinUSD; m != nil && (math.IsNaN(*m) || math.IsInf(*m, 0) || *m < 0) {
		bad(".prices.min_usd", " %v: want a price in US dollars, 0 or more, under which a listing is flagged (default 0.01; 0 turns it off)", *m)
	}
	if n := p.MinListings; n != nil && *n < 1 {
		bad(".prices.min_listings", " %d: want 1 or more, the listings a category needs on a marketplace for its median to count (default 20)", *n)
	}
	return errs
}

// Problem is a setting that cannot be used. Key is its key path, as data,
// for whoever places the problem in the file; Msg starts with it.
type Problem struct {
	Key, Msg string
}

func (p *Problem) Error() string { return p.Msg }

// KeyPath is the key the problem is about.
func (p *Problem) KeyPath() string { return p.Key }
