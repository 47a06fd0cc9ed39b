//go:build duckdb_arrow

package warehouse

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// propertySeedsEnv names the variable that runs the incremental-marts
// property test over more seeds: EXPORTPIPE_MART_SEEDS=200 runs seeds 1 to
// 200. Unset, CI runs the fixed seeds below.
const propertySeedsEnv = "EXPORTPIPE_MART_SEEDS"

// Incremental maintenance must give the marts a rebuild from core would:
// random sequences of nights over a small warehouse (new listings, changed
// prices, listings that come back unchanged, versions older than the stored
// one, corrections of FX conversions without a new timestamp, withdrawals,
// complete sources that delist and later relist, sellers that move country,
// sailings re-timed, arrived or backfilled, freight rates requoted), and
// after each night every mart, row for row, equals its SQL run over core.
func TestIncrementalMartsEqualRebuild(t *testing.T) {
	seeds := []uint64{1}
	if s := os.Getenv(propertySeedsEnv); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a number of seeds, e.g. 200", propertySeedsEnv, s)
		}
		seeds = seeds[:0]
		for i := 1; i <= n; i++ {
			seeds = append(seeds, uint64(i))
		}
	}
	marts, err := loadMarts()
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			t.Parallel()
			mem := checkedAlloc(t)
			w := openTest(t, mem)
			sim := newNightSim(seed)
			for night := 1; night <= 10; night++ {
				runID := fmt.Sprintf("r%02d", night)
				n := sim.night(night)
				beginRun(t, w, runID)
				for _, d := range pipeline.LoadOrder() {
					if rows := n.rows[d]; len(rows) > 0 {
						stage(t, w, mem, d, rows...)
					}
				}
				if len(n.rejects) > 0 {
					stageRejects(t, w, mem, n.rejects...)
				}
				req := pipeline.MergeRequest{RunID: runID, StartedAt: n.at}
				if n.complete {
					req.Complete = []string{simSource}
				}
				if _, err := w.Merge(t.Context(), req); err != nil {
					t.Fatalf("night %d (%s): %v", night, strings.Join(n.log, "; "), err)
				}
				start := time.Now()
				if err := w.BuildMarts(t.Context()); err != nil {
					t.Fatalf("night %d: %v", night, err)
				}
				t.Logf("night %d: marts built in %v", night, time.Since(start))
				if err := w.Commit(t.Context()); err != nil {
					t.Fatal(err)
				}
				for _, m := range marts {
					if diff := martDiff(t, w, m); len(diff) > 0 {
						t.Fatalf("seed %d night %d: marts.%s differs from a rebuild (- incremental, + rebuild):\n%s\nnights so far:\n%s",
							seed, night, m.table, strings.Join(diff, "\n"), strings.Join(sim.history, "\n"))
					}
				}
			}
		})
	}
}

// martDiff returns the rows marts.<m> and m's query over core do not
// share, each prefixed with - (only in the mart) or + (only in the
// rebuild). Doubles are compared to 9 significant decimals: a sum over the
// same rows in another order may differ in its last bits.
func martDiff(t *testing.T, w *Warehouse, m mart) []string {
	t.Helper()
	cols := dump(t, w, `SELECT CASE WHEN data_type = 'DOUBLE' THEN 'round(' || column_name || ', 9) AS ' || column_name
		ELSE column_name END FROM duckdb_columns() WHERE schema_name = 'marts' AND table_name = '`+m.table+`' ORDER BY column_index`)
	sel := make([]string, len(cols))
	for i, c := range cols {
		sel[i] = strings.Trim(c, "[]")
	}
	list := strings.Join(sel, ", ")
	q := fmt.Sprintf(`WITH have AS (SELECT %[1]s FROM marts.%[2]s), want AS (SELECT %[1]s FROM (%[3]s))
SELECT '-' AS side, * FROM (SELECT * FROM have EXCEPT ALL SELECT * FROM want)
UNION ALL
SELECT '+', * FROM (SELECT * FROM want EXCEPT ALL SELECT * FROM have)
ORDER BY ALL LIMIT 20`, list, ident(m.table), m.query)
	return dump(t, w, q)
}

// simSource is the one listings source of the simulation; complete nights
// delist what it did not return.
const simSource = "sim"

// nightSim invents nights and remembers what it sent, so it can repeat a
// record unchanged, send a newer or an older version, or correct one.
type nightSim struct {
	rnd      *rand.Rand
	listings map[string]row // the newest version sent of each listing
	sellers  map[string]row
	sailings map[string]row
	rates    map[string]row
	history  []string
}

type simNight struct {
	at       time.Time
	rows     map[pipeline.Dataset][]row
	rejects  []row
	complete bool
	log      []string
}

func newNightSim(seed uint64) *nightSim {
	return &nightSim{rnd: rand.New(rand.NewPCG(seed, 17)), listings: map[string]row{}, sellers: map[string]row{},
		sailings: map[string]row{}, rates: map[string]row{}}
}

var simCategories = []struct {
	slug, group string
	chapter     int
}{{"apparel", "textiles", 62}, {"home_textiles", "textiles", 63}, {"consumer_electronics", "electronics", 85}, {"other", "other", 0}}

// night n happens about ten days after the one before, so listings,
// prices and sailings spread over several days and months.
func (s *nightSim) night(n int) simNight {
	at := t0.Add(time.Duration(n*10) * 24 * time.Hour)
	nt := simNight{at: at, rows: map[pipeline.Dataset][]row{}}
	// A time within the ten days before the night.
	recent := func() time.Time { return at.Add(-time.Duration(s.rnd.IntN(240)+1) * time.Hour) }
	add := func(d pipeline.Dataset, r row, what string) {
		nt.rows[d] = append(nt.rows[d], r)
		nt.log = append(nt.log, what)
	}

	// Sellers: new ones, and a few moving country.
	for range s.rnd.IntN(3) {
		id := fmt.Sprintf("s%d", len(s.sellers))
		r := row{"seller_id": id, "marketplace": s.marketplaceOf(id), "name": "Seller " + id,
			"country": []string{"PK", "CN", "BD"}[s.rnd.IntN(3)], "joined_at": recent(), "updated_at": recent()}
		s.sellers[id] = r
		add(pipeline.Sellers, r, "new seller "+id)
	}
	for _, id := range s.pick(s.sellers, 1) {
		r := clone(s.sellers[id])
		r["country"] = []string{"PK", "CN", "BD"}[s.rnd.IntN(3)]
		r["updated_at"] = at
		s.sellers[id] = r
		add(pipeline.Sellers, r, "seller "+id+" now in "+r["country"].(string))
	}

	// Listings.
	staged := map[string]bool{}
	for range s.rnd.IntN(6) + 1 {
		id := fmt.Sprintf("l%02d", len(s.listings))
		r := s.newListing(id, recent())
		s.listings[id] = r
		staged[id] = true
		add(pipeline.Listings, r, "new listing "+id)
	}
	for _, id := range s.pick(s.listings, 3) {
		r := clone(s.listings[id])
		r["updated_at"] = maxTime(recent(), r["updated_at"].(time.Time).Add(time.Hour))
		setPrice(r, float64(s.rnd.IntN(50)+1), r["fx_units_per_usd"].(float64))
		if s.rnd.IntN(4) == 0 {
			c := simCategories[s.rnd.IntN(len(simCategories))]
			r["category"], r["category_group"], r["hs_chapter"] = c.slug, c.group, c.chapter
		}
		s.listings[id] = r
		staged[id] = true
		add(pipeline.Listings, r, fmt.Sprintf("listing %s new price %v", id, r["price_min"]))
	}
	for _, id := range s.pick(s.listings, 3) {
		staged[id] = true
		add(pipeline.Listings, clone(s.listings[id]), "listing "+id+" unchanged")
	}
	for _, id := range s.pick(s.listings, 2) {
		// A version older than any sent: a backfill. What was sent stays
		// the newest.
		r := clone(s.listings[id])
		r["updated_at"] = r["updated_at"].(time.Time).Add(-time.Duration(s.rnd.IntN(900)+1) * time.Hour)
		setPrice(r, float64(s.rnd.IntN(50)+1), r["fx_units_per_usd"].(float64))
		staged[id] = true
		add(pipeline.Listings, r, "listing "+id+" backfilled at "+r["updated_at"].(time.Time).Format(time.DateTime))
	}
	for _, id := range s.pick(s.listings, 2) {
		// An FX correction: the same version converted at another rate.
		r := clone(s.listings[id])
		r["currency"] = "PKR"
		setPrice(r, r["price_min"].(float64), 270+float64(s.rnd.IntN(20)))
		s.listings[id] = r
		staged[id] = true
		add(pipeline.Listings, r, "listing "+id+" FX corrected")
		nt.rows[pipeline.FXRates] = append(nt.rows[pipeline.FXRates],
			row{"date": r["updated_at"].(time.Time), "currency": "PKR", "units_per_usd": r["fx_units_per_usd"]})
	}
	for _, id := range s.pick(s.listings, 1) {
		if staged[id] {
			continue
		}
		// A newer version that could not be used: the listing is withdrawn.
		v := maxTime(at.Add(-time.Hour), s.listings[id]["updated_at"].(time.Time).Add(time.Hour))
		nt.rejects = append(nt.rejects, row{"dataset": "listings", "source": simSource,
			"record_key": s.listings[id]["marketplace"].(string) + "/" + id, "field": "price",
			"reason": "[unparseable] price \"on request\": no amount", "raw": `{}`, "version": v})
		staged[id] = true
		nt.log = append(nt.log, "listing "+id+" withdrawn")
	}
	if s.rnd.IntN(4) == 0 {
		// A complete night: the source returns its whole catalogue but for a
		// few listings, which are delisted; they may come back later.
		nt.complete = true
		for id, r := range s.listings {
			if !staged[id] && s.rnd.IntN(5) > 0 {
				nt.rows[pipeline.Listings] = append(nt.rows[pipeline.Listings], clone(r))
			}
		}
		nt.log = append(nt.log, "complete listings night")
	}

	// Sailings: new, re-timed or arrived, and older versions found late.
	for range s.rnd.IntN(3) + 1 {
		id := fmt.Sprintf("x%d", len(s.sailings))
		etd := recent()
		r := row{"sailing_id": id, "carrier": []string{"PNSC", "Maersk"}[s.rnd.IntN(2)],
			"origin":      []string{"PKKHI", "PKBQM", "CNSHA"}[s.rnd.IntN(3)],
			"destination": []string{"NLRTM", "AEJEA", "DEHAM"}[s.rnd.IntN(3)],
			"etd":         etd, "eta": etd.Add(time.Duration(s.rnd.IntN(30)+10) * 24 * time.Hour), "updated_at": etd}
		s.sailings[id] = r
		add(pipeline.Sailings, r, "new sailing "+id)
	}
	for _, id := range s.pick(s.sailings, 2) {
		r := clone(s.sailings[id])
		r["updated_at"] = maxTime(at, r["updated_at"].(time.Time).Add(time.Hour))
		if r["ata"] == nil && s.rnd.IntN(2) == 0 {
			ata := r["eta"].(time.Time).Add(time.Duration(s.rnd.IntN(96)-24) * time.Hour)
			r["ata"] = ata
			r["transit_days"] = ata.Sub(r["etd"].(time.Time)).Hours() / 24
			r["delay_days"] = ata.Sub(r["eta"].(time.Time)).Hours() / 24
			add(pipeline.Sailings, r, "sailing "+id+" arrived")
		} else {
			r["eta"] = r["eta"].(time.Time).Add(time.Duration(s.rnd.IntN(30)+1) * 24 * time.Hour)
			if s.rnd.IntN(4) == 0 {
				// A corrected port: the sailing leaves its route.
				r["destination"] = []string{"NLRTM", "AEJEA", "DEHAM"}[s.rnd.IntN(3)]
			}
			add(pipeline.Sailings, r, "sailing "+id+" re-timed to "+r["destination"].(string))
		}
		s.sailings[id] = r
	}
	for _, id := range s.pick(s.sailings, 1) {
		// An older version with another promise: the promised month moves.
		r := clone(s.sailings[id])
		r["updated_at"] = r["etd"].(time.Time).Add(-time.Duration(s.rnd.IntN(500)+1) * time.Hour)
		r["eta"] = r["etd"].(time.Time).Add(time.Duration(s.rnd.IntN(60)+5) * 24 * time.Hour)
		delete(r, "ata")
		delete(r, "transit_days")
		delete(r, "delay_days")
		add(pipeline.Sailings, r, "sailing "+id+" older version found")
	}

	// Freight rates: new quotes and requotes.
	for range s.rnd.IntN(3) {
		id := fmt.Sprintf("f%d", len(s.rates))
		r := row{"rate_id": id, "carrier": "PNSC", "origin": []string{"PKKHI", "CNSHA"}[s.rnd.IntN(2)],
			"destination": []string{"NLRTM", "AEJEA"}[s.rnd.IntN(2)], "equipment": []string{"20GP", "40GP", "40HC"}[s.rnd.IntN(3)],
			"valid_from": recent().Truncate(24 * time.Hour), "currency": "USD", "updated_at": recent()}
		setAmount(r, float64(s.rnd.IntN(3000)+500))
		s.rates[id] = r
		add(pipeline.FreightRates, r, "new rate "+id)
	}
	for _, id := range s.pick(s.rates, 1) {
		r := clone(s.rates[id])
		r["updated_at"] = maxTime(at, r["updated_at"].(time.Time).Add(time.Hour))
		setAmount(r, float64(s.rnd.IntN(3000)+500))
		if s.rnd.IntN(2) == 0 {
			r["valid_from"] = recent().Truncate(24 * time.Hour)
		}
		s.rates[id] = r
		add(pipeline.FreightRates, r, "rate "+id+" requoted")
	}
	s.history = append(s.history, fmt.Sprintf("night %d: %s", n, strings.Join(nt.log, ", ")))
	return nt
}

func (s *nightSim) marketplaceOf(sellerID string) string {
	n, _ := strconv.Atoi(strings.TrimPrefix(sellerID, "s"))
	return []string{"alibaba.com", "daraz.pk"}[n%2]
}

func (s *nightSim) newListing(id string, at time.Time) row {
	c := simCategories[s.rnd.IntN(len(simCategories))]
	// Some listings name a seller not (yet) in core, some none at all.
	seller := fmt.Sprintf("s%d", s.rnd.IntN(len(s.sellers)+2))
	var sellerID any = seller
	if s.rnd.IntN(8) == 0 {
		sellerID = nil
	}
	r := row{"listing_id": id, "marketplace": s.marketplaceOf(seller), "seller_id": sellerID, "title": "Item " + id,
		"category": c.slug, "category_group": c.group, "hs_chapter": c.chapter, "currency": "USD",
		"updated_at": at, "source": simSource}
	setPrice(r, float64(s.rnd.IntN(50)+1), 1)
	return r
}

// pick returns up to n keys of m, at random, in a stable order.
func (s *nightSim) pick(m map[string]row, n int) []string {
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	})
	s.rnd.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	return keys[:min(n, len(keys))]
}

func setPrice(r row, price, fx float64) {
	r["price_min"], r["price_max"], r["fx_units_per_usd"] = price, price, fx
	r["price_min_usd"], r["price_max_usd"] = price/fx, price/fx
}

func setAmount(r row, usd float64) {
	r["amount"], r["fx_units_per_usd"], r["amount_usd"] = usd, 1.0, usd
}

func clone(r row) row {
	out := make(row, len(r))
	for k, v := range r {
		out[k] = v
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
