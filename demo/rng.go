package demo

import (
	"math"
	"math/rand/v2"
)

// Stream tags keep the random draws for different purposes apart. A record's
// category and its title come from different streams, so changing how titles
// are drawn never moves the ground truth.
const (
	tagSellerCore uint64 = iota + 1
	tagSellerVersion
	tagSellerRender
	tagSellerPlace
	tagListingCore
	tagListingDetail
	tagListingVersion
	tagListingRender
	tagListingPlace
	tagSailingCore
	tagSailingRender
	tagSailingPlace
	tagFleet
	tagFreightCore
	tagFreightVersion
	tagFreightRender
	tagFreightPlace
	tagFX
	tagSailingRetime // appended: earlier tags keep their values, and so their draws
)

// rng is a PCG generator that is re-seeded per record. Computing record i
// from (seed, i) alone is what lets pages be rendered on demand, in any
// order, without holding the dataset.
type rng struct {
	src rand.PCG
	*rand.Rand
}

func newRNG() *rng {
	r := &rng{}
	r.Rand = rand.New(&r.src)
	return r
}

// reset points r at the stream for (seed, tag, i). The splitmix finaliser
// spreads neighbouring indexes apart so record i and i+1 look unrelated.
func (r *rng) reset(seed int64, tag, i uint64) *rng {
	r.src.Seed(mix(uint64(seed)^mix(tag)), mix(i^tag<<52))
	return r
}

// verKey packs a record index and a version into one stream index.
func verKey(base int, ver int) uint64 { return uint64(base)<<8 | uint64(ver) }

func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

func (r *rng) chance(p float64) bool { return r.Float64() < p }

// between is uniform in [lo, hi).
func (r *rng) between(lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// logBetween is log-uniform in [lo, hi): prices spread over orders of
// magnitude, with cheap goods more common than dear ones.
func (r *rng) logBetween(lo, hi float64) float64 {
	return math.Exp(r.between(math.Log(lo), math.Log(hi)))
}

// intBetween is uniform in [lo, hi].
func (r *rng) intBetween(lo, hi int) int { return lo + r.IntN(hi-lo+1) }

func (r *rng) pick(ss []string) string { return ss[r.IntN(len(ss))] }

// variant returns the first spelling half the time and any spelling
// otherwise, the way most sources favour one form but not always.
func (r *rng) variant(vs []string) string {
	if len(vs) == 1 || r.chance(0.5) {
		return vs[0]
	}
	return vs[r.IntN(len(vs))]
}

// weighted draws an index with probability proportional to its weight.
type weighted struct{ cum []int }

func newWeighted(w ...int) weighted {
	cum := make([]int, len(w))
	total := 0
	for i, x := range w {
		total += x
		cum[i] = total
	}
	if total <= 0 {
		panic("demo: weights sum to zero")
	}
	return weighted{cum: cum}
}

func (w weighted) draw(r *rng) int {
	x := r.IntN(w.cum[len(w.cum)-1])
	for i, c := range w.cum {
		if x < c {
			return i
		}
	}
	return len(w.cum) - 1
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
