//go:build duckdb_arrow

package reliability

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/demo"
)

// crashListings sizes the demo so a run takes about two seconds, long
// enough to kill it at any stage.
const (
	crashListings = 2000
	crashSeed     = 3
	defaultKills  = 6
)

// killPoint is where in a run a kill lands: a log line that announces the
// stage (at debug level), then a random delay of up to maxDelay, so kills
// fall between statements and in the middle of them.
type killPoint struct {
	stage    string
	anchor   []string
	maxDelay time.Duration
}

var killPoints = []killPoint{
	{"extract", []string{`"msg":"run started"`}, 300 * time.Millisecond},
	{"load", []string{`"msg":"dataset staged"`, `"dataset":"sailings"`}, 100 * time.Millisecond},
	{"merge", []string{`"msg":"merge step"`, `"dataset":"fx_rates"`}, 120 * time.Millisecond},
	{"marts", []string{`"msg":"committed run"`}, 150 * time.Millisecond},
	{"publish", []string{`"msg":"built marts"`}, 700 * time.Millisecond},
	{"after publish", []string{`"msg":"published snapshot and exports"`}, 0},
}

// TestKillNineAnywhere sends SIGKILL to `exportpipe run` at points spread
// over extract, load, merge, marts and publish, all on one warehouse, and
// after each kill checks that the working warehouse opens, that the
// published snapshot is intact (the old one or the new one, whole), and
// that the next run leaves core and marts identical to an uninterrupted
// run's. EXPORTPIPE_CRASH_KILLS sets the number of kills (default 6; 20
// for the full set), EXPORTPIPE_CRASH_SEED the delays' seed.
func TestKillNineAnywhere(t *testing.T) {
	kills := envInt(t, "EXPORTPIPE_CRASH_KILLS", defaultKills)
	seed := envInt(t, "EXPORTPIPE_CRASH_SEED", 1)
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6b696c6c))
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
	start := time.Now()
	for i := range kills {
		kp := killPoints[i%len(killPoints)]
		delay := time.Duration(0)
		if kp.maxDelay > 0 {
			delay = time.Duration(rng.Int64N(int64(kp.maxDelay)))
		}
		prevOK := lastOKRun(t, snap)
		stage := killAt(t, args(dir), kp, delay)
		landed[stage]++
		t.Logf("kill %d: at %s + %s, last log line %q", i+1, kp.stage, delay.Round(time.Millisecond), stage)

		// The working warehouse opens and still knows its runs.
		query(t, wh, "SELECT count(*) FROM meta.runs")
		// The snapshot is whole: the run before, or the killed run if it
		// got that far; never half of either.
		if _, err := os.Stat(snap); err == nil {
			if got := lastOKRun(t, snap); got == "" || (prevOK != "" && got < prevOK) {
				t.Fatalf("kill %d: snapshot's last run %q, previous %q", i+1, got, prevOK)
			}
			query(t, snap, "SELECT count(*) FROM marts.category_share")
			if d := diffChecksums(want, checksums(t, snap)); len(d) > 0 {
				t.Fatalf("kill %d: published snapshot differs from an uninterrupted run's:\n%s", i+1, strings.Join(d, "\n"))
			}
		} else if prevOK != "" {
			t.Fatalf("kill %d: the snapshot published before is gone: %v", i+1, err)
		}

		res := run(t, nil, args(dir)...)
		if res.code != 0 {
			t.Fatalf("kill %d: the next run failed: exit %d\n%s", i+1, res.code, tail(res.stderr, 3000))
		}
		if d := diffChecksums(want, checksums(t, snap)); len(d) > 0 {
			t.Fatalf("kill %d: core/marts after the next run differ from an uninterrupted run's:\n%s", i+1, strings.Join(d, "\n"))
		}
		for d, w := range truth.Datasets {
			if got := lastOKSteps(t, snap)[d]; got != w {
				t.Fatalf("kill %d: %s counted %+v, truth %+v", i+1, d, got, w)
			}
		}
		assertNoLeftovers(t, dir, i+1)
	}
	stuck := query(t, wh, "SELECT count(*) FROM meta.runs WHERE status = 'running'")[0][0]
	if stuck != "0" {
		t.Errorf("%s killed runs are still shown as running in meta.runs", stuck)
	}
	t.Logf("%d kills survived in %s; last log line before each kill: %v", kills, time.Since(start).Round(time.Second), landed)
}

// killAt starts a run, waits for the kill point's announcement and the
// delay, sends SIGKILL and returns the message of the last log line the
// run wrote, which says where the kill actually landed.
func killAt(t *testing.T, args []string, kp killPoint, delay time.Duration) string {
	t.Helper()
	p := bin.Start(t, args...)
	p.WaitFor(t, 60*time.Second, kp.anchor...)
	time.Sleep(delay)
	// A kill late in publish can land after the run has exited: that is a
	// kill after the end, and the checks that follow hold for it too.
	p.Kill()
	p.Wait(t, 10*time.Second)
	var last struct{ Msg, Dataset, Mart string }
	_ = json.Unmarshal([]byte(p.LastStderrLine()), &last)
	return strings.TrimSpace(strings.Join([]string{last.Msg, last.Dataset, last.Mart}, " "))
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

var _ = fmt.Sprint
