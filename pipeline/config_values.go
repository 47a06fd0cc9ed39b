package pipeline

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// validateValues checks the values that the extractors and the warehouse
// would otherwise refuse only when a run builds them (a URL that is not
// http(s), a negative batch size, a memory limit DuckDB cannot read), so
// that validate and run agree, and every such problem has its line.
func (c *Config) validateValues() []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if m := c.Warehouse.MemoryLimit; m != "" && !memoryLimit.MatchString(m) {
		bad("warehouse.memory_limit %q: want an amount of memory such as 512MB or 2GB", m)
	}
	if c.Warehouse.Threads < 0 {
		bad("warehouse.threads must not be negative: 0 uses every core")
	}
	for i, s := range c.Sources {
		at := fmt.Sprintf("sources[%d]", i)
		if h := s.HTTP; h != nil {
			errs = append(errs, validateHTTPValues(at+".http", s.Dataset, h)...)
		}
		if f := s.File; f != nil {
			errs = append(errs, validateFileValues(at+".file", f)...)
		}
	}
	ref := c.Normalise.Reference
	for key, p := range map[string]string{"unlocode": ref.UNLOCODE, "country_codes": ref.CountryCodes, "hs": ref.HS, "mids": ref.MIDs} {
		if err := checkLocation(p); err != nil {
			bad("normalise.reference.%s %q: %v", key, p, err)
		}
	}
	for i, a := range ref.PortAliases {
		if err := checkLocation(a.Path); err != nil {
			bad("normalise.reference.port_aliases[%d].path %q: %v", i, a.Path, err)
		}
	}
	for i, f := range ref.FX {
		if err := checkLocation(f.Path); err != nil {
			bad("normalise.reference.fx[%d].path %q: %v", i, f.Path, err)
		}
	}
	return errs
}

// memoryLimit is what DuckDB's memory_limit setting reads: a number and a
// unit (KB, MB, GB, TB, or KiB ... TiB; B or bytes).
var memoryLimit = regexp.MustCompile(`(?i)^\s*\d+(\.\d+)?\s*(b|bytes?|[kmgt]i?b)\s*$`)

// HTTPMethods are the request methods an http_json source may use.
var HTTPMethods = []string{"GET", "POST"}

func validateHTTPValues(at, dataset string, h *HTTPSource) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if h.URL != "" && !strings.Contains(h.URL, "${") {
		if err := checkHTTPURL(h.URL); err != nil {
			bad("%s.url %q: %v", at, h.URL, err)
		}
	}
	if h.Method != "" && !oneOf(HTTPMethods, h.Method) {
		bad("%s.method %q: want GET (the default) or POST", at, h.Method)
	}
	nonNegative(&errs, at, map[string]int64{
		"batch_size": int64(h.BatchSize), "max_response_bytes": h.MaxResponseBytes,
		"pagination.limit": int64(h.Pagination.Limit), "pagination.concurrency": int64(h.Pagination.Concurrency),
	})
	if sp := h.Pagination.StartPage; sp != nil && *sp < 0 {
		bad("%s.pagination.start_page must not be negative", at)
	}
	durations := map[string]Duration{"timeout": h.Timeout, "retry_wait_min": h.RetryWaitMin, "retry_wait_max": h.RetryWaitMax}
	if inc := h.Incremental; inc != nil {
		durations["incremental.lookback"] = inc.Lookback
		if d, err := ParseDataset(dataset); err == nil && inc.Field != "" && !oneOf(RawFields[d], inc.Field) {
			bad("%s.incremental.field %q: %s has no such field: its fields are %s", at, inc.Field, d, strings.Join(RawFields[d], ", "))
		}
	}
	if w := h.Window; w != nil {
		durations["window.step"] = w.Step
	}
	notNegativeDurations(&errs, at, durations)
	if h.RetryWaitMin > 0 && h.RetryWaitMax > 0 && h.RetryWaitMin > h.RetryWaitMax {
		bad("%s.retry_wait_min (%s) is more than retry_wait_max (%s)", at, time.Duration(h.RetryWaitMin), time.Duration(h.RetryWaitMax))
	}
	return errs
}

func validateFileValues(at string, f *FileSource) []error {
	var errs []error
	for i, p := range f.Paths {
		if strings.TrimSpace(p) == "" {
			errs = append(errs, fmt.Errorf("%s.paths[%d]: a path is empty", at, i))
			continue
		}
		if err := checkLocation(p); err != nil {
			errs = append(errs, fmt.Errorf("%s.paths[%d] %q: %v", at, i, p, err))
		}
	}
	nonNegative(&errs, at, map[string]int64{"batch_size": int64(f.BatchSize), "max_bytes": f.MaxBytes})
	notNegativeDurations(&errs, at, map[string]Duration{"timeout": f.Timeout})
	if c := f.CSV.Comment; c != "" && len([]rune(c)) != 1 {
		errs = append(errs, fmt.Errorf("%s.csv.comment %q: use a single character, such as #", at, c))
	}
	return errs
}

func nonNegative(errs *[]error, at string, vals map[string]int64) {
	for _, k := range sortedNames(vals) {
		if vals[k] < 0 {
			*errs = append(*errs, fmt.Errorf("%s.%s must not be negative, got %d: leave it out (or 0) for the default", at, k, vals[k]))
		}
	}
}

func notNegativeDurations(errs *[]error, at string, vals map[string]Duration) {
	for _, k := range sortedNames(vals) {
		if vals[k] < 0 {
			*errs = append(*errs, fmt.Errorf("%s.%s must not be negative, got %s", at, k, time.Duration(vals[k])))
		}
	}
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}

// checkHTTPURL accepts an absolute http:// or https:// URL with a host.
func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return fmt.Errorf("not a URL: want an absolute http:// or https:// URL such as https://api.example.com/v1/items")
	case u.Scheme == "":
		return fmt.Errorf("not an absolute URL: start it with https:// (or http://) and the host")
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%s:// is not supported: want http:// or https://", u.Scheme)
	case u.Host == "":
		return fmt.Errorf("the URL has no host: want https://host/path")
	}
	return nil
}

// checkLocation accepts a local path (relative to the working directory)
// or an http(s) URL: anything else that looks like a URL would be read as
// a file name and fail only when the run opens it.
func checkLocation(p string) error {
	if p == "" || strings.Contains(p, "${") {
		return nil
	}
	if scheme, _, ok := strings.Cut(p, "://"); ok && !strings.ContainsAny(scheme, `/\`) {
		if scheme != "http" && scheme != "https" {
			return fmt.Errorf("%s:// is not supported: give a local path or an http:// or https:// URL", scheme)
		}
		return checkHTTPURL(p)
	}
	return nil
}
