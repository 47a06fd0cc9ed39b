// Package httpx is the HTTP layer of every download exportpipe makes, the
// extractors' pages and files and the reference files alike: a retrying
// client with jittered backoff that honours Retry-After, a per-source rate
// limit applied to every attempt, TLS verification with a per-source
// opt-out, request authentication from configured secrets, and redaction
// of those secrets (and of URLs' credentials) from errors. It lives outside
// extractors/ so that one client serves them all.
package httpx

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"

	"github.com/exportpipe/exportpipe/pipeline"
)

// Options configure a source's client. Zero values take the defaults in
// WithDefaults.
type Options struct {
	Timeout      time.Duration
	MaxRetries   int // attempts after the first; a negative value disables retries
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// RPS limits requests per second (every attempt, retries included);
	// 0 means unlimited. Burst is how many may go at once (default 1).
	RPS       float64
	Burst     int
	Transport http.RoundTripper
	// MaxRetryAfter caps how long a Retry-After header may park a run
	// (default 5m), so a hostile or broken header cannot stall it for a day.
	MaxRetryAfter time.Duration
	// InsecureSkipVerify turns TLS certificate verification off. It exists
	// for servers people run themselves with a certificate they cannot get
	// trusted (a lab box, an appliance); it is off unless a source's config
	// says tls_insecure_skip_verify: true, and the extractors log a warning
	// every run while it is on. It needs the default transport or an
	// *http.Transport: a custom RoundTripper keeps its own TLS settings.
	InsecureSkipVerify bool
	// Section is the config section the source's settings are in ("http"
	// or "file"), so error messages name the exact key to change.
	Section string
	// NoInsecureOption says the caller's config has no setting that turns
	// TLS verification off (reference files have none), so a certificate
	// error must not tell the user to set one.
	NoInsecureOption bool
}

// WithDefaults fills unset options.
func (o Options) WithDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = 5
	}
	if o.MaxRetries < 0 {
		o.MaxRetries = 0
	}
	if o.RetryWaitMin <= 0 {
		o.RetryWaitMin = 250 * time.Millisecond
	}
	if o.RetryWaitMax <= 0 {
		o.RetryWaitMax = 30 * time.Second
	}
	if o.Burst <= 0 {
		o.Burst = 1
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = 5 * time.Minute
	}
	if o.Section == "" {
		o.Section = "http"
	}
	return o
}

// Counters are the per-source HTTP figures that end up in meta.run_steps
// and on /metrics. They are safe for concurrent use because concurrent page
// fetches share them.
type Counters struct {
	Requests  atomic.Int64
	Retries   atomic.Int64
	Status429 atomic.Int64
	Bytes     atomic.Int64

	mu    sync.Mutex
	codes map[int]int64 // responses by status code, every attempt included
}

// CountStatus records one response with the given status code.
func (c *Counters) CountStatus(code int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.codes == nil {
		c.codes = map[int]int64{}
	}
	c.codes[code]++
}

// StatusCodes returns a copy of the responses counted by status code; nil
// when there were none. Requests minus their sum is the attempts that got
// no response (connection errors, timeouts).
func (c *Counters) StatusCodes() map[int]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.codes) == 0 {
		return nil
	}
	return maps.Clone(c.codes)
}

// ResetStatusCodes forgets the counted responses, for an extractor whose
// figures describe one Extract.
func (c *Counters) ResetStatusCodes() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.codes = nil
}

// PermanentError marks a response that retrying cannot fix (a 4xx other
// than 429, or a body over the size limit). The retry policy stops at once.
type PermanentError struct{ Msg string }

func (e *PermanentError) Error() string { return e.Msg }

// BodyError marks a body that could not be read whole: a reset or a
// truncated transfer. It is retried like a connection error.
type BodyError struct{ Err error }

func (e *BodyError) Error() string { return "read response body: " + e.Err.Error() }
func (e *BodyError) Unwrap() error { return e.Err }

// NewClient builds the retrying client. Its logger is off because
// retryablehttp logs full URLs, and a URL may carry an API key.
func NewClient(o Options, c *Counters) *retryablehttp.Client {
	o = o.WithDefaults()
	rc := retryablehttp.NewClient()
	rc.Logger = nil
	base := o.Transport
	if base == nil {
		base = http.DefaultTransport.(*http.Transport).Clone()
	}
	if t, ok := base.(*http.Transport); ok && o.InsecureSkipVerify {
		// Clone so a transport shared with other sources keeps verifying.
		t = t.Clone()
		if t.TLSClientConfig == nil {
			t.TLSClientConfig = &tls.Config{}
		}
		t.TLSClientConfig.InsecureSkipVerify = true
		base = t
	}
	rc.HTTPClient = &http.Client{Timeout: o.Timeout, Transport: newLimited(base, o.RPS, o.Burst)}
	rc.RetryMax = o.MaxRetries
	rc.RetryWaitMin = o.RetryWaitMin
	rc.RetryWaitMax = o.RetryWaitMax
	rc.Backoff = BackoffWith(o.MaxRetryAfter)
	rc.CheckRetry = checkRetryFor(o)
	rc.RequestLogHook = func(_ retryablehttp.Logger, _ *http.Request, attempt int) {
		c.Requests.Add(1)
		if attempt > 0 {
			c.Retries.Add(1)
		}
	}
	rc.ResponseLogHook = func(_ retryablehttp.Logger, resp *http.Response) {
		c.CountStatus(resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests {
			c.Status429.Add(1)
		}
	}
	rc.ErrorHandler = giveUp
	return rc
}

// giveUp builds our own error when retries run out. Without it
// retryablehttp discards the last response and returns an error embedding
// the URL, which may carry a key.
func giveUp(resp *http.Response, err error, tries int) (*http.Response, error) {
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err == nil && resp != nil {
		err = fmt.Errorf("status %d", resp.StatusCode)
	}
	var perm *PermanentError
	if errors.As(err, &perm) {
		return nil, err
	}
	// Whatever is left was retryable: the source is down or throttling,
	// which schedulers treat as "try again later" (exit code 75).
	return nil, fmt.Errorf("%w: gave up after %d attempt(s): %w", pipeline.ErrSourceUnavailable, tries, err)
}

// checkRetryFor returns the retry policy for a client with options o,
// whose Section and NoInsecureOption shape the hints of its errors.
func checkRetryFor(o Options) retryablehttp.CheckRetry {
	optOut := ""
	if !o.NoInsecureOption {
		optOut = o.Section + "." + TLSOptionKey
	}
	return func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		return checkRetry(ctx, resp, err, optOut)
	}
}

// checkRetry retries on 429, 5xx, connection errors and unreadable bodies,
// and fails fast on everything a retry cannot fix. optOut is the config
// key that turns TLS verification off, or "" when the caller has none.
func checkRetry(ctx context.Context, resp *http.Response, err error, optOut string) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	var perm *PermanentError
	if errors.As(err, &perm) {
		return false, err
	}
	var cert *tls.CertificateVerificationError
	if errors.As(err, &cert) {
		// A certificate that does not verify now will not verify in a
		// second, and "retry later" (exit 75) would hide it from people.
		// The fix we point at first keeps verification on; the opt-out is
		// named too, where there is one, since without it a user would go
		// looking for one.
		msg := "TLS certificate does not verify: " + cert.Err.Error() +
			": the server's certificate is not trusted. Add the issuing CA to the system trust store (or point SSL_CERT_FILE at it)"
		if optOut != "" {
			msg += "; only for a server you control, set " + optOut + ": true on the source to turn verification off"
		}
		return false, &PermanentError{Msg: msg}
	}
	if err != nil {
		return true, err
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return true, nil
	}
	return false, nil
}

// BackoffWith honours Retry-After on 429 and 503 (seconds or an HTTP
// date) up to maxAfter, and otherwise waits an exponentially growing, fully
// jittered time, so many clients recovering from one outage do not return
// in lockstep.
func BackoffWith(maxAfter time.Duration) retryablehttp.Backoff {
	return func(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
		if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
			if d, ok := RetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
				return clamp(d, 0, maxAfter)
			}
		}
		return jittered(min, max, attempt)
	}
}

func jittered(min, max time.Duration, attempt int) time.Duration {
	ceiling := min << uint(clampInt(attempt, 0, 30))
	if ceiling <= 0 || ceiling > max {
		ceiling = max
	}
	if ceiling <= min {
		return min
	}
	return min + rand.N(ceiling-min)
}

func clamp(d, lo, hi time.Duration) time.Duration { return max(lo, min(d, hi)) }
func clampInt(v, lo, hi int) int                  { return max(lo, min(v, hi)) }

// RetryAfter parses a Retry-After value: delay seconds or an HTTP date.
func RetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 || secs > 1<<31 {
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

// limited waits for the source's rate limiter before every attempt that
// reaches the wire, retries included.
type limited struct {
	base    http.RoundTripper
	limiter *rate.Limiter
}

// newLimited wraps base even without a rate limit (rps <= 0), so that
// every attempt is one the retry policy sees and counts.
func newLimited(base http.RoundTripper, rps float64, burst int) http.RoundTripper {
	if rps <= 0 {
		return &limited{base: base}
	}
	return &limited{base: base, limiter: rate.NewLimiter(rate.Limit(rps), burst)}
}

func (l *limited) RoundTrip(req *http.Request) (*http.Response, error) {
	if l.limiter != nil {
		if err := l.limiter.Wait(req.Context()); err != nil {
			return nil, err
		}
	}
	if req.Body == nil || req.Body == http.NoBody {
		// net/http silently replays a bodiless GET on a fresh connection
		// when a reused one dies, which would be a second request the
		// limiter never saw. A non-nil empty body without GetBody (which
		// retryablehttp sets) makes the request non-replayable, so the
		// replay goes through our retry policy and this limiter instead.
		// No body bytes are sent: net/http probes the body and finds it empty.
		req = req.Clone(req.Context())
		req.Body = emptyBody{}
		req.GetBody = nil
		req.ContentLength = 0
	}
	return l.base.RoundTrip(req)
}

type emptyBody struct{}

func (emptyBody) Read([]byte) (int, error) { return 0, ioEOF }
func (emptyBody) Close() error             { return nil }
