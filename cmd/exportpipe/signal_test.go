package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// stuckStepEnv makes TestStuckStepProcess act as a process whose current
// step ignores cancellation (a DuckDB call that does not return, say), so
// the tests below can see what the signal handling does on its own.
const stuckStepEnv = "EXPORTPIPE_TEST_STUCK_STEP"

func TestStuckStepProcess(t *testing.T) {
	bound := os.Getenv(stuckStepEnv)
	if bound == "" {
		t.Skip("helper process for the signal tests")
	}
	d, _ := time.ParseDuration(bound)
	stopBound.Store(int64(d))
	ctx, stop, _ := signalContext()
	defer stop()
	fmt.Println("ready")
	<-ctx.Done()
	fmt.Println("cancelled")
	time.Sleep(time.Minute) // the step does not stop
	os.Exit(0)
}

// startStuck runs the helper with a stop bound and waits until it listens
// for signals. It returns the process and a channel of its stdout lines.
func startStuck(t *testing.T, bound time.Duration) (*exec.Cmd, *strings.Builder, <-chan string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestStuckStepProcess$")
	cmd.Env = append(os.Environ(), stuckStepEnv+"="+bound.String())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	lines := make(chan string, 8)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	expectLine(t, lines, "ready")
	return cmd, &stderr, lines
}

func expectLine(t *testing.T, lines <-chan string, want string) {
	t.Helper()
	select {
	case l := <-lines:
		if l != want {
			t.Fatalf("helper printed %q, want %q", l, want)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("helper did not print %q within 30s", want)
	}
}

// waitExit returns the exit code, or fails if the process is still running
// after timeout.
func waitExit(t *testing.T, cmd *exec.Cmd, timeout time.Duration) int {
	t.Helper()
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
		return cmd.ProcessState.ExitCode()
	case <-time.After(timeout):
		t.Fatalf("still running %s after the signal", timeout)
		return -1
	}
}

// The first SIGTERM only cancels the run's context, giving the step time to
// stop cleanly; a second one exits at once with the first signal's code.
func TestSecondSignalForcesExit(t *testing.T) {
	cmd, stderr, lines := startStuck(t, time.Hour)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	expectLine(t, lines, "cancelled")
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.Signal(0)); err != nil {
		t.Fatalf("the first signal ended the process (%v); it should only cancel the step", err)
	}
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := waitExit(t, cmd, 10*time.Second); code != pipeline.ExitTerminated {
		t.Errorf("exit code %d after SIGTERM then SIGINT, want %d (the first signal's)", code, pipeline.ExitTerminated)
	}
	t.Logf("exited %s after the second signal", time.Since(sent).Round(time.Millisecond))
	if !strings.Contains(stderr.String(), "second signal, exiting now") {
		t.Errorf("stderr does not say why it exited: %q", stderr.String())
	}
}

// A step that ignores cancellation cannot hold the process past the stop
// bound (--stop-timeout): a scheduler's SIGTERM always ends it in time.
func TestStuckStepExitsAtTheStopBound(t *testing.T) {
	cmd, stderr, lines := startStuck(t, 500*time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	expectLine(t, lines, "cancelled")
	if code := waitExit(t, cmd, 10*time.Second); code != pipeline.ExitInterrupted {
		t.Errorf("exit code %d after SIGINT and a stuck step, want %d", code, pipeline.ExitInterrupted)
	}
	if !strings.Contains(stderr.String(), "did not stop within 500ms of interrupt") {
		t.Errorf("stderr does not say the bound ran out: %q", stderr.String())
	}
}
