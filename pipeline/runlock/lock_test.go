package runlock

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSecondAcquireNamesTheHolder(t *testing.T) {
	t.Parallel()
	wh := filepath.Join(t.TempDir(), "warehouse.duckdb")
	me := Holder{PID: 4121, Hostname: "h1", StartedAt: time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC), RunID: "r1", Command: "exportpipe run"}
	l, err := Acquire(wh, me)
	if err != nil {
		t.Fatal(err)
	}
	if l.Stale != nil {
		t.Fatalf("fresh lock reports a stale holder %+v", l.Stale)
	}
	_, err = Acquire(wh, Me("", "second"))
	var held *HeldError
	if !errors.As(err, &held) || !errors.Is(err, ErrHeld) {
		t.Fatalf("second Acquire: %v, want a HeldError", err)
	}
	for _, w := range []string{wh, "pid 4121", "2026-11-28T02:00:00Z", "run r1"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%q does not mention %q", err, w)
		}
	}
	if h, isHeld, err := Peek(wh); err != nil || !isHeld || h.PID != 4121 {
		t.Errorf("Peek = %+v, %v, %v", h, isHeld, err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if _, isHeld, _ := Peek(wh); isHeld {
		t.Error("Peek says held after Release")
	}
	again, err := Acquire(wh, Me("", "third"))
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	if again.Stale != nil {
		t.Errorf("a released lock looks stale: %+v", again.Stale)
	}
	again.Release()
}

// A lock file left with content but no flock is what a crashed run leaves:
// the next Acquire succeeds and reports the previous holder.
func TestStaleLockIsTakenOver(t *testing.T) {
	t.Parallel()
	wh := filepath.Join(t.TempDir(), "warehouse.duckdb")
	host, _ := os.Hostname()
	dead := Holder{PID: 1 << 22, Hostname: host, StartedAt: time.Now().Add(-time.Hour), RunID: "crashed"}
	b, _ := json.Marshal(dead)
	if err := os.WriteFile(PathFor(wh), b, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Acquire(wh, Me("", "run"))
	if err != nil {
		t.Fatalf("stale lock not taken over: %v", err)
	}
	defer l.Release()
	if l.Stale == nil || l.Stale.RunID != "crashed" {
		t.Fatalf("Stale = %+v, want the crashed run", l.Stale)
	}
	if alive, known := l.Stale.Alive(); !known || alive {
		t.Errorf("Alive() = %v, %v for a pid that does not exist", alive, known)
	}
	if alive, known := Me("", "").Alive(); !known || !alive {
		t.Errorf("this process is not alive: %v, %v", alive, known)
	}
}
