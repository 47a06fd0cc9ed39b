package pipeline

import (
	"fmt"
	"sort"
	"strings"
)

// MarketplaceConfig is one entry of the top-level marketplaces: section,
// keyed by the marketplace's name (its domain, as records write it).
type MarketplaceConfig struct {
	Currency string `yaml:"currency"` // ISO 4217: prices that name none are in it
	Country  string `yaml:"country"`  // ISO 3166 alpha-2 the marketplace sells in; optional
}

// MarketplaceSet returns the built-in marketplaces and the config's. After
// a successful ParseConfig it does not fail; the error is for a Config
// built some other way.
func (c *Config) MarketplaceSet() (*MarketplaceSet, error) {
	return NewMarketplaceSet(c.extraMarketplaces())
}

// extraMarketplaces lists the config's marketplaces in name order.
func (c *Config) extraMarketplaces() []Marketplace {
	names := make([]string, 0, len(c.Marketplaces))
	for name := range c.Marketplaces {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]Marketplace, len(names))
	for i, name := range names {
		m := c.Marketplaces[name]
		out[i] = Marketplace{Name: name, Currency: m.Currency, Country: m.Country}
	}
	return out
}

// validateMarketplaces checks each configured marketplace, and that every
// marketplace a listings or sellers source sets in its constants or
// defaults is one the run will know: otherwise every record of the source
// would be rejected, night after night, for a typo in the config.
func (c *Config) validateMarketplaces() []error {
	var errs []error
	var good []Marketplace
	for _, m := range c.extraMarketplaces() {
		if b, ok := builtinSet.Lookup(m.Name); ok {
			errs = append(errs, keyErr("marketplaces", m.Name, fmt.Sprintf(
				"%s is built in (currency %s); its currency decides what its stored prices mean, so it cannot be redefined: remove the entry", b.Name, b.Currency)))
			continue
		}
		problems := m.problems()
		for _, p := range problems {
			errs = append(errs, keyErr("marketplaces", m.Name, p))
		}
		if len(problems) == 0 {
			good = append(good, m)
		}
	}
	set, err := NewMarketplaceSet(good)
	if err != nil {
		return append(errs, fmt.Errorf("marketplaces: %w", err))
	}
	for i, s := range c.Sources {
		d, err := ParseDataset(s.Dataset)
		if err != nil || (d != Listings && d != Sellers) {
			continue
		}
		for _, sec := range sourceSections(i, s) {
			v, ok := sec.m["marketplace"]
			if !ok {
				continue
			}
			// The transform trims values before it looks them up.
			if _, known := set.Lookup(strings.TrimSpace(v)); !known {
				errs = append(errs, ErrorAt(sec.at+".marketplace", " %q: not a marketplace the pipeline knows (%s); add it under marketplaces: with its currency (marketplaces: {%s: {currency: <ISO 4217 code>}})",
					v, set.Names(), quoteYAMLKey(strings.TrimSpace(v))))
			}
		}
	}
	return errs
}

// mappingSection is a source's constants or defaults, with its config path.
type mappingSection struct {
	at string // e.g. sources[2].file.constants
	m  map[string]string
}

// sourceSections returns the constants and defaults of source i: the
// values it sets for every record, which validation can check up front.
func sourceSections(i int, s SourceConfig) []mappingSection {
	m, ok := s.Mapping()
	if !ok {
		return nil
	}
	sk, _ := LookupSourceKind(s.Kind)
	at := fmt.Sprintf("sources[%d].%s", i, sk.Section)
	return []mappingSection{{at + ".constants", m.Constants}, {at + ".defaults", m.Defaults}}
}

// quoteYAMLKey writes a name as a YAML flow-mapping key for an example in
// an error message: plain when it is a domain, quoted otherwise.
func quoteYAMLKey(name string) string {
	if marketplaceName.MatchString(name) {
		return name
	}
	return fmt.Sprintf("%q", name)
}
