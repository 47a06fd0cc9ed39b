package files

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/internal/httpx"
	"github.com/exportpipe/exportpipe/pipeline"
)

// quickRetries makes a wrongly retried failure show up as extra requests
// within milliseconds, not as a slow test.
var quickRetries = httpx.Options{MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond, Timeout: 5 * time.Second}

// A file fetched over HTTP that grows past file.max_bytes once decoded
// fails the source with ErrTooLarge, naming the source, the URL, the limit
// and the setting, after one request: whether the server sent a
// Content-Length, streamed the file chunked, gzip-encoded the transfer
// (Content-Encoding, decoded by net/http) or served a .gz file (decoded by
// the extractor). In the gzip cases only the decompressed size is over.
func TestDownloadOverMaxBytesFailsOnce(t *testing.T) {
	t.Parallel()
	const limit = 16 << 10
	var csv bytes.Buffer
	csv.WriteString("seller_id,name\n")
	for csv.Len() <= 8*limit {
		csv.WriteString("S-1,Ali\n")
	}
	big := csv.Bytes()
	if z := gz(big); len(z) >= limit {
		t.Fatalf("compressed file is %d bytes; it must be under the limit for the gzip cases to mean anything", len(z))
	}
	cases := []struct {
		name, path string
		serve      func(w http.ResponseWriter, r *http.Request)
	}{
		{"content-length", "/big.csv", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(big)))
			w.Write(big)
		}},
		{"chunked", "/big.csv", func(w http.ResponseWriter, _ *http.Request) {
			for chunk := range slices.Chunk(big, 4096) {
				w.Write(chunk)
				w.(http.Flusher).Flush()
			}
		}},
		{"content-encoding gzip", "/big.csv", func(w http.ResponseWriter, r *http.Request) {
			if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
				http.Error(w, "client did not accept gzip", http.StatusNotAcceptable)
				return
			}
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz(big))
		}},
		{"gzip file", "/big.csv.gz", func(w http.ResponseWriter, _ *http.Request) {
			w.Write(gz(big))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				c.serve(w, r)
			}))
			t.Cleanup(srv.Close)
			_, stats, err := extract(t, Config{Paths: []string{srv.URL + c.path}, MaxBytes: limit, HTTP: quickRetries})
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
			for _, want := range []string{"source test_files", srv.URL + c.path, "(16384 bytes)", "raise file.max_bytes for this source"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q: %v", want, err)
				}
			}
			if errors.Is(err, pipeline.ErrSourceUnavailable) || calls.Load() != 1 || stats.Requests != 1 {
				t.Errorf("server saw %d requests, stats %d, err %v: an oversized file must fail once, not as an outage", calls.Load(), stats.Requests, err)
			}
		})
	}
}

// tlsFileServer serves sellersCSV over TLS with a self-signed certificate.
func tlsFileServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(sellersCSV))
	}))
	srv.Config.ErrorLog = slog.NewLogLogger(slog.DiscardHandler, slog.LevelError)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// A file URL whose certificate does not verify fails at once, naming the
// opt-out in the file section; with file.tls_insecure_skip_verify (set
// through the section's Build, as in YAML) it is read, and each Extract warns.
func TestFileURLTLSVerification(t *testing.T) {
	t.Parallel()
	srv := tlsFileServer(t)
	url := srv.URL + "/sellers.csv"

	_, stats, err := extract(t, Config{Paths: []string{url}, HTTP: quickRetries})
	if err == nil || !strings.Contains(err.Error(), "certificate signed by unknown authority") ||
		!strings.Contains(err.Error(), "not trusted") || !strings.Contains(err.Error(), "file.tls_insecure_skip_verify: true") {
		t.Fatalf("err = %v; want a certificate error that names file.tls_insecure_skip_verify", err)
	}
	if errors.Is(err, pipeline.ErrSourceUnavailable) || stats.Requests != 1 {
		t.Fatalf("a certificate error was retried (%d requests) or reported as an outage: %v", stats.Requests, err)
	}

	var logs syncBuffer
	spec := &Spec{Paths: []string{url}, TLSInsecureSkipVerify: true}
	src := pipeline.SourceConfig{Name: "lab_files", Dataset: "sellers", Kind: Kind, Spec: spec}
	e, err := spec.Build(src, pipeline.BuildEnv{Lookup: func(string) (string, bool) { return "", false }, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	for run := 1; run <= 2; run++ {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		st, err := e.Extract(t.Context(), mem, func(arrow.RecordBatch) error { return nil })
		mem.AssertSize(t, 0)
		if err != nil || st.Records != 3 {
			t.Fatalf("run %d with verification off: %d records, err %v", run, st.Records, err)
		}
		warns := strings.Count(logs.String(), "level=WARN msg=\"TLS certificate verification is OFF")
		if warns != run || !strings.Contains(logs.String(), "source=lab_files setting=file.tls_insecure_skip_verify") {
			t.Fatalf("after run %d, %d warnings: %s", run, warns, logs.String())
		}
	}
}

// syncBuffer collects log output from concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
