package httpjson

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/exportpipe/exportpipe/extractors/internal/rawbatch"
	"github.com/exportpipe/exportpipe/pipeline"
)

// Incremental makes the source resume from the greatest value of Field
// seen by the last successful run. The request sends (cursor - Lookback)
// in Param, so records written late, just behind the cursor, are still
// picked up; the warehouse collapses the ones seen twice.
type Incremental struct {
	Field    string        `yaml:"field"`    // canonical field, e.g. updated_at
	Param    string        `yaml:"param"`    // query parameter, e.g. updated_since
	Lookback time.Duration `yaml:"lookback"` // sent value = cursor - lookback, for late writers
	Format   string        `yaml:"format"`   // rfc3339 (default), unix, date, or a Go time layout
	StateKey string        `yaml:"-"`        // default "<source>.<field>"
	// FutureTolerance is normalise.future_tolerance: a value later than
	// the Extract's start plus this is never the cursor (the transform
	// rejects its record as future_timestamp). 0 means
	// pipeline.DefaultFutureTolerance.
	FutureTolerance time.Duration `yaml:"-"`
	// Now is the clock; nil means time.Now. Tests set it.
	Now func() time.Time `yaml:"-"`
}

// Window is a backfill window for a date-partitioned API (the http.window
// section): each Step of [Since, Until) is walked with its bounds in
// SinceParam and UntilParam. `exportpipe run --since/--until` overrides
// Since and Until.
type Window struct {
	SinceParam string `yaml:"since_param"`
	UntilParam string `yaml:"until_param"`
	Format     string `yaml:"format"` // default 2006-01-02
	// Since and Until are a date (2025-01-01) or an RFC 3339 time; Until
	// is exclusive and defaults to now.
	Since string        `yaml:"since"`
	Until string        `yaml:"until"`
	Step  time.Duration `yaml:"step"` // 0: the whole window at once

	// since and until are Since and Until read, or what SetWindow set.
	since, until time.Time
}

// resolve reads Since and Until into the times the walk uses.
func (w *Window) resolve() error {
	var err error
	if w.Since != "" {
		if w.since, err = pipeline.ParseWindowTime(w.Since); err != nil {
			return fmt.Errorf("window.since: %w", err)
		}
	}
	if w.Until != "" {
		if w.until, err = pipeline.ParseWindowTime(w.Until); err != nil {
			return fmt.Errorf("window.until: %w", err)
		}
	}
	return nil
}

type span struct{ from, to time.Time }

func (w *Window) apply(q url.Values, s span) {
	q.Set(w.SinceParam, formatTime(s.from, or(w.Format, time.DateOnly)))
	if w.UntilParam != "" && !s.to.IsZero() {
		q.Set(w.UntilParam, formatTime(s.to, or(w.Format, time.DateOnly)))
	}
}

// incState is the saved cursor (from Resume) and the one to save next.
type incState struct {
	mu          sync.Mutex
	field       int
	saved, next time.Time
}

func (e *Extractor) initIncremental() error {
	if e.cfg.Incremental == nil {
		return nil
	}
	inc := e.cfg.Incremental
	if inc.Param == "" {
		return errors.New("incremental needs param, the query parameter that sends the cursor")
	}
	if e.inc.field = e.mapping.Index(inc.Field); e.inc.field < 0 {
		return fmt.Errorf("incremental field %q is not a field of %s", inc.Field, e.cfg.Dataset)
	}
	return nil
}

// StateKey names the cursor in meta.state.
func (e *Extractor) StateKey() string {
	if inc := e.cfg.Incremental; inc != nil {
		if inc.StateKey != "" {
			return inc.StateKey
		}
		return e.cfg.Name + "." + inc.Field
	}
	return e.cfg.Name + ".cursor"
}

// Resume starts from a saved cursor; "" (or a cursor this version cannot
// read) means from the beginning, which is safe: the warehouse collapses
// what it already has.
func (e *Extractor) Resume(cursor string) {
	e.inc.mu.Lock()
	defer e.inc.mu.Unlock()
	e.inc.saved, _ = time.Parse(time.RFC3339Nano, cursor)
	e.inc.next = e.inc.saved
}

// Cursor is the greatest cursor value seen by the last successful Extract,
// never less than the one resumed from; "" when there is none.
func (e *Extractor) Cursor() string {
	e.inc.mu.Lock()
	defer e.inc.mu.Unlock()
	if e.cfg.Incremental == nil || e.inc.next.IsZero() {
		return ""
	}
	return e.inc.next.UTC().Format(time.RFC3339Nano)
}

func (e *Extractor) incParam() (string, string, bool) {
	inc := e.cfg.Incremental
	e.inc.mu.Lock()
	saved := e.inc.saved
	e.inc.mu.Unlock()
	if inc == nil || saved.IsZero() {
		return "", "", false
	}
	return inc.Param, formatTime(saved.Add(-inc.Lookback), inc.Format), true
}

func (s *incState) advance(t *tracker) {
	if t == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.max.After(s.next) {
		s.next = t.max
	}
}

// warnFuture says how many cursor values were too far ahead to trust, so
// a source whose clock or time zone is wrong is noticed before its
// records are.
func (e *Extractor) warnFuture(t *tracker) {
	if t == nil || t.future == 0 {
		return
	}
	log := e.cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	log.Warn("records stamped later than now plus normalise.future_tolerance: the saved cursor ignores them, and the transform rejects them as future_timestamp; check the source's clock and time zone",
		"source", e.cfg.Name, "field", e.cfg.Incremental.Field, "records", t.future, "latest", t.latestFuture.Format(time.RFC3339))
}

// tracker keeps the greatest cursor value seen during one Extract that
// the clock allows. A value from the future would make every later run
// ask for changes since then, so none of the changes before it would ever
// be requested again: beyond start + tolerance a value is ignored, and
// between start and that limit it counts as start, so the next run asks
// again for whatever was written meanwhile (the warehouse collapses what
// arrives twice).
type tracker struct {
	field        int
	start, limit time.Time
	max          time.Time
	future       int64     // values ignored as too far ahead
	latestFuture time.Time // the greatest of them, for the warning
}

func (e *Extractor) newTracker() *tracker {
	inc := e.cfg.Incremental
	if inc == nil {
		return nil
	}
	now, tol := time.Now, inc.FutureTolerance
	if inc.Now != nil {
		now = inc.Now
	}
	if tol <= 0 {
		tol = pipeline.DefaultFutureTolerance
	}
	start := now().UTC()
	return &tracker{field: e.inc.field, start: start, limit: start.Add(tol)}
}

// observe reads a record's cursor field. A value that is not a time is
// skipped here; the transform rejects it with its reason.
func (t *tracker) observe(m *rawbatch.Mapping, get rawbatch.Getter) {
	if t == nil {
		return
	}
	v, ok := m.Value(t.field, get)
	if !ok {
		return
	}
	ts, ok := ParseTime(v)
	switch {
	case !ok:
		return
	case ts.After(t.limit):
		t.future++
		if ts.After(t.latestFuture) {
			t.latestFuture = ts
		}
		return
	case ts.After(t.start):
		ts = t.start
	}
	if ts.After(t.max) {
		t.max = ts
	}
}

// SetWindow sets a backfill window, overriding the configured one; it is
// what `exportpipe run --since/--until` calls.
func (e *Extractor) SetWindow(since, until time.Time) error {
	if e.cfg.Window == nil {
		return fmt.Errorf("source %s has no window settings: add http.window.since_param so --since/--until can be sent", e.cfg.Name)
	}
	if !until.IsZero() && !until.After(since) {
		return fmt.Errorf("source %s: --until %s is not after --since %s", e.cfg.Name, until.Format(time.RFC3339), since.Format(time.RFC3339))
	}
	e.cfg.Window.since, e.cfg.Window.until = since, until
	return nil
}

// windows splits the configured window into steps; nil means no window.
func (e *Extractor) windows() ([]*span, error) {
	w := e.cfg.Window
	if w == nil || w.since.IsZero() {
		return []*span{nil}, nil
	}
	until := w.until
	if until.IsZero() {
		until = time.Now().UTC()
	}
	if w.Step <= 0 {
		return []*span{{w.since, w.until}}, nil
	}
	var out []*span
	for from := w.since; from.Before(until); from = from.Add(w.Step) {
		out = append(out, &span{from, minTime(from.Add(w.Step), until)})
		if len(out) > 100000 {
			return nil, fmt.Errorf("source %s: window %s..%s in steps of %s is over 100000 requests; widen window.step", e.cfg.Name, w.since, until, w.Step)
		}
	}
	return out, nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func formatTime(t time.Time, format string) string {
	t = t.UTC()
	switch strings.ToLower(format) {
	case "", "rfc3339":
		return t.Format(time.RFC3339)
	case "unix":
		return strconv.FormatInt(t.Unix(), 10)
	case "date":
		return t.Format(time.DateOnly)
	}
	return t.Format(format)
}

var timeLayouts = []string{
	time.RFC3339Nano, time.RFC1123Z, time.RFC1123, "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04:05", "2006-01-02 15:04:05", time.DateOnly,
}

// ParseTime reads the timestamp formats sources send: RFC 3339, RFC 1123,
// "2006-01-02 15:04:05 -0700", dates, and Unix seconds or milliseconds.
// Times without a zone are taken as UTC.
func ParseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n > 1e11 { // milliseconds: seconds would be after year 5000
			return time.UnixMilli(n).UTC(), true
		}
		return time.Unix(n, 0).UTC(), true
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
