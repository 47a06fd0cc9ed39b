//go:build duckdb_arrow

package warehouse

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// day returns midnight UTC of 2025-mm-dd plus hours.
func day(mm, dd, hours int) time.Time {
	return time.Date(2025, time.Month(mm), dd, hours, 0, 0, 0, time.UTC)
}

// fixtureRun is what the sources served for one run of the golden fixture.
type fixtureRun struct {
	sellers, listings, sailings, freight, fx []row
}

// goldenRuns is a small, fixed input covering every mart: three
// marketplaces, sellers of three countries (one unknown), two price
// changes, sailings of three carriers over three months with on-time, late,
// early and unarrived ones, and freight rates on two routes.
func goldenRuns() []fixtureRun {
	sellerAt := func(id, market, country string, joined any) row {
		r := seller(id, country)
		r["marketplace"], r["joined_at"] = market, joined
		return r
	}
	l := func(id, market, sellerID, slug string, chapter int, currency string, price, fx float64, at time.Time) row {
		r := listing(id, at, price)
		group := "textiles"
		if chapter < 50 || chapter > 63 {
			group = slug
		}
		r["marketplace"], r["seller_id"], r["category"], r["hs_chapter"], r["category_group"] = market, sellerID, slug, chapter, group
		r["currency"], r["fx_units_per_usd"], r["price_min_usd"], r["price_max_usd"] = currency, fx, price/fx, price/fx
		return r
	}
	s := func(id, carrier, origin, dest string, etd time.Time, transitDays, lateHours int) row {
		r := sailing(id, carrier, time.Duration(transitDays)*24*time.Hour, time.Duration(lateHours)*time.Hour)
		shift := etd.Sub(t0)
		r["origin"], r["destination"], r["etd"], r["eta"] = origin, dest, etd, r["eta"].(time.Time).Add(shift)
		if ata, ok := r["ata"].(time.Time); ok {
			r["ata"] = ata.Add(shift)
		}
		return r
	}
	f := func(id, carrier, origin, dest, equipment string, from time.Time, usd float64) row {
		return row{"rate_id": id, "carrier": carrier, "origin": origin, "destination": dest, "equipment": equipment,
			"valid_from": from, "currency": "USD", "amount": usd, "fx_units_per_usd": 1.0, "amount_usd": usd, "updated_at": from}
	}
	fx := func(d time.Time, cur string, rate float64) row {
		return row{"date": d, "currency": cur, "units_per_usd": rate}
	}
	r1 := fixtureRun{
		sellers: []row{
			sellerAt("s1", "alibaba.com", "PK", day(1, 15, 0)),
			sellerAt("s2", "daraz.pk", "PK", day(6, 3, 0)),
			sellerAt("s3", "alibaba.com", "CN", day(5, 20, 0)),
			sellerAt("s4", "daraz.com.bd", "BD", nil), // joined unknown: first version counts
		},
		listings: []row{
			l("a", "alibaba.com", "s1", "home_textiles", 63, "USD", 10, 1, day(6, 1, 10)),
			l("b", "alibaba.com", "s1", "apparel", 61, "USD", 20, 1, day(6, 2, 10)),
			l("c", "daraz.pk", "s2", "apparel", 61, "PKR", 2800, 280, day(6, 5, 10)),
			l("d", "alibaba.com", "s3", "electronics", 85, "USD", 50, 1, day(7, 3, 10)),
			l("e", "daraz.com.bd", "s4", "home_textiles", 63, "BDT", 1200, 120, day(7, 10, 10)),
			l("f", "alibaba.com", "s9", "rice", 10, "USD", 1, 1, day(7, 20, 10)), // seller unknown
		},
		sailings: []row{
			s("p1", "PNSC", "PKKHI", "NLRTM", day(6, 1, 0), 20, 0),   // on time
			s("p2", "PNSC", "PKKHI", "NLRTM", day(6, 10, 0), 22, 24), // a day late, on the next UTC day: on time
			s("p3", "PNSC", "PKKHI", "NLRTM", day(6, 20, 0), 25, 30), // 30 hours late, two UTC days on: late
			s("p4", "PNSC", "PKBQM", "AEJEA", day(6, 3, 0), 5, -36),  // 36 hours early, but on the UTC day before: on time
			s("m1", "Maersk", "PKBQM", "AEJEA", day(7, 1, 0), 4, 2),
			s("m2", "Maersk", "PKKHI", "CNSHA", day(7, 15, 0), 14, 0),
			s("x1", "MSC", "PKKHI", "DEHAM", day(7, 25, 0), -1, 0), // not arrived
		},
		freight: []row{
			f("f1", "PNSC", "PKKHI", "NLRTM", "20GP", day(6, 1, 0), 1400),
			f("f2", "Maersk", "PKKHI", "NLRTM", "20GP", day(6, 1, 0), 1500),
			f("f3", "PNSC", "PKKHI", "NLRTM", "40HC", day(6, 1, 0), 2500),
			f("f4", "PNSC", "PKKHI", "NLRTM", "40HC", day(7, 1, 0), 2700),
			f("f5", "Maersk", "PKBQM", "AEJEA", "40GP", day(7, 1, 0), 900),
		},
		fx: []row{fx(day(6, 1, 0), "PKR", 280), fx(day(6, 1, 0), "BDT", 120), fx(day(6, 1, 0), "USD", 1)},
	}
	r2 := r1
	r2.listings = append(append([]row{}, r1.listings...),
		l("a", "alibaba.com", "s1", "home_textiles", 63, "USD", 12, 1, day(7, 15, 10)), // +20%
		l("c", "daraz.pk", "s2", "apparel", 61, "PKR", 3080, 280, day(8, 2, 10)),       // +10%
	)
	// The carrier re-times p3 after it arrived, to the day before its
	// arrival: on time against the latest ETA, still late against the
	// promise the marts measure.
	p3 := s("p3", "PNSC", "PKKHI", "NLRTM", day(6, 20, 0), 25, 30)
	p3["eta"], p3["updated_at"] = day(7, 14, 12), day(7, 16, 0)
	p3["delay_days"] = 0.5
	r2.sailings = append(append([]row{}, r1.sailings...), p3)
	return []fixtureRun{r1, r2}
}

// loadRun stages one fixture run and commits it.
func loadRun(t *testing.T, w *Warehouse, mem memory.Allocator, runID string, r fixtureRun) map[pipeline.Dataset]pipeline.MergeCounts {
	t.Helper()
	beginRun(t, w, runID)
	for _, d := range []struct {
		ds   pipeline.Dataset
		rows []row
	}{{pipeline.FXRates, r.fx}, {pipeline.Sellers, r.sellers}, {pipeline.FreightRates, r.freight},
		{pipeline.Sailings, r.sailings}, {pipeline.Listings, r.listings}} {
		stage(t, w, mem, d.ds, d.rows...)
	}
	return commit(t, w, runID, nil)
}

// loadGoldenFixture loads both fixture runs and builds the marts.
func loadGoldenFixture(t *testing.T) *Warehouse {
	t.Helper()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	for i, r := range goldenRuns() {
		loadRun(t, w, mem, []string{"r1", "r2"}[i], r)
	}
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
	return w
}
