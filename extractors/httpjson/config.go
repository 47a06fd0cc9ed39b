package httpjson

import (
	"fmt"
	"time"

	"github.com/exportpipe/exportpipe/internal/httpx"
	"github.com/exportpipe/exportpipe/pipeline"
)

// FromSource builds the extractor for a kind http_json source. env reads
// the credential named by auth.token_env; secrets are the config's other
// secret values, redacted from every error. futureTolerance is
// normalise.future_tolerance, which bounds the incremental cursor as it
// bounds the versions the transforms accept.
func FromSource(s pipeline.SourceConfig, env func(string) (string, bool), secrets []string, futureTolerance time.Duration) (*Extractor, error) {
	d, err := pipeline.ParseDataset(s.Dataset)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", s.Name, err)
	}
	h := s.HTTP
	if h == nil {
		return nil, fmt.Errorf("source %s: kind http_json needs an http section", s.Name)
	}
	auth, err := httpx.AuthFromConfig(h.Auth, env)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", s.Name, err)
	}
	rps, burst := httpx.RateFromConfig(h.RateLimit)
	p := h.Pagination
	cfg := Config{
		Name: s.Name, Dataset: d, URL: h.URL, Method: h.Method, Query: h.Query, Headers: h.Headers, Auth: auth,
		RecordsPath: h.RecordsPath, Mapping: h.Mapping(),
		Pagination: Pagination{
			Style: p.Style, CursorParam: p.CursorParam, NextPath: p.NextPath, PageParam: p.PageParam, StartPage: p.StartPage,
			OffsetParam: p.OffsetParam, LimitParam: p.LimitParam, Limit: p.Limit, TotalPath: p.TotalPath,
			TotalPagesPath: p.TotalPagesPath, Concurrency: p.Concurrency,
		},
		BatchSize: h.BatchSize, Timeout: time.Duration(h.Timeout), MaxRetries: h.MaxRetries,
		RetryWaitMin: time.Duration(h.RetryWaitMin), RetryWaitMax: time.Duration(h.RetryWaitMax),
		MaxResponseBytes: h.MaxResponseBytes, RPS: rps, Burst: burst, Secrets: secrets,
		TLSInsecureSkipVerify: h.TLSInsecureSkipVerify,
	}
	if inc := h.Incremental; inc != nil {
		cfg.Incremental = &Incremental{Field: inc.Field, Param: inc.Param, Lookback: time.Duration(inc.Lookback), Format: inc.Format,
			FutureTolerance: futureTolerance}
	}
	if cfg.Window, err = WindowFromConfig(h.Window); err != nil {
		return nil, fmt.Errorf("source %s: %w", s.Name, err)
	}
	return New(cfg)
}

// WindowFromConfig reads a window section; nil stays nil.
func WindowFromConfig(w *pipeline.WindowSpec) (*Window, error) {
	if w == nil {
		return nil, nil
	}
	out := &Window{SinceParam: w.SinceParam, UntilParam: w.UntilParam, Format: w.Format, Step: time.Duration(w.Step)}
	var err error
	if w.Since != "" {
		if out.Since, err = pipeline.ParseWindowTime(w.Since); err != nil {
			return nil, fmt.Errorf("window.since: %w", err)
		}
	}
	if w.Until != "" {
		if out.Until, err = pipeline.ParseWindowTime(w.Until); err != nil {
			return nil, fmt.Errorf("window.until: %w", err)
		}
	}
	return out, nil
}
