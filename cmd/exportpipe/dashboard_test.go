package main

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/exportpipe/exportpipe/demo"
	"github.com/exportpipe/exportpipe/pipeline"
)

// demoSnapshot runs the demo into a fresh folder and returns it and the
// run's id.
func demoSnapshot(t *testing.T, dir string, listings string) string {
	t.Helper()
	out, stderr, code := cli(t, "run", "--data-dir", dir, "--demo-listings", listings)
	if code != pipeline.ExitOK {
		t.Fatalf("demo run exited %d:\n%s", code, stderr)
	}
	id := regexp.MustCompile(`run (\S+): ok`).FindStringSubmatch(out)
	if id == nil {
		t.Fatalf("no run id in the summary:\n%s", out)
	}
	return id[1]
}

// The report is one file of every view, whose export links open the files
// the run published beside it.
func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	runID := demoSnapshot(t, dir, "2000")
	out := filepath.Join(dir, "report.html")
	if _, stderr, code := cli(t, "report", "--db", filepath.Join(dir, "analytics.duckdb"), "--out", out); code != 0 {
		t.Fatalf("report exited %d:\n%s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{runID, `<svg role="img"`, `id="view-rejects"`, `id="routes-table"`} {
		if !strings.Contains(html, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Contains(html, "<script") {
		t.Error("the report has a script")
	}
	links := regexp.MustCompile(`href="(exports/[^"]+)"`).FindAllStringSubmatch(html, -1)
	if len(links) < 10 {
		t.Fatalf("%d export links, want one CSV and one Parquet per mart shown", len(links))
	}
	for _, l := range links {
		p, err := url.PathUnescape(strings.ReplaceAll(l[1], "&#43;", "+"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p))); err != nil {
			t.Errorf("export link %s: %v", l[1], err)
		}
	}

	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"report", "--db", filepath.Join(dir, "nope.duckdb"), "--out", filepath.Join(dir, "r2.html")}, 1, "no snapshot published yet"},
		{[]string{"report", "--db", "a.duckdb", "--config", "b.yaml"}, 2, "not both"},
		{[]string{"dashboard", "--db", "a.duckdb", "--config", "b.yaml"}, 2, "not both"},
	}
	for _, c := range cases {
		if _, stderr, code := cli(t, c.args...); code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, want %d with %q:\n%s", c.args, code, c.code, c.want, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "r2.html")); err == nil {
		t.Error("a failed report left a file")
	}
}

// The dashboard is bound to loopback unless told otherwise.
func TestDashboardListensOnLoopbackByDefault(t *testing.T) {
	if got := newDashboardCmd().Flags().Lookup("addr").DefValue; got != "127.0.0.1:8080" {
		t.Errorf("--addr defaults to %s", got)
	}
}

// A running dashboard never holds up a run, and shows the run's new
// snapshot on the next page without a restart.
func TestDashboardFollowsRuns(t *testing.T) {
	dir := t.TempDir()
	first := demoSnapshot(t, dir, "2000")
	base := startDashboard(t, bin, "--db", filepath.Join(dir, "analytics.duckdb"))
	if code, body := get(t, base+"/"); code != 200 || !strings.Contains(body, first) {
		t.Fatalf("GET /: %d, want the first run %s", code, first)
	}
	second := demoSnapshot(t, dir, "2500")
	if second == first {
		t.Fatal("the second run has the first one's id")
	}
	code, body := get(t, base+"/")
	if code != 200 || !strings.Contains(body, second) {
		t.Errorf("GET / after the second run: %d, want run %s:\n%s", code, second, body)
	}
}

// exportpipe serve serves the dashboard of its config's snapshot at /,
// beside its operational endpoints, from before the first run on.
func TestServeServesTheDashboard(t *testing.T) {
	t.Setenv("EXPORTPIPE_TEST_TOKEN", serveToken)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sim := demo.New(demo.Config{Seed: 5, Listings: 1500})
	simAddr, stopSim, err := demo.Serve(ctx, sim, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim(context.Background())
	dir := t.TempDir()
	d, err := startDaemon(ctx, serveConfig(t, "http://"+simAddr, dir), "serve_test.yaml", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + d.addr
	if code, body := get(t, base+"/"); code != 503 || !strings.Contains(body, "no snapshot published yet") {
		t.Errorf("GET / before any run: %d:\n%s", code, body)
	}
	if code := post(t, base+"/runs", serveToken, ""); code != 202 {
		t.Fatalf("POST /runs: %d", code)
	}
	waitIdle(t, base)
	_, first := get(t, base+"/")
	firstRun := shownRun(first)
	if firstRun == "" {
		t.Fatalf("GET / names no run:\n%s", first)
	}
	for path, want := range map[string]string{"/": "Last successful run", "/shipping": "PNSC", "/healthz": `"status":"ok"`} {
		if code, body := get(t, base+path); code != 200 || !strings.Contains(body, want) {
			t.Errorf("GET %s: %d, want %q:\n%s", path, code, want, body)
		}
	}
	if code, _ := get(t, base+"/no-such-view"); code != 404 {
		t.Errorf("GET /no-such-view: %d", code)
	}
	// The dashboard now holds the snapshot open in the daemon's own
	// process; the next scheduled run publishes over it all the same, and
	// the next page shows that run.
	if code := post(t, base+"/runs", serveToken, ""); code != 202 {
		t.Fatalf("second POST /runs: %d", code)
	}
	waitIdle(t, base)
	code, body := get(t, base+"/")
	if code != 200 || shownRun(body) == firstRun || !strings.Contains(body, `<td>runs recorded</td><td class="num ">2</td>`) {
		t.Errorf("GET / after the second run: %d, run %s (the first was %s):\n%s", code, shownRun(body), firstRun, body)
	}
	cancel()
	if err := d.wait(); err != nil {
		t.Fatal(err)
	}
}

// shownRun is the run id a page's header names.
func shownRun(page string) string {
	m := regexp.MustCompile(`: run <code>([^<]+)</code>`).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return m[1]
}

// --config reads that config's snapshot and exports.
func TestReportFromConfig(t *testing.T) {
	n := newNights(t, "")
	n.mustNight("A,S1,Cotton towel,home_textiles,US $10.00,100 Pieces,2025-01-02T00:00:00Z\n")
	out := filepath.Join(n.dir, "report.html")
	if _, stderr, code := cli(t, "report", "--config", n.conf, "--out", out); code != 0 {
		t.Fatalf("report exited %d:\n%s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	runID := n.rows(n.snapshot(), "SELECT run_id FROM meta.runs")[0]
	for _, want := range []string{runID, "<td>shop</td>", `href="exports/run_id=`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the report of the config's snapshot lacks %q", want)
		}
	}
}
