package parse

import (
	"errors"
	"math"
	"testing"
)

func TestParseMOQ(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want MOQ
		ok   bool
	}{
		{"500 Pieces", MOQ{500, "piece"}, true},
		{"1.0 Sets", MOQ{1, "set"}, true},
		{"2 Pieces (MOQ)", MOQ{2, "piece"}, true},
		{"1.0 Pieces (MOQ)", MOQ{1, "piece"}, true},
		{"100 Pairs", MOQ{100, "pair"}, true},
		{"1 Ton", MOQ{1000, "kg"}, true},
		{"2 Tons", MOQ{2000, "kg"}, true},
		{"1.5 Tonnes", MOQ{1500, "kg"}, true},
		{"50 Kilograms", MOQ{50, "kg"}, true},
		{"50 kg", MOQ{50, "kg"}, true},
		{"1000 Meters", MOQ{1000, "m"}, true},
		{"10 m", MOQ{10, "m"}, true},
		{"10 Dozens", MOQ{120, "piece"}, true},
		{"1 Dozen", MOQ{12, "piece"}, true},
		{"1 Piece", MOQ{1, "piece"}, true},
		{"200 pcs", MOQ{200, "piece"}, true},
		{"1 pc", MOQ{1, "piece"}, true},
		{"1.0 Units", MOQ{1, "piece"}, true},
		{"5 Litres", MOQ{5, "l"}, true},
		{"5 Liter", MOQ{5, "l"}, true},
		{"3 Boxes", MOQ{3, "box"}, true},
		{"100 Piece/Pieces", MOQ{100, "piece"}, true},
		{"1,000 Pieces", MOQ{1000, "piece"}, true},
		{"MOQ: 50 Sets", MOQ{50, "set"}, true},
		{"500", MOQ{500, ""}, true},
		{"", MOQ{}, false},
		{"   ", MOQ{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, ok, err := ParseMOQ(tc.in)
			if err != nil {
				t.Fatalf("ParseMOQ(%q): %v", tc.in, err)
			}
			if ok != tc.ok || !approx(got.Qty, tc.want.Qty) || got.Unit != tc.want.Unit {
				t.Errorf("ParseMOQ(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestParseMOQErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want error
	}{
		{"Pieces", ErrUnparseable},
		{"-5 Pieces", ErrNegative},
		{"5 Widgets", ErrUnknownUnit},
		{"N/A", ErrUnparseable},
		{"1,2,3 Sets", ErrUnparseable},
		// Shifted Alibaba columns: years in business ("12" + "YRS") and a
		// review count are not order quantities.
		{"12 YRS", ErrUnknownUnit},
		{"(17)", ErrUnparseable},
		// MSC TotalTransitTime is a duration, not a quantity of goods.
		{"27 days", ErrUnknownUnit},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if _, _, err := ParseMOQ(tc.in); !errors.Is(err, tc.want) {
				t.Errorf("ParseMOQ(%q) error = %v, want %v", tc.in, err, tc.want)
			}
		})
	}
}

func FuzzParseMOQ(f *testing.F) {
	for _, s := range []string{"500 Pieces", "2 Pieces (MOQ)", "1 Ton", "10 Dozens", "", "MOQ: 5", "100 Piece/Pieces"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, ok, err := ParseMOQ(s)
		if err != nil || !ok {
			if ok {
				t.Fatalf("ParseMOQ(%q): ok with error %v", s, err)
			}
			return
		}
		if m.Qty < 0 || math.IsNaN(m.Qty) || math.IsInf(m.Qty, 0) {
			t.Fatalf("ParseMOQ(%q) = %+v: want a finite non-negative quantity", s, m)
		}
	})
}

func TestParseUnit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Unit
	}{
		{"Piece", Unit{"piece", 1}}, {"Pieces", Unit{"piece", 1}}, {"Meter", Unit{"m", 1}},
		{"Square Meters", Unit{"m2", 1}}, {"Cases", Unit{"case", 1}}, {"Ton", Unit{"kg", 1000}},
		{"Set/Sets", Unit{"set", 1}}, {"Yards", Unit{"m", 0.9144}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseUnit(tc.in)
			if err != nil || got != tc.want {
				t.Errorf("ParseUnit(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
		})
	}
}

func FuzzParseUnit(f *testing.F) {
	f.Add("Pieces")
	f.Add("Piece/Pieces")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUnit(s)
		if err == nil && (u.Name == "" || u.Factor <= 0) {
			t.Fatalf("ParseUnit(%q) = %+v: want a name and a positive factor", s, u)
		}
	})
}
