package files

import (
	"fmt"
	"log/slog"
	"time"
	"unicode/utf8"

	"github.com/exportpipe/exportpipe/internal/httpx"
	"github.com/exportpipe/exportpipe/pipeline"
)

// FromSource builds the extractor for a kind file source. env reads the
// credential named by auth.token_env (for URLs).
func FromSource(s pipeline.SourceConfig, env func(string) (string, bool), secrets []string, log *slog.Logger) (*Extractor, error) {
	d, err := pipeline.ParseDataset(s.Dataset)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", s.Name, err)
	}
	f := s.File
	if f == nil {
		return nil, fmt.Errorf("source %s: kind file needs a file section", s.Name)
	}
	auth, err := httpx.AuthFromConfig(f.Auth, env)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", s.Name, err)
	}
	rps, burst := httpx.RateFromConfig(f.RateLimit)
	csv := CSVOptions{NoHeader: f.CSV.NoHeader, Columns: f.CSV.Columns, LazyQuotes: f.CSV.LazyQuotes, Ragged: f.CSV.Ragged}
	if csv.Delimiter, err = oneRune(f.CSV.Delimiter); err != nil {
		return nil, fmt.Errorf("source %s: csv.delimiter: %w", s.Name, err)
	}
	if csv.Comment, err = oneRune(f.CSV.Comment); err != nil {
		return nil, fmt.Errorf("source %s: csv.comment: %w", s.Name, err)
	}
	return New(Config{
		Name: s.Name, Dataset: d, Paths: f.Paths, Format: f.Format, CSV: csv, RecordsPath: f.RecordsPath,
		Mapping: f.Mapping(), Headers: f.Headers, Auth: auth,
		HTTP: httpx.Options{Timeout: time.Duration(f.Timeout), MaxRetries: f.MaxRetries, RPS: rps, Burst: burst,
			InsecureSkipVerify: f.TLSInsecureSkipVerify, Section: "file"},
		MaxBytes: f.MaxBytes, BatchSize: f.BatchSize, Secrets: secrets, Logger: log,
	})
}

func oneRune(s string) (rune, error) {
	switch {
	case s == "":
		return 0, nil
	case s == `\t`:
		return '\t', nil
	case utf8.RuneCountInString(s) == 1:
		r, _ := utf8.DecodeRuneInString(s)
		return r, nil
	}
	return 0, fmt.Errorf("%q: use a single character (or \\t)", s)
}
