package files

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/exportpipe/exportpipe/internal/httpx"
	"github.com/exportpipe/exportpipe/pipeline"
)

// Kind is the kind of source this package reads: files, local or over HTTP.
const Kind pipeline.Kind = "file"

func init() {
	pipeline.RegisterSourceKind(pipeline.SourceKind{Kind: Kind, Section: "file", New: func() pipeline.SourceSpec { return new(Spec) }})
}

// Spec is a kind file source's file: section, as the config writes it.
type Spec struct {
	Paths       []string   `yaml:"paths"`  // local paths, globs, http(s) URLs
	Format      string     `yaml:"format"` // csv | ndjson | json | parquet; default from the extension
	CSV         CSVSection `yaml:"csv"`
	RecordsPath string     `yaml:"records_path"` // json: dotted path to the array
	// Map is fields:, patterns:, defaults:, constants: and keep:, written
	// in the section itself.
	Map        pipeline.Mapping  `yaml:",inline"`
	Headers    map[string]string `yaml:"headers"` // for URLs
	Auth       *httpx.AuthConfig `yaml:"auth"`    // for URLs
	RateLimit  *httpx.RateLimit  `yaml:"rate_limit"`
	Timeout    pipeline.Duration `yaml:"timeout"`
	MaxRetries int               `yaml:"max_retries"`
	// MaxBytes bounds the decompressed bytes read from one file, so a
	// gzip bomb fails the run instead of filling memory or disk.
	MaxBytes  int64 `yaml:"max_bytes"`
	BatchSize int   `yaml:"batch_size"`
	// Window is reserved: validation refuses it until files fill {date}
	// in paths, since accepting it would make a backfill silently read
	// nothing new. Its keys are whatever http.window takes.
	Window map[string]any `yaml:"window"`
	// TLSInsecureSkipVerify turns TLS certificate verification off for
	// this source's https URLs, as for http sources.
	TLSInsecureSkipVerify bool `yaml:"tls_insecure_skip_verify"`
}

// CSVSection is the file.csv section: a CSV dialect.
type CSVSection struct {
	Delimiter  string   `yaml:"delimiter"`   // one character; default ","
	NoHeader   bool     `yaml:"no_header"`   // the first row is data; name columns with columns
	Columns    []string `yaml:"columns"`     // column names when there is no header (or to rename)
	LazyQuotes bool     `yaml:"lazy_quotes"` // accept a bare " inside an unquoted field
	Comment    string   `yaml:"comment"`     // lines starting with this character are skipped
	// Ragged says what to do with a row whose field count differs from the
	// header: reject (default: every field null, so the transform rejects
	// it with the row kept in _raw) or pad (short rows get nulls; long rows
	// are still rejected).
	Ragged string `yaml:"ragged"`
}

var (
	_ pipeline.MappedSpec       = (*Spec)(nil)
	_ pipeline.CredentialedSpec = (*Spec)(nil)
	_ pipeline.TLSSpec          = (*Spec)(nil)
	_ pipeline.PartialSpec      = (*Spec)(nil)
	_ pipeline.LocalSpec        = (*Spec)(nil)
)

// Formats are the file formats a source may name.
func Formats() []string { return []string{"csv", "ndjson", "json", "parquet"} }

// Mapping is the section's field mapping.
func (f *Spec) Mapping() pipeline.Mapping { return f.Map }

// Credentials names the variable auth.token_env reads.
func (f *Spec) Credentials() []pipeline.Credential { return httpx.Credentials(f.Auth) }

// TLSVerificationOff reports tls_insecure_skip_verify.
func (f *Spec) TLSVerificationOff() bool { return f.TLSInsecureSkipVerify }

// PartialReads says why the source cannot show what disappeared.
func (f *Spec) PartialReads() []string {
	if f.Window != nil {
		return []string{"the source reads a time window, not its whole catalogue"}
	}
	return nil
}

// LocalInputs are the paths, which run and validate check before a run.
func (f *Spec) LocalInputs() []pipeline.Input {
	out := make([]pipeline.Input, len(f.Paths))
	for j, p := range f.Paths {
		out[j] = pipeline.Input{Key: fmt.Sprintf("paths[%d]", j), Path: p}
	}
	return out
}

// Describe lists the paths the source reads.
func (f *Spec) Describe() string {
	return strings.Join(f.Paths, ", ")
}

// Validate returns every problem with the section at at.
func (f *Spec) Validate(at string, _ pipeline.Dataset) []error {
	if len(f.Paths) == 0 {
		return []error{pipeline.ErrorAt(at+".paths", ": kind file needs at least one path, glob or URL")}
	}
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, pipeline.ErrorAt(at+path, format, args...))
	}
	if f.Format != "" && !slices.Contains(Formats(), f.Format) {
		bad(".format", " %q: supported formats are: %s", f.Format, strings.Join(Formats(), ", "))
	}
	if d := f.CSV.Delimiter; d != "" && utf8.RuneCountInString(d) != 1 && d != `\t` {
		bad(".csv.delimiter", " %q: use a single character (or \\t)", d)
	}
	if r := f.CSV.Ragged; r != "" && r != "reject" && r != "pad" {
		bad(".csv.ragged", " %q: want reject or pad", r)
	}
	if f.CSV.NoHeader && len(f.CSV.Columns) == 0 {
		bad(".csv.columns", ": a file without a header needs its column names")
	}
	if c := f.CSV.Comment; c != "" && utf8.RuneCountInString(c) != 1 {
		bad(".csv.comment", " %q: use a single character, such as #", c)
	}
	if f.Window != nil {
		bad(".window", ": date windows are supported for http sources only; list the files in paths (globs work)")
	}
	// A setting that cannot apply is refused rather than ignored: it would
	// otherwise sit in the config as a standing "verification is off"
	// warning that means nothing, or be copied to a source where it does.
	// Case-sensitive, as the extractor tells URLs from paths.
	if f.TLSInsecureSkipVerify && !slices.ContainsFunc(f.Paths, func(p string) bool { return strings.HasPrefix(p, "https://") }) {
		bad(".tls_insecure_skip_verify", ": no path is an https URL, so there is no certificate to check; remove the setting")
	}
	for i, p := range f.Paths {
		key := fmt.Sprintf(".paths[%d]", i)
		if strings.TrimSpace(p) == "" {
			bad(key, ": a path is empty")
			continue
		}
		if err := pipeline.CheckLocation(p); err != nil {
			bad(key, " %q: %v", p, err)
		}
	}
	errs = append(errs, httpx.ValidateAccess(at, f.Auth, f.RateLimit, f.MaxRetries)...)
	errs = append(errs, httpx.NotNegative(at, httpx.Limit{Key: "batch_size", Value: int64(f.BatchSize)}, httpx.Limit{Key: "max_bytes", Value: f.MaxBytes})...)
	errs = append(errs, httpx.NotNegativeDurations(at, httpx.Wait{Key: "timeout", Value: time.Duration(f.Timeout)})...)
	return errs
}

// Build makes the extractor. env.Lookup reads the credential named by
// auth.token_env (for URLs).
func (f *Spec) Build(s pipeline.SourceConfig, env pipeline.BuildEnv) (pipeline.Extractor, error) {
	d, err := pipeline.ParseDataset(s.Dataset)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", s.Name, err)
	}
	auth, err := httpx.AuthFromConfig(f.Auth, env.Lookup)
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
		Mapping: f.Map, Headers: f.Headers, Auth: auth,
		HTTP: httpx.Options{Timeout: time.Duration(f.Timeout), MaxRetries: f.MaxRetries, RPS: rps, Burst: burst,
			InsecureSkipVerify: f.TLSInsecureSkipVerify, Section: "file"},
		MaxBytes: f.MaxBytes, BatchSize: f.BatchSize, Secrets: env.Secrets, Logger: env.Logger,
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
