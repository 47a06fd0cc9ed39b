package pipeline

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Defaults of the per-source guards (sources[].max_reject_share and
// sources[].max_delist_share). Half is a line no good night crosses: real
// scrapes lose a few percent to blanks and odd prices, while a parser or
// mapping that stopped matching loses nearly everything.
const (
	DefaultMaxRejectShare = 0.5
	DefaultMaxDelistShare = 0.5
)

// SourcePolicy is what a run holds one source to.
type SourcePolicy struct {
	// MaxRejectShare is the share of the source's records that may be
	// rejected before the run fails like an error-level data test.
	MaxRejectShare float64
	// DelistMissing says the source returns its whole catalogue each run,
	// so a listing it no longer returns is delisted.
	DelistMissing bool
	// MaxDelistShare is the share of the source's current listings one
	// run may delist; more looks like a truncated catalogue, not a market.
	MaxDelistShare float64
}

// DefaultPolicy is the policy of a source the config says nothing about.
func DefaultPolicy() SourcePolicy {
	return SourcePolicy{MaxRejectShare: DefaultMaxRejectShare, MaxDelistShare: DefaultMaxDelistShare}
}

// SourceTally is one source's records in a run, with its reject reasons
// by code, for the reject guard and its message.
type SourceTally struct {
	// Source is the source's name; a tally's key in a run's map may say
	// more (a listings source's sellers have a tally of their own).
	Source    string
	Dataset   Dataset
	Extracted int64
	Rejected  int64
	Codes     map[RejectCode]int64
}

// countRejects adds the reject codes of one reject batch to the tally.
func (t *SourceTally) countRejects(rej arrow.RecordBatch) {
	if t.Codes == nil {
		t.Codes = map[RejectCode]int64{}
	}
	for _, c := range RejectCodes(rej) {
		t.Codes[c]++
	}
}

// topCodes renders the n most frequent codes as "no_fx_rate 120, missing 4".
func (t SourceTally) topCodes(n int) string {
	codes := slices.SortedFunc(maps.Keys(t.Codes), func(a, b RejectCode) int {
		return cmp.Or(cmp.Compare(t.Codes[b], t.Codes[a]), cmp.Compare(a, b))
	})
	if len(codes) > n {
		codes = codes[:n]
	}
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = fmt.Sprintf("%s %d", c, t.Codes[c])
	}
	return strings.Join(parts, ", ")
}

// rejectBreaches names every source whose rejects pass its threshold, and
// every source that extracted records and loaded none: a night that loads
// nothing from a source is not a good night, whatever the threshold says.
func rejectBreaches(tallies map[string]*SourceTally, policy func(string) SourcePolicy) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(tallies)) {
		t := tallies[name]
		if t.Extracted == 0 {
			continue
		}
		share := float64(t.Rejected) / float64(t.Extracted)
		limit := policy(cmp.Or(t.Source, name)).MaxRejectShare
		name := cmp.Or(t.Source, name)
		switch {
		case t.Rejected == t.Extracted:
			out = append(out, fmt.Sprintf("source %s (%s) loaded 0 of %d records, all rejected (%s)",
				name, t.Dataset, t.Extracted, t.topCodes(3)))
		case share > limit:
			out = append(out, fmt.Sprintf("source %s (%s) rejected %d of %d records (%.1f%%, over max_reject_share %g: %s)",
				name, t.Dataset, t.Rejected, t.Extracted, 100*share, limit, t.topCodes(3)))
		}
	}
	return out
}

// delistBreaches names every complete source that would delist more of its
// current listings than it may in one run, or that returned nothing at
// all, which no whole catalogue does.
func delistBreaches(res MergeResult, tallies map[string]*SourceTally, policy func(string) SourcePolicy) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(res.Delists)) {
		d := res.Delists[name]
		if d.Current == 0 || d.Delisted == 0 {
			continue
		}
		if t := tallies[name]; t == nil || t.Extracted == 0 {
			out = append(out, fmt.Sprintf("source %s returned no records, so it would delist all %d of its current listings", name, d.Current))
			continue
		}
		share := float64(d.Delisted) / float64(d.Current)
		if limit := policy(name).MaxDelistShare; share > limit {
			out = append(out, fmt.Sprintf("source %s would delist %d of its %d current listings (%.1f%%, over max_delist_share %g): a truncated catalogue?",
				name, d.Delisted, d.Current, 100*share, limit))
		}
	}
	return out
}
