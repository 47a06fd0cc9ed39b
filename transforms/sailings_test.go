package transforms

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

func sailingRec(id string, kv ...string) rec {
	r := rec{"sailing_id": id, "carrier": "PNSC", "vessel": "MV Karachi", "imo": "IMO 9321483", "voyage": "001W",
		"origin": "PK KHI", "destination": "Jebel Ali", "etd": "2025-06-01T00:00:00Z", "eta": "2025-06-05T00:00:00Z",
		"ata": "2025-06-05T12:00:00Z", "updated_at": "2025-06-06T00:00:00Z"}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "<null>" {
			delete(r, kv[i])
			continue
		}
		r[kv[i]] = kv[i+1]
	}
	return r
}

func TestSailings(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rows := []rec{
		sailingRec("Y-1"),
		sailingRec("Y-2", "carrier", "MAERSK LINE", "imo", "9321483", "origin", "Port Qasim", "destination", "NLRTM",
			"ata", "<null>"),
		sailingRec("Y-3", "carrier", "P.N.S.C.", "imo", "<null>", "origin", "QICT", "etd", "Sun, 01 Jun 2025 05:00:00 +0500",
			"ata", "2025-06-04T00:00:00Z"),
		sailingRec("Y-X1", "eta", "2025-05-31T00:00:00Z"),
		sailingRec("Y-X2", "imo", "IMO 9321484"),
		sailingRec("Y-X3", "origin", "Atlantis"),
		sailingRec("Y-X4", "destination", "Atlantis"),
		sailingRec("Y-X5", "carrier", "Black Pearl"),
		sailingRec("Y-X6", "etd", "not a date"),
		sailingRec("Y-X7", "ata", "2025-05-01T00:00:00Z"),
		sailingRec("Y-X8", "eta", "<null>"),
	}
	out := apply(t, mem, NewSailings("demo"), pipeline.Sailings, rows)
	defer out.release()
	idx := goodByKey(t, out.good, "sailing_id")
	want := map[string]map[string]any{
		"Y-1": {"carrier": "PNSC", "imo": "9321483", "origin": "PKKHI", "destination": "AEJEA",
			"transit_days": 4.5, "delay_days": 0.5, "ata": mustTime(t, "2025-06-05T12:00:00Z")},
		"Y-2": {"carrier": "Maersk", "imo": "9321483", "origin": "PKBQM", "destination": "NLRTM",
			"ata": nil, "transit_days": nil, "delay_days": nil},
		"Y-3": {"carrier": "PNSC", "imo": nil, "origin": "PKBQM", "etd": mustTime(t, "2025-06-01T00:00:00Z"),
			"transit_days": 3.0, "delay_days": -1.0},
	}
	for id, cols := range want {
		i, ok := idx[id]
		if !ok {
			t.Errorf("sailing %s rejected", id)
			continue
		}
		for col, w := range cols {
			if got := cell(t, out.good, col, i); !equalish(got, w) {
				t.Errorf("sailing %s %s = %v, want %v", id, col, got, w)
			}
		}
	}
	checkRejects(t, out, pipeline.Sailings, "demo", map[string][2]string{
		"Y-X1": {"eta", `[time_order] eta "2025-05-31T00:00:00Z": before etd "2025-06-01T00:00:00Z"`},
		"Y-X2": {"imo", `[bad_imo] imo "IMO 9321484": invalid IMO number "IMO 9321484": check digit is 4, want 3`},
		"Y-X3": {"origin", `[unknown_port] origin "Atlantis": unknown port "Atlantis"`},
		"Y-X4": {"destination", `[unknown_port] destination "Atlantis": unknown port "Atlantis"`},
		"Y-X5": {"carrier", `[unknown_carrier] carrier "Black Pearl": unknown carrier "Black Pearl"`},
		"Y-X6": {"etd", `[bad_time] etd "not a date": invalid timestamp "not a date"`},
		"Y-X7": {"ata", `[time_order] ata "2025-05-01T00:00:00Z": before etd "2025-06-01T00:00:00Z"`},
		"Y-X8": {"eta", "[missing] eta is missing"},
	})
}
