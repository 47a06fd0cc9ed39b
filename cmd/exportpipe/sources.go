package main

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// windowed is an extractor that takes a backfill window
// (`run --since/--until`).
type windowed interface {
	pipeline.Extractor
	SetWindow(since, until time.Time) error
}

// applyWindow hands a backfill window to every source that supports one.
// A zero until means "up to now". It is a usage error when no source can
// take a window, so --since is never silently ignored.
func applyWindow(exs []pipeline.Extractor, since, until time.Time) error {
	if since.IsZero() {
		return nil
	}
	applied := 0
	var errs []error
	for _, e := range exs {
		w, ok := e.(windowed)
		if !ok {
			continue
		}
		if err := w.SetWindow(since, until); err != nil {
			errs = append(errs, err)
			continue
		}
		applied++
	}
	if applied == 0 {
		return pipeline.WithExit(pipeline.ExitUsage, fmt.Errorf("--since/--until: no source takes a backfill window (set http.window on a date-partitioned source): %w",
			errors.Join(append(errs, errors.New("no windowed source"))...)))
	}
	for _, err := range errs {
		slog.Info("source keeps its own range", "reason", err.Error())
	}
	return nil
}
