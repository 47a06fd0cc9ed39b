package demo

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Each fault setting misbehaves on its request and only there; the zero
// value serves every page (TestPaginationWalksEveryRecordOnce covers that).
func TestFaultsHitTheirRequests(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		cfg    Config
		status int    // of the faulty request; 0 for a dropped connection
		body   string // part of its body
	}{
		"503":       {Config{Faults: Faults{Status503From: 2, Status503Count: 1}}, 503, "Status503"},
		"reset":     {Config{Faults: Faults{ResetEvery: 2}}, 0, ""},
		"truncate":  {Config{Faults: Faults{TruncateEvery: 2}}, 0, ""},
		"cut json":  {Config{Faults: Faults{CutJSONEvery: 2}}, 200, `"title":"Cotton`},
		"not json":  {Config{Faults: Faults{NotJSONEvery: 2}}, 200, "<html>"},
		"missing":   {Config{Faults: Faults{MissingEvery: 2}}, 404, "no such page"},
		"429 after": {Config{Fail429Every: 2, Faults: Faults{RetryAfter: 3 * time.Second}}, 429, "rate limited"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tc.cfg.Seed, tc.cfg.Listings = 1, 300
			s := New(tc.cfg)
			srv := httptest.NewServer(s.Handler())
			t.Cleanup(srv.Close)
			// A fresh connection per request: net/http silently replays a GET
			// whose reused connection was closed, which would hide a reset.
			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			for n := 1; n <= 3; n++ {
				resp, err := client.Get(srv.URL + "/api/v1/sellers?limit=5")
				var body []byte
				if err == nil {
					body, err = io.ReadAll(resp.Body)
					resp.Body.Close()
				}
				if n != 2 {
					if err != nil || resp.StatusCode != 200 || !strings.HasSuffix(string(body), "}\n") {
						t.Fatalf("request %d: %v %s", n, err, body)
					}
					continue
				}
				if tc.status == 0 {
					if err == nil {
						t.Fatalf("request 2 was answered whole: %s", body)
					}
					continue
				}
				if err != nil || resp.StatusCode != tc.status || !strings.Contains(string(body), tc.body) {
					t.Fatalf("request 2: %v, %v %s", err, resp, body)
				}
				if tc.status == 429 && resp.Header.Get("Retry-After") != "3" {
					t.Fatalf("Retry-After %q", resp.Header.Get("Retry-After"))
				}
			}
			if s.FaultsInjected() != 1 {
				t.Fatalf("%d faults counted, want 1", s.FaultsInjected())
			}
		})
	}
}
