package demo

import (
	"cmp"
	"slices"
)

// entry is one record as served: which base record, and which version of
// it. Serving the same entry twice yields byte-identical JSON, which is how
// exact duplicates arise.
type entry struct {
	base uint32
	ver  uint8
}

// plan says what the stream does with one base record.
type plan struct {
	invalid  bool  // served once, to be rejected
	versions uint8 // >= 1; versions after the first are newer versions
	dups     uint8 // exact repeats of one of its versions
}

const maxVersions = 4

// layout is the order a dataset is served in, plus what a correct
// pipeline must conclude from it.
type layout struct {
	entries []entry
	truth   DatasetTruth
}

// extra is a newer version or a repeat, waiting to be slotted in before
// base record at.
type extra struct {
	at, base uint32
	ver      uint8
	dup      bool
}

// buildLayout serves base records 0..n-1 in order and slots every newer
// version and repeat in at a random later point, so they turn up on any
// later page the way changed records do in a real API.
func buildLayout(n int, seed int64, tag uint64, planOf func(i int) plan) layout {
	r := newRNG()
	var extras []extra
	var t DatasetTruth
	for i := range n {
		p := planOf(i)
		if p.invalid {
			t.Invalid++
			continue
		}
		t.Valid++
		if p.versions > 1 || p.dups > 0 {
			extras = placeExtras(r.reset(seed, tag, uint64(i)), extras, i, n, p)
		}
	}
	slices.SortFunc(extras, func(a, b extra) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.base, b.base),
			cmp.Compare(a.ver, b.ver), cmpBool(a.dup, b.dup))
	})
	entries := make([]entry, 0, n+len(extras))
	j := 0
	for at := 0; at <= n; at++ {
		for ; j < len(extras) && int(extras[j].at) == at; j++ {
			entries = append(entries, entry{base: extras[j].base, ver: extras[j].ver})
		}
		if at < n {
			entries = append(entries, entry{base: uint32(at)})
		}
	}
	t.Duplicates = int64(len(extras))
	t.Extracted = int64(len(entries))
	return layout{entries: entries, truth: t}
}

// placeExtras picks where each later version and repeat of base i goes.
// Version v lands no earlier than version v-1, so versions arrive in order.
func placeExtras(r *rng, out []extra, i, n int, p plan) []extra {
	versions := min(int(p.versions), maxVersions)
	var verAt [maxVersions]int
	verAt[0] = i
	for v := 1; v < versions; v++ {
		lo := verAt[v-1]
		if v == 1 {
			lo = i + 1
		}
		verAt[v] = lo + r.IntN(n-lo+1)
		out = append(out, extra{at: uint32(verAt[v]), base: uint32(i), ver: uint8(v)})
	}
	for range p.dups {
		v := r.IntN(versions)
		lo := max(verAt[v], i+1)
		at := lo + r.IntN(n-lo+1)
		out = append(out, extra{at: uint32(at), base: uint32(i), ver: uint8(v), dup: true})
	}
	return out
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
