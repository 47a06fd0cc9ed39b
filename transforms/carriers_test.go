package transforms

import (
	"bytes"
	"log/slog"
	"maps"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// Carriers a config adds are found by their name, SCAC and spellings in
// sailings and freight rates. A carrier nobody knows follows
// normalise.unknown_carrier: rejected with how to add it, or kept under
// its name as written (spaces cleaned) and logged once per name and
// source.
func TestUnknownCarrierPolicy(t *testing.T) {
	var logs bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	defer slog.SetDefault(prev)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	set, err := pipeline.NewCarrierSet([]pipeline.CarrierInfo{
		{Name: "Sea Lead Shipping", Aliases: []string{"SeaLead"}},
		{Name: "Crowley", SCAC: []string{"CAMN"}, Aliases: []string{"Crowley Maritime"}},
		{Name: "hapag lloyd", Aliases: []string{"Hapag-Lloyd Aktiengesellschaft"}}, // adds a spelling to a built-in line
	})
	if err != nil {
		t.Fatal(err)
	}
	sailings := []rec{
		sailingRec("S1", "carrier", "SEALEAD"),
		sailingRec("S2", "carrier", "CAMN"),
		sailingRec("S3", "carrier", "Hapag-Lloyd Aktiengesellschaft"),
		sailingRec("S4", "carrier", "  Black   Pearl Line "),
		sailingRec("S5", "carrier", "Black Pearl Line"),
		sailingRec("S6", "carrier", "MAERSK LINE"),
	}
	known := map[string]string{"S1": "Sea Lead Shipping", "S2": "Crowley", "S3": "Hapag-Lloyd", "S6": "Maersk"}
	for _, policy := range []string{"", pipeline.UnknownCarrierReject, pipeline.UnknownCarrierKeep} {
		source := "ships_" + policy
		f, err := NewFactory(Options{Carriers: set, UnknownCarrier: policy})
		if err != nil {
			t.Fatal(err)
		}
		tr, err := f(pipeline.Sailings, source, nil)
		if err != nil {
			t.Fatal(err)
		}
		out := apply(t, mem, tr, pipeline.Sailings, sailings)
		good := goodByKey(t, out.good, "sailing_id")
		want := maps.Clone(known)
		if policy == pipeline.UnknownCarrierKeep {
			want["S4"], want["S5"] = "Black Pearl Line", "Black Pearl Line"
		}
		for id, w := range want {
			i, ok := good[id]
			if !ok {
				t.Errorf("policy %q: %s rejected, want carrier %s", policy, id, w)
			} else if got := cell(t, out.good, "carrier", i); got != w {
				t.Errorf("policy %q: %s carrier = %v, want %s", policy, id, got, w)
			}
		}
		rej := rejectsByKey(t, out.rejects, pipeline.Sailings, source)
		if policy == pipeline.UnknownCarrierKeep {
			if len(rej) != 0 {
				t.Errorf("policy keep: rejects %v", rej)
			}
		} else {
			r := rej["S4"]
			if len(rej) != 2 || r.field != "carrier" || r.reason != `[unknown_carrier] carrier "Black   Pearl Line": unknown carrier "Black   Pearl Line": add it under carriers: in the config, or set normalise.unknown_carrier: keep` {
				t.Errorf("policy %q: rejects %+v; want S4 and S5 as unknown_carrier, saying how to add the line", policy, rej)
			}
		}
		out.release()

		// Freight rates take the same table and policy.
		fr, err := f(pipeline.FreightRates, "rates_"+policy, testFX(t))
		if err != nil {
			t.Fatal(err)
		}
		rates := apply(t, mem, fr, pipeline.FreightRates, []rec{freightRec("R1", "carrier", "Crowley Maritime"), freightRec("R2", "carrier", "Black Pearl Line")})
		wantGood := int64(1)
		if policy == pipeline.UnknownCarrierKeep {
			wantGood = 2
		}
		if rates.good.NumRows() != wantGood || cell(t, rates.good, "carrier", 0) != "Crowley" {
			t.Errorf("policy %q: freight rates loaded %d (first carrier %v), want %d", policy, rates.good.NumRows(), cell(t, rates.good, "carrier", 0), wantGood)
		}
		rates.release()
	}
	// Keep logs each name once per source (ships_keep saw it twice), for
	// each source that kept it; the other policies log nothing.
	var kept []string
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "carrier not known") {
			kept = append(kept, l)
		}
	}
	if len(kept) != 2 || !strings.Contains(kept[0], `source=ships_keep carrier="Black Pearl Line"`) ||
		!strings.Contains(kept[1], `source=rates_keep carrier="Black Pearl Line"`) {
		t.Errorf("log lines = %q; want one for ships_keep and one for rates_keep, naming Black Pearl Line", kept)
	}

	if _, err := NewFactory(Options{UnknownCarrier: "drop"}); err == nil || !strings.Contains(err.Error(), `unknown_carrier "drop"`) {
		t.Errorf("an unknown policy was accepted: %v", err)
	}
}
