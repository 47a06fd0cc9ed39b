package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/extractors/demo"
	"github.com/exportpipe/exportpipe/internal/testbin"
	"github.com/exportpipe/exportpipe/pipeline"
)

// These tests run the real binary as a subprocess, the way cron, systemd
// and Kubernetes do, and check what those schedulers act on: exit codes,
// the run lock, signals, and what reaches a terminal or a pipe.

var bin = testbin.New(".")

func TestMain(m *testing.M) {
	code := m.Run()
	bin.Cleanup()
	os.Exit(code)
}

// exportpipeBinary builds the command once per test binary.
func exportpipeBinary(t *testing.T) string {
	t.Helper()
	return bin.Path(t)
}

// proc is a running exportpipe whose stderr lines are scanned as they come.
type proc struct {
	cmd    *exec.Cmd
	stdout bytes.Buffer
	mu     sync.Mutex
	stderr []string
	lines  chan string
	done   chan struct{}
}

func start(t *testing.T, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(exportpipeBinary(t), args...), lines: make(chan string, 4096), done: make(chan struct{})}
	p.cmd.Stdout = &p.stdout
	errPipe, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(p.lines)
		sc := bufio.NewScanner(errPipe)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			p.mu.Lock()
			p.stderr = append(p.stderr, sc.Text())
			p.mu.Unlock()
			select {
			case p.lines <- sc.Text():
			default:
			}
		}
	}()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		}
	})
	return p
}

// waitFor returns once a stderr line contains every part.
func (p *proc) waitFor(t *testing.T, timeout time.Duration, parts ...string) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				t.Fatalf("process ended before logging %q; stderr:\n%s", parts, p.stderrText())
			}
			if containsAll(l, parts...) {
				return
			}
		case <-deadline:
			t.Fatalf("no log line with %q within %s; stderr:\n%s", parts, timeout, p.stderrText())
		}
	}
}

// wait returns the exit code, failing the test if it takes too long.
func (p *proc) wait(t *testing.T, timeout time.Duration) int {
	t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- p.cmd.Wait() }()
	select {
	case err := <-errc:
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		for range p.lines { // let the scanner finish
		}
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(timeout):
		_ = p.cmd.Process.Kill()
		t.Fatalf("did not exit within %s; stderr:\n%s", timeout, p.stderrText())
		return -1
	}
}

func (p *proc) stderrText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.stderr, "\n")
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// SIGTERM in the middle of a load: exit 143 within the bound, and the next
// run over the same warehouse completes with exact counts.
func TestSIGTERMMidRunThenNextRunIsExact(t *testing.T) {
	dir := t.TempDir()
	const listings = 60000
	args := []string{"run", "--data-dir", dir, "--demo-listings", fmt.Sprint(listings), "--stop-timeout", "20s"}
	p := start(t, args...)
	// Listings load last and take most of the run: stop it there.
	p.waitFor(t, 60*time.Second, `"msg":"dataset staged"`, `"dataset":"sailings"`)
	sent := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t, 25*time.Second); code != pipeline.ExitTerminated {
		t.Fatalf("exit code %d after SIGTERM, want 143; stderr:\n%s", code, p.stderrText())
	}
	t.Logf("stopped %s after SIGTERM", time.Since(sent).Round(time.Millisecond))

	again := start(t, args...)
	if code := again.wait(t, 120*time.Second); code != 0 {
		t.Fatalf("run after SIGTERM: exit %d; stderr:\n%s", code, again.stderrText())
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
	if len(rows) != len(pipeline.LoadOrder) {
		t.Errorf("%d datasets in the run after SIGTERM, want %d", len(rows), len(pipeline.LoadOrder))
	}
}

// Two runs on one warehouse: exactly one proceeds, the other exits 4 and
// names the holder. A holder killed with SIGKILL leaves a stale lock that
// the next run takes over.
func TestConcurrentRunsAndStaleLock(t *testing.T) {
	dir := t.TempDir()
	first := start(t, "run", "--data-dir", dir, "--demo-listings", "100000")
	first.waitFor(t, 60*time.Second, `"msg":"run started"`)

	second := start(t, "run", "--data-dir", dir, "--demo-listings", "3000")
	if code := second.wait(t, 60*time.Second); code != pipeline.ExitLocked {
		t.Fatalf("second run: exit %d, want 4; stderr:\n%s", code, second.stderrText())
	}
	msg := second.stderrText()
	if want := fmt.Sprintf("pid %d", first.cmd.Process.Pid); !containsAll(msg, "another run holds", want, "started ") {
		t.Errorf("second run's message does not name the holder (%s):\n%s", want, msg)
	}

	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.wait(t, 10*time.Second)
	third := start(t, "run", "--data-dir", dir, "--demo-listings", "3000")
	if code := third.wait(t, 120*time.Second); code != 0 {
		t.Fatalf("run after a killed run: exit %d; stderr:\n%s", code, third.stderrText())
	}
	if !strings.Contains(third.stderrText(), "taking over the run lock") {
		t.Errorf("the stale lock was not reported:\n%s", third.stderrText())
	}
}

// The progress bar is drawn on a terminal and never into a pipe. script(1)
// from util-linux provides the pseudo-terminal.
func TestProgressOnlyOnTerminal(t *testing.T) {
	bin := exportpipeBinary(t)
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) not installed; check by hand: exportpipe run shows a bar on a terminal, and `exportpipe run 2>&1 | cat` shows none")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	dir := t.TempDir()

	line := fmt.Sprintf("%s run --data-dir %s --demo-listings 30000", bin, filepath.Join(dir, "tty"))
	tty, err := exec.CommandContext(ctx, script, "-qefc", line, "/dev/null").Output()
	if err != nil {
		t.Fatalf("run under a pseudo-terminal: %v\n%s", err, tty)
	}
	if !containsAll(string(tty), "rec/s", "ETA", eraseLine) {
		t.Errorf("no progress bar on a terminal:\n%q", lastBytes(tty, 2000))
	}

	piped := exec.CommandContext(ctx, bin, "run", "--data-dir", filepath.Join(dir, "pipe"), "--demo-listings", "30000")
	var stderr bytes.Buffer
	piped.Stderr = &stderr
	out, err := piped.Output()
	if err != nil {
		t.Fatalf("piped run: %v\n%s", err, stderr.String())
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
