// Package schedule runs pipeline runs on the config's cron schedules for
// `exportpipe serve`. It never lets two runs overlap: one process writes one
// warehouse, so a tick that arrives while a run is going is skipped and
// logged rather than queued, and the next tick catches up.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/exportpipe/exportpipe/pipeline"
)

// Trigger says why a run starts and what it covers.
type Trigger struct {
	// Schedule names the schedule that fired, or "api" for POST /runs.
	Schedule string
	// Sources selects sources by name; empty runs every source.
	Sources []string
}

// RunFunc performs one run. Its context ends when the daemon shuts down.
type RunFunc func(ctx context.Context, t Trigger) error

// ErrBusy reports a trigger refused because a run is already going.
var ErrBusy = errors.New("a run is already in progress")

// Scheduler fires runs from cron schedules and on demand, one at a time.
type Scheduler struct {
	ctx  context.Context
	run  RunFunc
	log  *slog.Logger
	cron *cron.Cron
	quit chan struct{} // closed by Stop: pending jitter waits give up

	// OnSkip, when set, is told about each tick skipped for overlap.
	OnSkip func(t Trigger)

	mu       sync.Mutex
	current  *Trigger
	since    time.Time
	stopped  bool
	stopOnce sync.Once
	wg       sync.WaitGroup
}

// New prepares a scheduler for the given schedules. Runs get ctx, so
// cancelling it (SIGTERM) stops the run in progress.
func New(ctx context.Context, schedules []pipeline.ScheduleConfig, run RunFunc, log *slog.Logger) (*Scheduler, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Scheduler{ctx: ctx, run: run, log: log, quit: make(chan struct{}),
		cron: cron.New(cron.WithParser(parser{}), cron.WithLogger(cronLogger{log}))}
	for _, sc := range schedules {
		spec, err := pipeline.ParseCron(sc.Cron)
		if err != nil {
			return nil, fmt.Errorf("schedule %s: %w", sc.Name, err)
		}
		t := Trigger{Schedule: sc.Name, Sources: sc.Sources}
		jitter := time.Duration(sc.Jitter)
		s.cron.Schedule(spec, cron.FuncJob(func() { s.tick(t, jitter) }))
	}
	return s, nil
}

// Start begins firing schedules.
func (s *Scheduler) Start() { s.cron.Start() }

// Next lists each schedule's next firing time, in schedule order.
func (s *Scheduler) Next() []time.Time {
	var out []time.Time
	for _, e := range s.cron.Entries() {
		out = append(out, e.Next)
	}
	return out
}

func (s *Scheduler) tick(t Trigger, jitter time.Duration) {
	if jitter > 0 {
		wait := time.NewTimer(rand.N(jitter))
		defer wait.Stop()
		select {
		case <-wait.C:
		case <-s.quit:
			return
		case <-s.ctx.Done():
			return
		}
	}
	if err := s.Trigger(t); errors.Is(err, ErrBusy) {
		cur, since, _ := s.Running()
		s.log.Warn("schedule tick skipped: the previous run is still going",
			"schedule", t.Schedule, "running", cur.Schedule, "running_since", since.UTC().Format(time.RFC3339))
		if s.OnSkip != nil {
			s.OnSkip(t)
		}
	}
}

// Trigger starts a run now unless one is going (ErrBusy) or the scheduler
// has stopped. It does not wait for the run.
func (s *Scheduler) Trigger(t Trigger) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return errors.New("the scheduler is shutting down")
	}
	if s.current != nil {
		return ErrBusy
	}
	s.current, s.since = &t, time.Now()
	s.wg.Add(1)
	go s.exec(t)
	return nil
}

// Running reports the run in progress, if any.
func (s *Scheduler) Running() (Trigger, time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil {
		return Trigger{}, time.Time{}, false
	}
	return *s.current, s.since, true
}

// exec runs one trigger. A panic in a run is logged with its stack and
// does not take the daemon down; the next tick runs as usual.
func (s *Scheduler) exec(t Trigger) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		s.current = nil
		s.mu.Unlock()
	}()
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("run panicked", "schedule", t.Schedule, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	s.log.Info("run triggered", "schedule", t.Schedule, "sources", t.Sources)
	if err := s.run(s.ctx, t); err != nil {
		s.log.Error("scheduled run failed", "schedule", t.Schedule, "err", err)
	}
}

// Stop fires no more schedules and waits for the run in progress until
// ctx ends. Cancel the context given to New first to make the run stop
// rather than finish.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
	s.stopOnce.Do(func() { close(s.quit) })
	s.cron.Stop()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("the run in progress did not stop in time: %w", ctx.Err())
	}
}

// parser lets cron.Cron accept our already-validated specs.
type parser struct{}

func (parser) Parse(spec string) (cron.Schedule, error) { return pipeline.ParseCron(spec) }

// cronLogger sends robfig/cron's own chatter to slog at debug level.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
