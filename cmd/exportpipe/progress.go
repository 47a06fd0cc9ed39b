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

// progress renders one bar for the dataset being extracted: records so far,
// records per second, and, when the total is known (the demo knows it), a
// bar, a percentage and an ETA.
type progress struct {
	out    *termWriter
	totals map[pipeline.Dataset]int64
	every  time.Duration

	mu    sync.Mutex
	cur   pipeline.Dataset
	rows  int64
	start time.Time

	stop chan struct{}
	done chan struct{}
}

// newProgress returns nil when stderr is not a terminal; a nil *progress
// is a valid no-op.
func newProgress(totals map[pipeline.Dataset]int64) *progress {
	if ttyOut == nil {
		return nil
	}
	p := &progress{out: ttyOut, totals: totals, every: 200 * time.Millisecond, stop: make(chan struct{}), done: make(chan struct{})}
	go p.loop()
	return p
}

// Observe is the runner's hook; it is called from the extraction goroutine.
func (p *progress) Observe(d pipeline.Dataset, rows int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if d != p.cur {
		p.cur, p.rows, p.start = d, 0, time.Now()
	}
	p.rows += rows
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

// Close erases the bar and stops drawing.
func (p *progress) Close() {
	if p == nil {
		return
	}
	close(p.stop)
	<-p.done
}

func (p *progress) line(now time.Time) string {
	p.mu.Lock()
	d, rows, start := p.cur, p.rows, p.start
	p.mu.Unlock()
	if d == "" {
		return ""
	}
	secs := now.Sub(start).Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(rows) / secs
	}
	total := p.totals[d]
	if total <= 0 {
		return fmt.Sprintf("%-14s %s records  %s rec/s", d, num(rows), num(int64(rate)))
	}
	frac := min(1, float64(rows)/float64(total))
	eta := "?"
	if rate > 0 {
		eta = (time.Duration(float64(total-min(rows, total))/rate) * time.Second).Round(time.Second).String()
	}
	return fmt.Sprintf("%-14s [%s] %3.0f%%  %s/%s records  %s rec/s  ETA %s",
		d, bar(frac, 24), 100*frac, num(rows), num(total), num(int64(rate)), eta)
}

func bar(frac float64, width int) string {
	n := int(frac * float64(width))
	if n >= width {
		return strings.Repeat("=", width)
	}
	return strings.Repeat("=", n) + ">" + strings.Repeat(" ", width-n-1)
}
