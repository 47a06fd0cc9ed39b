package schedule

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"
	_ "time/tzdata" // the zones below must exist on every test machine

	"github.com/exportpipe/exportpipe/pipeline"
)

// A tick that arrives while a run is going is skipped, not queued: runs of
// 150s on a one-minute schedule start at 1m, 4m, 7m.
func TestOverlappingTicksAreSkipped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var starts []time.Duration
		var skips int
		begin := time.Now()
		run := func(ctx context.Context, _ Trigger) error {
			mu.Lock()
			starts = append(starts, time.Since(begin))
			mu.Unlock()
			time.Sleep(150 * time.Second)
			return nil
		}
		s, err := New(t.Context(), []pipeline.ScheduleConfig{{Name: "every_minute", Cron: "* * * * *"}}, run, nil)
		if err != nil {
			t.Fatal(err)
		}
		s.OnSkip = func(Trigger) { mu.Lock(); skips++; mu.Unlock() }
		s.Start()
		time.Sleep(7*time.Minute + time.Second)
		if err := s.Stop(t.Context()); err != nil {
			t.Fatal(err)
		}
		want := []time.Duration{time.Minute, 4 * time.Minute, 7 * time.Minute}
		if len(starts) != len(want) {
			t.Fatalf("runs started at %v, want %v", starts, want)
		}
		for i := range want {
			if starts[i] != want[i] {
				t.Errorf("run %d started at %v, want %v", i, starts[i], want[i])
			}
		}
		if skips != 4 { // ticks at 2m, 3m, 5m, 6m
			t.Errorf("%d ticks skipped, want 4", skips)
		}
	})
}

// CRON_TZ is respected across a daylight-saving change: "02:00 London" is
// 02:00 UTC in winter and 01:00 UTC in summer (BST began 2000-03-26), and
// Karachi (no DST) stays at 21:00 UTC the day before. synctest's clock
// starts at 2000-01-01 00:00 UTC.
func TestCronTZAcrossDST(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		fired := map[string][]time.Time{}
		run := func(_ context.Context, tr Trigger) error {
			mu.Lock()
			fired[tr.Schedule] = append(fired[tr.Schedule], time.Now().UTC())
			mu.Unlock()
			return nil
		}
		s, err := New(t.Context(), []pipeline.ScheduleConfig{
			{Name: "london", Cron: "CRON_TZ=Europe/London 0 2 * * *"},
			{Name: "karachi", Cron: "CRON_TZ=Asia/Karachi 0 2 * * *"},
		}, run, nil)
		if err != nil {
			t.Fatal(err)
		}
		s.Start()
		time.Sleep(time.Until(time.Date(2000, 3, 28, 0, 0, 0, 0, time.UTC)))
		synctest.Wait()
		if err := s.Stop(t.Context()); err != nil {
			t.Fatal(err)
		}
		london := byDay(fired["london"])
		if got := london["2000-03-25"]; got != "02:00" {
			t.Errorf("London run on 25 March (GMT) at %s UTC, want 02:00", got)
		}
		if got := london["2000-03-27"]; got != "01:00" {
			t.Errorf("London run on 27 March (BST) at %s UTC, want 01:00", got)
		}
		for day, at := range byDay(fired["karachi"]) {
			if at != "21:00" {
				t.Errorf("Karachi run on %s at %s UTC, want 21:00", day, at)
			}
		}
		if n := len(fired["london"]); n != 87 {
			t.Errorf("London schedule fired %d times in 87 days", n)
		}
	})
}

func byDay(ts []time.Time) map[string]string {
	out := map[string]string{}
	for _, t := range ts {
		out[t.Format(time.DateOnly)] = t.Format("15:04")
	}
	return out
}

// A run that panics is recovered: the daemon keeps its schedule.
func TestPanickingRunIsRecovered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		calls := 0
		run := func(context.Context, Trigger) error {
			mu.Lock()
			calls++
			mu.Unlock()
			panic("boom")
		}
		s, err := New(t.Context(), []pipeline.ScheduleConfig{{Name: "p", Cron: "@every 1m"}}, run, nil)
		if err != nil {
			t.Fatal(err)
		}
		s.Start()
		time.Sleep(3*time.Minute + time.Second)
		_ = s.Stop(t.Context())
		if calls != 3 {
			t.Fatalf("%d runs after panics, want 3", calls)
		}
	})
}

// Trigger refuses a second run while one is going, and after Stop.
func TestTriggerIsExclusive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		s, err := New(t.Context(), nil, func(context.Context, Trigger) error { <-release; return nil }, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Trigger(Trigger{Schedule: "api"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Trigger(Trigger{Schedule: "api"}); err != ErrBusy {
			t.Fatalf("second trigger: %v, want ErrBusy", err)
		}
		close(release)
		if err := s.Stop(t.Context()); err != nil {
			t.Fatal(err)
		}
		if err := s.Trigger(Trigger{Schedule: "api"}); err == nil {
			t.Fatal("trigger after Stop started a run")
		}
	})
}

// Next-time arithmetic on real dates: New York's spring-forward night.
func TestNextAcrossSpringForward(t *testing.T) {
	t.Parallel()
	spec, err := pipeline.ParseCron("CRON_TZ=America/New_York 0 3 * * *")
	if err != nil {
		t.Fatal(err)
	}
	before := time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC)
	n1 := spec.Next(before)
	n2 := spec.Next(n1)
	if got := n1.UTC().Format(time.RFC3339); got != "2026-03-08T07:00:00Z" {
		t.Errorf("first run %s, want 03:00 EDT = 07:00Z", got)
	}
	if d := n2.Sub(n1); d != 24*time.Hour {
		t.Errorf("runs %v apart after the change, want 24h", d)
	}
	if prev := spec.Next(before.Add(-24 * time.Hour)); prev.UTC().Hour() != 8 {
		t.Errorf("run before the change at %s, want 03:00 EST = 08:00Z", prev.UTC())
	}
}
