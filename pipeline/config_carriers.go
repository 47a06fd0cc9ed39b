package pipeline

import (
	"fmt"
	"strings"
)

// CarrierSet returns the built-in carriers and the config's. After a
// successful ParseConfig it does not fail; the error is for a Config built
// some other way.
func (c *Config) CarrierSet() (*CarrierSet, error) {
	return NewCarrierSet(c.Carriers)
}

// validateCarriers checks each configured carrier: a name, SCAC codes of
// the standard's shape, and no spelling that already names another
// carrier, each reported on the line of the spelling.
func (c *Config) validateCarriers() []error {
	var errs []error
	for i, cr := range c.Carriers {
		at := fmt.Sprintf("carriers[%d]", i)
		if strings.TrimSpace(cr.Name) == "" {
			errs = append(errs, ErrorAt(at+".name", ": name the carrier as core.sailings.carrier should store it, e.g. Maersk"))
		}
		for j, code := range cr.SCAC {
			if !scacCode.MatchString(code) {
				errs = append(errs, ErrorAt(fmt.Sprintf("%s.scac[%d]", at, j), " %q: want a Standard Carrier Alpha Code, two to four capital letters such as MAEU", code))
			}
		}
		for j, alias := range cr.Aliases {
			if strings.TrimSpace(alias) == "" {
				errs = append(errs, ErrorAt(fmt.Sprintf("%s.aliases[%d]", at, j), ": a blank spelling matches nothing; remove it"))
			}
		}
	}
	byKey, conflicts := buildCarriers(c.Carriers)
	for _, cf := range conflicts {
		if cf.entry < 0 {
			continue // the built-in table's own, kept out by a test
		}
		at := fmt.Sprintf("carriers[%d].%s", cf.entry, cf.field)
		if cf.field != "name" {
			at = fmt.Sprintf("%s[%d]", at, cf.j)
		}
		if cf.field == "name" && strings.TrimSpace(c.Carriers[cf.entry].Name) == "" {
			continue // reported above
		}
		if cf.field == "aliases" && strings.TrimSpace(c.Carriers[cf.entry].Aliases[cf.j]) == "" {
			continue
		}
		errs = append(errs, ErrorAt(at, ": %s", cf.msg))
	}
	if c.Normalise.UnknownCarrier == UnknownCarrierKeep {
		return errs
	}
	// A carrier set for a whole source that nobody knows would reject
	// every record of it, night after night.
	for i, s := range c.Sources {
		d, err := ParseDataset(s.Dataset)
		if err != nil || (d != Sailings && d != FreightRates) {
			continue
		}
		for _, sec := range sourceSections(i, s) {
			v, ok := sec.m["carrier"]
			if !ok || byKey[CarrierKey(v)] != "" {
				continue
			}
			errs = append(errs, ErrorAt(sec.at+".carrier", " %q: not a carrier the pipeline knows; add it under carriers: (carriers: [{name: %s}]), or set normalise.unknown_carrier: keep",
				v, strings.TrimSpace(v)))
		}
	}
	return errs
}
