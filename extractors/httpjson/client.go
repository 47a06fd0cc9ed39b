package httpjson

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/exportpipe/exportpipe/pipeline"
)

// counters are the per-source HTTP figures that end up in meta.run_steps.
type counters struct {
	requests  atomic.Int64
	retries   atomic.Int64
	status429 atomic.Int64
	bytes     atomic.Int64
}

// permanentError marks a response that retrying cannot fix (a 4xx other than
// 429). The retry policy stops on it at once.
type permanentError struct{ msg string }

func (e *permanentError) Error() string { return e.msg }

// bodyError marks a response whose body could not be read whole: a reset or
// a truncated transfer. It is retried like a connection error.
type bodyError struct{ err error }

func (e *bodyError) Error() string { return "read response body: " + e.err.Error() }
func (e *bodyError) Unwrap() error { return e.err }

// newClient builds the retrying client. Its logger is off because
// retryablehttp logs full URLs, and a URL may carry an API key in its query.
func newClient(cfg Config, c *counters) *retryablehttp.Client {
	rc := retryablehttp.NewClient()
	rc.Logger = nil
	rc.HTTPClient = &http.Client{Timeout: cfg.Timeout}
	if cfg.Transport != nil {
		rc.HTTPClient.Transport = cfg.Transport
	}
	rc.RetryMax = cfg.MaxRetries
	rc.RetryWaitMin = cfg.RetryWaitMin
	rc.RetryWaitMax = cfg.RetryWaitMax
	rc.Backoff = backoff
	rc.CheckRetry = checkRetry
	rc.RequestLogHook = func(_ retryablehttp.Logger, _ *http.Request, attempt int) {
		c.requests.Add(1)
		if attempt > 0 {
			c.retries.Add(1)
		}
	}
	rc.ResponseLogHook = func(_ retryablehttp.Logger, resp *http.Response) {
		if resp.StatusCode == http.StatusTooManyRequests {
			c.status429.Add(1)
		}
	}
	// Without an ErrorHandler retryablehttp discards the last response and
	// returns an error that embeds the URL; we build our own, redacted one.
	rc.ErrorHandler = func(resp *http.Response, err error, tries int) (*http.Response, error) {
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		if err == nil && resp != nil {
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		var perm *permanentError
		if errors.As(err, &perm) {
			return nil, err
		}
		// Whatever is left was retryable: the source is down or throttling,
		// which schedulers treat as "try again later" (exit code 75).
		return nil, fmt.Errorf("%w: gave up after %d attempt(s): %w", pipeline.ErrSourceUnavailable, tries, err)
	}
	return rc
}

// checkRetry retries on 429, 5xx, connection errors and unreadable bodies,
// and fails fast on everything a retry cannot fix.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	var perm *permanentError
	if errors.As(err, &perm) {
		return false, err
	}
	if err != nil {
		return true, err
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return true, nil
	}
	return false, nil
}

// backoff honours Retry-After on 429 and 503 (seconds or an HTTP date) and
// otherwise waits an exponentially growing, fully jittered time, so many
// clients recovering from one outage do not return in lockstep.
func backoff(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return d
		}
	}
	ceiling := min << min64(attempt, 30)
	if ceiling <= 0 || ceiling > max {
		ceiling = max
	}
	if ceiling <= min {
		return min
	}
	return min + rand.N(ceiling-min)
}

func min64(a, b int) uint { return uint(minInt(a, b)) }

func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// retryAfter parses a Retry-After value: delay seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := at.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}

// readBody reads a whole response body up to limit bytes. A body cut short
// of its Content-Length, or reset mid-stream, is a bodyError and retried.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	lr := io.LimitReader(resp.Body, limit+1)
	b, err := io.ReadAll(lr)
	if err != nil {
		return nil, &bodyError{err}
	}
	if int64(len(b)) > limit {
		return nil, &permanentError{fmt.Sprintf("response larger than max_response_bytes (%d); raise the limit or lower the page size", limit)}
	}
	if resp.ContentLength >= 0 && int64(len(b)) != resp.ContentLength {
		return nil, &bodyError{fmt.Errorf("got %d of %d bytes", len(b), resp.ContentLength)}
	}
	return b, nil
}

// snippet returns a short, printable start of a body for error messages.
// Secrets are redacted by the caller, which knows them.
func snippet(b []byte) string {
	const n = 200
	s := string(b)
	if len(s) > n {
		s = s[:n] + "…"
	}
	return strconv.Quote(s)
}
