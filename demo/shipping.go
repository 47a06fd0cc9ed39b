package demo

import (
	"slices"

	"github.com/exportpipe/exportpipe/pipeline"
)

// origins are Pakistan's two container ports, Karachi busier than Qasim.
var origins = []string{"PKKHI", "PKBQM"}

// lane is a destination with its usual transit time from Karachi and a
// typical 40' dry rate.
type lane struct {
	code               string
	minDays, maxDays   float64
	usdPer40, sailings int
}

var lanes = []lane{
	{"AEJEA", 4, 6, 650, 22},
	{"SAJED", 8, 11, 1100, 8},
	{"LKCMB", 5, 8, 800, 10},
	{"SGSIN", 10, 14, 900, 9},
	{"CNSHA", 18, 23, 1000, 10},
	{"NLRTM", 20, 28, 2600, 9},
	{"DEHAM", 22, 30, 2700, 6},
	{"GBFXT", 21, 28, 2750, 6},
	{"BEANR", 21, 28, 2650, 5},
	{"ITGOA", 15, 20, 2300, 5},
	{"ESVLC", 16, 21, 2250, 4},
	{"USNYC", 30, 35, 3800, 6},
}

// line is a carrier: how much of the trade it runs, how often it arrives
// within a day of schedule, how it prices, which lanes it serves and with
// which ships.
type line struct {
	name, scac, voyage string
	share              int
	reliability        float64
	priceFactor        float64
	lanes              []string
	fleet              []string
}

var lines = []line{
	{"PNSC", "PNSC", "PN", 10, 0.55, 0.95,
		[]string{"AEJEA", "SAJED", "LKCMB", "SGSIN", "CNSHA", "NLRTM", "DEHAM", "GBFXT"},
		[]string{"Chitral", "Hyderabad", "Islamabad", "Karachi", "Lahore", "Malakand", "Multan", "Quetta", "Sibi", "Shalamar"}},
	{"Maersk", "MAEU", "", 20, 0.72, 1.08,
		[]string{"AEJEA", "SAJED", "LKCMB", "SGSIN", "CNSHA", "NLRTM", "DEHAM", "GBFXT", "USNYC", "ESVLC", "BEANR"},
		[]string{"Maersk Essen", "Maersk Kinloss", "Maersk Sentosa", "Maersk Denver", "Maersk Gairloch", "Maersk Seletar"}},
	{"MSC", "MSCU", "FY", 18, 0.62, 1.0,
		[]string{"AEJEA", "SAJED", "LKCMB", "SGSIN", "NLRTM", "DEHAM", "BEANR", "ITGOA", "ESVLC", "USNYC"},
		[]string{"MSC Aurora", "MSC Giselle", "MSC Rania", "MSC Leandra", "MSC Tina", "MSC Arina"}},
	{"CMA CGM", "CMDU", "0", 14, 0.65, 1.03,
		[]string{"AEJEA", "SAJED", "LKCMB", "SGSIN", "CNSHA", "NLRTM", "DEHAM", "GBFXT", "ITGOA", "ESVLC", "USNYC"},
		[]string{"CMA CGM Tage", "CMA CGM Bali", "CMA CGM Rhone", "CMA CGM Ural", "CMA CGM Amazon"}},
	{"COSCO", "COSU", "", 12, 0.60, 0.96,
		[]string{"AEJEA", "LKCMB", "SGSIN", "CNSHA", "NLRTM", "DEHAM", "ITGOA"},
		[]string{"COSCO Shipping Rose", "COSCO Pride", "COSCO Harmony", "COSCO Malaysia", "COSCO Ningbo"}},
	{"Hapag-Lloyd", "HLCU", "", 10, 0.74, 1.07,
		[]string{"AEJEA", "SAJED", "NLRTM", "DEHAM", "GBFXT", "BEANR", "USNYC"},
		[]string{"Bremen Express", "Hamburg Express", "Al Zubara", "Basle Express", "Yantian Express"}},
	{"ONE", "ONEY", "", 8, 0.66, 1.0,
		[]string{"AEJEA", "SGSIN", "CNSHA", "LKCMB", "NLRTM", "GBFXT"},
		[]string{"ONE Harmony", "ONE Manchester", "ONE Stork", "ONE Crane", "ONE Minato"}},
	{"Evergreen", "EGLV", "", 8, 0.64, 0.98,
		[]string{"AEJEA", "LKCMB", "SGSIN", "CNSHA", "NLRTM", "GBFXT", "ITGOA"},
		[]string{"Ever Given", "Ever Ace", "Ever Greet", "Ever Lotus", "Ever Lucid"}},
}

// lineLanes is, per carrier, indexes into lanes and a draw weighted by how
// busy each lane is.
var lineLanes, lineLaneWeights = func() ([][]int, []weighted) {
	idx := make([][]int, len(lines))
	ws := make([]weighted, len(lines))
	for c, ln := range lines {
		var w []int
		for _, code := range ln.lanes {
			k := slices.IndexFunc(lanes, func(l lane) bool { return l.code == code })
			if k < 0 {
				panic("demo: carrier " + ln.name + " serves unknown lane " + code)
			}
			idx[c] = append(idx[c], k)
			w = append(w, lanes[k].sailings)
		}
		ws[c] = newWeighted(w...)
	}
	return idx, ws
}()

var lineShares = func() weighted {
	w := make([]int, len(lines))
	for i, ln := range lines {
		if !slices.Contains(pipeline.Carriers(), ln.name) {
			panic("demo: carrier " + ln.name + " missing from pipeline.Carriers")
		}
		w[i] = ln.share
	}
	return newWeighted(w...)
}()

// vessel is one ship and its IMO number.
type vessel struct {
	name string
	imo  int
}

// genFleets gives every ship a distinct IMO number with a valid check
// digit; PNSC runs some older tonnage, numbered 8xxxxxx.
func genFleets(seed int64) [][]vessel {
	r := newRNG()
	seen := map[int]bool{}
	out := make([][]vessel, len(lines))
	for c, ln := range lines {
		for v, name := range ln.fleet {
			r.reset(seed, tagFleet, verKey(c, v))
			for {
				lead := 9
				if c == 0 && r.chance(0.3) {
					lead = 8
				}
				six := lead*100_000 + r.IntN(100_000)
				imo := six*10 + imoCheck(six)
				if !seen[imo] {
					seen[imo] = true
					out[c] = append(out[c], vessel{name: name, imo: imo})
					break
				}
			}
		}
	}
	return out
}
