//go:build duckdb_arrow

package warehouse

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// at is 2025-mm-dd hh:mm:ss UTC.
func at(mm, dd, hh, min, sec int) time.Time {
	return time.Date(2025, time.Month(mm), dd, hh, min, sec, 0, time.UTC)
}

// voyage is one version of a sailing from Karachi to Rotterdam, leaving on
// 1 June: its ETA as of updated, and its arrival once it has one (zero:
// still at sea). Transit and delay days are derived as the transform
// derives them, against this version's ETA.
func voyage(id string, updated, eta, ata time.Time) row {
	etd := at(6, 1, 0, 0, 0)
	r := row{"sailing_id": id, "carrier": "PNSC", "origin": "PKKHI", "destination": "NLRTM",
		"etd": etd, "eta": eta, "updated_at": updated}
	if !ata.IsZero() {
		r["ata"] = ata
		r["transit_days"] = ata.Sub(etd).Hours() / 24
		r["delay_days"] = ata.Sub(eta).Hours() / 24
	}
	return r
}

// night is one nightly run that brings sailings: stage, commit, build the
// marts and run the data tests, every one of which must pass.
func night(t *testing.T, w *Warehouse, mem memory.Allocator, runID string, sailings ...row) {
	t.Helper()
	beginRun(t, w, runID)
	stage(t, w, mem, pipeline.Sailings, sailings...)
	commit(t, w, runID, nil)
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
	results, err := w.RunDataTests(t.Context(), runID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if !r.Passed() {
			t.Errorf("night %s: data test %s (%s) failed: %d rows", runID, r.Name, r.Severity, r.Failures)
		}
	}
}

// expectRows compares a query's rows, rendered by dump, with want.
func expectRows(t *testing.T, w *Warehouse, what, query string, want ...string) {
	t.Helper()
	if got := dump(t, w, query); !slices.Equal(got, want) {
		t.Errorf("%s:\ngot  %s\nwant %s", what, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

// A carrier promises a ship for 1 July, re-times it twice as the voyage goes
// on and the ship arrives on the last ETA, four days after the promise.
// Reliability is measured against the promise, as the benchmarks measure
// it: the sailing is late every night after it arrives, whatever the
// latest ETA says, and an older version of the schedule loaded on a later
// night (a backfill) moves the promise to the ETA truly first published.
func TestPromisedETAAcrossNights(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	var none time.Time
	const (
		promise = "SELECT sailing_id, eta_first, eta_first_version, eta FROM core.sailings ORDER BY sailing_id"
		route   = `SELECT sailings, arrived, on_time, on_time_share, late, avg_late_delay_days, on_time_latest_eta
			FROM marts.route_performance`
		monthly = `SELECT month, sailings, arrived, on_time, late, avg_late_delay_days, median_delay_days, on_time_latest_eta
			FROM marts.route_performance_monthly ORDER BY month`
	)

	// Night 1: the schedule is published. S2, a second ship, is published
	// and re-timed within the same night: its promise is the older version,
	// the one the source sent first.
	night(t, w, mem, "n1",
		voyage("S1", at(6, 1, 0, 0, 0), at(7, 1, 12, 0, 0), none),
		voyage("S2", at(6, 2, 0, 0, 0), at(7, 8, 12, 0, 0), none),
		voyage("S2", at(6, 3, 0, 0, 0), at(7, 6, 0, 0, 0), none),
	)
	expectRows(t, w, "night 1: promises", promise,
		"[S1 2025-07-01 12:00:00 +0000 UTC 2025-06-01 00:00:00 +0000 UTC 2025-07-01 12:00:00 +0000 UTC]",
		"[S2 2025-07-08 12:00:00 +0000 UTC 2025-06-02 00:00:00 +0000 UTC 2025-07-06 00:00:00 +0000 UTC]")
	expectRows(t, w, "night 1: nothing has arrived", route, "[2 0 0 <nil> 0 <nil> 0]")

	// Night 2: S1 is re-timed to 5 July. The promise stays 1 July; the
	// latest ETA moves.
	night(t, w, mem, "n2", voyage("S1", at(6, 20, 0, 0, 0), at(7, 5, 12, 0, 0), none))
	expectRows(t, w, "night 2: a newer version does not move the promise", promise,
		"[S1 2025-07-01 12:00:00 +0000 UTC 2025-06-01 00:00:00 +0000 UTC 2025-07-05 12:00:00 +0000 UTC]",
		"[S2 2025-07-08 12:00:00 +0000 UTC 2025-06-02 00:00:00 +0000 UTC 2025-07-06 00:00:00 +0000 UTC]")

	// Night 3: S1 arrives on its re-timed ETA, 5 July 14:00: four days and
	// two hours after the promise, so late (4.083 days), while the latest
	// ETA calls it on time. S2 arrives on 8 July 20:00, on its promised day
	// though two days after its own re-timed ETA.
	night(t, w, mem, "n3",
		voyage("S1", at(7, 6, 0, 0, 0), at(7, 5, 12, 0, 0), at(7, 5, 14, 0, 0)),
		voyage("S2", at(7, 9, 0, 0, 0), at(7, 6, 0, 0, 0), at(7, 8, 20, 0, 0)),
	)
	expectRows(t, w, "night 3: S1 is late against the promise, S2 on time", route,
		"[2 2 1 0.5 1 4.083333333333333 1]")
	expectRows(t, w, "night 3: by month of the promise", monthly,
		"[2025-07-01 00:00:00 +0000 UTC 2 2 1 1 4.083333333333333 2.208333333333333 1]")
	expectRows(t, w, "night 3: the view says why",
		`SELECT sailing_id, arrival_day_offset, punctuality, delay_days_promised, on_time_latest_eta
		 FROM core.sailing_punctuality ORDER BY sailing_id`,
		"[S1 4 late 4.083333333333333 true]",
		"[S2 0 on_time 0.3333333333333333 false]")

	// Night 4: a backfill replays S1's history and brings a version older
	// than any loaded, published 20 May for 29 June. That is the promise
	// the carrier first made: the promise moves earlier (and S1 into June),
	// the latest ETA and the arrival stay.
	night(t, w, mem, "n4", voyage("S1", at(5, 20, 0, 0, 0), at(6, 29, 12, 0, 0), none))
	expectRows(t, w, "night 4: an older version moves the promise", promise,
		"[S1 2025-06-29 12:00:00 +0000 UTC 2025-05-20 00:00:00 +0000 UTC 2025-07-05 12:00:00 +0000 UTC]",
		"[S2 2025-07-08 12:00:00 +0000 UTC 2025-06-02 00:00:00 +0000 UTC 2025-07-06 00:00:00 +0000 UTC]")
	expectRows(t, w, "night 4: S1 is six days and two hours late", route,
		"[2 2 1 0.5 1 6.083333333333333 1]")
	expectRows(t, w, "night 4: S1 counts in June, the month it was promised for", monthly,
		"[2025-06-01 00:00:00 +0000 UTC 1 1 0 1 6.083333333333333 6.083333333333333 1]",
		"[2025-07-01 00:00:00 +0000 UTC 1 1 1 0 <nil> 0.3333333333333333 0]")
	if n := queryInt(t, w, "SELECT count(*) FROM core.sailings WHERE sailing_id = 'S1' AND ata IS NOT NULL AND _last_run = 'n4'"); n != 1 {
		t.Errorf("night 4 moved S1's promise: its row should name n4 as the run that last changed it")
	}

	// Night 5: the same versions again (an incremental lookback re-reads
	// them) change nothing, bookkeeping included.
	before := dump(t, w, "SELECT * FROM core.sailings ORDER BY sailing_id")
	night(t, w, mem, "n5",
		voyage("S1", at(6, 1, 0, 0, 0), at(7, 1, 12, 0, 0), none),
		voyage("S1", at(7, 6, 0, 0, 0), at(7, 5, 12, 0, 0), at(7, 5, 14, 0, 0)),
		voyage("S1", at(5, 20, 0, 0, 0), at(6, 29, 12, 0, 0), none),
	)
	expectRows(t, w, "night 5: re-read versions change nothing", "SELECT * FROM core.sailings ORDER BY sailing_id", before...)

	// Night 6: the oldest version is sent again with another ETA: the
	// source corrects what it published then, and as everywhere else the
	// newer load of one version wins.
	night(t, w, mem, "n6", voyage("S1", at(5, 20, 0, 0, 0), at(6, 30, 12, 0, 0), none))
	expectRows(t, w, "night 6: a corrected first version corrects the promise", promise,
		"[S1 2025-06-30 12:00:00 +0000 UTC 2025-05-20 00:00:00 +0000 UTC 2025-07-05 12:00:00 +0000 UTC]",
		"[S2 2025-07-08 12:00:00 +0000 UTC 2025-06-02 00:00:00 +0000 UTC 2025-07-06 00:00:00 +0000 UTC]")
	expectRows(t, w, "night 6: S1 is five days and two hours late", route,
		"[2 2 1 0.5 1 5.083333333333333 1]")
}

// On time means the arrival's UTC date is the promised ETA's UTC date, the
// day before or the day after: whole calendar days, as carriers publish
// schedules and the benchmarks count them, so up to 47 hours 59 minutes
// after a promise made for just past midnight is on time, and 25 hours
// after one made for 23:00 is late.
func TestPunctualityCountsUTCCalendarDays(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	v := func(id string, eta, ata time.Time) row { return voyage(id, at(6, 1, 0, 0, 0), eta, ata) }
	late2300, early0030 := at(7, 10, 23, 0, 0), at(7, 10, 0, 30, 0)
	night(t, w, mem, "n1",
		v("a_same_day", late2300, at(7, 10, 1, 0, 0)),
		v("b_next_day_last_second", late2300, at(7, 11, 23, 59, 59)),
		v("c_two_days_on_first_second", late2300, at(7, 12, 0, 0, 0)),
		v("d_47h_after_midnight", early0030, at(7, 11, 23, 30, 0)),
		v("e_day_before_first_second", early0030, at(7, 9, 0, 0, 0)),
		v("f_two_days_before_last_second", early0030, at(7, 8, 23, 59, 59)),
	)
	want := []string{
		"[a_same_day 0 on_time]",
		"[b_next_day_last_second 1 on_time]",
		"[c_two_days_on_first_second 2 late]",
		"[d_47h_after_midnight 1 on_time]",
		"[e_day_before_first_second -1 on_time]",
		"[f_two_days_before_last_second -2 early]",
	}
	const q = "SELECT sailing_id, arrival_day_offset, punctuality FROM core.sailing_punctuality ORDER BY sailing_id"
	expectRows(t, w, "UTC calendar days", q, want...)
	expectRows(t, w, "the route counts them", "SELECT arrived, on_time, late FROM marts.route_performance", "[6 4 1]")

	// A client whose session is in Karachi (UTC+5) reads the snapshot's
	// view the same way: the view fixes the day boundaries to UTC itself.
	if _, err := w.conn.ExecContext(t.Context(), "SET TimeZone = 'Asia/Karachi'"); err != nil {
		t.Fatal(err)
	}
	expectRows(t, w, "read in another time zone", q, want...)
}

// A warehouse written before migration 0010 knows only each sailing's
// current version, so that version's ETA becomes the promise; the next
// nights treat it like any other: a newer version leaves it, an older one
// moves it.
func TestUpgradeMakesTheStoredETAThePromise(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	dir := t.TempDir()
	opts := Options{Path: filepath.Join(dir, "w.duckdb"), SnapshotPath: filepath.Join(dir, "a.duckdb"), Allocator: mem}
	old, err := openWith(t.Context(), opts, migrationsUpTo(t, 9))
	if err != nil {
		t.Fatal(err)
	}
	// Version 9's columns, named: staging follows the current schema.
	breakWith(t, old,
		`INSERT INTO core.sailings (sailing_id, carrier, origin, destination, etd, eta, updated_at, _first_run, _last_run, _loaded_at)
		 VALUES ('S1', 'PNSC', 'PKKHI', 'NLRTM', TIMESTAMPTZ '2025-06-01 00:00:00+00', TIMESTAMPTZ '2025-07-05 12:00:00+00',
		         TIMESTAMPTZ '2025-06-20 00:00:00+00', 'r0', 'r0', now())`,
		`INSERT INTO meta.data_tests (run_id, test, failures, passed, checked_at, severity) VALUES ('r0', 'old_test', 3, false, now(), 'warn')`)
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	w, err := Open(t.Context(), opts)
	if err != nil {
		t.Fatalf("open the version 9 warehouse with the current binary: %v", err)
	}
	t.Cleanup(func() { w.Close() })
	const promise = "SELECT eta_first, eta_first_version, eta, _last_run FROM core.sailings"
	expectRows(t, w, "after the upgrade", promise,
		"[2025-07-05 12:00:00 +0000 UTC 2025-06-20 00:00:00 +0000 UTC 2025-07-05 12:00:00 +0000 UTC r0]")
	expectRows(t, w, "older data test results have no examples", "SELECT test, examples FROM meta.data_tests", "[old_test <nil>]")

	var none time.Time
	night(t, w, mem, "n1", voyage("S1", at(7, 1, 0, 0, 0), at(7, 7, 0, 0, 0), none))
	expectRows(t, w, "a newer version", promise,
		"[2025-07-05 12:00:00 +0000 UTC 2025-06-20 00:00:00 +0000 UTC 2025-07-07 00:00:00 +0000 UTC n1]")
	night(t, w, mem, "n2", voyage("S1", at(6, 1, 0, 0, 0), at(7, 1, 0, 0, 0), none))
	expectRows(t, w, "an older version", promise,
		"[2025-07-01 00:00:00 +0000 UTC 2025-06-01 00:00:00 +0000 UTC 2025-07-07 00:00:00 +0000 UTC n2]")
}
