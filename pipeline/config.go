package pipeline

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
)

// Config is a pipeline configuration file. Unknown keys are errors, so a
// misspelt option is reported with its line instead of silently ignored.
type Config struct {
	Pipeline  string          `yaml:"pipeline"`
	Warehouse WarehouseConfig `yaml:"warehouse"`
	Sources   []SourceConfig  `yaml:"sources"`

	// secrets are the values of interpolated variables that look like
	// credentials; they are redacted wherever text leaves the process.
	secrets []string
}

// WarehouseConfig says where the working database and the published
// snapshot live.
type WarehouseConfig struct {
	Path     string `yaml:"path"`
	Snapshot string `yaml:"snapshot"`
}

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

// Secrets returns the credential values the config interpolated.
func (c *Config) Secrets() []string { return c.secrets }

// LoadConfig reads and checks the config at path, with ${VAR} taken from the
// process environment.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, WithExit(ExitConfig, fmt.Errorf("read config: %w", err))
	}
	return ParseConfig(b, os.LookupEnv)
}

// ParseConfig interpolates, decodes and validates a config. Every problem
// found is reported, each with its line where the YAML decoder knows it.
func ParseConfig(src []byte, lookup func(string) (string, bool)) (*Config, error) {
	text, used, err := Interpolate(string(src), lookup)
	if err != nil {
		return nil, WithExit(ExitConfig, err)
	}
	var c Config
	if err := yaml.UnmarshalWithOptions([]byte(text), &c, yaml.DisallowUnknownField(), yaml.Strict()); err != nil {
		return nil, WithExit(ExitConfig, fmt.Errorf("config: %s", yaml.FormatError(err, false, true)))
	}
	for name, v := range used {
		if looksSecret(name) && v != "" {
			c.secrets = append(c.secrets, v)
		}
	}
	if errs := c.Validate(); len(errs) > 0 {
		return nil, WithExit(ExitConfig, errors.Join(errs...))
	}
	return &c, nil
}

var secretName = regexp.MustCompile(`(?i)(token|key|secret|password|passwd|auth|credential)`)

func looksSecret(name string) bool { return secretName.MatchString(name) }

var identifier = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// Validate returns every problem with the config, not just the first.
func (c *Config) Validate() []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.Warehouse.Path == "" {
		bad("warehouse.path is required")
	}
	if len(c.Sources) == 0 {
		bad("sources: at least one source is required")
	}
	seen := map[string]bool{}
	for i, s := range c.Sources {
		at := fmt.Sprintf("sources[%d]", i)
		if !identifier.MatchString(s.Name) {
			bad("%s.name %q: use lowercase letters, digits and _ (it names rows in meta tables)", at, s.Name)
		}
		if seen[s.Name] {
			bad("%s.name %q is used twice", at, s.Name)
		}
		seen[s.Name] = true
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
	}
	return errs
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}`)

// Interpolate replaces ${VAR} and ${VAR:-default}. A variable that is unset
// and has no default is an error naming it, so a config never runs with a
// silently empty URL or token. It returns the values it used.
func Interpolate(src string, lookup func(string) (string, bool)) (string, map[string]string, error) {
	used := map[string]string{}
	var missing []string
	out := envRef.ReplaceAllStringFunc(src, func(m string) string {
		g := envRef.FindStringSubmatch(m)
		if v, ok := lookup(g[1]); ok {
			used[g[1]] = v
			return v
		}
		if g[2] != "" {
			return g[3]
		}
		missing = append(missing, g[1])
		return m
	})
	if len(missing) > 0 {
		return "", nil, fmt.Errorf("config uses unset environment variable(s) %s: set them or give a default with ${VAR:-value}", strings.Join(missing, ", "))
	}
	return out, used, nil
}
