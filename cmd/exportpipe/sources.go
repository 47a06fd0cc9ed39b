package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/exportpipe/exportpipe/extractors"
	"github.com/exportpipe/exportpipe/pipeline"
)

// buildExtractors turns the config's sources into extractors, reading
// credentials named by auth.token_env from the environment.
func buildExtractors(cfg *pipeline.Config) ([]pipeline.Extractor, error) {
	out, err := extractors.BuildAll(cfg, os.LookupEnv, slog.Default())
	if err != nil {
		return nil, pipeline.WithExit(pipeline.ExitConfig, err)
	}
	return out, nil
}

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
