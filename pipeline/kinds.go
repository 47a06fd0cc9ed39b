package pipeline

import (
	"fmt"
	"log/slog"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
)

// Kind names a kind of source as a config writes it (kind: http_json).
type Kind string

// SourceSpec is a source kind's own block of a source (http:, file:),
// decoded from the YAML into the struct the kind registered. The pipeline
// knows sources only through it: what is wrong with one, how to build its
// extractor and how to describe it.
type SourceSpec interface {
	// Validate returns every problem with the block. at is the block's key
	// path (sources[2].http) and every message starts with a key path at
	// or under it, so each problem gets its line. d is the source's
	// dataset, "" when the source names none the pipeline knows.
	Validate(at string, d Dataset) []error
	// Build makes the source's extractor. The config has passed
	// validation; an error here is about a value only a build can check,
	// worded "source NAME: key.path: what is wrong" when it is about a key.
	Build(src SourceConfig, env BuildEnv) (Extractor, error)
	// Describe says what the source reads, for exportpipe plan: its first
	// request, or its files. The caller redacts secrets.
	Describe() string
}

// Optional capabilities of a SourceSpec, each asked for where it matters.
type (
	// MappedSpec is a block with a field mapping (fields:, constants:, ...),
	// which the pipeline checks against the dataset's fields, marketplaces
	// and carriers.
	MappedSpec interface{ Mapping() Mapping }
	// CredentialedSpec names the environment variables the source reads
	// its credentials from: each must be set, and each value is a secret.
	CredentialedSpec interface{ Credentials() []Credential }
	// TLSSpec reports that the source turns TLS certificate verification
	// off (tls_insecure_skip_verify).
	TLSSpec interface{ TLSVerificationOff() bool }
	// PartialSpec explains why the source hands over only part of what it
	// lists (only changes, or one time window), so it cannot say what
	// disappeared: each reason rules out delist_missing.
	PartialSpec interface{ PartialReads() []string }
	// LocalSpec lists the local files the source reads, which run and
	// validate check exist before a run starts.
	LocalSpec interface{ LocalInputs() []Input }
)

// Credential is an environment variable a source reads a credential from.
type Credential struct {
	Key string // key path inside the block, e.g. auth.token_env
	Env string // the variable's name
}

// Input is a local path (or glob, or URL, which is left to the run) that a
// source reads.
type Input struct {
	Key  string // key path inside the block, e.g. paths[0]
	Path string
}

// BuildEnv is what a kind is given to build an extractor with.
type BuildEnv struct {
	// Lookup reads the environment variables credentials are in.
	Lookup func(string) (string, bool)
	// Secrets are the config's secret values, redacted from every error.
	Secrets []string
	// FutureTolerance is normalise.future_tolerance, with its default.
	FutureTolerance time.Duration
	// Logger gets the source's warnings.
	Logger *slog.Logger
}

// SourceKind is what a kind registers: its name, the key of its block in
// a source, and a constructor of an empty block for the YAML decoder.
type SourceKind struct {
	Kind Kind
	// Section is the YAML key of the kind's block (http for http_json);
	// the block is decoded into New's struct.
	Section string
	// New returns a pointer to an empty block. Its struct's yaml tags are
	// the block's keys: unknown ones are errors, as elsewhere in the file.
	New func() SourceSpec
}

var kinds = struct {
	sync.RWMutex
	byKind map[Kind]SourceKind
}{byKind: map[Kind]SourceKind{}}

// RegisterSourceKind makes a kind of source known, as database/sql drivers
// register: each kind's package calls it from an init, so importing the
// package is what adds the kind. Registering a kind or a section twice, or
// a section that is a common key of every source, is a programming error
// and panics at start-up.
func RegisterSourceKind(k SourceKind) {
	kinds.Lock()
	defer kinds.Unlock()
	if k.Kind == "" || k.Section == "" || k.New == nil {
		panic(fmt.Sprintf("pipeline: source kind %q registered without a kind, section or constructor", k.Kind))
	}
	if _, dup := kinds.byKind[k.Kind]; dup {
		panic(fmt.Sprintf("pipeline: source kind %q registered twice", k.Kind))
	}
	if commonSourceKeys()[k.Section] {
		panic(fmt.Sprintf("pipeline: source kind %q: section %q is a common key of every source", k.Kind, k.Section))
	}
	for _, other := range kinds.byKind {
		if other.Section == k.Section {
			panic(fmt.Sprintf("pipeline: source kinds %q and %q both use section %q", other.Kind, k.Kind, k.Section))
		}
	}
	if t := reflect.TypeOf(k.New()); t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("pipeline: source kind %q: New must return a pointer to a struct, not %s", k.Kind, t))
	}
	kinds.byKind[k.Kind] = k
}

// LookupSourceKind finds a registered kind.
func LookupSourceKind(k Kind) (SourceKind, bool) {
	kinds.RLock()
	defer kinds.RUnlock()
	sk, ok := kinds.byKind[k]
	return sk, ok
}

// SourceKinds lists the registered kinds, by name.
func SourceKinds() []SourceKind {
	kinds.RLock()
	defer kinds.RUnlock()
	out := make([]SourceKind, 0, len(kinds.byKind))
	for _, k := range kinds.byKind {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b SourceKind) int { return strings.Compare(string(a.Kind), string(b.Kind)) })
	return out
}

// kindNames is the registered kinds for a message: "file, http_json".
func kindNames() string {
	var names []string
	for _, k := range SourceKinds() {
		names = append(names, string(k.Kind))
	}
	if len(names) == 0 {
		return "none (no source kind is registered: the program must import the package of each kind it runs, such as github.com/exportpipe/exportpipe/extractors)"
	}
	return strings.Join(names, ", ")
}

// kindHint is "did you mean ...? " when k is a misspelling of a registered
// kind, as unknown keys get.
func kindHint(k Kind) string {
	var names []string
	for _, sk := range SourceKinds() {
		names = append(names, string(sk.Kind))
	}
	if s := Suggest(string(k), names); s != "" {
		return fmt.Sprintf("did you mean %q? ", s)
	}
	return ""
}

// BuildEnv returns what the config's sources are built with: the
// config's secrets and future tolerance, lookup for credentials and log
// for warnings.
func (c *Config) BuildEnv(lookup func(string) (string, bool), log *slog.Logger) BuildEnv {
	return BuildEnv{Lookup: lookup, Secrets: c.Secrets(), FutureTolerance: c.Normalise.FutureToleranceOrDefault(), Logger: log}
}

// BuildSource makes the extractor of one source through its registered
// kind. An error is a *ConfigError at the source, or at the key inside its
// block that the kind's message names.
func (c *Config) BuildSource(i int, env BuildEnv) (Extractor, error) {
	s := c.Sources[i]
	sk, ok := LookupSourceKind(s.Kind)
	if !ok || s.Spec == nil {
		return nil, ErrorAt(fmt.Sprintf("sources[%d].kind", i), " %q: supported kinds are: %s", s.Kind, kindNames())
	}
	ex, err := s.Spec.Build(s, env)
	if err != nil {
		return nil, atSource(i, s, sk.Section, err)
	}
	return ex, nil
}

// BuildSources makes every source's extractor, in config order, reporting
// every source that cannot be built.
func (c *Config) BuildSources(env BuildEnv) ([]Extractor, []error) {
	var out []Extractor
	var errs []error
	for i := range c.Sources {
		ex, err := c.BuildSource(i, env)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, ex)
	}
	return out, errs
}

// atSource places a kind's build error: at the key of its block that the
// message names after "source NAME: " ("fields.title: ..."), or else at
// the source.
func atSource(i int, s SourceConfig, section string, err error) error {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "source "+s.Name+": "); ok {
		if key := leadingPath.FindString(rest); key != "" && strings.Contains(key, ".") && strings.HasPrefix(rest[len(key):], ":") {
			if _, known := s.blockKeys()[strings.SplitN(key, ".", 2)[0]]; known {
				path := fmt.Sprintf("sources[%d].%s.%s", i, section, key)
				return &ConfigError{Path: path, Msg: fmt.Sprintf("sources[%d].%s.%s", i, section, rest)}
			}
		}
	}
	at := fmt.Sprintf("sources[%d]", i)
	return &ConfigError{Path: at, Msg: at + ": " + msg}
}

// blockKeys are the keys of the source's block.
func (s SourceConfig) blockKeys() map[string]fieldInfo {
	if s.Spec == nil {
		return nil
	}
	return yamlFields(reflect.TypeOf(s.Spec).Elem())
}

var sourceConfigType = reflect.TypeFor[SourceConfig]()

// commonSourceKeys are the keys every source has, whatever its kind.
func commonSourceKeys() map[string]bool {
	out := map[string]bool{}
	for i := range sourceConfigType.NumField() {
		f := sourceConfigType.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); f.IsExported() && name != "-" {
			out[name] = true
		}
	}
	return out
}

// sourceShape is the struct one source's YAML decodes into: the common
// keys of SourceConfig and, under its section, a pointer to each
// registered kind's block. The unknown-key and type checks walk the same
// struct, so a kind's keys are checked like every other key.
func sourceShape() reflect.Type {
	var fields []reflect.StructField
	for i := range sourceConfigType.NumField() {
		f := sourceConfigType.Field(i)
		if f.IsExported() && f.Tag.Get("yaml") != "-" {
			fields = append(fields, reflect.StructField{Name: f.Name, Type: f.Type, Tag: f.Tag})
		}
	}
	for i, k := range SourceKinds() {
		fields = append(fields, reflect.StructField{
			Name: fmt.Sprintf("Block%d", i), Type: reflect.TypeOf(k.New()), Tag: reflect.StructTag(`yaml:"` + k.Section + `"`),
		})
	}
	return reflect.StructOf(fields)
}

// UnmarshalYAML decodes a source: its common keys, and the block of each
// registered kind it has. The block of its own kind becomes Spec; another
// kind's block is kept aside for validation to report.
// It takes the decoder's own unmarshal, so anchors and aliases defined
// elsewhere in the file resolve inside a source too.
func (s *SourceConfig) UnmarshalYAML(unmarshal func(any) error) error {
	t := sourceShape()
	v := reflect.New(t)
	if err := unmarshal(v.Interface()); err != nil {
		return err
	}
	v = v.Elem()
	var out SourceConfig
	ov := reflect.ValueOf(&out).Elem()
	blocks := map[string]SourceSpec{}
	for i := range t.NumField() {
		f := t.Field(i)
		if dst := ov.FieldByName(f.Name); dst.IsValid() {
			dst.Set(v.Field(i))
			continue
		}
		if b := v.Field(i); !b.IsNil() {
			blocks[f.Tag.Get("yaml")] = b.Interface().(SourceSpec)
		}
	}
	if sk, ok := LookupSourceKind(out.Kind); ok {
		out.Spec = blocks[sk.Section]
		if out.Spec == nil {
			out.Spec = sk.New()
		}
		for _, section := range slices.Sorted(maps.Keys(blocks)) {
			if section != sk.Section {
				out.strays = append(out.strays, section)
			}
		}
	}
	*s = out
	return nil
}
