package httpjson

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/exportpipe/exportpipe/pipeline"
)

// A server whose certificate does not verify is refused at once, with a
// message that says so: there is no option to skip verification, and a
// certificate problem is not "temporarily unavailable" (exit 75), so it
// must not be retried as one.
func TestUntrustedCertificateIsRefusedWithoutRetries(t *testing.T) {
	t.Parallel()
	calls := 0
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Write([]byte(`{"data":[]}`))
	}))
	t.Cleanup(srv.Close)
	e := mustNew(t, Config{Name: "tls_source", Dataset: pipeline.Sellers, URL: srv.URL + "/items", RecordsPath: "data"})
	_, stats, err := collect(t, e)
	if err == nil || !strings.Contains(err.Error(), "TLS certificate does not verify") ||
		!strings.Contains(err.Error(), "certificate signed by unknown authority") {
		t.Fatalf("err = %v", err)
	}
	if errors.Is(err, pipeline.ErrSourceUnavailable) || stats.Requests != 1 || calls != 0 {
		t.Fatalf("a certificate error was treated as an outage: %v, stats %+v, handler calls %d", err, stats, calls)
	}
}
