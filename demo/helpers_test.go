package demo

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// small is a simulation big enough to have every kind of record, small
// enough for -race.
var small = sync.OnceValue(func() *Sim { return New(Config{Seed: 7, Listings: 6000}) })

var endpoints = map[pipeline.Dataset]string{
	pipeline.Listings:     "/api/v1/listings",
	pipeline.Sellers:      "/api/v1/sellers",
	pipeline.Sailings:     "/api/v1/sailings",
	pipeline.FreightRates: "/api/v1/freight-rates",
	pipeline.FXRates:      "/api/v1/fx-rates",
}

type page struct {
	Data       []json.RawMessage `json:"data"`
	NextCursor *string           `json:"next_cursor"`
}

// get serves one request in process and returns status and body.
func get(t testing.TB, h http.Handler, target string) (int, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec.Code, rec.Body.Bytes()
}

func getPage(t testing.TB, h http.Handler, path, cursor string, limit int) page {
	t.Helper()
	q := url.Values{}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	code, body := get(t, h, path+"?"+q.Encode())
	if code != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", path, code, body)
	}
	var p page
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	if p.Data == nil {
		t.Fatalf("GET %s: data is not an array: %s", path, body)
	}
	return p
}

// walk follows next_cursor to the end and returns every record served.
func walk(t testing.TB, h http.Handler, path string, limit int) []json.RawMessage {
	t.Helper()
	var out []json.RawMessage
	cursor := ""
	for {
		p := getPage(t, h, path, cursor, limit)
		out = append(out, p.Data...)
		if p.NextCursor == nil {
			return out
		}
		cursor = *p.NextCursor
	}
}

// decode reads one record keeping numbers as json.Number, so epoch
// timestamps can be told from strings.
func decode(t testing.TB, raw json.RawMessage) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return m
}

// contractTime parses exactly the timestamp forms the contract lists.
func contractTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case int64: // rendered in process, not yet encoded
		return time.Unix(x, 0).UTC(), true
	case json.Number:
		n, err := x.Int64()
		return time.Unix(n, 0).UTC(), err == nil
	case string:
		for _, layout := range []string{time.RFC3339, time.RFC1123Z, "2006-01-02 15:04:05 -0700"} {
			if t, err := time.Parse(layout, x); err == nil {
				return t.UTC(), true
			}
		}
	}
	return time.Time{}, false
}

// inVariants reports whether s is one of the spellings, optionally
// ignoring case and surrounding space.
func inVariants(s string, vs []string, loose bool) bool {
	for _, v := range vs {
		if s == v || loose && strings.EqualFold(strings.TrimSpace(s), v) {
			return true
		}
	}
	return false
}

func portSpellings(code string) []string {
	return append([]string{code, code[:2] + " " + code[2:]}, portNames[code]...)
}

func anyVariant(m map[string][]string, s string, loose bool) bool {
	for _, vs := range m {
		if inVariants(s, vs, loose) {
			return true
		}
	}
	return false
}

func anyPort(s string) bool {
	for code := range portNames {
		if inVariants(s, portSpellings(code), true) {
			return true
		}
	}
	return false
}
