//go:build duckdb_arrow

package reliability

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/demo"
	sqlfiles "github.com/exportpipe/exportpipe/sql"
)

// crashListings sizes the demo so a run takes about two seconds, long
// enough to kill it inside each stage.
const (
	crashListings = 2000
	crashSeed     = 3
	defaultKills  = 6
	// maxAttempts bounds the kills aimed at one stage: a kill that lands
	// past its stage (the machine was slow to deliver it) is tried again,
	// at most this many times in all.
	maxAttempts = 3
)

// The stages of a run as its debug log shows them: the runner logs
// "phase started" with the phase as it enters each one, and the line that
// ends each is below. Extraction ends where the merge starts.
var (
	crashStages = []string{"extract", "merge", "marts", "tests", "publish"}
	stageEnds   = map[string]string{"merge": "merged run", "marts": "built marts", "tests": "ran data tests",
		"publish": "published snapshot and exports"}
)

// killPoint aims a kill at one stage: the run is killed as soon as it logs
// one of the anchors, each a line inside that stage with more of the stage
// still to do. Round r of the kill points uses anchor r (the last repeats),
// so more kills land at more places; no random delay decides where.
type killPoint struct {
	stage   string // "" for a kill after the run's end
	anchors [][]string
}

func killPoints(t *testing.T) []killPoint {
	t.Helper()
	phase := func(p string) []string { return []string{`"msg":"phase started"`, `"phase":"` + p + `"`} }
	line := func(msg, key, val string) []string {
		return []string{`"msg":"` + msg + `"`, `"` + key + `":"` + val + `"`}
	}
	// The first four datasets in load order: after each, another is still
	// to be extracted or merged.
	earlier := []string{"fx_rates", "sellers", "freight_rates", "sailings"}
	extract, merge := [][]string{phase("extract")}, [][]string{phase("merge")}
	for _, d := range earlier {
		extract = append(extract, line("dataset staged", "dataset", d))
		merge = append(merge, line("merged dataset", "dataset", d))
	}
	marts := [][]string{phase("marts")}
	files, err := sqlfiles.MartFiles()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range files[:len(files)-1] { // after the last, the marts are done
		marts = append(marts, line("built mart", "mart", strings.TrimSuffix(path.Base(m.File), ".sql")))
	}
	return []killPoint{
		{"extract", extract},
		{"merge", merge},
		{"marts", marts},
		{"tests", [][]string{phase("tests")}},
		{"publish", [][]string{phase("publish")}},
		{"", [][]string{{`"msg":"published snapshot and exports"`}}},
	}
}

// TestKillNineAnywhere sends SIGKILL to `exportpipe run` inside each of its
// stages (extract, merge, marts, tests, publish) and after its end, all on
// one warehouse, and after each kill checks that the working warehouse
// opens, that the published snapshot is intact (the old one or the new
// one, whole), and that the next run leaves core and marts identical to an
// uninterrupted run's. Where each kill landed is read from the killed
// run's log, and the test fails unless every stage was interrupted at
// least once. EXPORTPIPE_CRASH_KILLS sets the number of kills (default 6,
// one per point; 20 for the full set).
func TestKillNineAnywhere(t *testing.T) {
	kills := envInt(t, "EXPORTPIPE_CRASH_KILLS", defaultKills)
	points := killPoints(t)
	args := func(dir string) []string {
		return []string{"run", "--data-dir", dir, "--demo-listings", strconv.Itoa(crashListings),
			"--demo-seed", strconv.Itoa(crashSeed), "--log-level", "debug"}
	}
	ref := t.TempDir()
	if res := run(t, nil, args(ref)...); res.code != 0 {
		t.Fatalf("uninterrupted run: exit %d\n%s", res.code, tail(res.stderr, 3000))
	}
	want := checksums(t, filepath.Join(ref, "analytics.duckdb"))
	truth := demo.New(demo.Config{Seed: crashSeed, Listings: crashListings}).Truth()

	dir := t.TempDir()
	wh, snap := filepath.Join(dir, "warehouse.duckdb"), filepath.Join(dir, "analytics.duckdb")
	landed := map[string]int{}
	aimed := map[string]int{} // kill points aimed at each stage, retries not counted
	start := time.Now()
	n := 0
	for i := range kills {
		kp := points[i%len(points)]
		anchor := kp.anchors[min(i/len(points), len(kp.anchors)-1)]
		aimed[kp.stage]++
		for attempt := 1; ; attempt++ {
			n++
			prevOK := lastOKRun(t, snap)
			where := killAt(t, args(dir), anchor)
			landed[where]++
			t.Logf("kill %d: on the line with %s, landed in %s", n, strings.Join(anchor, " "), where)
			checkAfterKill(t, n, dir, prevOK, want, truth)
			if kp.stage == "" || where == kp.stage || attempt == maxAttempts {
				break
			}
			t.Logf("kill %d was aimed at %s and landed in %s: again (attempt %d of %d)", n, kp.stage, where, attempt+1, maxAttempts)
		}
	}
	stuck := query(t, wh, "SELECT count(*) FROM meta.runs WHERE status = 'running'")[0][0]
	if stuck != "0" {
		t.Errorf("%s killed runs are still shown as running in meta.runs", stuck)
	}
	t.Logf("%d kills survived in %s; where they landed: %v", n, time.Since(start).Round(time.Second), landed)
	for _, s := range crashStages {
		if aimed[s] > 0 && landed[s] == 0 {
			t.Errorf("no kill interrupted the %s stage (%d aimed at it, up to %d tries each); where they landed: %v",
				s, aimed[s], maxAttempts, landed)
		}
	}
}

// checkAfterKill checks what a kill left and what the next run makes of
// it: the working warehouse opens, the snapshot is whole, and the next run
// reaches an uninterrupted run's core, marts and counts, leaving nothing
// of the killed run behind.
func checkAfterKill(t *testing.T, kill int, dir, prevOK string, want map[string]string, truth demo.Truth) {
	t.Helper()
	wh, snap := filepath.Join(dir, "warehouse.duckdb"), filepath.Join(dir, "analytics.duckdb")
	// The working warehouse opens and still knows its runs.
	query(t, wh, "SELECT count(*) FROM meta.runs")
	// The snapshot is whole: the run before, or the killed run if it got
	// that far; never half of either.
	if _, err := os.Stat(snap); err == nil {
		if got := lastOKRun(t, snap); got == "" || (prevOK != "" && got < prevOK) {
			t.Fatalf("kill %d: snapshot's last run %q, previous %q", kill, got, prevOK)
		}
		query(t, snap, "SELECT count(*) FROM marts.category_share")
		if d := diffChecksums(want, checksums(t, snap)); len(d) > 0 {
			t.Fatalf("kill %d: published snapshot differs from an uninterrupted run's:\n%s", kill, strings.Join(d, "\n"))
		}
	} else if prevOK != "" {
		t.Fatalf("kill %d: the snapshot published before is gone: %v", kill, err)
	}

	res := run(t, nil, "run", "--data-dir", dir, "--demo-listings", strconv.Itoa(crashListings),
		"--demo-seed", strconv.Itoa(crashSeed), "--log-level", "debug")
	if res.code != 0 {
		t.Fatalf("kill %d: the next run failed: exit %d\n%s", kill, res.code, tail(res.stderr, 3000))
	}
	if d := diffChecksums(want, checksums(t, snap)); len(d) > 0 {
		t.Fatalf("kill %d: core/marts after the next run differ from an uninterrupted run's:\n%s", kill, strings.Join(d, "\n"))
	}
	for d, w := range truth.Datasets {
		if got := lastOKSteps(t, snap)[d]; got != w {
			t.Fatalf("kill %d: %s counted %+v, truth %+v", kill, d, got, w)
		}
	}
	assertNoLeftovers(t, dir, kill)
}

// killAt starts a run, sends SIGKILL as soon as it logs a line with every
// part of anchor, and returns the stage the run was in when it died, read
// from everything it logged (see landedIn).
func killAt(t *testing.T, args []string, anchor []string) string {
	t.Helper()
	p := bin.Start(t, args...)
	p.WaitFor(t, 60*time.Second, anchor...)
	// A kill late in publish can land after the run has exited: that is a
	// kill after the end, and the checks that follow hold for it too.
	p.Kill()
	p.Wait(t, 10*time.Second)
	return landedIn(strings.Split(p.Stderr(), "\n"))
}

// landedIn reads a killed run's log and names the stage it died in: the
// last stage started and not ended, "after <stage>" when that stage had
// ended and the next had not started, "after the run" once the run logged
// its end, and "before the run" when no stage had started.
func landedIn(lines []string) string {
	where := "before the run"
	for _, l := range lines {
		var e struct{ Msg, Phase string }
		if json.Unmarshal([]byte(l), &e) != nil {
			continue
		}
		switch {
		case e.Msg == "phase started":
			where = e.Phase
		case e.Msg == "run finished":
			where = "after the run"
		case e.Msg != "" && e.Msg == stageEnds[where]:
			where = "after " + where
		}
	}
	return where
}

// lastOKRun is the newest successful run in db, or "" when db does not exist.
func lastOKRun(t *testing.T, db string) string {
	t.Helper()
	if _, err := os.Stat(db); err != nil {
		return ""
	}
	r := query(t, db, "SELECT coalesce(max(run_id), '') FROM meta.runs WHERE status = 'ok'")
	return r[0][0]
}

// assertNoLeftovers: a run after a kill clears what the killed run left
// half-written (temporary snapshots, staged exports), so crashes do not
// fill the disk.
func assertNoLeftovers(t *testing.T, dir string, kill int) {
	t.Helper()
	var left []string
	for _, pattern := range []string{"*.tmp-*", "exports/.tmp-*", "exports/*.old-*"} {
		m, _ := filepath.Glob(filepath.Join(dir, pattern))
		left = append(left, m...)
	}
	if len(left) > 0 {
		slices.Sort(left)
		t.Errorf("kill %d: leftovers after the next run: %v", kill, left)
	}
}

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		t.Fatalf("%s=%q: want a non-negative integer", name, v)
	}
	return n
}
