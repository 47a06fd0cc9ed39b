package pipeline

import (
	"fmt"
	"regexp"
	"time"
)

// SourceConfig is one source: what it feeds and how to reach it.
type SourceConfig struct {
	Name    string      `yaml:"name"`
	Dataset string      `yaml:"dataset"`
	Kind    string      `yaml:"kind"`
	HTTP    *HTTPSource `yaml:"http"`
}

// HTTPSource configures a paginated HTTP JSON API (kind http_json).
type HTTPSource struct {
	URL              string            `yaml:"url"`
	Method           string            `yaml:"method"`
	Query            map[string]string `yaml:"query"`
	Headers          map[string]string `yaml:"headers"`
	RecordsPath      string            `yaml:"records_path"`
	Fields           map[string]string `yaml:"fields"`
	Constants        map[string]string `yaml:"constants"`
	Pagination       Pagination        `yaml:"pagination"`
	Timeout          Duration          `yaml:"timeout"`
	MaxRetries       int               `yaml:"max_retries"`
	MaxResponseBytes int64             `yaml:"max_response_bytes"`
	BatchSize        int               `yaml:"batch_size"`
}

// Pagination describes how the API hands out pages.
type Pagination struct {
	Style       string `yaml:"style"` // cursor
	CursorParam string `yaml:"cursor_param"`
	NextPath    string `yaml:"next_path"`
	LimitParam  string `yaml:"limit_param"`
	Limit       int    `yaml:"limit"`
}

// Duration reads "30s"-style durations from YAML.
type Duration time.Duration

func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("duration %q: want a value such as 30s or 2m", b)
	}
	*d = Duration(v)
	return nil
}

var identifier = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// validateSource returns every problem with one source; at names it.
func validateSource(at string, s SourceConfig) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !identifier.MatchString(s.Name) {
		bad("%s.name %q: use lowercase letters, digits and _ (it names rows in meta tables)", at, s.Name)
	}
	if _, err := ParseDataset(s.Dataset); err != nil {
		bad("%s.dataset: %v", at, err)
	}
	switch s.Kind {
	case "http_json":
		if s.HTTP == nil || s.HTTP.URL == "" {
			bad("%s: kind http_json needs http.url", at)
		} else if st := s.HTTP.Pagination.Style; st != "" && st != "cursor" {
			bad("%s.http.pagination.style %q: supported styles are: cursor", at, st)
		}
	default:
		bad("%s.kind %q: supported kinds are: http_json", at, s.Kind)
	}
	return errs
}
