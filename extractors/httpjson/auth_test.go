package httpjson

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/exportpipe/exportpipe/internal/httpx"
	"github.com/exportpipe/exportpipe/pipeline"
)

func TestAuthStyles(t *testing.T) {
	t.Parallel()
	const tok = "k3y/with+odd=chars"
	cases := []struct {
		auth  httpx.Auth
		check func(r *http.Request) bool
	}{
		{httpx.Auth{Type: "bearer", Token: tok}, func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer "+tok }},
		{httpx.Auth{Type: "header", Token: tok, Header: "X-API-Key"}, func(r *http.Request) bool { return r.Header.Get("X-API-Key") == tok }},
		{httpx.Auth{Type: "query", Token: tok, Param: "api_key"}, func(r *http.Request) bool { return r.URL.Query().Get("api_key") == tok }},
		{httpx.Auth{Type: "basic", Token: "user:" + tok}, func(r *http.Request) bool { u, p, ok := r.BasicAuth(); return ok && u == "user" && p == tok }},
	}
	for _, tc := range cases {
		t.Run(tc.auth.Type, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !tc.check(r) {
					// Echo the request back, credential and all, as careless APIs do.
					w.WriteHeader(http.StatusForbidden)
					w.Write([]byte(r.URL.String() + " " + r.Header.Get("Authorization") + r.Header.Get("X-API-Key")))
					return
				}
				w.Write([]byte(`{"data":[{"seller_id":"S-1"}]}`))
			}))
			defer srv.Close()
			cfg := Config{Name: "auth", Dataset: pipeline.Sellers, URL: srv.URL, RecordsPath: "data", Pagination: Pagination{Style: "none"}, Auth: tc.auth}
			ids, _, err := collect(t, mustNew(t, cfg))
			if err != nil || len(ids) != 1 {
				t.Fatalf("ids %v err %v", ids, err)
			}
			// The wrong credential is rejected, and the error never shows it.
			cfg.Auth.Token = strings.Replace(tc.auth.Token, tok, "wrong-"+tok, 1)
			_, _, err = collect(t, mustNew(t, cfg))
			if err == nil || !strings.Contains(err.Error(), "status 403") {
				t.Fatalf("err = %v", err)
			}
			if strings.Contains(err.Error(), tok) || strings.Contains(err.Error(), "k3y%2Fwith") {
				t.Fatalf("credential leaked: %v", err)
			}
		})
	}
}

func TestCredentialsStayOnTheirHost(t *testing.T) {
	t.Parallel()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the other host was called with %v", r.Header)
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"data":[{"seller_id":"S-1"}],"next":"` + other.URL + `/steal"}`))
	}))
	defer srv.Close()
	cfg := Config{Name: "auth", Dataset: pipeline.Sellers, URL: srv.URL, RecordsPath: "data",
		Pagination: Pagination{Style: "next_url"}, Auth: httpx.Auth{Type: "bearer", Token: "tok-123456"}}
	_, _, err := collect(t, mustNew(t, cfg))
	if err == nil || !strings.Contains(err.Error(), "refusing to send credentials") {
		t.Fatalf("err = %v", err)
	}
}
