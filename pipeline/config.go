package pipeline

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/exportpipe/exportpipe/sql/warehouse/settings"
)

// Config is a pipeline configuration file. Unknown keys are errors, so a
// misspelt option is reported with its line instead of silently ignored.
type Config struct {
	Pipeline  string           `yaml:"pipeline"`
	Warehouse WarehouseConfig  `yaml:"warehouse"`
	Sources   []SourceConfig   `yaml:"sources"`
	Schedules []ScheduleConfig `yaml:"schedules"`
	Serve     ServeConfig      `yaml:"serve"`
	// Normalise extends the transforms' reference tables for every source.
	Normalise NormaliseConfig `yaml:"normalise"`
	// Checks tunes the warehouse's plausibility data tests; the
	// warehouse's package defines and checks it.
	Checks settings.Checks `yaml:"checks"`
	// Marketplaces adds marketplaces beside BuiltinMarketplaces, keyed by
	// the name records give them (amazon.in).
	Marketplaces map[string]MarketplaceConfig `yaml:"marketplaces"`
	// Carriers adds shipping lines to BuiltinCarriers, or codes and
	// spellings to one of them when named as it.
	Carriers []CarrierInfo `yaml:"carriers"`

	// secrets are the values of interpolated variables that look like
	// credentials; they are redacted wherever text leaves the process.
	secrets []string
	// file is the parsed document, kept so checks made after parsing
	// (Preflight) can give each problem its line.
	file *ast.File
	// path is the file the config was loaded from, for messages.
	path string
}

// WarehouseConfig says where the working database, the published
// snapshot and the mart exports live.
type WarehouseConfig struct {
	Path     string `yaml:"path"`
	Snapshot string `yaml:"snapshot"`
	// Exports is the folder each run's Parquet/CSV exports and manifest.json
	// go into; empty means "exports" beside the snapshot.
	Exports string `yaml:"exports"`
	// KeepExports is how many runs' export folders are kept; 0 keeps the
	// warehouse's default (3).
	KeepExports int `yaml:"keep_exports"`
	// DuckDB is the engine's tuning (memory_limit, threads), written
	// beside the keys above; the warehouse's package defines and checks it.
	settings.DuckDB `yaml:",inline"`
}

// Secrets returns the credential values the config interpolated.
func (c *Config) Secrets() []string { return c.secrets }

// AddSecrets marks more values as secret, for credentials a command reads
// from the environment itself (the serve token).
func (c *Config) AddSecrets(vals ...string) {
	for _, v := range vals {
		if v != "" {
			c.secrets = append(c.secrets, v)
		}
	}
}

// LoadConfig reads and checks the config at path, with ${VAR} taken from the
// process environment.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, WithExit(ExitConfig, fmt.Errorf("read config: %w", err))
	}
	c, err := ParseConfig(b, os.LookupEnv)
	if err != nil {
		return nil, WithExit(ExitConfig, fmt.Errorf("config %s:\n%w", path, err))
	}
	c.path = path
	return c, nil
}

// ParseConfig interpolates, decodes and validates a config. Every problem
// found is reported at once (missing variables, unknown keys, values of the
// wrong kind, bad values and cron specs), each prefixed with [line:column]
// where the YAML knows it.
func ParseConfig(src []byte, lookup func(string) (string, bool)) (*Config, error) {
	c, errs, _ := parseConfig(src, lookup)
	if len(errs) > 0 {
		sortByPosition(errs)
		return nil, WithExit(ExitConfig, errors.Join(errs...))
	}
	return c, nil
}

// parseConfig is ParseConfig that also returns the config as far as it
// decoded, when it decoded, and the key paths whose values were of the
// wrong kind, so later checks can go on without repeating them.
func parseConfig(src []byte, lookup func(string) (string, bool)) (*Config, []error, []string) {
	text, used, missing := interpolate(string(src), lookup)
	errs := missingErrors(string(src), missing, nil)
	file, err := parser.ParseBytes([]byte(text), 0)
	if err != nil {
		errs = append(errs, asConfigError(err))
		return nil, errs, nil
	}
	body := documentBody(file)
	if body == nil {
		errs = append(errs, errors.New("config is empty: see configs/demo.yaml for an example"))
		return nil, errs, nil
	}
	// Now that the tree exists, each unset variable is named with the key
	// it is used in.
	errs = missingErrors(string(src), missing, func(name string) string { return textPath(body, "${"+name) })
	errs = append(errs, unknownKeys(body, configType, "")...)
	typeErrs, badPaths := checkTypes(body, configType)
	errs = append(errs, typeErrs...)
	var c Config
	if err := decodeNode(body, &c); err != nil {
		return nil, append(errs, err), badPaths
	}
	c.file = file
	for name, v := range used {
		if looksSecret(name) && v != "" {
			c.secrets = append(c.secrets, v)
		}
	}
	for _, e := range append(c.credentials(lookup), c.Validate()...) {
		if !coveredBy(e, badPaths) {
			errs = append(errs, locate(file, e))
		}
	}
	return &c, errs, badPaths
}

// CheckConfig reads the config at path and makes every check a command
// makes before it touches data: everything LoadConfig checks, Preflight
// for use, and then, when nothing else is wrong, more (the checks of the
// code that builds sources from the config, which the command supplies).
// Every problem is reported at once, each with its line, in file order,
// with exit code 3. validate, run and serve all come through here.
func CheckConfig(path string, use Use, lookup func(string) (string, bool), more func(*Config) []error) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, WithExit(ExitConfig, fmt.Errorf("read config: %w", err))
	}
	c, errs, badPaths := parseConfig(b, lookup)
	if c == nil {
		sortByPosition(errs)
		return nil, WithExit(ExitConfig, fmt.Errorf("config %s:\n%w", path, errors.Join(errs...)))
	}
	c.path = path
	for _, e := range c.Preflight(use, lookup) {
		if !coveredBy(e, badPaths) {
			errs = append(errs, e)
		}
	}
	if len(errs) == 0 && more != nil {
		errs = more(c)
	}
	if err := c.Report(errs); err != nil {
		return nil, err
	}
	return c, nil
}

// credentials reads the variables each source's kind names for its
// credentials (auth.token_env): each value is a secret, and each unset one
// an error, reported with the others.
func (c *Config) credentials(lookup func(string) (string, bool)) []error {
	var errs []error
	for i, s := range c.Sources {
		cs, ok := s.Spec.(CredentialedSpec)
		if !ok {
			continue
		}
		sk, _ := LookupSourceKind(s.Kind)
		for _, cr := range cs.Credentials() {
			if v, ok := lookup(cr.Env); ok && v != "" {
				c.secrets = append(c.secrets, v)
			} else {
				errs = append(errs, ErrorAt(fmt.Sprintf("sources[%d].%s.%s", i, sk.Section, cr.Key),
					": environment variable %s is not set: set it to the credential", cr.Env))
			}
		}
	}
	return errs
}

func documentBody(f *ast.File) ast.Node {
	if len(f.Docs) == 0 || f.Docs[0] == nil {
		return nil
	}
	return f.Docs[0].Body
}

var secretName = regexp.MustCompile(`(?i)(token|key|secret|password|passwd|auth|credential)`)

func looksSecret(name string) bool { return secretName.MatchString(name) }

// Validate returns every problem with the config, not just the first. Each
// message starts with the path of the offending key, which ParseConfig turns
// into a line number.
func (c *Config) Validate() []error {
	var errs []error
	bad := func(path, format string, args ...any) { errs = append(errs, ErrorAt(path, format, args...)) }
	if c.Warehouse.Path == "" {
		bad("warehouse.path", " is required")
	}
	if c.Warehouse.KeepExports < 0 {
		bad("warehouse.keep_exports", " must not be negative: 0 keeps the default of 3 runs")
	}
	if len(c.Sources) == 0 {
		bad("sources", ": at least one source is required")
	}
	seen := map[string]bool{}
	for i, src := range c.Sources {
		if seen[src.Name] {
			bad(fmt.Sprintf("sources[%d].name", i), " %q is used twice", src.Name)
		}
		seen[src.Name] = true
		errs = append(errs, validateSource(fmt.Sprintf("sources[%d]", i), src)...)
	}
	errs = append(errs, c.validateSchedules()...)
	errs = append(errs, c.Serve.validate()...)
	errs = append(errs, c.Normalise.validate()...)
	errs = append(errs, c.validateValues()...)
	errs = append(errs, c.Checks.Validate("checks")...)
	errs = append(errs, c.validateMarketplaces()...)
	errs = append(errs, c.validateCarriers()...)
	return errs
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}`)

// Interpolate replaces ${VAR} and ${VAR:-default}. A variable that is unset
// and has no default is an error naming it (every such variable, not just the
// first), so a config never runs with a silently empty URL or token. It
// returns the values it used.
func Interpolate(src string, lookup func(string) (string, bool)) (string, map[string]string, error) {
	out, used, missing := interpolate(src, lookup)
	if len(missing) > 0 {
		return "", nil, errors.Join(missingErrors(src, missing, nil)...)
	}
	return out, used, nil
}

// interpolate replaces what it can and leaves unset references as they are,
// so the rest of the file still parses and its other problems are reported.
func interpolate(src string, lookup func(string) (string, bool)) (string, map[string]string, []string) {
	used := map[string]string{}
	var missing []string
	seen := map[string]bool{}
	out := envRef.ReplaceAllStringFunc(src, func(m string) string {
		g := envRef.FindStringSubmatch(m)
		if v, ok := lookup(g[1]); ok {
			used[g[1]] = v
			return v
		}
		if g[2] != "" {
			return g[3]
		}
		if !seen[g[1]] {
			seen[g[1]] = true
			missing = append(missing, g[1])
		}
		return m
	})
	return out, used, missing
}

// missingErrors names each unset variable once, at its first use, with the
// other lines that use it. keyOf, when set, names the key a variable is
// used in.
func missingErrors(src string, missing []string, keyOf func(name string) string) []error {
	var errs []error
	for _, name := range missing {
		var lines []int
		var first [2]int
		for _, loc := range envRef.FindAllStringSubmatchIndex(src, -1) {
			if src[loc[2]:loc[3]] != name || loc[4] >= 0 {
				continue
			}
			line, col := lineCol(src, loc[0])
			if len(lines) == 0 {
				first = [2]int{line, col}
			}
			lines = append(lines, line)
		}
		also := ""
		if len(lines) > 1 {
			also = fmt.Sprintf(" (also used on line %s)", joinInts(lines[1:]))
		}
		key := ""
		if keyOf != nil {
			if p := keyOf(name); p != "" {
				key = p + ": "
			}
		}
		errs = append(errs, &ConfigError{Line: first[0], Column: first[1], Path: strings.TrimSuffix(key, ": "),
			Msg: fmt.Sprintf("%senvironment variable %s is not set%s: set it or give a default with ${%s:-value}", key, name, also, name)})
	}
	return errs
}

func lineCol(src string, off int) (int, int) {
	line := 1 + strings.Count(src[:off], "\n")
	return line, off - strings.LastIndex(src[:off], "\n")
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}

var leadingPath = regexp.MustCompile(`^[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)*`)

func sortStrings(s []string) { sort.Strings(s) }

// sortedKeys lists a struct's known keys for "did you mean" style help.
func sortedKeys(m map[string]fieldInfo) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

// decodeNode decodes the config's YAML tree into c. The YAML library can
// panic on some malformed trees (a tag where a sequence is expected, found
// by FuzzParseConfig); a config file is user input, so that is reported as
// a config error, never a crash.
func decodeNode(body ast.Node, c *Config) (err error) {
	defer func() {
		if r := recover(); r != nil {
			// The panic's text is about the decoder's insides, not the file.
			err = errors.New("config is not valid YAML for exportpipe: check the indentation and any !tags, and compare with configs/demo.yaml")
		}
	}()
	if err := yaml.NodeToValue(body, c); err != nil {
		return userTerms(err)
	}
	return nil
}

var goJargon = regexp.MustCompile(`Go struct field|Go value|interface \{\}|cannot unmarshal|reflect`)

// userTerms keeps a decoder message that checkTypes did not foresee from
// showing Go's type names: it keeps the position and says what to do.
func userTerms(err error) error {
	ce := asConfigError(err)
	if !goJargon.MatchString(ce.Msg) {
		return ce
	}
	return &ConfigError{Line: ce.Line, Column: ce.Column, Path: ce.Path,
		Msg: "a value here does not fit its key: compare it with the configuration reference in README.md"}
}
