package httpjson

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/exportpipe/exportpipe/internal/httpx"
)

// response is one page as fetched.
type response struct {
	body   []byte
	header http.Header
}

// pageURL is the configured URL with the static query (config query,
// limit, window or incremental bounds) and one page-specific parameter.
func (e *Extractor) pageURL(params url.Values, key, value string) string {
	u := *e.base
	q := u.Query()
	for k, v := range e.cfg.Query {
		q.Set(k, v)
	}
	for k, v := range params {
		q[k] = v
	}
	if key != "" {
		q.Set(key, value)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// requestParams are the query parameters every page of a window carries.
func (e *Extractor) requestParams(win *span) url.Values {
	q := url.Values{}
	p := e.cfg.Pagination
	if p.LimitParam != "" && p.Limit > 0 {
		q.Set(p.LimitParam, strconv.Itoa(p.Limit))
	}
	if win != nil {
		e.cfg.Window.apply(q, *win)
	} else if k, v, ok := e.incParam(); ok {
		q.Set(k, v)
	}
	return q
}

// fetch gets one page. The body is read inside retryablehttp's response
// handler so that a truncated, reset or stalled body is retried like a
// failed request; every attempt passes the source's rate limiter.
func (e *Extractor) fetch(ctx context.Context, rawURL string) (response, error) {
	req, err := retryablehttp.NewRequestWithContext(ctx, e.cfg.Method, rawURL, nil)
	if err != nil {
		return response{}, err
	}
	for k, v := range e.cfg.Headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("Accept", "application/json")
	if err := e.authorize(req.Request); err != nil {
		return response{}, err
	}
	var out response
	req.SetResponseHandler(func(resp *http.Response) error {
		defer resp.Body.Close()
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			// Only the start of an error page is shown, so only that is
			// read: an error is reported as its status even when its page
			// is over max_response_bytes.
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
			e.stats.Bytes.Add(int64(len(b)))
			return &httpx.PermanentError{Msg: fmt.Sprintf("status %d: %s", resp.StatusCode, httpx.Snippet(b))}
		}
		b, err := httpx.ReadBody(resp, e.cfg.MaxResponseBytes)
		e.stats.Bytes.Add(int64(len(b)))
		if err != nil {
			return err
		}
		out = response{body: b, header: resp.Header}
		return nil
	})
	resp, err := e.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return response{}, ctx.Err()
		}
		return response{}, err
	}
	resp.Body.Close()
	return out, nil
}

// authorize adds the credential, but only for the configured host: a next
// URL or Link pointing elsewhere must not receive the API's token.
func (e *Extractor) authorize(req *http.Request) error {
	if e.cfg.Auth.Type == httpx.AuthNone {
		return nil
	}
	if req.URL.Host != e.base.Host || req.URL.Scheme != e.base.Scheme {
		return fmt.Errorf("the API pointed the next page at %s://%s, not %s://%s; refusing to send credentials to another host",
			req.URL.Scheme, req.URL.Host, e.base.Scheme, e.base.Host)
	}
	e.cfg.Auth.Apply(req)
	return nil
}
