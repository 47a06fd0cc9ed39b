package parse

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// Cells quoted from the carrier schedule PROVENANCE notes.
const (
	maerskVessels = `[['FORT DESAIX', '-', '-', '-', '-', '-'], ['MAERSK BRATAN', '9394894', 'CLX', 'SG', '9V8044', '2009']]`
	mscCutOffs    = `{'ContainerYardCutOffDate': 'Mon 31st Oct 2022 15:00', 'ReeferCutOffDate': '', 'DangerousCargoCutOffDate': 'Fri 28th Oct 2022 00:00'}`
	mscLegs       = `[{'LegSequence': 1, 'SingleLegOnly': False, 'LastLeg': True, 'DeparturePortUNCode': 'CLARI', 'DeparturePortId': 456, 'Co2': None, 'lat': -18.475591981372105}]`
)

func TestParseRepr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want any
	}{
		{`['a', "b", 1, -2.5, True, None]`, []any{"a", "b", int64(1), -2.5, true, nil}},
		{`(1, 2,)`, []any{int64(1), int64(2)}},
		{`{'k': {'n': [1]}, 2: 'x'}`, map[string]any{"k": map[string]any{"n": []any{int64(1)}}, "2": "x"}},
		{`'it\'s \u00e9\n'`, "it's é\n"},
		{`[]`, []any{}},
		{`[15, 15]`, []any{int64(15), int64(15)}}, // Routescanner transferCo2EmissionsInKg
	}
	for _, tc := range tests {
		got, err := ParseRepr(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseRepr(%q) = %#v, %v; want %#v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{`[1, 2`, `{'a' 1}`, `__import__('os')`, `'open`, `[1] x`, `1e999`, strings.Repeat("[", 100)} {
		if _, err := ParseRepr(bad); !errors.Is(err, ErrBadRepr) {
			t.Errorf("ParseRepr(%q) error = %v, want ErrBadRepr", bad, err)
		}
	}
}

func TestSelectRepr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cell, path, want string
		ok               bool
	}{
		{maerskVessels, "-1.1", "9394894", true},
		{maerskVessels, "-1.0", "MAERSK BRATAN", true},
		{maerskVessels, "0.1", "", false}, // '-' placeholder
		{maerskVessels, "5.1", "", false},
		{mscCutOffs, "ContainerYardCutOffDate", "Mon 31st Oct 2022 15:00", true},
		{mscCutOffs, "ReeferCutOffDate", "", false},
		{mscLegs, "0.DeparturePortUNCode", "CLARI", true},
		{mscLegs, "0.DeparturePortId", "456", true},
		{mscLegs, "0.Co2", "", false},
	}
	for _, tc := range tests {
		got, ok, err := SelectRepr(tc.cell, tc.path)
		if err != nil || got != tc.want || ok != tc.ok {
			t.Errorf("SelectRepr(%.30q, %q) = %q, %v, %v; want %q, %v", tc.cell, tc.path, got, ok, err, tc.want, tc.ok)
		}
	}
	if _, _, err := SelectRepr(maerskVessels, "0"); !errors.Is(err, ErrBadRepr) {
		t.Errorf("SelectRepr to a list: error = %v, want ErrBadRepr", err)
	}
}

func FuzzParseRepr(f *testing.F) {
	for _, s := range []string{maerskVessels, mscCutOffs, mscLegs, `'a\x41\u00e9'`, `(1,)`, `{1: None}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseRepr(s)
		if err != nil {
			if !errors.Is(err, ErrBadRepr) {
				t.Fatalf("ParseRepr(%q) error %v does not wrap ErrBadRepr", s, err)
			}
			return
		}
		_, _, _ = SelectRepr(s, "0.1")
		_ = v
	})
}

// FuzzSelectRepr: a selected value is a real scalar (never blank, never a
// placeholder such as '-' or None), a miss returns nothing, errors are
// ErrBadRepr, and a one-step index into a list of strings agrees with
// ParseRepr.
func FuzzSelectRepr(f *testing.F) {
	for _, c := range []struct{ cell, path string }{
		{maerskVessels, "-1.1"}, {maerskVessels, "0.1"}, {mscCutOffs, "ContainerYardCutOffDate"}, {mscLegs, "0.Co2"},
		{mscLegs, "0.DeparturePortId"}, {`['a', '-', None]`, "-3"}, {`{'k': [1, 2.5]}`, "k.1"}, {`'x'`, ""},
	} {
		f.Add(c.cell, c.path)
	}
	f.Fuzz(func(t *testing.T, cell, path string) {
		got, ok, err := SelectRepr(cell, path)
		switch {
		case err != nil:
			if ok || got != "" || !errors.Is(err, ErrBadRepr) {
				t.Fatalf("SelectRepr(%q, %q) = %q, %v, %v: want ErrBadRepr and nothing", cell, path, got, ok, err)
			}
			return
		case !ok:
			if got != "" {
				t.Fatalf("SelectRepr(%q, %q) = %q but ok is false", cell, path, got)
			}
			return
		}
		if strings.TrimSpace(got) == "" || placeholders[strings.TrimSpace(got)] {
			t.Fatalf("SelectRepr(%q, %q) = %q: a placeholder passed as a value", cell, path, got)
		}
		v, err := ParseRepr(cell)
		if err != nil {
			t.Fatalf("SelectRepr(%q) selected %q from a cell ParseRepr rejects: %v", cell, got, err)
		}
		if list, isList := v.([]any); isList {
			if i, err := strconv.Atoi(path); err == nil && i >= 0 && i < len(list) {
				if s, isStr := list[i].(string); isStr && s != got {
					t.Fatalf("SelectRepr(%q, %q) = %q, ParseRepr has %q", cell, path, got, s)
				}
			}
		}
	})
}
