package parse

import (
	"errors"
	"testing"
)

func TestEquipment(t *testing.T) {
	t.Parallel()
	tests := map[string][]string{
		"20GP": {"20GP", "20'", "20 ft", "20DV", "22G1", "20' GP", "20gp"},
		"40GP": {"40GP", "40'", "40 ft", "40DC", "42G1"},
		"40HC": {"40HC", "40' HC", "40HQ", "40ft High Cube", "45G1", "40' hc"},
	}
	for want, ins := range tests {
		for _, in := range ins {
			t.Run(in, func(t *testing.T) {
				t.Parallel()
				if got, err := Equipment(in); err != nil || got != want {
					t.Errorf("Equipment(%q) = %q, %v; want %q", in, got, err, want)
				}
			})
		}
	}
	for _, in := range []string{"45HC", "", "reefer", "40RF"} {
		t.Run("bad "+in, func(t *testing.T) {
			t.Parallel()
			if _, err := Equipment(in); !errors.Is(err, ErrUnknownEquipment) && !errors.Is(err, ErrEmpty) {
				t.Errorf("Equipment(%q) error = %v, want ErrUnknownEquipment", in, err)
			}
		})
	}
}

func FuzzEquipment(f *testing.F) {
	f.Add("40' HC")
	f.Add("20'")
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Equipment(s)
		if err == nil && e != "20GP" && e != "40GP" && e != "40HC" {
			t.Fatalf("Equipment(%q) = %q", s, e)
		}
	})
}
