package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// listingsAPI is a marketplace API that answers updated_since the way real
// ones do: only listings updated at or after it, oldest first, a cursor
// page at a time. Tests change listings between runs.
type listingsAPI struct {
	mu     sync.Mutex
	items  map[string]apiListing
	sinces []string // updated_since of each first-page request
}

type apiListing struct {
	ID        string `json:"id"`
	Seller    string `json:"seller_id"`
	Title     string `json:"title"`
	Category  string `json:"category"`
	Price     string `json:"price"`
	UpdatedAt string `json:"updated_at"`
}

func newListingsAPI(n int, at time.Time) *listingsAPI {
	a := &listingsAPI{items: map[string]apiListing{}}
	for i := range n {
		id := fmt.Sprintf("D%05d", i)
		a.items[id] = apiListing{ID: id, Seller: fmt.Sprintf("S%03d", i%40), Title: "Cotton bedsheet " + id, Category: "Home Textiles",
			Price: fmt.Sprintf("Rs. %d", 900+i), UpdatedAt: at.Add(time.Duration(i) * time.Second).Format(time.RFC3339)}
	}
	return a
}

// change gives listings a new price and a later updated_at.
func (a *listingsAPI) change(ids []string, at time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, id := range ids {
		l := a.items[id]
		l.Price, l.UpdatedAt = "Rs. 5,000", at.Format(time.RFC3339)
		a.items[id] = l
	}
}

func (a *listingsAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if r.URL.Path == "/fx" {
		w.Write([]byte(`{"data":[{"date":"2025-01-01","currency":"USD","units_per_usd":1},{"date":"2025-01-01","currency":"PKR","units_per_usd":280}]}`))
		return
	}
	q := r.URL.Query()
	since := q.Get("updated_since")
	offset, _ := strconv.Atoi(q.Get("cursor"))
	if offset == 0 {
		a.sinces = append(a.sinces, since)
	}
	var match []apiListing
	for _, l := range a.items {
		// RFC 3339 in UTC with a fixed layout compares as text.
		if since == "" || l.UpdatedAt >= since {
			match = append(match, l)
		}
	}
	sort.Slice(match, func(i, j int) bool {
		return match[i].UpdatedAt < match[j].UpdatedAt || match[i].UpdatedAt == match[j].UpdatedAt && match[i].ID < match[j].ID
	})
	end := min(offset+250, len(match))
	page := map[string]any{"data": match[offset:end], "next_cursor": nil}
	if end < len(match) {
		page["next_cursor"] = strconv.Itoa(end)
	}
	json.NewEncoder(w).Encode(page)
}

const incrementalConfig = `pipeline: incremental
warehouse:
  path: DIR/w.duckdb
sources:
  - name: shop_fx
    dataset: fx_rates
    kind: http_json
    http: {url: URL/fx, records_path: data, pagination: {style: none}}
  - name: shop_listings
    dataset: listings
    kind: http_json
    http:
      url: URL/listings
      records_path: data
      fields: {listing_id: id}
      constants: {marketplace: daraz.pk}
      pagination: {style: cursor, cursor_param: cursor, next_path: next_cursor}
      incremental: {field: updated_at, param: updated_since, lookback: 10m}
`

// Incremental extraction end to end: a second run against an unchanged
// source loads no new rows and changes nothing in core; after 1% of the
// listings change at the source, exactly those rows change in core, each
// with a second price in its history.
func TestIncrementalRunsChangeExactlyWhatChanged(t *testing.T) {
	const n = 2000
	start := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	api := newListingsAPI(n, start)
	srv := httptest.NewServer(api)
	defer srv.Close()
	dir := t.TempDir()
	cfg := writeConfig(t, dir, srv.URL, incrementalConfig)
	db := filepath.Join(dir, "w.duckdb")

	run := func(name string) (extracted, inserted, updated int64) {
		t.Helper()
		out, stderr, code := cli(t, "run", "--config", cfg)
		if code != pipeline.ExitOK {
			t.Fatalf("%s: exit %d\n%s%s", name, code, out, stderr)
		}
		r := query(t, db, `SELECT extracted, inserted, updated FROM meta.run_steps
			WHERE dataset = 'listings' AND run_id = (SELECT max(run_id) FROM meta.runs)`)[0]
		return atoi(t, r[0]), atoi(t, r[1]), atoi(t, r[2])
	}
	coreChecksum := func() string {
		t.Helper()
		return query(t, db, `SELECT count(*) || ':' || coalesce(sum(hash(listing_id, price_min, price_min_usd, updated_at)), 0) FROM core.listings`)[0][0]
	}

	if x, ins, upd := run("first run"); x != n || ins != n || upd != 0 {
		t.Fatalf("first run: extracted %d, inserted %d, updated %d; want %d, %d, 0", x, ins, upd, n, n)
	}
	before := coreChecksum()

	// The newest listing was updated at start+n-1 s; the lookback re-reads
	// the last ten minutes of it, and none of those rows has changed.
	x, ins, upd := run("unchanged source")
	if ins != 0 || upd != 0 || x >= n {
		t.Errorf("run over an unchanged source: extracted %d, inserted %d, updated %d; want a few re-read, 0 inserted, 0 updated", x, ins, upd)
	}
	if got := coreChecksum(); got != before {
		t.Errorf("core.listings changed over an unchanged source: %s -> %s", before, got)
	}
	newest := start.Add((n - 1) * time.Second)
	if got, want := api.sinces[len(api.sinces)-1], newest.Add(-10*time.Minute).Format(time.RFC3339); got != want {
		t.Errorf("second run asked for updated_since=%s, want the saved cursor minus the lookback, %s", got, want)
	}

	// 1% of the listings change, spread over the whole catalogue.
	var changed []string
	for i := 0; i < n; i += 100 {
		changed = append(changed, fmt.Sprintf("D%05d", i))
	}
	api.change(changed, newest.Add(24*time.Hour))
	x, ins, upd = run("1% changed")
	if ins != 0 || upd != int64(len(changed)) {
		t.Errorf("after %d changes: extracted %d, inserted %d, updated %d; want 0 inserted and %d updated", len(changed), x, ins, upd, len(changed))
	}
	var touched []string
	for _, r := range query(t, db, `SELECT listing_id FROM core.listings
		WHERE _last_run = (SELECT max(run_id) FROM meta.runs) ORDER BY listing_id`) {
		touched = append(touched, r[0])
	}
	if !slices.Equal(touched, changed) {
		t.Errorf("the run rewrote %d rows of core.listings %v, want exactly the %d changed ones %v", len(touched), touched, len(changed), changed)
	}
	for _, r := range query(t, db, `SELECT listing_id, count(*), max(price_min) FROM core.listing_price_history
		WHERE listing_id IN (SELECT listing_id FROM core.listings WHERE _last_run = (SELECT max(run_id) FROM meta.runs))
		GROUP BY 1 ORDER BY 1`) {
		if r[1] != "2" || r[2] != "5000" {
			t.Errorf("%s: %s price versions, latest %s; want 2 with the new price 5000", r[0], r[1], r[2])
		}
	}
	if got := query(t, db, "SELECT count(*) FROM core.listings")[0][0]; got != strconv.Itoa(n) {
		t.Errorf("core.listings has %s rows, want %d", got, n)
	}
}
