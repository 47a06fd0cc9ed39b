package pipeline

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Marketplace is one marketplace that listings and sellers come from.
type Marketplace struct {
	// Name is what sources write in their marketplace field and what
	// core.listings.marketplace stores: the marketplace's domain.
	Name string
	// Currency (ISO 4217) is what a price on the marketplace is in when it
	// names no currency, and which currency an ambiguous sign means there
	// when the sign can mean it: "$" on a CAD marketplace, "Rs" on an INR
	// one (see parse.ParsePrice).
	Currency string
	// Country (ISO 3166 alpha-2) is the country the marketplace sells in;
	// "" for one that sells worldwide. It describes the marketplace and
	// decides nothing in normalisation: a seller's country is always the
	// seller's own.
	Country string
}

// BuiltinMarketplaces are the marketplaces the pipeline knows without
// configuration. A config's marketplaces: section adds more
// (Config.MarketplaceSet merges them into the run's set). Each call
// returns a new slice.
func BuiltinMarketplaces() []Marketplace { return slices.Clone(builtinMarketplaces) }

var builtinMarketplaces = []Marketplace{
	{Name: "alibaba.com", Currency: "USD"},
	{Name: "daraz.pk", Currency: "PKR", Country: "PK"},
	{Name: "daraz.com.bd", Currency: "BDT", Country: "BD"},
}

// MarketplaceSet is the marketplaces one run knows: the built-in ones and
// those its config adds. It is built once and then only read, so every
// transform of a run can share it. A nil set is the built-in ones.
type MarketplaceSet struct {
	byName map[string]Marketplace
	names  string // sorted, comma-separated, for messages
}

// builtinSet is built from BuiltinMarketplaces at start-up; nothing
// changes it afterwards.
var builtinSet = func() *MarketplaceSet {
	s, err := NewMarketplaceSet(nil)
	if err != nil {
		panic(err)
	}
	return s
}()

// BuiltinMarketplaceSet is the set of the built-in marketplaces.
func BuiltinMarketplaceSet() *MarketplaceSet { return builtinSet }

// NewMarketplaceSet returns the built-in marketplaces plus extra. A name
// given twice, or one that is built in, is an error: a marketplace's
// currency decides what its stored prices mean, so it is defined once.
func NewMarketplaceSet(extra []Marketplace) (*MarketplaceSet, error) {
	s := &MarketplaceSet{byName: make(map[string]Marketplace, len(builtinMarketplaces)+len(extra))}
	for _, m := range slices.Concat(builtinMarketplaces, extra) {
		if prev, ok := s.byName[m.Name]; ok {
			return nil, fmt.Errorf("marketplace %q is defined twice (%s and %s)", m.Name, prev.Currency, m.Currency)
		}
		if err := m.check(); err != nil {
			return nil, err
		}
		s.byName[m.Name] = m
	}
	s.names = strings.Join(slices.Sorted(maps.Keys(s.byName)), ", ")
	return s, nil
}

// Lookup finds a marketplace by the name sources write.
func (s *MarketplaceSet) Lookup(name string) (Marketplace, bool) {
	if s == nil {
		s = builtinSet
	}
	m, ok := s.byName[name]
	return m, ok
}

// Names lists the marketplaces' names, sorted and comma-separated, as
// reject reasons and config errors show them.
func (s *MarketplaceSet) Names() string {
	if s == nil {
		s = builtinSet
	}
	return s.names
}

// marketplaceName is a domain in lower case: what sources write and what
// core.listings.marketplace holds.
var marketplaceName = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)

var alpha2 = regexp.MustCompile(`^[A-Z]{2}$`)

// problems lists what is wrong with one marketplace's definition.
func (m Marketplace) problems() []string {
	var errs []string
	if !marketplaceName.MatchString(m.Name) {
		errs = append(errs, fmt.Sprintf("name %q: want a domain in lower case, such as amazon.in", m.Name))
	}
	if !KnownCurrency(m.Currency) {
		errs = append(errs, fmt.Sprintf("currency %q: want an ISO 4217 code in upper case that the price parser knows, such as INR", m.Currency))
	}
	if m.Country != "" && !alpha2.MatchString(m.Country) {
		errs = append(errs, fmt.Sprintf("country %q: want an ISO 3166 alpha-2 code in upper case, such as IN, or leave it out for a marketplace that sells worldwide", m.Country))
	}
	return errs
}

func (m Marketplace) check() error {
	if errs := m.problems(); len(errs) > 0 {
		return fmt.Errorf("marketplace %q: %s", m.Name, strings.Join(errs, "; "))
	}
	return nil
}
