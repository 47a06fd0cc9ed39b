package demo

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestIMOCheckDigit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		imo  int
		want bool
	}{
		{9321483, true}, // the contract's example
		{9074729, true},
		{9321484, false},
		{8814275, true},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.imo), func(t *testing.T) {
			if got := imoCheck(tt.imo/10) == tt.imo%10; got != tt.want {
				t.Errorf("check digit of %d valid = %v, want %v", tt.imo, got, tt.want)
			}
		})
	}
}

func TestValidSailingsRenderCanonically(t *testing.T) {
	t.Parallel()
	s := small()
	r := newRNG()
	var out sailingJSON
	for i := range s.sailings {
		sl := &s.sailings[i]
		if sl.bad != sailingOK {
			continue
		}
		for v := range int(sl.versions) {
			s.renderSailing(r, entry{base: uint32(i), ver: uint8(v)}, &out)
			final := v == int(sl.versions)-1
			checkSailing(t, s, sl, &out, final)
		}
	}
}

func checkSailing(t *testing.T, s *Sim, sl *sailing, out *sailingJSON, final bool) {
	t.Helper()
	if out.IMO != nil {
		digits := strings.TrimPrefix(out.IMO.(string), "IMO ")
		n, _ := strconv.Atoi(digits)
		if len(digits) != 7 || imoCheck(n/10) != n%10 {
			t.Errorf("%s: valid sailing has IMO %q with a bad check digit", sl.id, out.IMO)
		}
	}
	etd, _ := contractTime(out.ETD)
	eta, _ := contractTime(out.ETA)
	upd, _ := contractTime(out.UpdatedAt)
	if !etd.Equal(sl.etd) || !eta.Equal(sl.eta) || eta.Before(etd) {
		t.Errorf("%s: etd %v eta %v, want %v %v", sl.id, etd, eta, sl.etd, sl.eta)
	}
	if eta.After(s.cfg.AsOf) && out.ATA != nil {
		t.Errorf("%s: eta %v is after as-of but ata is %v", sl.id, eta, out.ATA)
	}
	if upd.After(s.cfg.AsOf) || !upd.After(etd) {
		t.Errorf("%s: updated_at %v outside (etd, as-of]", sl.id, upd)
	}
	if out.ATA == nil {
		if final && sl.arrived() {
			t.Errorf("%s: final version of an arrived sailing has no ata", sl.id)
		}
		return
	}
	ata, _ := contractTime(out.ATA)
	if !ata.Equal(sl.ata) || !upd.After(ata) {
		t.Errorf("%s: ata %v updated %v, want ata %v before update", sl.id, ata, upd, sl.ata)
	}
	// Times on the 45-minute grid make transit days exact binary fractions.
	days := ata.Sub(etd).Seconds() / 86400.0
	if days*32 != math.Trunc(days*32) {
		t.Errorf("%s: transit %v days is off the grid", sl.id, days)
	}
}

func TestTransitTimesAreRealistic(t *testing.T) {
	t.Parallel()
	want := map[string][2]float64{"AEJEA": {3, 7}, "NLRTM": {19, 30}, "USNYC": {28, 37}}
	for _, rt := range small().Truth().Routes {
		w, ok := want[rt.Destination]
		if !ok || rt.Arrived < 5 { // a median of a few is mostly noise
			continue
		}
		if rt.MedianTransitDays < w[0] || rt.MedianTransitDays > w[1] {
			t.Errorf("%s %s-%s: median transit %.2f days, want %v", rt.Carrier, rt.Origin, rt.Destination, rt.MedianTransitDays, w)
		}
	}
}

func TestMedian(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []float64
		want float64
	}{
		{"none", nil, 0},
		{"odd", []float64{5, 1, 3}, 3},
		{"even averages the middle two", []float64{4, 1, 2, 8}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := median(tt.in); got != tt.want {
				t.Errorf("median(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestDelayIsWithinADayForReliableShare(t *testing.T) {
	t.Parallel()
	r := newRNG().reset(1, tagSailingCore, 99)
	onTime := 0
	const n = 20000
	for range n {
		if d := delaySteps(r, 0.6); d >= -stepsPerDay && d <= stepsPerDay {
			onTime++
		}
	}
	if share := float64(onTime) / n; math.Abs(share-0.6) > 0.02 {
		t.Errorf("on-time share %.3f, want about 0.6", share)
	}
}
