//go:build duckdb_arrow

package reliability

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/demo"
	"github.com/exportpipe/exportpipe/pipeline"
)

// faultListings keeps each run near two seconds; with 500-record pages a
// run makes about 28 page requests over the five datasets.
const faultListings = 2000

// faultsInjected totals the faults the simulators answered with, for the
// figure in RELIABILITY.md.
var faultsInjected atomic.Int64

// TestFaultsThroughThePipeline runs the whole pipeline (the binary, over
// HTTP) against the simulator injecting one kind of fault per case. A
// fault the extractor can ride out must leave core and the counts exactly
// as the simulator's ground truth says; one it cannot must fail the run
// with a clear error and the documented exit code, commit nothing, publish
// nothing, and the next clean run must complete it exactly.
func TestFaultsThroughThePipeline(t *testing.T) {
	t.Parallel()
	base := demo.Config{Seed: 7, Listings: faultListings}
	cases := []struct {
		name     string
		faults   func(*demo.Config)
		timeout  string
		retries  int
		wantCode int
		wantErr  []string // parts of the error line when the run fails
	}{
		{name: "429 with Retry-After 0", faults: func(c *demo.Config) { c.Fail429Every = 4 }},
		{name: "429 with Retry-After 1s", faults: func(c *demo.Config) { c.Fail429Every = 15; c.Faults.RetryAfter = time.Second }},
		{name: "503 burst shorter than the retries", faults: func(c *demo.Config) { c.Faults.Status503From, c.Faults.Status503Count = 3, 3 }},
		{name: "503 outage longer than the retries", retries: 2, wantCode: pipeline.ExitUnavailable,
			faults:  func(c *demo.Config) { c.Faults.Status503From, c.Faults.Status503Count = 8, 1<<30 },
			wantErr: []string{"source unavailable", "gave up after 3 attempt(s)", "status 503", "demo_freight_rates"}},
		{name: "connection resets", faults: func(c *demo.Config) { c.Faults.ResetEvery = 5 }},
		{name: "stalls past the timeout", timeout: "400ms", faults: func(c *demo.Config) { c.Faults.StallEvery, c.Faults.Stall = 6, 10*time.Second }},
		{name: "bodies cut short of Content-Length", faults: func(c *demo.Config) { c.Faults.TruncateEvery = 5 }},
		{name: "repeated pages", faults: func(c *demo.Config) { c.Faults.RepeatEvery = 3 }},
		{name: "JSON cut off inside a complete response", wantCode: pipeline.ExitFailed,
			faults:  func(c *demo.Config) { c.Faults.CutJSONEvery = 9 },
			wantErr: []string{"page 3 of demo_freight_rates", "not a JSON object", "unexpected end of JSON input"}},
		{name: "HTML instead of JSON", wantCode: pipeline.ExitFailed,
			faults:  func(c *demo.Config) { c.Faults.NotJSONEvery = 9 },
			wantErr: []string{"page 3 of demo_freight_rates", "not a JSON object"}},
		{name: "page missing (404), back on the next request", wantCode: pipeline.ExitFailed,
			faults:  func(c *demo.Config) { c.Faults.MissingEvery = 9 },
			wantErr: []string{"fetch page 3 of demo_freight_rates", "status 404", "no such page"}},
		{name: "every transient fault at once", timeout: "400ms", faults: func(c *demo.Config) {
			c.Fail429Every = 7
			c.Faults = demo.Faults{Status503From: 20, Status503Count: 2, ResetEvery: 11, StallEvery: 17, Stall: 10 * time.Second,
				TruncateEvery: 13, RepeatEvery: 5}
		}},
	}
	truth := demo.New(base).Truth()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := base
			tc.faults(&cfg)
			url, sim := serveDemo(t, cfg)
			dir := t.TempDir()
			conf := writeConfig(t, configOpts{Dir: dir, URL: url, Timeout: tc.timeout, Retries: tc.retries})
			res := run(t, nil, "run", "--config", conf)
			injected := sim.FaultsInjected()
			faultsInjected.Add(injected)
			if injected == 0 {
				t.Fatalf("no fault was injected; the case tests nothing")
			}
			if res.code != tc.wantCode {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", res.code, tc.wantCode, tail(res.stderr, 3000))
			}
			snap := filepath.Join(dir, "analytics.duckdb")
			if tc.wantCode == 0 {
				assertTruth(t, snap, truth)
				assertRetried(t, snap, cfg)
				assertSameAsClean(t, snap)
				t.Logf("%d faults injected; exact in %s", injected, res.took.Round(time.Millisecond))
				return
			}
			assertFailedCleanly(t, dir, res, tc.wantErr)
			// The source recovers: the same world served without faults.
			url, _ = serveDemo(t, base)
			again := run(t, nil, "run", "--config", writeConfig(t, configOpts{Dir: dir, URL: url}))
			if again.code != 0 {
				t.Fatalf("clean run after the failure: exit %d; stderr:\n%s", again.code, tail(again.stderr, 3000))
			}
			assertTruth(t, snap, truth)
			assertSameAsClean(t, snap)
			t.Logf("%d faults injected; failed with exit %d, next run exact", injected, res.code)
		})
	}
	t.Cleanup(func() { t.Logf("faults injected in all: %d", faultsInjected.Load()) })
}

// assertRetried checks the run's figures show the retries the faults forced.
func assertRetried(t *testing.T, db string, cfg demo.Config) {
	t.Helper()
	r := query(t, db, `SELECT sum(retries), sum(status_429) FROM meta.run_steps
		WHERE run_id = (SELECT run_id FROM meta.runs WHERE status = 'ok' ORDER BY started_at DESC LIMIT 1)`)[0]
	if atoi(t, r[0]) == 0 {
		t.Errorf("meta.run_steps shows no retries although faults were injected")
	}
	if cfg.Fail429Every > 0 && atoi(t, r[1]) == 0 {
		t.Errorf("meta.run_steps shows no 429s although the simulator sent some")
	}
}

// assertFailedCleanly: a clear error on stderr, the run recorded as failed
// in the working warehouse, nothing committed to core, nothing published.
func assertFailedCleanly(t *testing.T, dir string, res result, wantErr []string) {
	t.Helper()
	last := lastLine(res.stderr)
	if !strings.HasPrefix(last, "exportpipe: ") {
		t.Errorf("last stderr line is not the error: %q", last)
	}
	for _, w := range wantErr {
		if !strings.Contains(last, w) {
			t.Errorf("error %q does not say %q", last, w)
		}
	}
	wh := filepath.Join(dir, "warehouse.duckdb")
	r := query(t, wh, `SELECT status, error IS NOT NULL,
		(SELECT count(*) FROM core.listings) + (SELECT count(*) FROM core.fx_rates) FROM meta.runs`)
	if len(r) != 1 || r[0][0] != "failed" || r[0][1] != "true" || r[0][2] != "0" {
		t.Errorf("working warehouse after a failed first run: %v; want one failed run with its error and empty core", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "analytics.duckdb")); err == nil {
		t.Errorf("a failed first run published a snapshot")
	}
}

var cleanRef struct {
	sync.Once
	sums   map[string]string
	stderr string
}

// assertSameAsClean compares core and marts with those of a run that saw
// no fault at all.
func assertSameAsClean(t *testing.T, db string) {
	t.Helper()
	cleanRef.Do(func() {
		url, _ := serveDemo(t, demo.Config{Seed: 7, Listings: faultListings})
		dir := t.TempDir()
		res := run(t, nil, "run", "--config", writeConfig(t, configOpts{Dir: dir, URL: url}))
		cleanRef.stderr = res.stderr
		if res.code == 0 {
			cleanRef.sums = checksums(t, filepath.Join(dir, "analytics.duckdb"))
		}
	})
	if cleanRef.sums == nil {
		t.Fatalf("the clean reference run failed:\n%s", tail(cleanRef.stderr, 3000))
	}
	if d := diffChecksums(cleanRef.sums, checksums(t, db)); len(d) > 0 {
		t.Errorf("core/marts differ from a run without faults:\n%s", strings.Join(d, "\n"))
	}
}

func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	return s[strings.LastIndexByte(s, '\n')+1:]
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
