package demo

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
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
	wantETA := sl.eta // the promise, in every version before the final one
	if final {
		wantETA = sl.latestETA()
	}
	if !etd.Equal(sl.etd) || !eta.Equal(wantETA) || eta.Before(etd) {
		t.Errorf("%s: etd %v eta %v, want %v %v", sl.id, etd, eta, sl.etd, wantETA)
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

// Carriers re-time late voyages: half the late arrivals are sent first with
// the promised ETA, then with one moved by the delay's whole days, so that
// they look punctual against the latest ETA. The ground truth counts them
// late against the promise, as the marts must.
func TestLateSailingsAreRetimed(t *testing.T) {
	t.Parallel()
	s := small()
	var late, retimed int
	for i := range s.sailings {
		sl := &s.sailings[i]
		if sl.bad != sailingOK || !sl.arrived() || calendarDayOffset(sl.eta, sl.ata) <= 1 {
			if !sl.retimed.IsZero() {
				t.Errorf("%s: re-timed but not a late arrival", sl.id)
			}
			continue
		}
		late++
		if sl.retimed.IsZero() {
			continue
		}
		retimed++
		if sl.versions < 2 {
			t.Errorf("%s: re-timed with %d version: the promise is never sent", sl.id, sl.versions)
		}
		if off := calendarDayOffset(sl.retimed, sl.ata); off < 0 || off > 1 {
			t.Errorf("%s: arrives %d UTC days after its re-timed ETA, want 0 or 1", sl.id, off)
		}
	}
	if late == 0 || retimed < late/3 || retimed > 2*late/3 {
		t.Errorf("%d of %d late arrivals re-timed, want about half", retimed, late)
	}
}

func TestCalendarDayOffset(t *testing.T) {
	t.Parallel()
	eta := time.Date(2026, 3, 10, 23, 0, 0, 0, time.UTC)
	tests := []struct {
		ata  time.Time
		want int64
	}{
		{time.Date(2026, 3, 11, 23, 59, 59, 0, time.UTC), 1},
		{time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC), 2},
		{time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), -1},
		{time.Date(2026, 3, 10, 4, 0, 0, 0, time.FixedZone("PKT", 5*3600)), -1}, // 23:00 UTC on the 9th
	}
	for _, tt := range tests {
		if got := calendarDayOffset(eta, tt.ata); got != tt.want {
			t.Errorf("calendarDayOffset(%v, %v) = %d, want %d", eta, tt.ata, got, tt.want)
		}
	}
}
