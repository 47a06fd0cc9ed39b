package pipeline

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/exportpipe/exportpipe/internal/namekey"
)

// CarrierKey is how a carrier's spellings are matched: case, accents,
// spaces and punctuation are folded away, so "P.N.S.C.", "pnsc" and "PNSC"
// are one key, as are "Hapag Lloyd" and "HAPAG-LLOYD".
func CarrierKey(s string) string { return namekey.Compact(s) }

// Unknown-carrier policies (normalise.unknown_carrier).
const (
	// UnknownCarrierReject rejects a sailing or freight rate whose carrier
	// is none of the known ones, with reason unknown_carrier (the default).
	UnknownCarrierReject = "reject"
	// UnknownCarrierKeep stores it under the name as the source wrote it,
	// cleaned, and logs each such name once per source.
	UnknownCarrierKeep = "keep"
)

// UnknownCarrierPolicies are the accepted values of
// NormaliseConfig.UnknownCarrier; "" means reject.
func UnknownCarrierPolicies() []string { return []string{UnknownCarrierReject, UnknownCarrierKeep} }

// CarrierSet maps every spelling of the carriers one run knows (the
// built-in ones and those its config adds) to their canonical names. It
// is built once and then only read. A nil set is the built-in carriers.
type CarrierSet struct {
	byKey map[string]string
}

var builtinCarriers = func() *CarrierSet {
	s, err := NewCarrierSet(nil)
	if err != nil {
		panic(err) // a test keeps the built-in spellings unambiguous
	}
	return s
}()

// BuiltinCarrierSet is the set of BuiltinCarriers.
func BuiltinCarrierSet() *CarrierSet { return builtinCarriers }

// NewCarrierSet returns BuiltinCarriers plus extra. An extra carrier named
// as a known one (by CarrierKey) adds its codes and spellings to that one.
// A spelling that would name two carriers is an error: which one a record
// meant would depend on the order of the table.
func NewCarrierSet(extra []CarrierInfo) (*CarrierSet, error) {
	byKey, conflicts := buildCarriers(extra)
	if len(conflicts) > 0 {
		msgs := make([]string, len(conflicts))
		for i, c := range conflicts {
			msgs[i] = c.msg
		}
		return nil, fmt.Errorf("carriers: %s", strings.Join(msgs, "; "))
	}
	return &CarrierSet{byKey: byKey}, nil
}

// Lookup returns the canonical name of a carrier spelling.
func (s *CarrierSet) Lookup(spelling string) (string, bool) {
	if s == nil {
		s = builtinCarriers
	}
	name, ok := s.byKey[CarrierKey(spelling)]
	return name, ok
}

// carrierConflict is one spelling of one extra carrier that cannot be
// added; field and j say where (name, scac[j] or aliases[j]).
type carrierConflict struct {
	entry int // index in extra, -1 for a built-in carrier
	field string
	j     int
	msg   string
}

// buildCarriers indexes every spelling of the built-in carriers and of
// extra, reporting each that cannot be added.
func buildCarriers(extra []CarrierInfo) (map[string]string, []carrierConflict) {
	byKey := map[string]string{}
	var conflicts []carrierConflict
	add := func(entry int, field string, j int, spelling, canonical string) {
		k := CarrierKey(spelling)
		switch owner, taken := byKey[k]; {
		case k == "":
			conflicts = append(conflicts, carrierConflict{entry, field, j, fmt.Sprintf("%q has no letters or digits to match on", spelling)})
		case taken && owner != canonical:
			conflicts = append(conflicts, carrierConflict{entry, field, j, fmt.Sprintf("%q is already a spelling of %s", spelling, owner)})
		default:
			byKey[k] = canonical
		}
	}
	addAll := func(entry int, c CarrierInfo, canonical string) {
		for j, code := range c.SCAC {
			add(entry, "scac", j, code, canonical)
		}
		for j, alias := range c.Aliases {
			add(entry, "aliases", j, alias, canonical)
		}
	}
	for _, c := range builtinCarrierTable {
		add(-1, "name", 0, c.Name, c.Name)
		addAll(-1, c, c.Name)
	}
	for i, c := range extra {
		k := CarrierKey(c.Name)
		canonical := c.Name
		if owner, taken := byKey[k]; taken {
			if CarrierKey(owner) != k {
				// The name is another carrier's alias or code: adding
				// spellings "to ESL" would be ambiguous.
				conflicts = append(conflicts, carrierConflict{i, "name", 0, fmt.Sprintf(
					"%q is already a spelling of %s: to add spellings to that carrier, give its name, %s", c.Name, owner, owner)})
				continue
			}
			canonical = owner // extends a known carrier
		} else {
			add(i, "name", 0, c.Name, canonical)
		}
		addAll(i, c, canonical)
	}
	return byKey, conflicts
}

// scacCode is a Standard Carrier Alpha Code: two to four capital letters.
var scacCode = regexp.MustCompile(`^[A-Z]{2,4}$`)
