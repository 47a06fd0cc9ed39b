package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// One log line per event, and one way to give a duration: seconds as a
// number, in a key named for the unit. Before, a merge was logged as
// "merged dataset" and "dataset merged", a publish as "published snapshot
// and exports" and "snapshot published", and durations came as 973000000
// in one line and "11.452s" in another.
func TestLogsSayEachThingOnce(t *testing.T) {
	dir := t.TempDir()
	_, stderr, code := cli(t, "run", "--data-dir", dir, "--demo-listings", "2000", "--log-format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	seen := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a JSON log line: %q", line)
		}
		// An event is its message and what it is about.
		event := fmt.Sprintf("%v %v%v", rec["msg"], orNil(rec["dataset"]), orEmpty(rec["migration"]))
		seen[event]++
		for k, v := range rec {
			if strings.Contains(k, "duration") || strings.Contains(k, "took") || strings.Contains(k, "elapsed") || strings.Contains(k, "bound") {
				if _, isNumber := v.(float64); !isNumber || !strings.HasSuffix(k, "_seconds") {
					t.Errorf("%s: %s = %#v; durations are seconds as a number, keyed *_seconds", rec["msg"], k, v)
				}
			}
		}
	}
	for event, n := range seen {
		if n > 1 {
			t.Errorf("logged %d times: %s", n, event)
		}
	}
	for _, twice := range [][2]string{{"merged dataset listings", "dataset merged listings"}, {"published snapshot and exports -", "snapshot published -"}} {
		if seen[twice[0]] > 0 && seen[twice[1]] > 0 {
			t.Errorf("both %q and %q are logged", twice[0], twice[1])
		}
	}
	for _, want := range []string{"run started -", "dataset staged listings", "dataset merged listings", "published snapshot and exports -", "run finished -"} {
		if seen[want] != 1 {
			t.Errorf("%q logged %d times, want once", want, seen[want])
		}
	}
}

func orNil(v any) any {
	if v == nil {
		return "-"
	}
	return v
}

func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}
