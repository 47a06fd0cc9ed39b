package httpjson

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/exportpipe/exportpipe/internal/httpx"
	"github.com/exportpipe/exportpipe/pipeline"
)

// Kind is the kind of source this package reads: a paginated HTTP JSON API.
const Kind pipeline.Kind = "http_json"

func init() {
	pipeline.RegisterSourceKind(pipeline.SourceKind{Kind: Kind, Section: "http", New: func() pipeline.SourceSpec { return new(Spec) }})
}

// Spec is a kind http_json source's http: section, as the config writes
// it. Its pagination, incremental and window sections are the types the
// extractor runs with.
type Spec struct {
	URL         string            `yaml:"url"`
	Method      string            `yaml:"method"`
	Query       map[string]string `yaml:"query"`
	Headers     map[string]string `yaml:"headers"`
	Auth        *httpx.AuthConfig `yaml:"auth"`
	RecordsPath string            `yaml:"records_path"`
	// Map is fields:, patterns:, defaults:, constants: and keep:, written
	// in the section itself.
	Map              pipeline.Mapping  `yaml:",inline"`
	Pagination       Pagination        `yaml:"pagination"`
	Incremental      *Incremental      `yaml:"incremental"`
	Window           *Window           `yaml:"window"`
	RateLimit        *httpx.RateLimit  `yaml:"rate_limit"`
	Timeout          pipeline.Duration `yaml:"timeout"`
	MaxRetries       int               `yaml:"max_retries"`
	RetryWaitMin     pipeline.Duration `yaml:"retry_wait_min"`
	RetryWaitMax     pipeline.Duration `yaml:"retry_wait_max"`
	MaxResponseBytes int64             `yaml:"max_response_bytes"`
	BatchSize        int               `yaml:"batch_size"`
	// TLSInsecureSkipVerify turns TLS certificate verification off for
	// this source only. Verification is on unless a source says this
	// explicitly; every run then logs a warning naming the source.
	TLSInsecureSkipVerify bool `yaml:"tls_insecure_skip_verify"`
}

var (
	_ pipeline.MappedSpec       = (*Spec)(nil)
	_ pipeline.CredentialedSpec = (*Spec)(nil)
	_ pipeline.TLSSpec          = (*Spec)(nil)
	_ pipeline.PartialSpec      = (*Spec)(nil)
)

// Methods are the request methods a source may use.
func Methods() []string { return []string{"GET", "POST"} }

// Mapping is the section's field mapping.
func (h *Spec) Mapping() pipeline.Mapping { return h.Map }

// Credentials names the variable auth.token_env reads.
func (h *Spec) Credentials() []pipeline.Credential { return httpx.Credentials(h.Auth) }

// TLSVerificationOff reports tls_insecure_skip_verify.
func (h *Spec) TLSVerificationOff() bool { return h.TLSInsecureSkipVerify }

// PartialReads says why the source cannot show what disappeared: it
// returns only what changed, or one time window.
func (h *Spec) PartialReads() []string {
	var out []string
	if h.Incremental != nil {
		out = append(out, "the source is incremental (http.incremental), so it returns only what changed and cannot show what disappeared")
	}
	if h.Window != nil {
		out = append(out, "the source reads a time window, not its whole catalogue")
	}
	return out
}

// Validate returns every problem with the section at at; d is the
// source's dataset, "" when it is not one.
func (h *Spec) Validate(at string, d pipeline.Dataset) []error {
	if h.URL == "" {
		return []error{pipeline.ErrorAt(at+".url", ": kind http_json needs http.url")}
	}
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, pipeline.ErrorAt(at+path, format, args...))
	}
	if !strings.Contains(h.URL, "${") {
		if err := pipeline.CheckHTTPURL(h.URL); err != nil {
			bad(".url", " %q: %v", h.URL, err)
		}
	}
	if h.Method != "" && !slices.Contains(Methods(), h.Method) {
		bad(".method", " %q: want GET (the default) or POST", h.Method)
	}
	errs = append(errs, h.Pagination.validate(at+".pagination")...)
	if inc := h.Incremental; inc != nil {
		if inc.Field == "" || inc.Param == "" {
			bad(".incremental", ": needs field (e.g. updated_at) and param (e.g. updated_since)")
		}
		if fields := d.RawFields(); d != "" && inc.Field != "" && !slices.Contains(fields, inc.Field) {
			bad(".incremental.field", " %q: %s has no such field: its fields are %s", inc.Field, d, strings.Join(fields, ", "))
		}
	}
	if w := h.Window; w != nil {
		if w.SinceParam == "" {
			bad(".window.since_param", ": needed to send the window to the API")
		}
		for _, b := range []struct{ key, v string }{{"since", w.Since}, {"until", w.Until}} {
			if _, err := pipeline.ParseWindowTime(b.v); b.v != "" && err != nil {
				bad(".window."+b.key, ": %v", err)
			}
		}
	}
	// Refused where it cannot apply, as for files.
	if h.TLSInsecureSkipVerify && !strings.HasPrefix(strings.ToLower(h.URL), "https://") {
		bad(".tls_insecure_skip_verify", ": the url is not https, so there is no certificate to check; remove the setting")
	}
	errs = append(errs, httpx.ValidateAccess(at, h.Auth, h.RateLimit, h.MaxRetries)...)
	errs = append(errs, httpx.NotNegative(at,
		httpx.Limit{Key: "batch_size", Value: int64(h.BatchSize)}, httpx.Limit{Key: "max_response_bytes", Value: h.MaxResponseBytes},
		httpx.Limit{Key: "pagination.concurrency", Value: int64(h.Pagination.Concurrency)}, httpx.Limit{Key: "pagination.limit", Value: int64(h.Pagination.Limit)})...)
	if sp := h.Pagination.StartPage; sp != nil && *sp < 0 {
		bad(".pagination.start_page", " must not be negative")
	}
	waits := []httpx.Wait{}
	if h.Incremental != nil {
		waits = append(waits, httpx.Wait{Key: "incremental.lookback", Value: h.Incremental.Lookback})
	}
	waits = append(waits, httpx.Wait{Key: "retry_wait_max", Value: time.Duration(h.RetryWaitMax)},
		httpx.Wait{Key: "retry_wait_min", Value: time.Duration(h.RetryWaitMin)}, httpx.Wait{Key: "timeout", Value: time.Duration(h.Timeout)})
	if h.Window != nil {
		waits = append(waits, httpx.Wait{Key: "window.step", Value: h.Window.Step})
	}
	errs = append(errs, httpx.NotNegativeDurations(at, waits...)...)
	if h.RetryWaitMin > 0 && h.RetryWaitMax > 0 && h.RetryWaitMin > h.RetryWaitMax {
		bad(".retry_wait_min", " (%s) is more than retry_wait_max (%s)", time.Duration(h.RetryWaitMin), time.Duration(h.RetryWaitMax))
	}
	return errs
}

func (p Pagination) validate(at string) []error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, pipeline.ErrorAt(at+path, format, args...))
	}
	if p.Style != "" && !slices.Contains(PaginationStyles(), p.Style) {
		bad(".style", " %q: supported styles are: %s", p.Style, strings.Join(PaginationStyles(), ", "))
	}
	if p.Concurrency > 1 && p.Style != "page" && p.Style != "offset" {
		bad(".concurrency", ": only page and offset pagination can fetch pages concurrently")
	}
	if p.Concurrency > 1 && p.TotalPath == "" && p.TotalPagesPath == "" {
		bad(".concurrency", ": needs total_path or total_pages_path, so the pages to fetch are known")
	}
	if p.Style == "offset" && p.Limit <= 0 {
		bad(".limit", ": offset pagination needs a page size (limit)")
	}
	return errs
}

// Build makes the extractor. env.Lookup reads the credential named by
// auth.token_env; env.Secrets are redacted from every error; and
// env.FutureTolerance bounds the incremental cursor as it bounds the
// versions the transforms accept.
func (h *Spec) Build(s pipeline.SourceConfig, env pipeline.BuildEnv) (pipeline.Extractor, error) {
	d, err := pipeline.ParseDataset(s.Dataset)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", s.Name, err)
	}
	auth, err := httpx.AuthFromConfig(h.Auth, env.Lookup)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", s.Name, err)
	}
	rps, burst := httpx.RateFromConfig(h.RateLimit)
	cfg := Config{
		Name: s.Name, Dataset: d, URL: h.URL, Method: h.Method, Query: h.Query, Headers: h.Headers, Auth: auth,
		RecordsPath: h.RecordsPath, Mapping: h.Map, Pagination: h.Pagination, Window: h.Window,
		BatchSize: h.BatchSize, Timeout: time.Duration(h.Timeout), MaxRetries: h.MaxRetries,
		RetryWaitMin: time.Duration(h.RetryWaitMin), RetryWaitMax: time.Duration(h.RetryWaitMax),
		MaxResponseBytes: h.MaxResponseBytes, RPS: rps, Burst: burst, Secrets: env.Secrets,
		TLSInsecureSkipVerify: h.TLSInsecureSkipVerify,
	}
	if h.Incremental != nil {
		inc := *h.Incremental
		inc.FutureTolerance = env.FutureTolerance
		cfg.Incremental = &inc
	}
	return New(cfg)
}

// Describe is the first request the source would make: method, URL with
// its query, and the names (never the values) of its headers.
func (h *Spec) Describe() string {
	u, err := url.Parse(h.URL)
	if err != nil {
		return h.URL
	}
	q := u.Query()
	for k, v := range h.Query {
		q.Set(k, v)
	}
	if p := h.Pagination; p.LimitParam != "" && p.Limit > 0 {
		q.Set(p.LimitParam, strconv.Itoa(p.Limit))
	}
	u.RawQuery = q.Encode()
	method := h.Method
	if method == "" {
		method = "GET"
	}
	out := method + " " + u.Redacted()
	if len(h.Headers) > 0 {
		names := make([]string, 0, len(h.Headers))
		for k := range h.Headers {
			names = append(names, k)
		}
		slices.Sort(names)
		out += " (headers: " + strings.Join(names, ", ") + ")"
	}
	return out
}
