package httpx

import (
	"crypto/tls"
	"net/http"
	"testing"
)

// The opt-out changes a clone of the transport it is given, never the
// transport itself, which other sources may share and must keep verifying.
func TestInsecureSkipVerifyLeavesASharedTransportAlone(t *testing.T) {
	t.Parallel()
	shared := &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}
	var cnt Counters
	c := NewClient(Options{Transport: shared, InsecureSkipVerify: true}, &cnt)
	if shared.TLSClientConfig.InsecureSkipVerify {
		t.Fatal("the shared transport stopped verifying certificates")
	}
	used := c.HTTPClient.Transport.(*limited).base.(*http.Transport)
	if used == shared || !used.TLSClientConfig.InsecureSkipVerify || used.TLSClientConfig.MinVersion != tls.VersionTLS12 {
		t.Fatalf("the source's transport: %+v; want a clone of the shared one with verification off", used.TLSClientConfig)
	}
	verifying := NewClient(Options{Transport: shared}, &cnt).HTTPClient.Transport.(*limited).base
	if verifying != shared {
		t.Fatal("a source without the opt-out did not get the transport it was given")
	}
}
