package reference

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
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
			if !strings.Contains(msg, w) {
				t.Errorf("%s: error %q does not say %q", path, msg, w)
			}
		}
		if strings.Contains(msg, "s3cret") {
			t.Errorf("error %q leaks the query string", msg)
		}
	}
	fail(srv.URL+"/missing.csv?token=s3cret", srv.URL+"/missing.csv?...", "HTTP 404 Not Found")
	fail(srv.URL+"/cut.csv?token=s3cret", srv.URL+"/cut.csv?...", "unexpected EOF")

	defer func(n int64, d time.Duration) { MaxHTTPBytes, HTTPTimeout = n, d }(MaxHTTPBytes, HTTPTimeout)
	MaxHTTPBytes = 1000
	fail(srv.URL+"/big.csv", srv.URL+"/big.csv", "larger than 1000 bytes")
	HTTPTimeout = 200 * time.Millisecond
	fail(srv.URL+"/slow.csv?token=s3cret", srv.URL+"/slow.csv?...", "Client.Timeout")
	fail("http://127.0.0.1:1/nothing.csv?key=s3cret", "127.0.0.1:1/nothing.csv?...", "refused")
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

func TestRedact(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://user:pw@host.example/fx.csv?key=abc#x": "https://host.example/fx.csv?...",
		"http://host/fx.csv":                            "http://host/fx.csv",
		"../shared/data/fx.csv":                         "../shared/data/fx.csv",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
