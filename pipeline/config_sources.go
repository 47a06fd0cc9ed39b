package pipeline

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
)

// SourceConfig is one source: what it feeds and how to reach it. Exactly
// one of HTTP (kind http_json) and File (kind file) is set.
type SourceConfig struct {
	Name    string      `yaml:"name"`
	Dataset string      `yaml:"dataset"`
	Kind    string      `yaml:"kind"`
	HTTP    *HTTPSource `yaml:"http"`
	File    *FileSource `yaml:"file"`
	// Transform declares how the source writes its values, for the
	// dataset's transform (time zone, date order, Python-literal cells).
	Transform *SourceTransform `yaml:"transform"`
	// MaxRejectShare is the share of this source's records (0 to 1) that
	// may be rejected before the run fails (exit 5); nil means
	// DefaultMaxRejectShare.
	MaxRejectShare *float64 `yaml:"max_reject_share"`
	// DelistMissing says the source returns its whole catalogue every
	// run: a listing it stops returning gets delisted_at.
	DelistMissing bool `yaml:"delist_missing"`
	// MaxDelistShare caps the share of the source's current listings one
	// run may delist; nil means DefaultMaxDelistShare.
	MaxDelistShare *float64 `yaml:"max_delist_share"`
}

// Policy is the source's guards, with defaults filled in.
func (s SourceConfig) Policy() SourcePolicy {
	p := DefaultPolicy()
	if s.MaxRejectShare != nil {
		p.MaxRejectShare = *s.MaxRejectShare
	}
	if s.MaxDelistShare != nil {
		p.MaxDelistShare = *s.MaxDelistShare
	}
	p.DelistMissing = s.DelistMissing
	return p
}

// Policies returns every source's guards by source name.
func (c *Config) Policies() map[string]SourcePolicy {
	out := make(map[string]SourcePolicy, len(c.Sources))
	for _, s := range c.Sources {
		out[s.Name] = s.Policy()
	}
	return out
}

// Mapping turns a source's records into canonical fields. It is shared by
// every kind so a file and an API feeding one dataset read alike.
type Mapping struct {
	// Fields maps a canonical field to where its value is: a dotted JSON
	// path or a column name, or a template such as "{Origin}-{Destination}".
	// A field not named is read from the key or column of the same name.
	Fields map[string]string `yaml:"fields"`
	// Patterns cut a value down with a regular expression: the first
	// capture group (or the whole match) is kept; no match is null.
	Patterns map[string]string `yaml:"patterns"`
	// Defaults fill a field that is missing, null or empty.
	Defaults map[string]string `yaml:"defaults"`
	// Constants fill a field whatever the record says, e.g. the
	// marketplace of a single-marketplace API.
	Constants map[string]string `yaml:"constants"`
	// Keep names source fields with no canonical column (brand, rating,
	// URL) to store in listings' attributes as a JSON object; ["*"] keeps
	// every field no mapping reads.
	Keep []string `yaml:"keep"`
	// Sellers maps sellers fields (seller_id, name, country, city,
	// joined_at) from the same listing record, so one read of a listings
	// file also yields its sellers. marketplace and updated_at follow the
	// listing's own unless named here.
	Sellers map[string]string `yaml:"sellers"`
}

// HTTPSource configures a paginated HTTP JSON API (kind http_json).
type HTTPSource struct {
	URL              string            `yaml:"url"`
	Method           string            `yaml:"method"`
	Query            map[string]string `yaml:"query"`
	Headers          map[string]string `yaml:"headers"`
	Auth             *AuthConfig       `yaml:"auth"`
	RecordsPath      string            `yaml:"records_path"`
	Fields           map[string]string `yaml:"fields"`
	Patterns         map[string]string `yaml:"patterns"`
	Defaults         map[string]string `yaml:"defaults"`
	Constants        map[string]string `yaml:"constants"`
	Keep             []string          `yaml:"keep"`
	Sellers          map[string]string `yaml:"sellers"`
	Pagination       Pagination        `yaml:"pagination"`
	Incremental      *IncrementalSpec  `yaml:"incremental"`
	Window           *WindowSpec       `yaml:"window"`
	RateLimit        *RateLimit        `yaml:"rate_limit"`
	Timeout          Duration          `yaml:"timeout"`
	MaxRetries       int               `yaml:"max_retries"`
	RetryWaitMin     Duration          `yaml:"retry_wait_min"`
	RetryWaitMax     Duration          `yaml:"retry_wait_max"`
	MaxResponseBytes int64             `yaml:"max_response_bytes"`
	BatchSize        int               `yaml:"batch_size"`
	// TLSInsecureSkipVerify turns TLS certificate verification off for
	// this source only. Verification is on unless a source says this
	// explicitly; every run then logs a warning naming the source.
	TLSInsecureSkipVerify bool `yaml:"tls_insecure_skip_verify"`
}

// TLSVerificationOff reports whether the source turns TLS certificate
// verification off (tls_insecure_skip_verify), for anything that describes
// sources to people, such as exportpipe plan.
func (s SourceConfig) TLSVerificationOff() bool {
	return s.HTTP != nil && s.HTTP.TLSInsecureSkipVerify || s.File != nil && s.File.TLSInsecureSkipVerify
}

// Mapping returns the source's field mapping.
func (h *HTTPSource) Mapping() Mapping {
	return Mapping{Fields: h.Fields, Patterns: h.Patterns, Defaults: h.Defaults, Constants: h.Constants, Keep: h.Keep, Sellers: h.Sellers}
}

// Pagination describes how the API hands out pages.
type Pagination struct {
	// Style is one of PaginationStyles; default cursor.
	Style       string `yaml:"style"`
	CursorParam string `yaml:"cursor_param"` // cursor: query parameter that sends it (default cursor)
	NextPath    string `yaml:"next_path"`    // cursor, next_url: where it is in the body (default next_cursor / next)
	PageParam   string `yaml:"page_param"`   // page: default page
	StartPage   *int   `yaml:"start_page"`   // page: default 1
	OffsetParam string `yaml:"offset_param"` // offset: default offset
	LimitParam  string `yaml:"limit_param"`
	Limit       int    `yaml:"limit"`
	// TotalPath is where the body says how many records there are in all;
	// TotalPagesPath how many pages. Either lets page and offset stop
	// without an extra empty request, and lets Concurrency fetch ahead.
	TotalPath      string `yaml:"total_path"`
	TotalPagesPath string `yaml:"total_pages_path"`
	Concurrency    int    `yaml:"concurrency"`
}

// PaginationStyles are the supported pagination styles.
var PaginationStyles = []string{"cursor", "page", "offset", "next_url", "link", "none"}

// AuthConfig names the environment variable holding a credential, so its
// value is known to be a secret wherever it goes.
type AuthConfig struct {
	Type     string `yaml:"type"` // bearer | header | query | basic
	TokenEnv string `yaml:"token_env"`
	Header   string `yaml:"header"` // type header: e.g. X-API-Key
	Param    string `yaml:"param"`  // type query: e.g. api_key
}

// IncrementalSpec makes a source resume from the greatest value of a field
// seen by the last successful run (saved in meta.state).
type IncrementalSpec struct {
	Field    string   `yaml:"field"`    // canonical field, e.g. updated_at
	Param    string   `yaml:"param"`    // query parameter, e.g. updated_since
	Lookback Duration `yaml:"lookback"` // sent value = cursor - lookback, for late writers
	Format   string   `yaml:"format"`   // rfc3339 (default), unix, date, or a Go layout
}

// WindowSpec is a backfill window for date-partitioned sources: each step
// of [since, until) is fetched with its bounds in since_param/until_param.
// `exportpipe run --since/--until` overrides since and until.
type WindowSpec struct {
	SinceParam string   `yaml:"since_param"`
	UntilParam string   `yaml:"until_param"`
	Format     string   `yaml:"format"` // default 2006-01-02
	Since      string   `yaml:"since"`  // 2025-01-01 or RFC 3339
	Until      string   `yaml:"until"`  // exclusive; default now
	Step       Duration `yaml:"step"`   // default: the whole window at once
}

// RateLimit caps a source's request rate; every attempt counts, retries
// included, so a published limit is never exceeded.
type RateLimit struct {
	RPS   float64 `yaml:"rps"`
	Burst int     `yaml:"burst"`
}

// FileSource configures files (kind file): CSV, NDJSON, JSON arrays or
// Parquet, local or over HTTP(S), optionally gzipped.
type FileSource struct {
	Paths       []string          `yaml:"paths"`  // local paths, globs, http(s) URLs
	Format      string            `yaml:"format"` // csv | ndjson | json | parquet; default from the extension
	CSV         CSVOptions        `yaml:"csv"`
	RecordsPath string            `yaml:"records_path"` // json: dotted path to the array
	Fields      map[string]string `yaml:"fields"`
	Patterns    map[string]string `yaml:"patterns"`
	Defaults    map[string]string `yaml:"defaults"`
	Constants   map[string]string `yaml:"constants"`
	Keep        []string          `yaml:"keep"`    // listings: fields stored in attributes (["*"]: every unmapped one)
	Sellers     map[string]string `yaml:"sellers"` // listings: sellers fields read from the same record
	Headers     map[string]string `yaml:"headers"` // for URLs
	Auth        *AuthConfig       `yaml:"auth"`    // for URLs
	RateLimit   *RateLimit        `yaml:"rate_limit"`
	Timeout     Duration          `yaml:"timeout"`
	MaxRetries  int               `yaml:"max_retries"`
	// MaxBytes bounds the decompressed bytes read from one file, so a
	// gzip bomb fails the run instead of filling memory or disk.
	MaxBytes  int64       `yaml:"max_bytes"`
	BatchSize int         `yaml:"batch_size"`
	Window    *WindowSpec `yaml:"window"` // reserved: rejected by validation until files fill {date} in paths
	// TLSInsecureSkipVerify turns TLS certificate verification off for
	// this source's https URLs, as for http sources.
	TLSInsecureSkipVerify bool `yaml:"tls_insecure_skip_verify"`
}

// Mapping returns the source's field mapping.
func (f *FileSource) Mapping() Mapping {
	return Mapping{Fields: f.Fields, Patterns: f.Patterns, Defaults: f.Defaults, Constants: f.Constants, Keep: f.Keep, Sellers: f.Sellers}
}

// CSVOptions describe a CSV dialect.
type CSVOptions struct {
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
	d, derr := ParseDataset(s.Dataset)
	if derr != nil {
		bad("%s.dataset: %v", at, derr)
	}
	switch s.Kind {
	case "http_json":
		if s.File != nil {
			bad("%s.file: kind http_json takes an http section, not file", at)
		}
		errs = append(errs, validateHTTP(at+".http", s.HTTP)...)
		if s.HTTP != nil {
			errs = append(errs, validateMapping(at+".http", d, s.HTTP.Mapping())...)
		}
	case "file":
		if s.HTTP != nil {
			bad("%s.http: kind file takes a file section, not http", at)
		}
		errs = append(errs, validateFile(at+".file", s.File)...)
		if s.File != nil {
			errs = append(errs, validateMapping(at+".file", d, s.File.Mapping())...)
		}
	default:
		bad("%s.kind %q: supported kinds are: http_json, file", at, s.Kind)
	}
	if derr == nil {
		errs = append(errs, s.Transform.validate(at+".transform", d)...)
	}
	errs = append(errs, s.validateGuards(at, d, derr == nil)...)
	return errs
}

// validateGuards checks the reject and delisting guards. Only a source
// that hands over everything it lists can say what disappeared: one read
// incrementally or by time window sees changes, never deletions.
func (s SourceConfig) validateGuards(at string, d Dataset, known bool) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	for _, g := range []struct {
		key string
		v   *float64
	}{{"max_reject_share", s.MaxRejectShare}, {"max_delist_share", s.MaxDelistShare}} {
		if g.v != nil && !(*g.v >= 0 && *g.v <= 1) {
			bad("%s.%s %v: want a share between 0 and 1 (0.05 is 5%%)", at, g.key, *g.v)
		}
	}
	if s.MaxDelistShare != nil && !s.DelistMissing {
		bad("%s.max_delist_share: only a source with delist_missing: true delists", at)
	}
	if !s.DelistMissing {
		return errs
	}
	if known && d != Listings {
		bad("%s.delist_missing: only listings sources can delist (this one feeds %s)", at, d)
	}
	if s.HTTP != nil && s.HTTP.Incremental != nil {
		bad("%s.delist_missing: the source is incremental (http.incremental), so it returns only what changed and cannot show what disappeared; drop one of the two", at)
	}
	if (s.HTTP != nil && s.HTTP.Window != nil) || (s.File != nil && s.File.Window != nil) {
		bad("%s.delist_missing: the source reads a time window, not its whole catalogue; drop one of the two", at)
	}
	return errs
}

func validateHTTP(at string, h *HTTPSource) []error {
	if h == nil || h.URL == "" {
		return []error{fmt.Errorf("%s.url: kind http_json needs http.url", at)}
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	p := h.Pagination
	if p.Style != "" && !oneOf(PaginationStyles, p.Style) {
		bad("%s.pagination.style %q: supported styles are: %s", at, p.Style, strings.Join(PaginationStyles, ", "))
	}
	if p.Concurrency > 1 && p.Style != "page" && p.Style != "offset" {
		bad("%s.pagination.concurrency: only page and offset pagination can fetch pages concurrently", at)
	}
	if p.Concurrency > 1 && p.TotalPath == "" && p.TotalPagesPath == "" {
		bad("%s.pagination.concurrency: needs total_path or total_pages_path, so the pages to fetch are known", at)
	}
	if p.Style == "offset" && p.Limit <= 0 {
		bad("%s.pagination.limit: offset pagination needs a page size (limit)", at)
	}
	if inc := h.Incremental; inc != nil && (inc.Field == "" || inc.Param == "") {
		bad("%s.incremental: needs field (e.g. updated_at) and param (e.g. updated_since)", at)
	}
	if w := h.Window; w != nil && w.SinceParam == "" {
		bad("%s.window.since_param: needed to send the window to the API", at)
	}
	// Refused where it cannot apply, as for files (see validateFile).
	if h.TLSInsecureSkipVerify && !strings.HasPrefix(strings.ToLower(h.URL), "https://") {
		bad("%s.tls_insecure_skip_verify: the url is not https, so there is no certificate to check; remove the setting", at)
	}
	errs = append(errs, validateCommon(at, h.Auth, h.RateLimit, h.Window, h.MaxRetries)...)
	return errs
}

func validateFile(at string, f *FileSource) []error {
	if f == nil || len(f.Paths) == 0 {
		return []error{fmt.Errorf("%s.paths: kind file needs at least one path, glob or URL", at)}
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if f.Format != "" && !oneOf([]string{"csv", "ndjson", "json", "parquet"}, f.Format) {
		bad("%s.format %q: supported formats are: csv, ndjson, json, parquet", at, f.Format)
	}
	if d := f.CSV.Delimiter; d != "" && len([]rune(d)) != 1 && d != `\t` {
		bad("%s.csv.delimiter %q: use a single character (or \\t)", at, d)
	}
	if r := f.CSV.Ragged; r != "" && r != "reject" && r != "pad" {
		bad("%s.csv.ragged %q: want reject or pad", at, r)
	}
	if f.CSV.NoHeader && len(f.CSV.Columns) == 0 {
		bad("%s.csv.columns: a file without a header needs its column names", at)
	}
	// The file extractor does not fill {date} in paths yet; accepting the
	// key would make a backfill silently read nothing new.
	if f.Window != nil {
		bad("%s.window: date windows are supported for http sources only; list the files in paths (globs work)", at)
	}
	// A setting that cannot apply is refused rather than ignored: it would
	// otherwise sit in the config as a standing "verification is off"
	// warning that means nothing, or be copied to a source where it does.
	// Case-sensitive, as the file extractor tells URLs from paths.
	if f.TLSInsecureSkipVerify && !slices.ContainsFunc(f.Paths, func(p string) bool { return strings.HasPrefix(p, "https://") }) {
		bad("%s.tls_insecure_skip_verify: no path is an https URL, so there is no certificate to check; remove the setting", at)
	}
	errs = append(errs, validateCommon(at, f.Auth, f.RateLimit, nil, f.MaxRetries)...)
	return errs
}

func validateCommon(at string, a *AuthConfig, rl *RateLimit, w *WindowSpec, retries int) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if a != nil {
		if !oneOf([]string{"bearer", "header", "query", "basic"}, a.Type) {
			bad("%s.auth.type %q: want bearer, header, query or basic", at, a.Type)
		}
		if !credEnvName.MatchString(a.TokenEnv) {
			bad("%s.auth.token_env %q: name the environment variable that holds the credential (not the value)", at, a.TokenEnv)
		}
		if a.Type == "header" && a.Header == "" {
			bad("%s.auth.header: auth type header needs the header name, e.g. X-API-Key", at)
		}
		if a.Type == "query" && a.Param == "" {
			bad("%s.auth.param: auth type query needs the parameter name, e.g. api_key", at)
		}
	}
	if rl != nil && (rl.RPS <= 0 || rl.Burst < 0) {
		bad("%s.rate_limit: rps must be > 0 and burst >= 0", at)
	}
	if retries < -1 {
		bad("%s.max_retries: use -1 for no retries, 0 for the default (5), or a positive number", at)
	}
	if w != nil {
		for k, v := range map[string]string{"since": w.Since, "until": w.Until} {
			if _, err := ParseWindowTime(v); v != "" && err != nil {
				bad("%s.window.%s: %v", at, k, err)
			}
		}
	}
	return errs
}

func validateMapping(at string, d Dataset, m Mapping) []error {
	fields, ok := RawFields[d]
	if !ok {
		return nil // the dataset error says it already
	}
	var errs []error
	for _, sec := range []struct {
		name string
		m    map[string]string
	}{{"fields", m.Fields}, {"patterns", m.Patterns}, {"defaults", m.Defaults}, {"constants", m.Constants}} {
		for k, v := range sec.m {
			if sk, ok := strings.CutPrefix(k, SellerColumnPrefix); ok && sec.name != "fields" {
				// patterns: {sellers.country: ...}: a rule for the seller
				// the record names (sellers:), not for the listing.
				switch {
				case d != Listings || len(m.Sellers) == 0:
					errs = append(errs, fmt.Errorf("%s.%s.%s: only a listings source with sellers: has sellers fields", at, sec.name, k))
				case !oneOf(RawFields[Sellers], sk):
					errs = append(errs, fmt.Errorf("%s.%s.%s: sellers has no field %q: its fields are %s", at, sec.name, k, sk, strings.Join(RawFields[Sellers], ", ")))
				}
			} else if !oneOf(fields, k) {
				errs = append(errs, fmt.Errorf("%s.%s.%s: %s has no field %q: its fields are %s", at, sec.name, k, d, k, strings.Join(fields, ", ")))
			}
			if sec.name == "patterns" {
				if _, err := regexp.Compile(v); err != nil {
					errs = append(errs, fmt.Errorf("%s.patterns.%s: %v", at, k, err))
				}
			}
		}
	}
	if _, mapsIt := m.Fields["attributes"]; mapsIt && len(m.Keep) > 0 {
		errs = append(errs, fmt.Errorf("%s.keep: fields.attributes already says where attributes come from; use one of the two", at))
	}
	errs = append(errs, validateKeep(at, d, m.Keep)...)
	return append(errs, validateSellers(at, d, m)...)
}

// validateSellers checks sellers: listings only, sellers fields only, and
// where the seller's id and country come from: the record (sellers:), or
// for the country a constant or default the config states
// (constants: {sellers.country: PK}).
func validateSellers(at string, d Dataset, m Mapping) []error {
	sellers := m.Sellers
	if len(sellers) == 0 {
		return nil
	}
	if d != Listings {
		return []error{fmt.Errorf("%s.sellers: only a listings source can also yield sellers; this one feeds %s", at, d)}
	}
	var errs []error
	fields := RawFields[Sellers]
	for _, k := range slices.Sorted(maps.Keys(sellers)) {
		switch {
		case !oneOf(fields, k):
			errs = append(errs, fmt.Errorf("%s.sellers.%s: sellers has no field %q: its fields are %s", at, k, k, strings.Join(fields, ", ")))
		case strings.TrimSpace(sellers[k]) == "":
			errs = append(errs, fmt.Errorf("%s.sellers.%s: say where the value is (a path, a column or a template)", at, k))
		}
	}
	for _, need := range []string{"seller_id", "country"} {
		_, named := sellers[need]
		_, constant := m.Constants[SellerColumnPrefix+need]
		_, def := m.Defaults[SellerColumnPrefix+need]
		if !named && !constant && !def {
			errs = append(errs, fmt.Errorf("%s.sellers: name where the seller's %s is (sellers: {%s: ...}): core.sellers needs it, and the pipeline does not guess it", at, need, need))
		}
	}
	return errs
}

// validateKeep checks keep: listings only (the one dataset with an
// attributes column), names that are not blank, and "*" on its own.
func validateKeep(at string, d Dataset, keep []string) []error {
	if len(keep) == 0 {
		return nil
	}
	if d != Listings {
		return []error{fmt.Errorf("%s.keep: only listings sources keep extra fields (in core.listings.attributes); this one feeds %s", at, d)}
	}
	var errs []error
	for i, k := range keep {
		switch {
		case strings.TrimSpace(k) == "":
			errs = append(errs, fmt.Errorf("%s.keep[%d]: a blank field name", at, i))
		case k == KeepAll && len(keep) > 1:
			errs = append(errs, fmt.Errorf("%s.keep: %q keeps every unmapped field; list names or %q, not both", at, KeepAll, KeepAll))
		}
	}
	return errs
}

// KeepAll in keep: stores every field of a record that no mapping reads.
const KeepAll = "*"

var credEnvName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ParseWindowTime reads a window bound: a date (2025-01-01, UTC midnight)
// or an RFC 3339 timestamp.
func ParseWindowTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: want a date (2025-01-01) or an RFC 3339 time", s)
	}
	return t.UTC(), nil
}

func oneOf(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
