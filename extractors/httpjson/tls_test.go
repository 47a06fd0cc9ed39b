package httpjson

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/exportpipe/exportpipe/pipeline"
)

// tlsServer is an httptest TLS server on 127.0.0.1 with a self-signed
// certificate that no trust store holds, serving one seller.
func tlsServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var calls atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.Write([]byte(`{"data":[{"seller_id":"S-1","name":"Ali"}]}`))
	}))
	// The refused handshakes are the point of these tests; keep the
	// server's "TLS handshake error" lines out of the test output.
	srv.Config.ErrorLog = slog.NewLogLogger(slog.DiscardHandler, slog.LevelError)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, &calls
}

// A server whose certificate does not verify is refused at once, with a
// message that says the certificate is not trusted, how to trust it, and
// that http.tls_insecure_skip_verify exists. A certificate problem is not
// "temporarily unavailable" (exit 75), so it must not be retried as one.
func TestUntrustedCertificateIsRefusedWithoutRetries(t *testing.T) {
	t.Parallel()
	srv, calls := tlsServer(t)
	e := mustNew(t, Config{Name: "tls_source", Dataset: pipeline.Sellers, URL: srv.URL + "/items", RecordsPath: "data"})
	_, stats, err := collect(t, e)
	if err == nil {
		t.Fatal("a self-signed certificate was accepted with verification on")
	}
	for _, want := range []string{
		"tls_source", "TLS certificate does not verify", "certificate signed by unknown authority",
		"not trusted", "SSL_CERT_FILE", "http.tls_insecure_skip_verify: true",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if errors.Is(err, pipeline.ErrSourceUnavailable) || stats.Requests != 1 || calls.Load() != 0 {
		t.Fatalf("a certificate error was treated as an outage: %v, stats %+v, handler calls %d", err, stats, calls.Load())
	}
}

// With http.tls_insecure_skip_verify the same server is read, and every
// Extract (every run) logs a WARN naming the source and the setting, so
// nobody forgets the option is on.
func TestTLSVerificationOptOutWarnsEveryRun(t *testing.T) {
	t.Parallel()
	srv, _ := tlsServer(t)
	spec := &Spec{URL: srv.URL + "/items", RecordsPath: "data", Pagination: Pagination{Style: "none"}, TLSInsecureSkipVerify: true}
	src := pipeline.SourceConfig{Name: "lab_api", Dataset: "sellers", Kind: Kind, Spec: spec}
	// Through the section's Build, as the CLI builds it, so the YAML field
	// is what is tested, not only the Go one.
	ex, err := spec.Build(src, pipeline.BuildEnv{Lookup: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatal(err)
	}
	e := ex.(*Extractor)
	var logs logBuffer
	e.cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	for run := 1; run <= 2; run++ {
		ids, _, err := collect(t, e)
		if err != nil || len(ids) != 1 || ids[0] != "S-1|Ali" {
			t.Fatalf("run %d: rows %v, err %v; want the one seller", run, ids, err)
		}
		warns := logs.lines("level=WARN")
		if len(warns) != run {
			t.Fatalf("after run %d, %d warnings: %q", run, len(warns), logs.String())
		}
		for _, want := range []string{"TLS certificate verification is OFF", "source=lab_api", "setting=http.tls_insecure_skip_verify"} {
			if !strings.Contains(warns[run-1], want) {
				t.Errorf("warning lacks %q: %s", want, warns[run-1])
			}
		}
	}
}

// Turning verification off for one source leaves the other sources
// verifying, and a source that does not opt out logs no warning.
func TestTLSOptOutIsPerSource(t *testing.T) {
	t.Parallel()
	srv, _ := tlsServer(t)
	base := Config{Dataset: pipeline.Sellers, URL: srv.URL, RecordsPath: "data", Pagination: Pagination{Style: "none"}, MaxRetries: -1}
	var logs logBuffer
	off, on := base, base
	off.Name, off.TLSInsecureSkipVerify, off.Logger = "lab_api", true, slog.New(slog.NewTextHandler(&logs, nil))
	on.Name, on.Logger = "public_api", slog.New(slog.NewTextHandler(&logs, nil))
	if _, _, err := collect(t, mustNew(t, off)); err != nil {
		t.Fatalf("opted-out source: %v", err)
	}
	if _, _, err := collect(t, mustNew(t, on)); err == nil || !strings.Contains(err.Error(), "TLS certificate does not verify") {
		t.Fatalf("a source without the opt-out did not verify: err %v", err)
	}
	if strings.Contains(logs.String(), "public_api") {
		t.Fatalf("a verifying source was warned about: %s", logs.String())
	}
}

// logBuffer collects log output from concurrent writers.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines returns the logged lines that contain s.
func (b *logBuffer) lines(s string) []string {
	var out []string
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return out
}
