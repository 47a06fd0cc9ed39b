package pipeline

import (
	"strings"
	"testing"
)

func TestRejectBreaches(t *testing.T) {
	policies := map[string]SourcePolicy{"strict": {MaxRejectShare: 0.01}}
	policy := func(s string) SourcePolicy {
		if p, ok := policies[s]; ok {
			return p
		}
		return DefaultPolicy()
	}
	tallies := map[string]*SourceTally{
		// every record rejected: a breach whatever the share allowed
		"dead": {Dataset: Listings, Extracted: 3, Rejected: 3, Codes: map[RejectCode]int64{"no_fx_rate": 2, "missing": 1}},
		// half rejected: at the default limit, not over it
		"half": {Dataset: Listings, Extracted: 10, Rejected: 5, Codes: map[RejectCode]int64{"missing": 5}},
		// over its own limit
		"strict": {Dataset: Sellers, Extracted: 100, Rejected: 2, Codes: map[RejectCode]int64{"bad_country": 2}},
		// nothing extracted: incremental sources have quiet nights
		"quiet": {Dataset: Listings},
	}
	got := rejectBreaches(tallies, policy)
	want := []string{
		"source dead (listings) loaded 0 of 3 records, all rejected (no_fx_rate 2, missing 1)",
		"source strict (sellers) rejected 2 of 100 records (2.0%, over max_reject_share 0.01: bad_country 2)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("breaches =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDelistBreaches(t *testing.T) {
	res := MergeResult{Delists: map[string]DelistCount{
		"empty":     {Current: 10, Delisted: 10},
		"truncated": {Current: 10, Delisted: 6},
		"churn":     {Current: 10, Delisted: 2},
		"new":       {Current: 0, Delisted: 0},
	}}
	tallies := map[string]*SourceTally{
		"truncated": {Extracted: 4}, "churn": {Extracted: 8},
	}
	got := delistBreaches(res, tallies, func(string) SourcePolicy { return DefaultPolicy() })
	want := []string{
		"source empty returned no records, so it would delist all 10 of its current listings",
		"source truncated would delist 6 of its 10 current listings (60.0%, over max_delist_share 0.5): a truncated catalogue?",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("breaches =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
