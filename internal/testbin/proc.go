package testbin

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Proc is a running exportpipe whose stderr, where it logs, is collected
// line by line as it is written, so a test can act at a point in a run
// (send a signal once a stage has been logged) and read everything the
// process said once it has exited.
type Proc struct {
	name string // the command line, for failure messages
	cmd  *exec.Cmd

	// exited is closed once the process has exited and all its stderr has
	// been collected; waitErr and cmd.ProcessState are set before that.
	exited  chan struct{}
	waitErr error

	mu      sync.Mutex
	lines   []string
	partial []byte        // the start of a line not yet ended by '\n'
	grew    chan struct{} // closed, then replaced, whenever lines grows
	seen    int           // how many lines WaitFor has already looked at

	stdout bytes.Buffer // what the process printed on stdout (exec writes it)
}

// Start builds the binary (see Path) and starts it with args. The process
// is killed when the test ends if it is still running, so a failing test
// leaves no run holding a lock or a port.
func (b *Binary) Start(t testing.TB, args ...string) *Proc {
	t.Helper()
	path := b.Path(t)
	p := &Proc{
		name:   strings.Join(append([]string{filepath.Base(path)}, args...), " "),
		cmd:    exec.Command(path, args...),
		exited: make(chan struct{}),
		grew:   make(chan struct{}),
	}
	// Stderr is a Writer rather than StderrPipe: exec then copies the pipe
	// itself and Cmd.Wait returns only after the last byte has been copied.
	// With StderrPipe, Wait closes the pipe as soon as the process exits
	// and may cut off its final lines, the ones that say how a run ended.
	p.cmd.Stderr = (*lineWriter)(p)
	p.cmd.Stdout = &p.stdout
	// Bound the copying should a child of the binary keep stderr open.
	p.cmd.WaitDelay = 5 * time.Second
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", p.name, err)
	}
	// One goroutine waits for the process, so nothing the test does (or
	// fails to do) can stall it, and WaitFor can tell an exit from silence.
	go func() {
		err := p.cmd.Wait()
		p.mu.Lock()
		if len(p.partial) > 0 {
			p.addLine(string(p.partial))
			p.partial = nil
		}
		p.waitErr = err
		p.mu.Unlock()
		close(p.exited)
	}()
	t.Cleanup(p.Kill)
	return p
}

// String is the command line the process was started with.
func (p *Proc) String() string { return p.name }

// Pid is the process id, as lock files and messages name it.
func (p *Proc) Pid() int { return p.cmd.Process.Pid }

// Signal sends sig to the process, failing the test if it cannot be sent.
func (p *Proc) Signal(t testing.TB, sig os.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("send %v to %s: %v", sig, p.name, err)
	}
}

// Kill kills the process if it is still running and returns once it has
// exited and its stderr is collected.
func (p *Proc) Kill() {
	select {
	case <-p.exited:
	default:
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// WaitFor returns the first stderr line not seen by an earlier WaitFor
// that contains every part, waiting up to timeout for it. Successive calls
// thus follow a run's log in order. If the process exits first, or the
// timeout passes, the test fails with how the process ended and its stderr.
func (p *Proc) WaitFor(t testing.TB, timeout time.Duration, parts ...string) string {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		line, found, grew := p.next(parts)
		if found {
			return line
		}
		select {
		case <-grew:
		case <-p.exited:
			// Lines may have come between next and the exit: look once more.
			if line, found, _ := p.next(parts); found {
				return line
			}
			t.Fatalf("%s ended (%s) before logging a line with %q; stderr:\n%s",
				p.name, p.cmd.ProcessState, parts, p.Stderr())
		case <-deadline.C:
			t.Fatalf("%s logged no line with %q within %s; stderr:\n%s", p.name, parts, timeout, p.Stderr())
		}
	}
}

// next looks at the lines WaitFor has not seen yet for one containing
// every part; if there is none it returns the channel that is closed when
// the next line comes.
func (p *Proc) next(parts []string) (line string, found bool, grew <-chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.seen < len(p.lines) {
		line := p.lines[p.seen]
		p.seen++
		if ContainsAll(line, parts...) {
			return line, true, nil
		}
	}
	return "", false, p.grew
}

// Wait waits up to timeout for the process to exit and returns its exit
// code (-1 if a signal killed it). Past the timeout it kills the process
// and fails the test with its stderr. Stderr is complete once Wait has
// returned.
func (p *Proc) Wait(t testing.TB, timeout time.Duration) int {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(timeout):
		p.Kill()
		t.Fatalf("%s did not exit within %s; stderr:\n%s", p.name, timeout, p.Stderr())
	}
	// An ExitError is only a non-zero exit; anything else means the
	// process could not be waited for, and its exit code means nothing.
	var ee *exec.ExitError
	if p.waitErr != nil && !errors.As(p.waitErr, &ee) {
		t.Fatalf("wait for %s: %v", p.name, p.waitErr)
	}
	return p.cmd.ProcessState.ExitCode()
}

// Stdout is what the process printed on stdout; it waits for the process
// to exit, so call it after Wait.
func (p *Proc) Stdout() string {
	<-p.exited
	return p.stdout.String()
}

// Stderr is what the process has written to stderr so far, as complete
// lines joined by newlines.
func (p *Proc) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

// LastStderrLine is the last line the process has written to stderr so
// far, or "" if none: after Wait, the last thing it logged before it
// exited or was killed.
func (p *Proc) LastStderrLine() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.lines) == 0 {
		return ""
	}
	return p.lines[len(p.lines)-1]
}

// ContainsAll reports whether s contains every part: the rule WaitFor
// matches a line by, for tests that check a whole output the same way.
func ContainsAll(s string, parts ...string) bool {
	for _, part := range parts {
		if !strings.Contains(s, part) {
			return false
		}
	}
	return true
}

// lineWriter is the Proc as the process's stderr: it splits what is
// written into lines. Writes never wait for a reader, so a test that does
// not watch the log cannot block the process on a full pipe.
type lineWriter Proc

func (w *lineWriter) Write(b []byte) (int, error) {
	p := (*Proc)(w)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.partial = append(p.partial, b...)
	for {
		i := bytes.IndexByte(p.partial, '\n')
		if i < 0 {
			break
		}
		p.addLine(string(bytes.TrimSuffix(p.partial[:i], []byte("\r"))))
		p.partial = p.partial[i+1:]
	}
	// Keep the leftover in a fresh slice so the buffer does not keep
	// growing at its front over a long run.
	p.partial = append([]byte(nil), p.partial...)
	return len(b), nil
}

// addLine appends a complete line and wakes any WaitFor; p.mu is held.
func (p *Proc) addLine(line string) {
	p.lines = append(p.lines, line)
	close(p.grew)
	p.grew = make(chan struct{})
}
