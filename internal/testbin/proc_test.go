package testbin

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// talker stands in for exportpipe: it writes to stderr and exits as its
// arguments say (see testdata/talker).
var talker = New("./testdata/talker")

func TestMain(m *testing.M) { talker.Main(m) }

// WaitFor follows the log in order: a line matched once is not matched
// again, so successive calls walk through the stages of a run.
func TestWaitForFollowsTheLogInOrder(t *testing.T) {
	p := talker.Start(t, "say:run started", "say:step a=1", "sleep:50ms", "say:step a=2", "exit:3")
	if got := p.WaitFor(t, 10*time.Second, "step"); got != "step a=1" {
		t.Errorf("first WaitFor: %q, want the first step", got)
	}
	if got := p.WaitFor(t, 10*time.Second, "step"); got != "step a=2" {
		t.Errorf("second WaitFor: %q, want the second step", got)
	}
	if code := p.Wait(t, 10*time.Second); code != 3 {
		t.Errorf("exit code %d, want 3", code)
	}
}

// Once Wait has returned, Stderr holds every line, including those written
// just before the exit and a last one without a newline: the lines that
// say how a run ended.
func TestStderrIsCompleteAfterWait(t *testing.T) {
	p := talker.Start(t, "many:20000", "partial:last words", "exit:1")
	if code := p.Wait(t, 30*time.Second); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	lines := strings.Split(p.Stderr(), "\n")
	if len(lines) != 20001 || lines[19999] != "line 19999" {
		t.Errorf("%d stderr lines, want 20001 ending with line 19999 and the last words; last lines:\n%s",
			len(lines), strings.Join(lines[max(0, len(lines)-3):], "\n"))
	}
	if got := p.LastStderrLine(); got != "last words" {
		t.Errorf("LastStderrLine %q, want the unterminated last line", got)
	}
}

// A process that exits without logging the awaited line fails the test
// at once, saying which command it was, how it ended and what it logged.
func TestWaitForReportsAnEarlyExit(t *testing.T) {
	p := talker.Start(t, "say:only line", "exit:2")
	msg := fatalMessage(func(tb testing.TB) { p.WaitFor(tb, time.Minute, "never logged") })
	for _, want := range []string{"say:only line exit:2", "exit status 2", `"never logged"`, "only line"} {
		if !strings.Contains(msg, want) {
			t.Errorf("failure message lacks %q:\n%s", want, msg)
		}
	}
}

// A process that stays silent fails WaitFor at the timeout, with what it
// has logged so far.
func TestWaitForTimesOut(t *testing.T) {
	p := talker.Start(t, "say:still busy", "sleep:1m")
	msg := fatalMessage(func(tb testing.TB) { p.WaitFor(tb, 100*time.Millisecond, "done") })
	for _, want := range []string{"within 100ms", `"done"`, "still busy"} {
		if !strings.Contains(msg, want) {
			t.Errorf("failure message lacks %q:\n%s", want, msg)
		}
	}
}

// A process that does not exit in time fails Wait and is killed, so it
// outlives neither the test nor the lock it may hold.
func TestWaitKillsAtTimeout(t *testing.T) {
	p := talker.Start(t, "say:still busy", "sleep:1m")
	msg := fatalMessage(func(tb testing.TB) { p.Wait(tb, 100*time.Millisecond) })
	if !ContainsAll(msg, "did not exit within 100ms", "still busy") {
		t.Errorf("failure message does not say it timed out, with stderr:\n%s", msg)
	}
	select {
	case <-p.exited:
	default:
		t.Error("the process still runs after Wait timed out")
	}
}

// fatalMessage runs f with a testing.TB whose Fatalf records its message
// and stops f, and returns the message ("" if f did not fail).
func fatalMessage(f func(testing.TB)) string {
	rec := &fatalRecorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(rec)
	}()
	<-done
	return rec.msg
}

type fatalRecorder struct {
	testing.TB // nil: only the methods below may be called
	msg        string
}

func (r *fatalRecorder) Helper() {}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
