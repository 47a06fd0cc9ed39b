package demo

import "strconv"

// moq is a canonical minimum order: n of kind.
type moq struct {
	kind moqKind
	n    int
}

// moqSizes are the round quantities suppliers ask for, per kind.
var moqSizes = map[moqKind][]int{
	moqPieces: {1, 2, 10, 20, 50, 100, 200, 300, 500, 1000, 2000},
	moqSets:   {1, 2, 5, 10, 20, 50, 100, 200},
	moqPairs:  {12, 24, 50, 100, 200, 500},
	moqTon:    {1},
	moqKg:     {50, 100, 500, 1000, 5000},
	moqMeters: {100, 500, 1000, 3000, 5000},
	moqDozens: {5, 10, 20, 50, 100},
}

func drawMOQ(r *rng, p product) moq {
	k := p.moq[r.IntN(len(p.moq))]
	sizes := moqSizes[k]
	return moq{kind: k, n: sizes[r.IntN(len(sizes))]}
}

// renderMOQ writes a minimum order in the contract's forms only: a single
// piece is "1 Piece", a single set "1.0 Sets", a ton is only ever "1 Ton".
func renderMOQ(r *rng, m moq) string {
	n := strconv.Itoa(m.n)
	switch m.kind {
	case moqPieces:
		if m.n == 1 {
			return "1 Piece"
		}
		if r.chance(0.25) {
			return n + " Pieces (MOQ)"
		}
		return n + " Pieces"
	case moqSets:
		if m.n == 1 || r.chance(0.5) {
			return n + ".0 Sets"
		}
		return n + " Sets"
	case moqPairs:
		return n + " Pairs"
	case moqTon:
		return "1 Ton"
	case moqKg:
		return n + " Kilograms"
	case moqMeters:
		return n + " Meters"
	}
	return n + " Dozens"
}
