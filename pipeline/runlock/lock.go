// Package runlock keeps two exportpipe runs from writing one warehouse at
// once. The lock is a file beside the warehouse (warehouse.duckdb.lock)
// holding an exclusive flock(2) and, as text, who holds it. The kernel drops
// an flock when its process dies, so a lock left by a crashed run is stale by
// construction: the next run takes it over and logs who left it.
package runlock

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// ErrHeld reports that another live process holds the lock.
var ErrHeld = errors.New("warehouse is locked by another run")

// Holder describes the process holding (or last holding) a lock.
type Holder struct {
	PID       int       `json:"pid"`
	Hostname  string    `json:"hostname"`
	StartedAt time.Time `json:"started_at"`
	RunID     string    `json:"run_id,omitempty"`
	Command   string    `json:"command,omitempty"`
	// Snapshot is the published snapshot of the warehouse the holder
	// writes: where an analyst who finds the warehouse busy should look.
	Snapshot string `json:"snapshot,omitempty"`
}

func (h Holder) String() string {
	s := fmt.Sprintf("pid %d", h.PID)
	if h.Hostname != "" {
		s += " on " + h.Hostname
	}
	if !h.StartedAt.IsZero() {
		s += ", started " + h.StartedAt.UTC().Format(time.RFC3339)
	}
	if h.RunID != "" {
		s += ", run " + h.RunID
	}
	if h.Command != "" {
		s += ", " + h.Command
	}
	return s
}

// HeldError is returned when the lock is taken; it names the holder.
type HeldError struct {
	Path   string // the warehouse
	Holder Holder
}

func (e *HeldError) Error() string {
	who := "another process"
	if e.Holder.PID != 0 {
		who = e.Holder.String()
	}
	return fmt.Sprintf("another run holds %s (%s): wait for it to finish, or stop it", e.Path, who)
}

func (e *HeldError) Unwrap() error { return ErrHeld }

// Lock is a held run lock. Release it when the run is over.
type Lock struct {
	f    *os.File
	path string
	// Stale is the holder a crashed run left behind, if any; the caller logs it.
	Stale *Holder
}

// PathFor is the lock file of a warehouse.
func PathFor(warehouse string) string { return warehouse + ".lock" }

// Acquire takes the lock of the warehouse at path without waiting. It
// returns a *HeldError when another live process holds it.
func Acquire(warehouse string, me Holder) (*Lock, error) {
	path := PathFor(warehouse)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open run lock %s: %w", path, err)
	}
	if err := tryLock(f); err != nil {
		h, _ := readHolder(f)
		f.Close()
		if errors.Is(err, errWouldBlock) {
			return nil, &HeldError{Path: warehouse, Holder: h}
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	l := &Lock{f: f, path: path}
	// Whatever the file still says was written by a run that ended without
	// releasing: it crashed or was killed.
	if prev, err := readHolder(f); err == nil && prev.PID != 0 {
		l.Stale = &prev
	}
	if err := l.write(me); err != nil {
		l.Release()
		return nil, err
	}
	return l, nil
}

// Update rewrites the holder, e.g. once the run id is known.
func (l *Lock) Update(me Holder) error { return l.write(me) }

func (l *Lock) write(me Holder) error {
	b, _ := json.Marshal(me)
	if err := l.f.Truncate(0); err != nil {
		return fmt.Errorf("write run lock %s: %w", l.path, err)
	}
	if _, err := l.f.WriteAt(append(b, '\n'), 0); err != nil {
		return fmt.Errorf("write run lock %s: %w", l.path, err)
	}
	return l.f.Sync()
}

// Release empties and unlocks the file. The file itself stays: deleting it
// would let a waiting process lock the unlinked inode while a third creates
// and locks a new file.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	terr := l.f.Truncate(0)
	uerr := unlock(l.f)
	cerr := l.f.Close()
	l.f = nil
	return errors.Join(terr, uerr, cerr)
}

// Peek reports the holder of a warehouse's lock without taking it. held is
// false when no live process holds it.
func Peek(warehouse string) (h Holder, held bool, err error) {
	f, err := os.Open(PathFor(warehouse))
	if errors.Is(err, os.ErrNotExist) {
		return Holder{}, false, nil
	}
	if err != nil {
		return Holder{}, false, err
	}
	defer f.Close()
	h, _ = readHolder(f)
	if err := tryLock(f); err != nil {
		return h, errors.Is(err, errWouldBlock), nil
	}
	_ = unlock(f)
	return h, false, nil
}

func readHolder(f *os.File) (Holder, error) {
	b, err := io.ReadAll(io.NewSectionReader(f, 0, 1<<16))
	if err != nil {
		return Holder{}, err
	}
	var h Holder
	if s := strings.TrimSpace(string(b)); s != "" {
		err = json.Unmarshal([]byte(s), &h)
	}
	return h, err
}

// Me describes this process as a holder.
func Me(runID, command string) Holder {
	host, _ := os.Hostname()
	return Holder{PID: os.Getpid(), Hostname: host, StartedAt: time.Now().UTC(), RunID: runID, Command: command}
}

// Alive reports whether h's process still runs, when that can be known: the
// holder must be on this host. Signal 0 checks existence without signalling.
func (h Holder) Alive() (alive, known bool) {
	host, _ := os.Hostname()
	if h.PID <= 0 || h.Hostname != host {
		return false, false
	}
	return processAlive(h.PID), true
}
