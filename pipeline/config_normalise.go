package pipeline

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// NormaliseConfig (top-level `normalise`) extends what every source's
// transform knows: HS chapters of categories, and reference files that add
// ports, countries, HS subheadings, MMSI flags and exchange rates to the
// built-in tables.
type NormaliseConfig struct {
	// HSChapters overrides the HS chapter of a category slug, e.g.
	// {furniture: 94}. A chapter in 50-63 groups the category as textiles.
	HSChapters map[string]int  `yaml:"hs_chapters"`
	Reference  ReferenceConfig `yaml:"reference"`
}

// ReferenceConfig names full reference files; every one is optional.
// Relative paths are read from the working directory, as source paths are.
type ReferenceConfig struct {
	UNLOCODE     string `yaml:"unlocode"`      // UN/LOCODE code list CSV
	CountryCodes string `yaml:"country_codes"` // ISO 3166 CSV (datasets/country-codes layout)
	HS           string `yaml:"hs"`            // HS nomenclature CSV (datasets/harmonized-system layout)
	MIDs         string `yaml:"mids"`          // ITU maritime identification digits (MID,Allocated_to)
	// FX files are loaded into the run's exchange-rate table before
	// extraction, for converting prices to USD. They are not written to
	// core.fx_rates: only an fx_rates source is.
	FX []FXFileConfig `yaml:"fx"`
}

// FXFileConfig is one exchange-rate file and its layout.
type FXFileConfig struct {
	Layout string `yaml:"layout"` // ecb (eurofxref-hist.csv) or fed_h10 (Date,Country,Exchange rate)
	Path   string `yaml:"path"`
}

// FXLayouts are the supported layouts of reference FX files.
var FXLayouts = []string{"ecb", "fed_h10"}

// SourceTransform (a source's `transform`) declares what cannot be guessed
// from a source's values.
type SourceTransform struct {
	// TimeZone is the IANA zone naive date-times ("21 Dec 2022 05:22") were
	// written in. Without it such values are rejected with reason no_zone.
	TimeZone string `yaml:"time_zone"`
	// DateOrder is how numeric dates such as 04/11/2022 are written: dmy or
	// mdy. Without it they are rejected as ambiguous.
	DateOrder string `yaml:"date_order"`
	// Repr names fields whose cells hold a Python literal, with the path of
	// the value to take: list indexes (negative from the end) and dict keys
	// joined by dots, e.g. {imo: "-1.1"}.
	Repr map[string]string `yaml:"repr"`
}

// DateOrders are the accepted spellings of SourceTransform.DateOrder.
var DateOrders = []string{"dmy", "mdy", "day_first", "month_first"}

func (n NormaliseConfig) validate() []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	slugs := make([]string, 0, len(n.HSChapters))
	for slug := range n.HSChapters {
		slugs = append(slugs, slug)
	}
	sort.Strings(slugs)
	for _, slug := range slugs {
		if _, ok := CategoryBySlug(slug); !ok {
			bad("normalise.hs_chapters.%s: not a category slug: the slugs are %s", slug, categorySlugs())
		} else if ch := n.HSChapters[slug]; ch < 1 || ch > 97 {
			bad("normalise.hs_chapters.%s: %d is not an HS chapter (1-97)", slug, ch)
		}
	}
	for i, f := range n.Reference.FX {
		at := fmt.Sprintf("normalise.reference.fx[%d]", i)
		if !oneOf(FXLayouts, f.Layout) {
			bad("%s.layout %q: want %s", at, f.Layout, strings.Join(FXLayouts, " or "))
		}
		if f.Path == "" {
			bad("%s.path: name the exchange-rate file", at)
		}
	}
	return errs
}

func categorySlugs() string {
	s := make([]string, len(Categories))
	for i, c := range Categories {
		s[i] = c.Slug
	}
	return strings.Join(s, ", ")
}

// validate checks a source's declarations against its dataset d; at names
// the section. A nil SourceTransform declares nothing.
func (t *SourceTransform) validate(at string, d Dataset) []error {
	if t == nil {
		return nil
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if t.TimeZone != "" {
		if _, err := time.LoadLocation(t.TimeZone); err != nil {
			bad("%s.time_zone %q: want an IANA zone such as UTC or Asia/Karachi", at, t.TimeZone)
		}
	}
	if t.DateOrder != "" && !oneOf(DateOrders, strings.ToLower(t.DateOrder)) {
		bad("%s.date_order %q: want dmy (04/11/2022 is 4 November) or mdy (11 April)", at, t.DateOrder)
	}
	fields := RawFields[d]
	keys := make([]string, 0, len(t.Repr))
	for k := range t.Repr {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(fields, k) {
			bad("%s.repr.%s: %s has no field %q: its fields are %s", at, k, d, k, strings.Join(fields, ", "))
		}
	}
	return errs
}
