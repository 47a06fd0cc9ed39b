package demo

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// naturalKey renders a served record's natural key as text.
func naturalKey(d pipeline.Dataset, m map[string]any) string {
	switch d {
	case pipeline.Listings:
		return fmt.Sprint(m["marketplace"], "|", m["id"])
	case pipeline.Sellers:
		return fmt.Sprint(m["marketplace"], "|", m["seller_id"])
	case pipeline.Sailings:
		return fmt.Sprint(m["sailing_id"])
	case pipeline.FreightRates:
		return fmt.Sprint(m["rate_id"])
	}
	return fmt.Sprint(m["date"], "|", m["currency"])
}

// Walking the pages over real HTTP serves every record of the stream once,
// in order: as many records as the truth extracted, as many natural keys
// as it has valid plus invalid records.
func TestPaginationWalksEveryRecordOnce(t *testing.T) {
	t.Parallel()
	s := small()
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	truth := s.Truth()
	for d, path := range endpoints {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			records, pages := walkHTTP(t, srv.URL+path+"?limit=997")
			want := truth.Datasets[string(d)]
			if int64(len(records)) != want.Extracted {
				t.Errorf("served %d records, truth extracted %d", len(records), want.Extracted)
			}
			if wantPages := (len(records) + 996) / 997; pages != wantPages {
				t.Errorf("%d pages, want %d", pages, wantPages)
			}
			keys := map[string]bool{}
			for _, raw := range records {
				keys[naturalKey(d, decode(t, raw))] = true
			}
			if int64(len(keys)) != want.Valid+want.Invalid {
				t.Errorf("%d distinct keys, want valid+invalid = %d", len(keys), want.Valid+want.Invalid)
			}
		})
	}
}

func walkHTTP(t *testing.T, first string) ([]json.RawMessage, int) {
	t.Helper()
	var out []json.RawMessage
	next, pages := first, 0
	for next != "" {
		resp, err := http.Get(next)
		if err != nil {
			t.Fatal(err)
		}
		var p page
		err = json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("GET %s: status %d, %s: %v", next, resp.StatusCode, resp.Header.Get("Content-Type"), err)
		}
		pages++
		out = append(out, p.Data...)
		next = ""
		if p.NextCursor != nil {
			next = first + "&cursor=" + *p.NextCursor
		}
	}
	return out, pages
}

func TestLastPageHasNullCursor(t *testing.T) {
	t.Parallel()
	s := small()
	n := len(s.layouts[pipeline.Sailings].entries)
	_, body := get(t, s.Handler(), "/api/v1/sailings?limit=10&cursor="+encodeCursor(pipeline.Sailings, n-3))
	if !strings.HasSuffix(strings.TrimSpace(string(body)), `"next_cursor":null}`) {
		t.Errorf("last page does not end with a null cursor: ...%s", body[max(0, len(body)-80):])
	}
	if p := getPage(t, s.Handler(), "/api/v1/sailings", encodeCursor(pipeline.Sailings, n-3), 10); len(p.Data) != 3 {
		t.Errorf("last page has %d records, want 3", len(p.Data))
	}
}

func TestLimits(t *testing.T) {
	t.Parallel()
	capped := New(Config{Seed: 1, Listings: 500, PageLimitMax: 50, PageLimitDefault: 20})
	tests := []struct {
		name  string
		sim   *Sim
		query string
		want  int
	}{
		{"default", small(), "", 1000},
		{"explicit", small(), "limit=7", 7},
		{"capped at 5000", small(), "limit=100000", 5000},
		{"configured default", capped, "", 20},
		{"configured cap", capped, "limit=1000", 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := get(t, tt.sim.Handler(), "/api/v1/listings?"+tt.query)
			var p page
			if err := json.Unmarshal(body, &p); err != nil || code != http.StatusOK {
				t.Fatalf("status %d: %v", code, err)
			}
			if len(p.Data) != tt.want {
				t.Errorf("got %d records, want %d", len(p.Data), tt.want)
			}
		})
	}
}

func TestBadRequests(t *testing.T) {
	t.Parallel()
	s := small()
	n := len(s.layouts[pipeline.Listings].entries)
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name, method, target string
		want                 int
	}{
		{"cursor not base64", "GET", "/api/v1/listings?cursor=%25%25%25", 400},
		{"cursor garbage", "GET", "/api/v1/listings?cursor=" + b64("hello"), 400},
		{"cursor of another dataset", "GET", "/api/v1/listings?cursor=" + encodeCursor(pipeline.Sellers, 10), 400},
		{"cursor past the end", "GET", "/api/v1/listings?cursor=" + encodeCursor(pipeline.Listings, n), 400},
		{"cursor zero", "GET", "/api/v1/listings?cursor=" + b64("v1:listings:0"), 400},
		{"cursor negative", "GET", "/api/v1/listings?cursor=" + b64("v1:listings:-5"), 400},
		{"cursor padded number", "GET", "/api/v1/listings?cursor=" + b64("v1:listings:010"), 400},
		{"limit zero", "GET", "/api/v1/listings?limit=0", 400},
		{"limit negative", "GET", "/api/v1/listings?limit=-3", 400},
		{"limit not a number", "GET", "/api/v1/listings?limit=ten", 400},
		{"unknown path", "GET", "/api/v1/orders", 404},
		{"root", "GET", "/", 404},
		{"wrong method", "POST", "/api/v1/listings", 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, httptest.NewRequest(tt.method, tt.target, nil))
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
			if tt.want == 405 {
				return // the mux's own answer
			}
			var e struct{ Error string }
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
				t.Errorf("error body is not JSON with an error: %s", rec.Body)
			}
		})
	}
}

func TestTruthEndpoint(t *testing.T) {
	t.Parallel()
	s := small()
	code, body := get(t, s.Handler(), "/api/v1/truth")
	var got Truth
	if err := json.Unmarshal(body, &got); err != nil || code != http.StatusOK {
		t.Fatalf("status %d: %v", code, err)
	}
	want := s.Truth()
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(want)
	if string(gotJSON) != string(wantJSON) || !got.AsOf.Equal(want.AsOf) {
		t.Errorf("served truth differs from Truth()")
	}
}

func TestFail429Every(t *testing.T) {
	t.Parallel()
	s := New(Config{Seed: 1, Listings: 500, Fail429Every: 3})
	var codes []int
	for range 6 {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/fx-rates?limit=1", nil))
		codes = append(codes, rec.Code)
		if rec.Code == http.StatusTooManyRequests && rec.Header().Get("Retry-After") != "0" {
			t.Error("429 without Retry-After: 0")
		}
	}
	if fmt.Sprint(codes) != "[200 200 429 200 200 429]" {
		t.Errorf("codes %v", codes)
	}
}

func TestServe(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, listen string }{{"port only", ":0"}, {"loopback", "127.0.0.1:0"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, shutdown, err := Serve(context.Background(), small(), tt.listen)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(addr, "127.0.0.1:") {
				t.Errorf("listening on %s, want loopback", addr)
			}
			resp, err := http.Get("http://" + addr + "/api/v1/fx-rates?limit=2")
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := shutdown(ctx); err != nil {
				t.Errorf("shutdown: %v", err)
			}
			if err := shutdown(ctx); err != nil {
				t.Errorf("second shutdown: %v", err)
			}
		})
	}
	t.Run("bad address", func(t *testing.T) {
		if _, _, err := Serve(context.Background(), small(), "nonsense"); err == nil {
			t.Error("want an error for an address without a port")
		}
	})
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add(encodeCursor(pipeline.Listings, 1000))
	f.Add(encodeCursor(pipeline.Sellers, 5))
	f.Add("")
	f.Add("djE6bGlzdGluZ3M6")
	f.Fuzz(func(t *testing.T, c string) {
		at, err := decodeCursor(c, pipeline.Listings, 5000)
		if err != nil {
			return
		}
		if at <= 0 || at >= 5000 {
			t.Fatalf("accepted %q at %d, out of range", c, at)
		}
		if again, err := decodeCursor(encodeCursor(pipeline.Listings, at), pipeline.Listings, 5000); err != nil || again != at {
			t.Fatalf("round trip of %d: %d, %v", at, again, err)
		}
	})
}
