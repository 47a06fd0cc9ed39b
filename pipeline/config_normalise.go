package pipeline

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// NormaliseConfig (top-level `normalise`) extends what every source's
// transform knows: a marketplace's own category names, HS chapters of
// categories, and reference files that add ports, countries, HS
// subheadings, MMSI flags and exchange rates to the built-in tables.
type NormaliseConfig struct {
	// Categories maps category names as sources write them ("Men's & Boys'
	// Fashion", "Kids Bags") to canonical slugs, "other" included. Names
	// match whatever their case and spacing (see CategoryKey); a mapped
	// name wins over the built-in spellings.
	Categories map[string]string `yaml:"categories"`
	// UnknownCategory says what happens to a listing whose category is
	// neither mapped nor a built-in spelling: "reject" (the default;
	// reason unknown_category) or "other" (stored as category other, each
	// such name logged once per source).
	UnknownCategory string `yaml:"unknown_category"`
	// UnknownCarrier says what happens to a sailing or freight rate whose
	// carrier is neither built in nor under carriers:: "reject" (the
	// default; reason unknown_carrier) or "keep" (stored under the name as
	// written, cleaned, each such name logged once per source).
	UnknownCarrier string `yaml:"unknown_carrier"`
	// HSChapters overrides the HS chapter of a category slug, e.g.
	// {furniture: 94}. A chapter in 50-63 groups the category as textiles.
	HSChapters map[string]int  `yaml:"hs_chapters"`
	Reference  ReferenceConfig `yaml:"reference"`
	// DiscountTolerance is how many percentage points a listing's stated
	// discount may sit from the one its list and sale prices imply, once
	// that is rounded down, half up or up to the stated precision. A
	// discount further off is flagged (discount_mismatch), never rejected.
	// Unset means DefaultDiscountTolerance.
	DiscountTolerance *float64 `yaml:"discount_tolerance"`
	// FXMaxAge is how old an exchange rate may be against the day it
	// converts, e.g. "10d" or "36h": a price whose nearest earlier rate is
	// older is rejected (fx_rate_too_old). Unset, each currency gets a
	// limit for how often it is quoted: 7 days when daily, 45 when monthly
	// (transforms.FXMaxAgeDaily, FXMaxAgeMonthly).
	FXMaxAge string `yaml:"fx_max_age"`
	// FutureTolerance is how far past the run's start a record's version
	// (updated_at) may be, e.g. "15h" or "1d": a later one is rejected
	// (future_timestamp), and an incremental HTTP source's saved cursor
	// ignores it. Unset means DefaultFutureTolerance.
	FutureTolerance string `yaml:"future_tolerance"`
}

// DefaultFutureTolerance is how far past a run's start a version
// (updated_at) may be. No time zone is more than 14 hours ahead of UTC, so
// a source that writes local time and labels it UTC is at most 14 hours
// early; the 15th hour covers clock skew and the run's own length. Such
// records are stored rather than rejected night after night, while a
// wrong year, a 2036 placeholder or milliseconds read as seconds are
// rejected (future_timestamp).
const DefaultFutureTolerance = 15 * time.Hour

// DefaultDiscountTolerance is half a point: with the rounding accounted
// for, what is left is prices shown rounded to whole units, which moves
// the implied discount by at most half a point once the list price is 100
// or more.
const DefaultDiscountTolerance = 0.5

// FXMaxAgeDuration is the configured fx_max_age, or 0 when it is unset
// (or invalid, which validation reports).
func (n NormaliseConfig) FXMaxAgeDuration() time.Duration {
	d, _ := ParseDays(n.FXMaxAge)
	return d
}

// FutureToleranceOrDefault is the configured future_tolerance, or
// DefaultFutureTolerance when it is unset (or invalid, which validation
// reports).
func (n NormaliseConfig) FutureToleranceOrDefault() time.Duration {
	if d, err := ParseDays(n.FutureTolerance); err == nil && d > 0 {
		return d
	}
	return DefaultFutureTolerance
}

// ParseDays reads a duration written in days ("45d", "1.5d") or as Go
// writes durations ("36h", "90m"). Days are 24 hours. "" is 0.
func ParseDays(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.ParseFloat(n, 64)
		if err != nil || math.IsNaN(days) || math.IsInf(days, 0) || math.Abs(days) > 100*365 {
			return 0, fmt.Errorf("%q is not a number of days", s)
		}
		return time.Duration(days * float64(24*time.Hour)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration", s)
	}
	return d, nil
}

// DiscountToleranceOrDefault is the configured discount tolerance, or the
// default when none is set.
func (n NormaliseConfig) DiscountToleranceOrDefault() float64 {
	if n.DiscountTolerance == nil {
		return DefaultDiscountTolerance
	}
	return *n.DiscountTolerance
}

// UnknownCategoryPolicies are the accepted values of
// NormaliseConfig.UnknownCategory; "" means reject.
func UnknownCategoryPolicies() []string { return []string{UnknownCategoryReject, UnknownCategoryOther} }

// ReferenceConfig names full reference files; every one is optional.
// Relative paths are read from the working directory, as source paths are;
// an http:// or https:// URL is downloaded at start-up (see
// transforms/reference.Open for its timeout and size limit).
type ReferenceConfig struct {
	UNLOCODE     string `yaml:"unlocode"`      // UN/LOCODE code list CSV
	CountryCodes string `yaml:"country_codes"` // ISO 3166 CSV (datasets/country-codes layout)
	HS           string `yaml:"hs"`            // HS nomenclature CSV (datasets/harmonized-system layout)
	MIDs         string `yaml:"mids"`          // ITU maritime identification digits (MID,Allocated_to)
	// PortAliases are carriers' own port and terminal names with their
	// UN/LOCODEs, e.g. Maersk's maersk_un_locodes_conversion.csv. An alias
	// settles a name that several UN/LOCODE seaports share.
	PortAliases []PortAliasFileConfig `yaml:"port_aliases"`
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

// PortAliasFileConfig is one port-alias CSV: a header row naming a code
// column and a name column.
type PortAliasFileConfig struct {
	Path       string `yaml:"path"`
	Delimiter  string `yaml:"delimiter"`   // one character; default ","
	CodeColumn string `yaml:"code_column"` // default UN_LOCODE
	NameColumn string `yaml:"name_column"` // required, e.g. Maersk_name
}

// Defaults of PortAliasFileConfig.
const (
	DefaultAliasDelimiter  = ","
	DefaultAliasCodeColumn = "UN_LOCODE"
)

// Comma is the delimiter as a rune: the configured one, or ','.
func (p PortAliasFileConfig) Comma() rune {
	if p.Delimiter == "" {
		return ','
	}
	if p.Delimiter == `\t` {
		return '\t'
	}
	r, _ := utf8.DecodeRuneInString(p.Delimiter)
	return r
}

// Code is the code column: the configured one, or UN_LOCODE.
func (p PortAliasFileConfig) Code() string {
	if p.CodeColumn == "" {
		return DefaultAliasCodeColumn
	}
	return p.CodeColumn
}

// FXLayouts are the supported layouts of reference FX files.
func FXLayouts() []string { return []string{"ecb", "fed_h10"} }

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
func DateOrders() []string { return []string{"dmy", "mdy", "day_first", "month_first"} }

func (n NormaliseConfig) validate() []error {
	var errs []error
	bad := func(path, format string, args ...any) { errs = append(errs, ErrorAt(path, format, args...)) }
	slugs := make([]string, 0, len(n.HSChapters))
	for slug := range n.HSChapters {
		slugs = append(slugs, slug)
	}
	sort.Strings(slugs)
	for _, slug := range slugs {
		if slug == OtherCategory().Slug {
			bad(fmt.Sprintf("normalise.hs_chapters.%s", slug), ": other has no HS chapter: its goods span many; map their names to a category that has one")
		} else if _, ok := CategoryBySlug(slug); !ok {
			bad(fmt.Sprintf("normalise.hs_chapters.%s", slug), ": not a category slug: the slugs are %s", categorySlugs())
		} else if ch := n.HSChapters[slug]; ch < 1 || ch > 97 {
			bad(fmt.Sprintf("normalise.hs_chapters.%s", slug), ": %d is not an HS chapter (1-97)", ch)
		}
	}
	errs = append(errs, n.validateCategories()...)
	if tol := n.DiscountTolerance; tol != nil && !(*tol >= 0 && *tol <= 100) {
		bad("normalise.discount_tolerance", " %v: want percentage points from 0 to 100, e.g. %v (the default)", *tol, DefaultDiscountTolerance)
	}
	if d, err := ParseDays(n.FXMaxAge); err != nil || n.FXMaxAge != "" && d <= 0 {
		bad("normalise.fx_max_age", " %q: want a positive age such as 10d or 36h, or leave it unset for 7 days (daily rates) and 45 days (monthly)", n.FXMaxAge)
	}
	if d, err := ParseDays(n.FutureTolerance); err != nil || n.FutureTolerance != "" && d <= 0 {
		bad("normalise.future_tolerance", " %q: want a positive duration such as 15h or 1d, or leave it unset for %s", n.FutureTolerance, DefaultFutureTolerance)
	}
	if n.UnknownCategory != "" && !oneOf(UnknownCategoryPolicies(), n.UnknownCategory) {
		bad("normalise.unknown_category", " %q: want reject (the default: reason unknown_category) or other (stored as category other)", n.UnknownCategory)
	}
	if n.UnknownCarrier != "" && !oneOf(UnknownCarrierPolicies(), n.UnknownCarrier) {
		bad("normalise.unknown_carrier", " %q: want reject (the default: reason unknown_carrier) or keep (stored under the name as written)", n.UnknownCarrier)
	}
	for i, a := range n.Reference.PortAliases {
		at := fmt.Sprintf("normalise.reference.port_aliases[%d]", i)
		if a.Path == "" {
			bad(at+".path", ": name the port-alias file")
		}
		if a.NameColumn == "" {
			bad(at+".name_column", ": name the column holding the port names, e.g. Maersk_name")
		}
		if d := a.Delimiter; d != "" && d != `\t` && (utf8.RuneCountInString(d) != 1 || d == "\"" || d == "\n" || d == "\r") {
			bad(at+".delimiter", " %q: want one character such as ; or \\t", d)
		}
	}
	for i, f := range n.Reference.FX {
		at := fmt.Sprintf("normalise.reference.fx[%d]", i)
		if !oneOf(FXLayouts(), f.Layout) {
			bad(at+".layout", " %q: want %s", f.Layout, strings.Join(FXLayouts(), " or "))
		}
		if f.Path == "" {
			bad(at+".path", ": name the exchange-rate file")
		}
	}
	return errs
}

func categorySlugs() string {
	s := make([]string, len(categories), len(categories)+1)
	for i, c := range categories {
		s[i] = c.Slug
	}
	return strings.Join(append(s, OtherCategory().Slug), ", ")
}

// validateCategories checks every mapped name's slug, and that no two
// names are one name once case and spacing are ignored.
func (n NormaliseConfig) validateCategories() []error {
	var errs []error
	names := make([]string, 0, len(n.Categories))
	for name := range n.Categories {
		names = append(names, name)
	}
	sort.Strings(names)
	seen := map[string]string{}
	for _, name := range names {
		slug := n.Categories[name]
		key := CategoryKey(name)
		switch {
		case key == "":
			errs = append(errs, keyErr("normalise.categories", name, "a blank name matches nothing"))
		case seen[key] != "":
			errs = append(errs, keyErr("normalise.categories", name,
				fmt.Sprintf("the same name as %q once case and spaces are ignored; keep one", seen[key])))
		default:
			seen[key] = name
		}
		if _, ok := CategoryBySlug(slug); !ok {
			errs = append(errs, keyErr("normalise.categories", name,
				fmt.Sprintf("%q is not a category slug: the slugs are %s", slug, categorySlugs())))
		}
	}
	return errs
}

// KeyError is a problem with one entry of a map whose keys are free text
// (category names with spaces and apostrophes), which no YAML path can
// name; ParseConfig finds the entry's line by its key.
type KeyError struct {
	Map string // dotted path of the map, e.g. normalise.categories
	Key string
	Msg string
}

func keyErr(m, key, msg string) error { return &KeyError{Map: m, Key: key, Msg: msg} }

func (e *KeyError) Error() string { return fmt.Sprintf("%s[%q]: %s", e.Map, e.Key, e.Msg) }

// validate checks a source's declarations against its dataset d; at names
// the section. A nil SourceTransform declares nothing.
func (t *SourceTransform) validate(at string, d Dataset) []error {
	if t == nil {
		return nil
	}
	var errs []error
	bad := func(path, format string, args ...any) { errs = append(errs, ErrorAt(path, format, args...)) }
	if t.TimeZone != "" {
		if _, err := time.LoadLocation(t.TimeZone); err != nil {
			bad(at+".time_zone", " %q: want an IANA zone such as UTC or Asia/Karachi", t.TimeZone)
		}
	}
	if t.DateOrder != "" && !oneOf(DateOrders(), strings.ToLower(t.DateOrder)) {
		bad(at+".date_order", " %q: want dmy (04/11/2022 is 4 November) or mdy (11 April)", t.DateOrder)
	}
	fields := d.RawFields()
	keys := make([]string, 0, len(t.Repr))
	for k := range t.Repr {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(fields, k) {
			bad(fmt.Sprintf("%s.repr.%s", at, k), ": %s has no field %q: its fields are %s", d, k, strings.Join(fields, ", "))
		}
	}
	return errs
}

// mapKeyPosition finds the key of one entry of the mapping at the dotted
// path m.
func mapKeyPosition(f *ast.File, m, key string) (*token.Position, bool) {
	path, err := yaml.PathString("$." + m)
	if err != nil {
		return nil, false
	}
	n, err := path.FilterFile(f)
	if err != nil || n == nil {
		return nil, false
	}
	var values []*ast.MappingValueNode
	switch mn := n.(type) {
	case *ast.MappingNode:
		values = mn.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{mn}
	}
	for _, v := range values {
		if k, ok := v.Key.(ast.ScalarNode); ok && fmt.Sprint(k.GetValue()) == key && v.Key.GetToken() != nil {
			return v.Key.GetToken().Position, true
		}
	}
	return nil, false
}
