package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/exportpipe/exportpipe/extractors/files"
	"github.com/exportpipe/exportpipe/extractors/httpjson"
	"github.com/exportpipe/exportpipe/pipeline"
)

// buildExtractors turns the config's sources into extractors, reading
// credentials named by auth.token_env from the environment. Validation has
// already rejected unknown kinds, so an error here is a value problem.
func buildExtractors(cfg *pipeline.Config) ([]pipeline.Extractor, error) {
	var out []pipeline.Extractor
	for _, s := range cfg.Sources {
		e, err := buildExtractor(cfg, s)
		if err != nil {
			return nil, pipeline.WithExit(pipeline.ExitConfig, err)
		}
		out = append(out, e)
	}
	return out, nil
}

func buildExtractor(cfg *pipeline.Config, s pipeline.SourceConfig) (pipeline.Extractor, error) {
	switch s.Kind {
	case "http_json":
		return httpjson.FromSource(s, os.LookupEnv, cfg.Secrets())
	case "file":
		return files.FromSource(s, os.LookupEnv, cfg.Secrets(), slog.Default())
	}
	return nil, fmt.Errorf("source %s: unsupported kind %q", s.Name, s.Kind)
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
