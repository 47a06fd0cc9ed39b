package pipeline

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
)

// SourceConfig is one source: what it feeds, which kind of source it is,
// and the keys every source has. How to reach it is the kind's own block
// (http: for http_json, file: for file), decoded by the registered kind
// into Spec.
type SourceConfig struct {
	Name    string `yaml:"name"`
	Dataset string `yaml:"dataset"`
	Kind    Kind   `yaml:"kind"`
	// Transform declares how the source writes its values, for the
	// dataset's transform (time zone, date order, Python-literal cells).
	Transform *SourceTransform `yaml:"transform"`
	// MaxRejectShare is the share of this source's records (0 to 1) that
	// may be rejected before the run fails (exit 5); nil means
	// DefaultMaxRejectShare.
	MaxRejectShare *float64 `yaml:"max_reject_share"`
	// DelistMissing says the source returns its whole catalogue every
	// run: a listing it stops returning gets delisted_at.
	DelistMissing bool `yaml:"delist_missing"`
	// MaxDelistShare caps the share of the source's current listings one
	// run may delist; nil means DefaultMaxDelistShare.
	MaxDelistShare *float64 `yaml:"max_delist_share"`

	// Spec is the kind's block. A config whose source leaves the block out
	// gets an empty one, so the kind's checks say what it needs; it is nil
	// only when the kind is not registered.
	Spec SourceSpec `yaml:"-"`
	// strays are the blocks of other kinds the source has, each an error.
	strays []string
}

// Policy is the source's guards, with defaults filled in.
func (s SourceConfig) Policy() SourcePolicy {
	p := DefaultPolicy()
	if s.MaxRejectShare != nil {
		p.MaxRejectShare = *s.MaxRejectShare
	}
	if s.MaxDelistShare != nil {
		p.MaxDelistShare = *s.MaxDelistShare
	}
	p.DelistMissing = s.DelistMissing
	return p
}

// Policies returns every source's guards by source name.
func (c *Config) Policies() map[string]SourcePolicy {
	out := make(map[string]SourcePolicy, len(c.Sources))
	for _, s := range c.Sources {
		out[s.Name] = s.Policy()
	}
	return out
}

// Mapping turns a source's records into canonical fields. It is shared by
// every kind so a file and an API feeding one dataset read alike.
type Mapping struct {
	// Fields maps a canonical field to where its value is: a dotted JSON
	// path or a column name, or a template such as "{Origin}-{Destination}".
	// A field not named is read from the key or column of the same name.
	Fields map[string]string `yaml:"fields"`
	// Patterns cut a value down with a regular expression: the first
	// capture group (or the whole match) is kept; no match is null.
	Patterns map[string]string `yaml:"patterns"`
	// Defaults fill a field that is missing, null or empty.
	Defaults map[string]string `yaml:"defaults"`
	// Constants fill a field whatever the record says, e.g. the
	// marketplace of a single-marketplace API.
	Constants map[string]string `yaml:"constants"`
	// Keep names source fields with no canonical column (brand, rating,
	// URL) to store in listings' attributes as a JSON object; ["*"] keeps
	// every field no mapping reads.
	Keep []string `yaml:"keep"`
	// Sellers maps sellers fields (seller_id, name, country, city,
	// joined_at) from the same listing record, so one read of a listings
	// file also yields its sellers. marketplace and updated_at follow the
	// listing's own unless named here.
	Sellers map[string]string `yaml:"sellers"`
}

// TLSVerificationOff reports whether the source turns TLS certificate
// verification off (tls_insecure_skip_verify), for anything that describes
// sources to people, such as exportpipe plan.
func (s SourceConfig) TLSVerificationOff() bool {
	t, ok := s.Spec.(TLSSpec)
	return ok && t.TLSVerificationOff()
}

// Describe says what the source reads, as exportpipe plan shows it; ""
// when its kind is not registered.
func (s SourceConfig) Describe() string {
	if s.Spec == nil {
		return ""
	}
	return s.Spec.Describe()
}

// Mapping is the source's field mapping, when its kind has one.
func (s SourceConfig) Mapping() (Mapping, bool) {
	m, ok := s.Spec.(MappedSpec)
	if !ok {
		return Mapping{}, false
	}
	return m.Mapping(), true
}

// Duration reads "30s"-style durations from YAML.
type Duration time.Duration

func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("duration %q: want a value such as 30s or 2m", b)
	}
	*d = Duration(v)
	return nil
}

var identifier = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// validateSource returns every problem with one source; at names it.
func validateSource(at string, s SourceConfig) []error {
	var errs []error
	bad := func(path, format string, args ...any) { errs = append(errs, ErrorAt(path, format, args...)) }
	if !identifier.MatchString(s.Name) {
		bad(at+".name", " %q: use lowercase letters, digits and _ (it names rows in meta tables)", s.Name)
	}
	d, derr := ParseDataset(s.Dataset)
	if derr != nil {
		bad(at+".dataset", ": %v", derr)
	}
	sk, known := LookupSourceKind(s.Kind)
	if !known || s.Spec == nil {
		bad(at+".kind", " %q: %ssupported kinds are: %s", s.Kind, kindHint(s.Kind), kindNames())
	} else {
		for _, other := range s.strays {
			bad(fmt.Sprintf("%s.%s", at, other), ": kind %s takes %s section, not %s", s.Kind, withArticle(sk.Section), other)
		}
		known := d
		if derr != nil {
			known = ""
		}
		errs = append(errs, s.Spec.Validate(at+"."+sk.Section, known)...)
		if m, ok := s.Mapping(); ok {
			errs = append(errs, validateMapping(at+"."+sk.Section, d, m)...)
		}
	}
	if derr == nil {
		errs = append(errs, s.Transform.validate(at+".transform", d)...)
	}
	errs = append(errs, s.validateGuards(at, d, derr == nil)...)
	return errs
}

// withArticle puts "a" or "an" before a section's name as it is said:
// "an http section", "a file section".
func withArticle(section string) string {
	if strings.ContainsRune("aeiouh", rune(section[0])) {
		return "an " + section
	}
	return "a " + section
}

// validateGuards checks the reject and delisting guards. Only a source
// that hands over everything it lists can say what disappeared: one read
// incrementally or by time window sees changes, never deletions.
func (s SourceConfig) validateGuards(at string, d Dataset, known bool) []error {
	var errs []error
	bad := func(path, format string, args ...any) { errs = append(errs, ErrorAt(path, format, args...)) }
	for _, g := range []struct {
		key string
		v   *float64
	}{{"max_reject_share", s.MaxRejectShare}, {"max_delist_share", s.MaxDelistShare}} {
		if g.v != nil && !(*g.v >= 0 && *g.v <= 1) {
			bad(fmt.Sprintf("%s.%s", at, g.key), " %v: want a share between 0 and 1 (0.05 is 5%%)", *g.v)
		}
	}
	if s.MaxDelistShare != nil && !s.DelistMissing {
		bad(at+".max_delist_share", ": only a source with delist_missing: true delists")
	}
	if !s.DelistMissing {
		return errs
	}
	if known && d != Listings {
		bad(at+".delist_missing", ": only listings sources can delist (this one feeds %s)", d)
	}
	if p, ok := s.Spec.(PartialSpec); ok {
		for _, why := range p.PartialReads() {
			bad(at+".delist_missing", ": %s; drop one of the two", why)
		}
	}
	return errs
}

func validateMapping(at string, d Dataset, m Mapping) []error {
	fields := d.RawFields()
	ok := fields != nil
	if !ok {
		return nil // the dataset error says it already
	}
	var errs []error
	for _, sec := range []struct {
		name string
		m    map[string]string
	}{{"fields", m.Fields}, {"patterns", m.Patterns}, {"defaults", m.Defaults}, {"constants", m.Constants}} {
		for k, v := range sec.m {
			if sk, ok := strings.CutPrefix(k, SellerColumnPrefix); ok && sec.name != "fields" {
				// patterns: {sellers.country: ...}: a rule for the seller
				// the record names (sellers:), not for the listing.
				switch {
				case d != Listings || len(m.Sellers) == 0:
					errs = append(errs, ErrorAt(fmt.Sprintf("%s.%s.%s", at, sec.name, k), ": only a listings source with sellers: has sellers fields"))
				case !oneOf(rawFields[Sellers], sk):
					errs = append(errs, ErrorAt(fmt.Sprintf("%s.%s.%s", at, sec.name, k), ": sellers has no field %q: its fields are %s", sk, strings.Join(rawFields[Sellers], ", ")))
				}
			} else if !oneOf(fields, k) {
				errs = append(errs, ErrorAt(fmt.Sprintf("%s.%s.%s", at, sec.name, k), ": %s has no field %q: its fields are %s", d, k, strings.Join(fields, ", ")))
			}
			if sec.name == "patterns" {
				if _, err := regexp.Compile(v); err != nil {
					errs = append(errs, ErrorAt(fmt.Sprintf("%s.patterns.%s", at, k), ": %v", err))
				}
			}
		}
	}
	if _, mapsIt := m.Fields["attributes"]; mapsIt && len(m.Keep) > 0 {
		errs = append(errs, ErrorAt(at+".keep", ": fields.attributes already says where attributes come from; use one of the two"))
	}
	errs = append(errs, validateKeep(at, d, m.Keep)...)
	return append(errs, validateSellers(at, d, m)...)
}

// validateSellers checks sellers: listings only, sellers fields only, and
// where the seller's id and country come from: the record (sellers:), or
// for the country a constant or default the config states
// (constants: {sellers.country: PK}).
func validateSellers(at string, d Dataset, m Mapping) []error {
	sellers := m.Sellers
	if len(sellers) == 0 {
		return nil
	}
	if d != Listings {
		return []error{ErrorAt(at+".sellers", ": only a listings source can also yield sellers; this one feeds %s", d)}
	}
	var errs []error
	fields := rawFields[Sellers]
	for _, k := range slices.Sorted(maps.Keys(sellers)) {
		switch {
		case !oneOf(fields, k):
			errs = append(errs, ErrorAt(fmt.Sprintf("%s.sellers.%s", at, k), ": sellers has no field %q: its fields are %s", k, strings.Join(fields, ", ")))
		case strings.TrimSpace(sellers[k]) == "":
			errs = append(errs, ErrorAt(fmt.Sprintf("%s.sellers.%s", at, k), ": say where the value is (a path, a column or a template)"))
		}
	}
	for _, need := range []string{"seller_id", "country"} {
		_, named := sellers[need]
		_, constant := m.Constants[SellerColumnPrefix+need]
		_, def := m.Defaults[SellerColumnPrefix+need]
		if !named && !constant && !def {
			errs = append(errs, ErrorAt(at+".sellers", ": name where the seller's %s is (sellers: {%s: ...}): core.sellers needs it, and the pipeline does not guess it", need, need))
		}
	}
	return errs
}

// validateKeep checks keep: listings only (the one dataset with an
// attributes column), names that are not blank, and "*" on its own.
func validateKeep(at string, d Dataset, keep []string) []error {
	if len(keep) == 0 {
		return nil
	}
	if d != Listings {
		return []error{ErrorAt(at+".keep", ": only listings sources keep extra fields (in core.listings.attributes); this one feeds %s", d)}
	}
	var errs []error
	for i, k := range keep {
		switch {
		case strings.TrimSpace(k) == "":
			errs = append(errs, ErrorAt(fmt.Sprintf("%s.keep[%d]", at, i), ": a blank field name"))
		case k == KeepAll && len(keep) > 1:
			errs = append(errs, ErrorAt(at+".keep", ": %q keeps every unmapped field; list names or %q, not both", KeepAll, KeepAll))
		}
	}
	return errs
}

// KeepAll in keep: stores every field of a record that no mapping reads.
const KeepAll = "*"

// ParseWindowTime reads a window bound: a date (2025-01-01, UTC midnight)
// or an RFC 3339 timestamp.
func ParseWindowTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: want a date (2025-01-01) or an RFC 3339 time", s)
	}
	return t.UTC(), nil
}

func oneOf(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
