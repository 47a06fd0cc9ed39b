package pipeline

import (
	"slices"
	"testing"
	"time"
)

// Run ids sort in start order even when runs start within one second, so
// "the latest run" is max(run_id) in SQL and in a folder listing.
func TestRunIDsSortInStartOrder(t *testing.T) {
	start := time.Date(2026, 11, 28, 22, 55, 48, 0, time.UTC)
	var ids []string
	for _, d := range []time.Duration{0, time.Millisecond, 250 * time.Millisecond, 999 * time.Millisecond, time.Second, time.Hour} {
		for range 20 { // the random suffix must not decide the order
			ids = append(ids, NewRunID(start.Add(d)))
		}
	}
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	for i := 0; i < len(ids); i += 20 {
		// every id of one instant sorts before every id of the next
		group := ids[i : i+20]
		for _, id := range group {
			pos := slices.Index(sorted, id)
			if pos < i || pos >= i+20 {
				t.Fatalf("%s sorts at %d, outside its start instant's block %d-%d", id, pos, i, i+19)
			}
		}
	}
	if got, want := NewRunID(start.Add(5 * time.Millisecond))[:20], "20261128T225548.005Z"; got != want {
		t.Errorf("run id starts %q, want %q", got, want)
	}
}
