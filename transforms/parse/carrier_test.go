package parse

import (
	"errors"
	"slices"
	"testing"

	"github.com/exportpipe/exportpipe/pipeline"
)

func TestCarrier(t *testing.T) {
	t.Parallel()
	tests := map[string][]string{
		"PNSC":        {"PNSC", "Pakistan National Shipping Corporation", "P.N.S.C.", "pnsc"},
		"Maersk":      {"Maersk", "MAERSK LINE", "Maersk A/S", "MAEU"},
		"MSC":         {"MSC", "Mediterranean Shipping Company"},
		"CMA CGM":     {"CMA CGM", "CMA-CGM", "cma cgm"},
		"COSCO":       {"COSCO", "COSCO Shipping", "Cosco Shipping Lines"},
		"Hapag-Lloyd": {"Hapag-Lloyd", "Hapag Lloyd", "HAPAG-LLOYD AG"},
		"ONE":         {"ONE", "Ocean Network Express"},
		"Evergreen":   {"Evergreen", "Evergreen Line", " EVERGREEN "},
		// Lines the first list lacked, as Routescanner and carriers calling
		// at Karachi and Port Qasim write them.
		"OOCL":                   {"OOCL", "Orient Overseas Container Line", "OOLU"},
		"Yang Ming":              {"YML", "Yang Ming", "YANG MING MARINE TRANSPORT", "YMLU"},
		"HMM":                    {"HMM", "Hyundai Merchant Marine", "HDMU"},
		"Seatrade":               {"Seatrade"},
		"Geest Line":             {"Geest Line", "GEEST"},
		"ZIM":                    {"ZIM", "Zim Integrated Shipping Services"},
		"Wan Hai":                {"Wan Hai Lines", "WHLC"},
		"PIL":                    {"PIL", "Pacific International Lines"},
		"X-Press Feeders":        {"X-Press Feeders", "Xpress Feeders"},
		"Emirates Shipping Line": {"Emirates Shipping Line", "ESL"},
	}
	for want, ins := range tests {
		for _, in := range ins {
			t.Run(in, func(t *testing.T) {
				t.Parallel()
				if got, err := Carrier(in); err != nil || got != want {
					t.Errorf("Carrier(%q) = %q, %v; want %q", in, got, err, want)
				}
			})
		}
	}
	for _, in := range []string{"Black Pearl Line", "", "Maersk Sealand Oceanic"} {
		t.Run("bad "+in, func(t *testing.T) {
			t.Parallel()
			if _, err := Carrier(in); !errors.Is(err, ErrUnknownCarrier) && !errors.Is(err, ErrEmpty) {
				t.Errorf("Carrier(%q) error = %v, want ErrUnknownCarrier", in, err)
			}
		})
	}
}

// No spelling of one built-in carrier is a spelling of another: the table
// would otherwise decide by the order it was built in.
func TestCarrierSpellingsAreUnambiguous(t *testing.T) {
	t.Parallel()
	owner := map[string]string{}
	for _, c := range pipeline.BuiltinCarriers() {
		for _, s := range append(append([]string{c.Name}, c.SCAC...), c.Aliases...) {
			k := compact(s)
			if o, ok := owner[k]; ok && o != c.Name {
				t.Errorf("%q is a spelling of both %s and %s", s, o, c.Name)
			}
			owner[k] = c.Name
		}
	}
}

// TestCarrierAliasesCanonical: every built-in spelling leads to a name in
// pipeline.Carriers, and canonical names map to themselves.
func TestCarrierAliasesCanonical(t *testing.T) {
	t.Parallel()
	for _, c := range pipeline.BuiltinCarriers() {
		for _, s := range append(append([]string{c.Name}, c.SCAC...), c.Aliases...) {
			if got, err := Carrier(s); err != nil || !slices.Contains(pipeline.Carriers(), got) || got != c.Name {
				t.Errorf("Carrier(%q) = %q, %v; want %s, in pipeline.Carriers", s, got, err, c.Name)
			}
		}
	}
}

// A config's carriers are found through the run's set and only there.
func TestCarrierIn(t *testing.T) {
	t.Parallel()
	set, err := pipeline.NewCarrierSet([]pipeline.CarrierInfo{
		{Name: "Black Pearl Line", SCAC: []string{"BPLU"}, Aliases: []string{"Black Pearl"}},
		{Name: "MAERSK", Aliases: []string{"Maersk Sealand Oceanic"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{"BLACK-PEARL LINE": "Black Pearl Line", "bplu": "Black Pearl Line",
		"Black Pearl": "Black Pearl Line", "Maersk Sealand Oceanic": "Maersk", "MAEU": "Maersk", "P.N.S.C.": "PNSC"} {
		if got, err := CarrierIn(set, in); err != nil || got != want {
			t.Errorf("CarrierIn(%q) = %q, %v; want %s", in, got, err, want)
		}
	}
	if _, err := Carrier("Black Pearl Line"); !errors.Is(err, ErrUnknownCarrier) {
		t.Errorf("Carrier without the config's set found Black Pearl Line: %v", err)
	}
	if _, err := CarrierIn(set, " "); !errors.Is(err, ErrEmpty) {
		t.Errorf("blank carrier: error %v, want ErrEmpty", err)
	}
}

func FuzzCarrier(f *testing.F) {
	f.Add("P.N.S.C.")
	f.Add("CMA-CGM")
	f.Fuzz(func(t *testing.T, s string) {
		if c, err := Carrier(s); err == nil && !slices.Contains(pipeline.Carriers(), c) {
			t.Fatalf("Carrier(%q) = %q: not canonical", s, c)
		}
	})
}
