// Package httpjson extracts records from paginated HTTP JSON APIs. It walks
// the API's pages in any of the common styles (cursor, page number,
// offset/limit, next URL in the body, RFC 8288 Link header), retries what
// can be retried within a per-source rate limit, resumes from a saved
// cursor, and streams the records out as raw Arrow batches, so a source is
// never held in memory whole.
package httpjson

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/hashicorp/go-retryablehttp"

	"github.com/exportpipe/exportpipe/extractors/internal/rawbatch"
	"github.com/exportpipe/exportpipe/internal/httpx"
	"github.com/exportpipe/exportpipe/pipeline"
)

// Config describes one HTTP JSON source. Everything a user sets in YAML
// lands here; zero values take the defaults in withDefaults.
type Config struct {
	Name    string
	Dataset pipeline.Dataset

	URL     string
	Method  string
	Query   map[string]string
	Headers map[string]string
	Auth    httpx.Auth

	// RecordsPath is the dotted path to the array of records in each page,
	// e.g. "data" or "result.items"; empty when the body is the array.
	RecordsPath string
	// Mapping says where each canonical field is in a record (dotted JSON
	// paths or templates), with patterns, defaults and constants.
	Mapping pipeline.Mapping

	Pagination  Pagination
	Incremental *Incremental
	Window      *Window

	BatchSize        int
	Timeout          time.Duration
	MaxRetries       int
	RetryWaitMin     time.Duration
	RetryWaitMax     time.Duration
	MaxResponseBytes int64
	// RPS and Burst cap the request rate; every attempt counts.
	RPS       float64
	Burst     int
	Transport http.RoundTripper
	// TLSInsecureSkipVerify turns certificate verification off for this
	// source (http.tls_insecure_skip_verify). Every Extract logs a warning
	// while it is on.
	TLSInsecureSkipVerify bool
	// Logger gets the source's warnings; nil means slog.Default() at the
	// time of logging, which the CLI has set up by then.
	Logger *slog.Logger

	// Secrets are values (tokens, keys) that must never appear in errors.
	Secrets []string
}

// Pagination describes how pages are requested and when they end (the
// http.pagination section).
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
	// Concurrency fetches up to this many pages at once when the style is
	// page or offset and the first page gives a total. Pages are still
	// decoded and emitted one at a time in page order.
	Concurrency int `yaml:"concurrency"`
}

// PaginationStyles are the supported pagination styles.
func PaginationStyles() []string {
	return []string{"cursor", "page", "offset", "next_url", "link", "none"}
}

func (c Config) withDefaults() Config {
	if c.Method == "" {
		c.Method = http.MethodGet
	}
	p := &c.Pagination
	if p.Style == "" {
		p.Style = "cursor"
	}
	p.CursorParam = or(p.CursorParam, "cursor")
	p.PageParam = or(p.PageParam, "page")
	p.OffsetParam = or(p.OffsetParam, "offset")
	if p.NextPath == "" && p.Style == "next_url" {
		p.NextPath = "next"
	}
	p.NextPath = or(p.NextPath, "next_cursor")
	if p.StartPage == nil {
		one := 1
		p.StartPage = &one
	}
	if p.Concurrency < 1 {
		p.Concurrency = 1
	}
	if c.MaxResponseBytes <= 0 {
		c.MaxResponseBytes = 64 << 20
	}
	return c
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// Extractor pulls one HTTP JSON source.
type Extractor struct {
	cfg     Config
	base    *url.URL
	mapping *rawbatch.Mapping
	client  *retryablehttp.Client
	stats   httpx.Counters
	redact  httpx.Redactor
	inc     incState
}

var (
	_ pipeline.Extractor   = (*Extractor)(nil)
	_ pipeline.Incremental = (*Extractor)(nil)
)

// New checks cfg and returns an extractor for it.
func New(cfg Config) (*Extractor, error) {
	cfg = cfg.withDefaults()
	m, err := rawbatch.Compile(cfg.Dataset, cfg.Mapping)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", cfg.Name, err)
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("source %s: url must be an absolute http(s) URL", cfg.Name)
	}
	if err := cfg.Auth.Check(); err != nil {
		return nil, fmt.Errorf("source %s: %w", cfg.Name, err)
	}
	if err := checkPagination(cfg.Pagination); err != nil {
		return nil, fmt.Errorf("source %s: %w", cfg.Name, err)
	}
	if cfg.Window != nil {
		// A copy: SetWindow changes the extractor's window, not the caller's.
		w := *cfg.Window
		if err := w.resolve(); err != nil {
			return nil, fmt.Errorf("source %s: %w", cfg.Name, err)
		}
		cfg.Window = &w
	}
	e := &Extractor{cfg: cfg, base: u, mapping: m}
	if err := e.initIncremental(); err != nil {
		return nil, fmt.Errorf("source %s: %w", cfg.Name, err)
	}
	e.redact = httpx.NewRedactor(append([]string{cfg.Auth.Token}, cfg.Secrets...)...)
	e.client = httpx.NewClient(httpx.Options{
		Timeout: cfg.Timeout, MaxRetries: cfg.MaxRetries, RetryWaitMin: cfg.RetryWaitMin,
		RetryWaitMax: cfg.RetryWaitMax, RPS: cfg.RPS, Burst: cfg.Burst, Transport: cfg.Transport,
		InsecureSkipVerify: cfg.TLSInsecureSkipVerify, Section: "http",
	}, &e.stats)
	return e, nil
}

func checkPagination(p Pagination) error {
	switch p.Style {
	case "cursor", "next_url", "link", "none", "page":
	case "offset":
		if p.Limit <= 0 {
			return fmt.Errorf("offset pagination needs a page size (pagination.limit)")
		}
	default:
		return fmt.Errorf("pagination style %q: want cursor, page, offset, next_url, link or none", p.Style)
	}
	if p.Concurrency > 1 && (p.Style != "page" && p.Style != "offset" || p.TotalPath == "" && p.TotalPagesPath == "") {
		return fmt.Errorf("pagination.concurrency needs page or offset pagination and total_path or total_pages_path")
	}
	return nil
}

func (e *Extractor) Name() string              { return e.cfg.Name }
func (e *Extractor) Dataset() pipeline.Dataset { return e.cfg.Dataset }

// NamesSellers reports whether the source's records carry their seller
// too (sellers: in its mapping), as pipeline.NamesSellers asks.
func (e *Extractor) NamesSellers() bool { return e.mapping.NamesSellers() }

// Extract walks every page of every window and emits raw batches of at
// most BatchSize rows. The incremental cursor only moves once the whole
// extraction succeeded.
func (e *Extractor) Extract(ctx context.Context, mem memory.Allocator, emit pipeline.Emit) (pipeline.ExtractStats, error) {
	e.resetStats()
	if e.cfg.TLSInsecureSkipVerify {
		httpx.WarnInsecureTLS(e.cfg.Logger, e.cfg.Name, "http")
	}
	b := rawbatch.NewBuilder(mem, e.cfg.Dataset, e.mapping, e.cfg.BatchSize)
	defer b.Release()
	w := &walk{e: e, b: b, emit: emit, seen: map[[32]byte]int{}, track: e.newTracker()}
	windows, err := e.windows()
	if err != nil {
		return e.figures(w), err
	}
	for _, win := range windows {
		if err := w.run(ctx, e.requestParams(win)); err != nil {
			return e.figures(w), e.redact.Redact(err)
		}
	}
	if err := b.Flush(emit); err != nil {
		return e.figures(w), err
	}
	e.inc.advance(w.track)
	e.warnFuture(w.track)
	return e.figures(w), nil
}

// resetStats makes the figures describe one Extract, as meta.run_steps
// records them per run.
func (e *Extractor) resetStats() {
	e.stats.Requests.Store(0)
	e.stats.Retries.Store(0)
	e.stats.Status429.Store(0)
	e.stats.Bytes.Store(0)
	e.stats.ResetStatusCodes()
}

func (e *Extractor) figures(w *walk) pipeline.ExtractStats {
	return pipeline.ExtractStats{
		Records:   w.records,
		Requests:  e.stats.Requests.Load(),
		Retries:   e.stats.Retries.Load(),
		Status429: e.stats.Status429.Load(),
		Bytes:     e.stats.Bytes.Load(),
		Pages:     w.pages,
		// StatusCodes counts every response by code, retries included.
		StatusCodes: e.stats.StatusCodes(),
	}
}
