// Package httpjson extracts records from paginated HTTP JSON APIs. It follows
// the API's cursor page by page, retries what can be retried, and streams the
// records out as raw Arrow batches, so a source is never held in memory whole.
package httpjson

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/hashicorp/go-retryablehttp"

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

	// RecordsPath is the dotted path to the array of records in each page,
	// e.g. "data" or "result.items".
	RecordsPath string
	// Fields maps a canonical field (pipeline.RawFields) to a dotted JSON
	// path inside a record. A field not named here is read from the key of
	// the same name.
	Fields map[string]string
	// Constants fill canonical fields the API does not send, such as the
	// marketplace of a single-marketplace API.
	Constants map[string]string

	// Cursor pagination: the cursor goes out in CursorParam and comes back
	// at NextPath; an empty or null cursor ends the source.
	CursorParam string
	NextPath    string
	LimitParam  string
	Limit       int

	BatchSize        int
	Timeout          time.Duration
	MaxRetries       int
	RetryWaitMin     time.Duration
	RetryWaitMax     time.Duration
	MaxResponseBytes int64
	Transport        http.RoundTripper

	// Secrets are values (tokens, keys) that must never appear in errors.
	Secrets []string
}

func (c Config) withDefaults() Config {
	if c.Method == "" {
		c.Method = http.MethodGet
	}
	if c.CursorParam == "" {
		c.CursorParam = "cursor"
	}
	if c.NextPath == "" {
		c.NextPath = "next_cursor"
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 16384
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.MaxRetries == 0 {
		c.MaxRetries = 5
	}
	if c.RetryWaitMin <= 0 {
		c.RetryWaitMin = 250 * time.Millisecond
	}
	if c.RetryWaitMax <= 0 {
		c.RetryWaitMax = 30 * time.Second
	}
	if c.MaxResponseBytes <= 0 {
		c.MaxResponseBytes = 64 << 20
	}
	return c
}

// Extractor pulls one HTTP JSON source.
type Extractor struct {
	cfg    Config
	client *retryablehttp.Client
	stats  counters
}

var _ pipeline.Extractor = (*Extractor)(nil)

// New checks cfg and returns an extractor for it.
func New(cfg Config) (*Extractor, error) {
	cfg = cfg.withDefaults()
	if _, ok := pipeline.RawFields[cfg.Dataset]; !ok {
		return nil, fmt.Errorf("source %s: unknown dataset %q", cfg.Name, cfg.Dataset)
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("source %s: url must be an absolute http(s) URL", cfg.Name)
	}
	e := &Extractor{cfg: cfg}
	e.client = newClient(cfg, &e.stats)
	return e, nil
}

func (e *Extractor) Name() string              { return e.cfg.Name }
func (e *Extractor) Dataset() pipeline.Dataset { return e.cfg.Dataset }

// Extract walks every page and emits raw batches of at most BatchSize rows.
func (e *Extractor) Extract(ctx context.Context, mem memory.Allocator, emit pipeline.Emit) (pipeline.ExtractStats, error) {
	b := newBatcher(mem, e.cfg)
	defer b.release()
	var pages, records int64
	seen := map[string]bool{}
	cursor := ""
	for page := 1; ; page++ {
		body, err := e.fetch(ctx, cursor)
		if err != nil {
			return e.figures(pages, records), e.redact(fmt.Errorf("fetch page %d of %s: %w", page, e.cfg.Name, err))
		}
		pages++
		next, n, err := e.decodePage(body, b, emit)
		records += n
		if err != nil {
			return e.figures(pages, records), e.redact(fmt.Errorf("page %d of %s: %w", page, e.cfg.Name, err))
		}
		if next == "" {
			break
		}
		if seen[next] {
			return e.figures(pages, records), fmt.Errorf("page %d of %s: the API repeated cursor %q; stopping so a broken API cannot loop forever", page, e.cfg.Name, next)
		}
		seen[next] = true
		cursor = next
	}
	if err := b.flush(emit); err != nil {
		return e.figures(pages, records), err
	}
	return e.figures(pages, records), nil
}

func (e *Extractor) figures(pages, records int64) pipeline.ExtractStats {
	return pipeline.ExtractStats{
		Records:   records,
		Requests:  e.stats.requests.Load(),
		Retries:   e.stats.retries.Load(),
		Status429: e.stats.status429.Load(),
		Bytes:     e.stats.bytes.Load(),
		Pages:     pages,
	}
}

// fetch gets one page. The body is read inside retryablehttp's response
// handler so that a truncated or reset body is retried like a failed request.
func (e *Extractor) fetch(ctx context.Context, cursor string) ([]byte, error) {
	req, err := retryablehttp.NewRequestWithContext(ctx, e.cfg.Method, e.pageURL(cursor), nil)
	if err != nil {
		return nil, err
	}
	for k, v := range e.cfg.Headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("Accept", "application/json")
	var body []byte
	req.SetResponseHandler(func(resp *http.Response) error {
		defer resp.Body.Close()
		b, err := readBody(resp, e.cfg.MaxResponseBytes)
		e.stats.bytes.Add(int64(len(b)))
		if err != nil {
			return err
		}
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return &permanentError{fmt.Sprintf("status %d: %s", resp.StatusCode, snippet(b))}
		}
		body = b
		return nil
	})
	resp, err := e.client.Do(req)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, ctx.Err()
		}
		return nil, err
	}
	resp.Body.Close()
	return body, nil
}

func (e *Extractor) pageURL(cursor string) string {
	u, _ := url.Parse(e.cfg.URL) // validated in New
	q := u.Query()
	for k, v := range e.cfg.Query {
		q.Set(k, v)
	}
	if e.cfg.LimitParam != "" && e.cfg.Limit > 0 {
		q.Set(e.cfg.LimitParam, strconv.Itoa(e.cfg.Limit))
	}
	if cursor != "" {
		q.Set(e.cfg.CursorParam, cursor)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// redact replaces every configured secret in err's text, so a token echoed
// back by an API never reaches a log or meta.runs.
func (e *Extractor) redact(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	changed := false
	for _, s := range e.cfg.Secrets {
		if s != "" && strings.Contains(msg, s) {
			msg = strings.ReplaceAll(msg, s, "[REDACTED]")
			changed = true
		}
	}
	if !changed {
		return err
	}
	return redactedError{msg: msg, err: err}
}

// redactedError keeps the cause for errors.Is while printing the safe text.
type redactedError struct {
	msg string
	err error
}

func (r redactedError) Error() string { return r.msg }
func (r redactedError) Unwrap() error { return r.err }
