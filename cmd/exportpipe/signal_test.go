package main

import (
	"bufio"
	"fmt"
	"io"
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
	// The step does not stop. It answers each line on stdin with "alive",
	// so a test can tell that the process outlived a signal without
	// guessing how long an exit would take.
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		fmt.Println("alive")
	}
	time.Sleep(time.Minute)
	os.Exit(0)
}

// stuck is a running helper: its process, its stderr so far, its stdout
// lines, and its stdin.
type stuck struct {
	cmd    *exec.Cmd
	stderr *strings.Builder
	lines  <-chan string
	stdin  io.Writer
}

// startStuck runs the helper with a stop bound and waits until it listens
// for signals.
func startStuck(t *testing.T, bound time.Duration) stuck {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestStuckStepProcess$")
	cmd.Env = append(os.Environ(), stuckStepEnv+"="+bound.String())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}

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
	return stuck{cmd: cmd, stderr: &stderr, lines: lines, stdin: in}
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
	h := startStuck(t, time.Hour)
	cmd, stderr, lines := h.cmd, h.stderr, h.lines
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	expectLine(t, lines, "cancelled")
	// The signal has been handled (the context is cancelled); the process
	// must still be there to answer.
	if _, err := io.WriteString(h.stdin, "still there?\n"); err != nil {
		t.Fatalf("the first signal ended the process (%v); it should only cancel the step", err)
	}
	expectLine(t, lines, "alive")
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
	h := startStuck(t, 500*time.Millisecond)
	cmd, stderr, lines := h.cmd, h.stderr, h.lines
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
