package transforms

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/transforms/reference"
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

// unlocodeCSV is a UN/LOCODE file in the layout of unlocode_*.csv with
// one good, one empty and one malformed coordinates cell among its ports.
// The cells are test values, not UN/LOCODE's own.
const unlocodeCSV = `change,country,location,name,name_wo_diacritics,subdivision,function,status,date,iata,coordinates,remarks
,PK,KHI,Karachi,Karachi,SD,12345---,AI,9601,,2451N 06700E,
,AE,JEA,Jebel Ali,Jebel Ali,DU,1-------,AI,0401,,2500N 05503W,
,NL,RTM,Rotterdam,Rotterdam,ZH,12345---,AI,0401,,,
,CL,ARI,Arica,Arica,AP,1234----,AI,9501,,1829S 07020W,
,PK,BQM,Muhammad Bin Qasim/Karachi,Muhammad Bin Qasim/Karachi,SD,1-------,RL,1601,,2444N 05045,
`

// TestSailingsPortCoordinates: with a UN/LOCODE file loaded, each end of
// a sailing gets its port's coordinates, and a port whose cell is empty
// or malformed (or that has no file at all) gets nulls, never a reject.
func TestSailingsPortCoordinates(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ref := &reference.Set{}
	if _, err := ref.LoadUNLOCODE(strings.NewReader(unlocodeCSV)); err != nil {
		t.Fatal(err)
	}
	e, err := newEnv(Options{Reference: ref}, pipeline.Sailings, "x")
	if err != nil {
		t.Fatal(err)
	}
	rows := []rec{
		sailingRec("C-1"), // PKKHI (built-in) -> AEJEA (built-in), both in the file
		sailingRec("C-2", "origin", "CL ARI", "destination", "Rotterdam"),  // file-only code -> empty cell
		sailingRec("C-3", "origin", "Port Qasim", "destination", "PK KHI"), // malformed cell -> good
		sailingRec("C-4", "origin", "DEHAM"),                               // built-in the file does not list
		sailingRec("C-X1", "eta", "2025-05-31T00:00:00Z"),                  // a reject stays one
	}
	out := apply(t, mem, &Sailings{source: "x", env: e}, pipeline.Sailings, rows)
	defer out.release()
	karachi := [2]any{24 + 51.0/60, 67.0}
	jebelAli := [2]any{25.0, -(55 + 3.0/60)}
	arica := [2]any{-(18 + 29.0/60), -(70 + 20.0/60)}
	none := [2]any{nil, nil}
	want := map[string][2][2]any{
		"C-1": {karachi, jebelAli},
		"C-2": {arica, none},
		"C-3": {none, karachi},
		"C-4": {none, jebelAli},
	}
	idx := goodByKey(t, out.good, "sailing_id")
	if len(idx) != len(want) {
		t.Errorf("good sailings %v, want %d", idx, len(want))
	}
	for id, w := range want {
		i, ok := idx[id]
		if !ok {
			t.Errorf("sailing %s rejected", id)
			continue
		}
		for j, col := range []string{"origin_lat", "origin_lon", "destination_lat", "destination_lon"} {
			if got := cell(t, out.good, col, i); !equalish(got, w[j/2][j%2]) {
				t.Errorf("sailing %s %s = %v, want %v", id, col, got, w[j/2][j%2])
			}
		}
	}
	checkRejects(t, out, pipeline.Sailings, "x", map[string][2]string{
		"C-X1": {"eta", `[time_order] eta "2025-05-31T00:00:00Z": before etd "2025-06-01T00:00:00Z"`},
	})

	// Without a UN/LOCODE file every position is null.
	plain := apply(t, mem, NewSailings("x"), pipeline.Sailings, []rec{sailingRec("C-1")})
	defer plain.release()
	if plain.good.NumRows() != 1 {
		t.Fatalf("good rows = %d, want 1", plain.good.NumRows())
	}
	for _, col := range []string{"origin_lat", "origin_lon", "destination_lat", "destination_lon"} {
		if got := cell(t, plain.good, col, 0); got != nil {
			t.Errorf("without a file: %s = %v, want null", col, got)
		}
	}
}
