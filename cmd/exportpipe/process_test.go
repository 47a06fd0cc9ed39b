package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/demo"
	"github.com/exportpipe/exportpipe/internal/testbin"
	"github.com/exportpipe/exportpipe/pipeline"
)

// These tests run the real binary as a subprocess, the way cron, systemd
// and Kubernetes do, and check what those schedulers act on: exit codes,
// the run lock, signals, and what reaches a terminal or a pipe.

var bin = testbin.New(".")

func TestMain(m *testing.M) { bin.Main(m) }

// SIGTERM in the middle of a load: exit 143 within the bound, and the next
// run over the same warehouse completes with exact counts.
func TestSIGTERMMidRunThenNextRunIsExact(t *testing.T) {
	dir := t.TempDir()
	const listings = 60000
	args := []string{"run", "--data-dir", dir, "--demo-listings", fmt.Sprint(listings), "--stop-timeout", "20s"}
	p := bin.Start(t, args...)
	// Listings load last and take most of the run: stop it there.
	p.WaitFor(t, 60*time.Second, `"msg":"dataset staged"`, `"dataset":"sailings"`)
	sent := time.Now()
	p.Signal(t, syscall.SIGTERM)
	if code := p.Wait(t, 25*time.Second); code != pipeline.ExitTerminated {
		t.Fatalf("exit code %d after SIGTERM, want 143; stderr:\n%s", code, p.Stderr())
	}
	t.Logf("stopped %s after SIGTERM", time.Since(sent).Round(time.Millisecond))
	// The summary says the run was interrupted and what was kept, without
	// a column of "reconciles false" for a merge that never happened; the
	// error is in the user's terms, with the driver's and DuckDB's words
	// left to the debug log.
	summary, stderr := p.Stdout(), p.Stderr()
	if !testbin.ContainsAll(summary, "interrupted after", "while extracting listings", "Nothing of this run was committed") ||
		strings.Contains(summary, "reconciles") || strings.Contains(summary, "false") {
		t.Errorf("summary of the interrupted run:\n%s", summary)
	}
	last := p.LastStderrLine()
	if !strings.Contains(last, "interrupted while extracting listings: nothing of it was committed") {
		t.Errorf("last line on stderr: %q", last)
	}
	for _, internal := range []string{"context canceled", "INTERRUPT", "Interrupted!", "arrow_scan", "get_next"} {
		if strings.Contains(stderr, internal) {
			t.Errorf("stderr shows %q at the default log level:\n%s", internal, stderr)
		}
	}

	again := bin.Start(t, args...)
	if code := again.Wait(t, 120*time.Second); code != 0 {
		t.Fatalf("run after SIGTERM: exit %d; stderr:\n%s", code, again.Stderr())
	}
	truth := demo.New(demo.Config{Seed: 1, Listings: listings}).Truth()
	rows := query(t, filepath.Join(dir, "analytics.duckdb"), `SELECT dataset, extracted, loaded, rejected, duplicates
		FROM meta.run_steps WHERE run_id = (SELECT run_id FROM meta.runs WHERE status = 'ok' ORDER BY started_at DESC LIMIT 1)`)
	for _, r := range rows {
		want := truth.Datasets[r[0]]
		got := demo.DatasetTruth{Extracted: atoi(t, r[1]), Valid: atoi(t, r[2]), Invalid: atoi(t, r[3]), Duplicates: atoi(t, r[4])}
		if got != want {
			t.Errorf("%s after an interrupted run: %+v, simulator says %+v", r[0], got, want)
		}
	}
	if len(rows) != len(pipeline.LoadOrder()) {
		t.Errorf("%d datasets in the run after SIGTERM, want %d", len(rows), len(pipeline.LoadOrder()))
	}
}

// Two runs on one warehouse: exactly one proceeds, the other exits 4 and
// names the holder. A holder killed with SIGKILL leaves a stale lock that
// the next run takes over.
func TestConcurrentRunsAndStaleLock(t *testing.T) {
	dir := t.TempDir()
	first := bin.Start(t, "run", "--data-dir", dir, "--demo-listings", "100000")
	first.WaitFor(t, 60*time.Second, `"msg":"run started"`)

	second := bin.Start(t, "run", "--data-dir", dir, "--demo-listings", "3000")
	if code := second.Wait(t, 60*time.Second); code != pipeline.ExitLocked {
		t.Fatalf("second run: exit %d, want 4; stderr:\n%s", code, second.Stderr())
	}
	msg := second.Stderr()
	if want := fmt.Sprintf("pid %d", first.Pid()); !testbin.ContainsAll(msg, "another run holds", want, "started ") {
		t.Errorf("second run's message does not name the holder (%s):\n%s", want, msg)
	}

	first.Signal(t, syscall.SIGKILL)
	first.Wait(t, 10*time.Second)
	third := bin.Start(t, "run", "--data-dir", dir, "--demo-listings", "3000")
	if code := third.Wait(t, 120*time.Second); code != 0 {
		t.Fatalf("run after a killed run: exit %d; stderr:\n%s", code, third.Stderr())
	}
	if !strings.Contains(third.Stderr(), "taking over the run lock") {
		t.Errorf("the stale lock was not reported:\n%s", third.Stderr())
	}
}

// The progress bar is drawn on a terminal and never into a pipe. script(1)
// from util-linux provides the pseudo-terminal.
func TestProgressOnlyOnTerminal(t *testing.T) {
	exe := bin.Path(t)
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) not installed; check by hand: exportpipe run shows a bar on a terminal, and `exportpipe run 2>&1 | cat` shows none")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	dir := t.TempDir()

	line := fmt.Sprintf("%s run --data-dir %s --demo-listings 30000", exe, filepath.Join(dir, "tty"))
	tty, err := exec.CommandContext(ctx, script, "-qefc", line, "/dev/null").Output()
	if err != nil {
		t.Fatalf("run under a pseudo-terminal: %v\n%s", err, tty)
	}
	if !testbin.ContainsAll(string(tty), "rec/s", "ETA", eraseLine, "extract  listings") {
		t.Errorf("no progress bar on a terminal:\n%q", lastBytes(tty, 2000))
	}
	// The bar stops when the run ends: nothing is drawn once the summary
	// begins.
	if i := bytes.Index(tty, []byte("exportpipe demo run ")); i < 0 || bytes.Contains(tty[i:], []byte(eraseLine)) {
		t.Errorf("progress drawn after the run ended (summary at %d):\n%q", i, lastBytes(tty, 2000))
	}
	// A person reads logs as text; a log collector gets JSON, one object a
	// line (below).
	if !testbin.ContainsAll(string(tty), "level=INFO", `msg="run finished"`) || bytes.Contains(tty, []byte(`{"time":`)) {
		t.Errorf("logs on a terminal should be text:\n%q", lastBytes(tty, 2000))
	}

	piped := exec.CommandContext(ctx, exe, "run", "--data-dir", filepath.Join(dir, "pipe"), "--demo-listings", "30000")
	var stderr bytes.Buffer
	piped.Stderr = &stderr
	out, err := piped.Output()
	if err != nil {
		t.Fatalf("piped run: %v\n%s", err, stderr.String())
	}
	for line := range bytes.Lines(stderr.Bytes()) {
		var rec struct{ Time, Level, Msg string }
		if err := json.Unmarshal(line, &rec); err != nil || rec.Time == "" || rec.Level == "" || rec.Msg == "" {
			t.Errorf("piped stderr line is not a JSON log record (%v): %q", err, line)
		}
	}
	for name, b := range map[string][]byte{"stdout": out, "stderr": stderr.Bytes()} {
		if bytes.Contains(b, []byte("rec/s")) || bytes.ContainsRune(b, '\r') || bytes.ContainsRune(b, '\033') {
			t.Errorf("progress output in piped %s:\n%q", name, lastBytes(b, 2000))
		}
	}
}

func lastBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
