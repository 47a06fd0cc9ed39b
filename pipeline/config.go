package pipeline

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

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
	for i, src := range c.Sources {
		if seen[src.Name] {
			bad("sources[%d].name %q is used twice", i, src.Name)
		}
		seen[src.Name] = true
		errs = append(errs, validateSource(fmt.Sprintf("sources[%d]", i), src)...)
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
