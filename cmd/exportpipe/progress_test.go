package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// The progress line names the phase the run is in. While a dataset is
// extracted it shows records and their rate; after extraction it shows the
// phase and its time, never the last dataset's rate falling as the
// warehouse works.
func TestProgressShowsThePhase(t *testing.T) {
	run := &tracker{}
	p := &progress{run: run, totals: map[pipeline.Dataset]int64{pipeline.Listings: 1000}}
	run.OnPhase(pipeline.PhaseExtract, pipeline.Listings)
	run.Observe(pipeline.Listings, 500)
	start := run.since
	if got := p.line(start.Add(2 * time.Second)); !strings.Contains(got, "extract  listings") || !strings.Contains(got, "50%") || !strings.Contains(got, "250 rec/s") {
		t.Errorf("extracting: %q", got)
	}
	for _, c := range []struct {
		phase pipeline.Phase
		want  string
	}{
		{pipeline.PhaseMerge, "merge    merging into the warehouse  3s"},
		{pipeline.PhaseMarts, "marts    building the marts  3s"},
		{pipeline.PhaseTests, "tests    running the data tests  3s"},
		{pipeline.PhasePublish, "publish  publishing the snapshot and exports  3s"},
	} {
		run.OnPhase(c.phase, "")
		if got := p.line(run.since.Add(3 * time.Second)); got != c.want {
			t.Errorf("%s: %q, want %q", c.phase, got, c.want)
		}
	}
	if !run.mergeDone() || run.where() != "publishing the snapshot and exports" {
		t.Errorf("tracker: merged %v, where %q", run.mergeDone(), run.where())
	}
}

// Once closed, the bar is erased and never drawn again.
func TestProgressStopsWhenClosed(t *testing.T) {
	out := &drawnWriter{drawn: make(chan struct{})}
	tw := &termWriter{w: out}
	run := &tracker{}
	run.OnPhase(pipeline.PhaseMerge, "")
	p := &progress{out: tw, every: time.Millisecond, run: run, stop: make(chan struct{}), done: make(chan struct{})}
	go p.loop()
	select {
	case <-out.drawn: // the bar is up
	case <-time.After(30 * time.Second):
		t.Fatal("no bar drawn within 30s")
	}
	p.Close()
	p.Close() // twice is harmless
	// Close returns only once the drawing loop has ended, so nothing can
	// draw after it: no wait is needed to see that.
	select {
	case <-p.done:
	default:
		t.Fatal("Close returned while the drawing loop still runs")
	}
	if s := out.String(); !strings.HasSuffix(s, eraseLine) || !strings.Contains(s, "merging") {
		t.Errorf("before close: %q", s)
	}
}

// drawnWriter records what the bar writes, and closes drawn once a bar
// naming the merge is on it.
type drawnWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	drawn chan struct{}
	once  sync.Once
}

func (w *drawnWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if bytes.Contains(w.buf.Bytes(), []byte("merging")) {
		w.once.Do(func() { close(w.drawn) })
	}
	return n, err
}

func (w *drawnWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
