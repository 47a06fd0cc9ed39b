package reference

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const ecbSample = "Date,USD,JPY,GBP,\n2026-04-13,1.1684,186.75,0.87058,\n2026-04-10,1.1650,186.43,0.87105,\n"

// serveRef is a real HTTP server on 127.0.0.1: /ecb.csv serves a small
// ECB file; /missing.csv is a 404; /cut.csv promises more bytes than it
// sends; /big.csv is larger than a lowered limit.
func serveRef(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/ecb.csv", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, ecbSample) })
	mux.HandleFunc("/missing.csv", http.NotFound)
	mux.HandleFunc("/cut.csv", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(ecbSample)+500))
		io.WriteString(w, ecbSample[:40]) // the connection then closes mid-row
	})
	mux.HandleFunc("/big.csv", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, ecbSample+strings.Repeat("2026-01-01,1.1,180,0.8,\n", 100))
	})
	mux.HandleFunc("/slow.csv", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// Not parallel: some cases lower the package's HTTP limits.
func TestFXFileOverHTTP(t *testing.T) {
	srv := serveRef(t)
	got := rates{}
	n, err := LoadFXFiles([]FXFile{{Layout: "ecb", Path: srv.URL + "/ecb.csv?token=s3cret"}}, got.add)
	if err != nil {
		t.Fatal(err)
	}
	if n != 6 || !near(got["JPY 2026-04-13"], 186.75/1.1684) {
		t.Errorf("loaded %v (%d rates); want both days' EUR, JPY, GBP", got, n)
	}

	fail := func(path string, want ...string) {
		t.Helper()
		_, err := LoadFXFiles([]FXFile{{Layout: "ecb", Path: path}}, rates{}.add)
		if err == nil {
			t.Fatalf("%s: no error", path)
		}
		msg := err.Error()
		for _, w := range want {
			// "a|b": either will do, for wording the standard library
			// varies (a client timeout can read as either, by timing).
			if !slices.ContainsFunc(strings.Split(w, "|"), func(alt string) bool { return strings.Contains(msg, alt) }) {
				t.Errorf("%s: error %q does not say %q", path, msg, w)
			}
		}
		if strings.Contains(msg, "s3cret") {
			t.Errorf("error %q leaks the query string", msg)
		}
	}
	fail(srv.URL+"/missing.csv?token=s3cret", srv.URL+"/missing.csv?...", "HTTP 404 Not Found")
	fail(srv.URL+"/cut.csv?token=s3cret", srv.URL+"/cut.csv?...", "unexpected EOF")

	defer lowerLimits()()
	MaxHTTPBytes = 1000
	fail(srv.URL+"/big.csv", srv.URL+"/big.csv", "larger than 1000 bytes")
	HTTPTimeout = 200 * time.Millisecond
	// A timeout and a refused connection are retried, as a source's page
	// would be, and then named with the attempts made.
	fail(srv.URL+"/slow.csv?token=s3cret", srv.URL+"/slow.csv?...", "Client.Timeout|context deadline exceeded", "gave up after 2 attempt(s)")
	fail("http://127.0.0.1:1/nothing.csv?key=s3cret", "127.0.0.1:1/nothing.csv?...", "refused", "gave up after 2 attempt(s)")
	fail("http://user:s3cret@127.0.0.1:1/nothing.csv", "http://127.0.0.1:1/nothing.csv", "refused")
}

// lowerLimits makes downloads retry once, after a millisecond, and returns
// the function that puts the package's limits back.
func lowerLimits() func() {
	n, d, r, w := MaxHTTPBytes, HTTPTimeout, HTTPMaxRetries, httpRetryWait
	HTTPMaxRetries, httpRetryWait = 1, time.Millisecond
	return func() { MaxHTTPBytes, HTTPTimeout, HTTPMaxRetries, httpRetryWait = n, d, r, w }
}

// A reference download goes through the same client as a source's pages:
// a server that is briefly down or throttling (503, 429 with Retry-After)
// costs a retry, not the run.
func TestReferenceDownloadRetriesLikeASource(t *testing.T) {
	defer lowerLimits()()
	HTTPMaxRetries = 3
	var calls atomic.Int64
	var down atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		switch calls.Add(1) {
		case 1:
			w.WriteHeader(http.StatusServiceUnavailable)
		case 2:
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			io.WriteString(w, ecbSample)
		}
	}))
	defer srv.Close()
	got := rates{}
	n, err := LoadFXFiles([]FXFile{{Layout: "ecb", Path: srv.URL + "/ecb.csv"}}, got.add)
	if err != nil || n != 6 {
		t.Fatalf("LoadFXFiles = %d rates, %v; want the 6 rates after two retries", n, err)
	}
	if c := calls.Load(); c != 3 {
		t.Errorf("%d requests; want 3 (503, 429, 200)", c)
	}

	down.Store(true)
	_, err = LoadFXFiles([]FXFile{{Layout: "ecb", Path: srv.URL + "/ecb.csv?key=s3cret"}}, rates{}.add)
	if err == nil || !strings.Contains(err.Error(), "gave up after 4 attempt(s)") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("a server that stays down: error %v; want one naming the 4 attempts, without the key", err)
	}
}

// A certificate that does not verify is refused at once (retrying cannot
// fix it), and the error tells the user to trust the CA; it names no
// opt-out key, since reference files have none.
func TestReferenceDownloadVerifiesTLS(t *testing.T) {
	defer lowerLimits()()
	HTTPMaxRetries = 3
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, ecbSample) }))
	defer srv.Close()
	_, err := LoadFXFiles([]FXFile{{Layout: "ecb", Path: srv.URL + "/ecb.csv"}}, rates{}.add)
	if err == nil {
		t.Fatal("a self-signed server's file loaded; want a certificate error")
	}
	msg := err.Error()
	if !strings.Contains(msg, "TLS certificate does not verify") || !strings.Contains(msg, "SSL_CERT_FILE") {
		t.Errorf("error %q does not say the certificate is untrusted and how to trust it", msg)
	}
	if strings.Contains(msg, "tls_insecure_skip_verify") || strings.Contains(msg, "gave up") {
		t.Errorf("error %q suggests a key reference files do not have, or was retried", msg)
	}
}

func TestLoadFilesPortAliasesOverHTTP(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/aliases.csv", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "UN_LOCODE;Maersk_name;origin/destination\nCLARI;Arica, Chile;origin\n")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	s, err := LoadFiles(Files{PortAliases: []AliasFile{{Path: srv.URL + "/aliases.csv", Comma: ';', CodeColumn: "UN_LOCODE", NameColumn: "Maersk_name"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Port("Arica Terminal Puerto Arica (TPA)"); got != "CLARI" {
		t.Errorf("Port = %q, %v; want CLARI from the alias file", got, err)
	}
	_, err = LoadFiles(Files{PortAliases: []AliasFile{{Path: srv.URL + "/aliases.csv", Comma: ';', CodeColumn: "UN_LOCODE", NameColumn: "MSC_name"}}})
	if !errors.Is(err, ErrLayout) || !strings.Contains(err.Error(), "MSC_name") {
		t.Errorf("wrong name column: error = %v, want ErrLayout naming the column", err)
	}
}
