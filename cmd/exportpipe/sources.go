package main

import (
	"fmt"
	"time"

	"github.com/exportpipe/exportpipe/extractors/httpjson"
	"github.com/exportpipe/exportpipe/pipeline"
)

// buildExtractors turns the config's sources into extractors. Validation has
// already rejected unknown kinds, so an error here is a value problem.
func buildExtractors(cfg *pipeline.Config) ([]pipeline.Extractor, error) {
	var out []pipeline.Extractor
	for _, s := range cfg.Sources {
		d, err := pipeline.ParseDataset(s.Dataset)
		if err != nil {
			return nil, pipeline.WithExit(pipeline.ExitConfig, fmt.Errorf("source %s: %w", s.Name, err))
		}
		switch s.Kind {
		case "http_json":
			h := s.HTTP
			e, err := httpjson.New(httpjson.Config{
				Name: s.Name, Dataset: d, URL: h.URL, Method: h.Method, Query: h.Query, Headers: h.Headers,
				RecordsPath: h.RecordsPath, Fields: h.Fields, Constants: h.Constants,
				CursorParam: h.Pagination.CursorParam, NextPath: h.Pagination.NextPath,
				LimitParam: h.Pagination.LimitParam, Limit: h.Pagination.Limit,
				BatchSize: h.BatchSize, Timeout: time.Duration(h.Timeout), MaxRetries: h.MaxRetries,
				MaxResponseBytes: h.MaxResponseBytes, Secrets: cfg.Secrets(),
			})
			if err != nil {
				return nil, pipeline.WithExit(pipeline.ExitConfig, err)
			}
			out = append(out, e)
		default:
			return nil, pipeline.WithExit(pipeline.ExitConfig, fmt.Errorf("source %s: unsupported kind %q", s.Name, s.Kind))
		}
	}
	return out, nil
}
