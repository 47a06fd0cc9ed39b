package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// ttyOut is stderr when it is a terminal (set by logging), nil otherwise.
// Progress bars are drawn only through it, so piped output stays clean.
var ttyOut *termWriter

// termWriter serialises log lines and the progress bar on one terminal: a
// log line first erases the bar, and the bar is redrawn on its next tick.
type termWriter struct {
	mu  sync.Mutex
	w   io.Writer
	bar bool // a bar is on the current line
}

func newTermWriter(w io.Writer) *termWriter {
	tw := &termWriter{w: w}
	ttyOut = tw
	return tw
}

const eraseLine = "\r\033[K"

func (t *termWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.bar {
		io.WriteString(t.w, eraseLine)
		t.bar = false
	}
	return t.w.Write(p)
}

func (t *termWriter) drawBar(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	io.WriteString(t.w, eraseLine+line)
	t.bar = line != ""
}

// tracker follows a run's phases, for the progress bar and for the
// summary of a run that stopped (which phase it stopped in, and whether
// its merge had finished).
type tracker struct {
	mu      sync.Mutex
	phase   pipeline.Phase
	dataset pipeline.Dataset
	rows    int64     // records of the dataset being extracted
	since   time.Time // when the phase (or dataset) began
	merged  bool      // the merge finished: the counts of loaded rows are real
}

// OnPhase is the runner's hook.
func (t *tracker) OnPhase(p pipeline.Phase, d pipeline.Dataset) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.phase, t.dataset, t.rows, t.since = p, d, 0, time.Now()
	if p == pipeline.PhaseMarts {
		t.merged = true
	}
}

// Observe is the runner's hook for extracted rows; it is called from the
// extraction goroutine.
func (t *tracker) Observe(d pipeline.Dataset, rows int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if d == t.dataset {
		t.rows += rows
	}
}

// where says what the run was doing, in words: "extracting listings".
func (t *tracker) where() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return phaseWords(t.phase, t.dataset)
}

func (t *tracker) mergeDone() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.merged
}

func phaseWords(p pipeline.Phase, d pipeline.Dataset) string {
	switch p {
	case pipeline.PhaseExtract:
		return "extracting " + string(d)
	case pipeline.PhaseMerge:
		return "merging into the warehouse"
	case pipeline.PhaseMarts:
		return "building the marts"
	case pipeline.PhaseTests:
		return "running the data tests"
	case pipeline.PhasePublish:
		return "publishing the snapshot and exports"
	}
	return "starting"
}

// progress draws one line for the phase the run is in: while a dataset is
// extracted, its records, records per second and, when the total is known
// (the demo knows it), a bar, a percentage and an ETA; after extraction,
// the phase and how long it has taken. It stops when the run ends.
type progress struct {
	out    *termWriter
	totals map[pipeline.Dataset]int64
	every  time.Duration
	run    *tracker

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// newProgress returns nil when stderr is not a terminal; a nil *progress
// is a valid no-op.
func newProgress(run *tracker, totals map[pipeline.Dataset]int64) *progress {
	if ttyOut == nil {
		return nil
	}
	p := &progress{out: ttyOut, totals: totals, every: 200 * time.Millisecond, run: run, stop: make(chan struct{}), done: make(chan struct{})}
	go p.loop()
	return p
}

func (p *progress) loop() {
	defer close(p.done)
	tick := time.NewTicker(p.every)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			if line := p.line(time.Now()); line != "" {
				p.out.drawBar(line)
			}
		case <-p.stop:
			p.out.drawBar("")
			return
		}
	}
}

// Close erases the line and stops drawing; it may be called more than once.
func (p *progress) Close() {
	if p == nil {
		return
	}
	p.once.Do(func() {
		close(p.stop)
		<-p.done
	})
}

func (p *progress) line(now time.Time) string {
	t := p.run
	t.mu.Lock()
	phase, d, rows, since := t.phase, t.dataset, t.rows, t.since
	t.mu.Unlock()
	if phase == "" {
		return ""
	}
	secs := now.Sub(since).Seconds()
	if phase != pipeline.PhaseExtract {
		return fmt.Sprintf("%-8s %s  %s", phase, phaseWords(phase, d), (time.Duration(secs) * time.Second).String())
	}
	rate := 0.0
	if secs > 0 {
		rate = float64(rows) / secs
	}
	total := p.totals[d]
	if total <= 0 {
		return fmt.Sprintf("extract  %-14s %s records  %s rec/s", d, num(rows), num(int64(rate)))
	}
	frac := min(1, float64(rows)/float64(total))
	eta := "?"
	if rate > 0 {
		eta = (time.Duration(float64(total-min(rows, total))/rate) * time.Second).Round(time.Second).String()
	}
	return fmt.Sprintf("extract  %-14s [%s] %3.0f%%  %s/%s records  %s rec/s  ETA %s",
		d, bar(frac, 24), 100*frac, num(rows), num(total), num(int64(rate)), eta)
}

func bar(frac float64, width int) string {
	n := int(frac * float64(width))
	if n >= width {
		return strings.Repeat("=", width)
	}
	return strings.Repeat("=", n) + ">" + strings.Repeat(" ", width-n-1)
}
