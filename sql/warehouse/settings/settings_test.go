package settings

import (
	"strings"
	"testing"
)

// DuckDB reads a number and a unit; anything else, and a negative thread
// count, is refused before a run opens the warehouse, naming the key.
func TestValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   DuckDB
		want string // "" for none
	}{
		{DuckDB{}, ""},
		{DuckDB{MemoryLimit: "512MB", Threads: 2}, ""},
		{DuckDB{MemoryLimit: "1.5 GiB"}, ""},
		{DuckDB{MemoryLimit: "lots"}, `warehouse.memory_limit "lots": want an amount of memory`},
		{DuckDB{MemoryLimit: "512"}, `warehouse.memory_limit "512"`},
		{DuckDB{Threads: -1}, "warehouse.threads must not be negative"},
	} {
		errs := tc.in.Validate("warehouse")
		switch {
		case tc.want == "" && len(errs) > 0:
			t.Errorf("%+v: unexpected %v", tc.in, errs)
		case tc.want != "" && (len(errs) != 1 || !strings.Contains(errs[0].Error(), tc.want)):
			t.Errorf("%+v: got %v, want one error containing %q", tc.in, errs, tc.want)
		}
	}
}

// Each problem names its key as data, so the config can place it in the
// file without reading the message.
func TestProblemsNameTheirKey(t *testing.T) {
	t.Parallel()
	zero, big := 0, 0.5
	errs := append(DuckDB{MemoryLimit: "lots", Threads: -2}.Validate("warehouse"),
		Checks{Prices: PriceChecks{OutlierRatio: &big, MinListings: &zero}}.Validate("checks")...)
	want := []string{"warehouse.memory_limit", "warehouse.threads", "checks.prices.outlier_ratio", "checks.prices.min_listings"}
	if len(errs) != len(want) {
		t.Fatalf("%d problems (%v), want %d", len(errs), errs, len(want))
	}
	for i, err := range errs {
		p, ok := err.(*Problem)
		if !ok || p.KeyPath() != want[i] || !strings.HasPrefix(p.Error(), want[i]) {
			t.Errorf("problem %d = %#v, want one about %s whose message starts with it", i, err, want[i])
		}
	}
}
