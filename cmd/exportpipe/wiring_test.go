package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/exportpipe/exportpipe/pipeline"
)

// These tests drive the CLI in-process, as a user would type it, against
// configs written into a temporary folder. They are not parallel: the
// root command installs the process's default logger.

// cli runs exportpipe with args and returns stdout, stderr and the exit
// code a scheduler would see.
func cli(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	root := newRoot()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	if err != nil {
		errb.WriteString("exportpipe: " + err.Error() + "\n")
	}
	return out.String(), errb.String(), exitCode(err)
}

// writeConfig writes a config into dir, with DIR and URL replaced.
func writeConfig(t *testing.T, dir, serverURL, body string) string {
	t.Helper()
	body = strings.NewReplacer("DIR", dir, "URL", serverURL).Replace(body)
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// sellersAPI serves two sellers and records the query of every request.
type sellersAPI struct {
	mu      sync.Mutex
	queries []url.Values
}

func (a *sellersAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.queries = append(a.queries, r.URL.Query())
	a.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"data":[
		{"seller_id":"S1","marketplace":"daraz.pk","name":"Lahore Looms","country":"PK","updated_at":"2025-01-02T00:00:00Z"},
		{"seller_id":"S2","marketplace":"daraz.pk","name":"Karachi Knits","country":"PK","updated_at":"2025-01-03T00:00:00Z"}]}`))
}

func (a *sellersAPI) last() url.Values {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.queries[len(a.queries)-1]
}

const sellersConfig = `pipeline: wiring
warehouse:
  path: DIR/w.duckdb
sources:
  - name: api_sellers
    dataset: sellers
    kind: http_json
    http:
      url: URL/sellers
      records_path: data
      pagination: {style: none}
      incremental: {field: updated_at, param: updated_since}
      window: {since_param: from, until_param: to}
`

// --full-refresh sends no saved cursor; --since/--until send the window to
// every source that has window settings.
func TestRunFullRefreshAndWindow(t *testing.T) {
	api := &sellersAPI{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	dir := t.TempDir()
	cfg := writeConfig(t, dir, srv.URL, sellersConfig)

	steps := []struct {
		name      string
		args      []string
		wantQuery map[string]string // "" means the parameter is absent
	}{
		{"first run starts from the beginning", nil, map[string]string{"updated_since": "", "from": ""}},
		{"second run resumes from the saved cursor", nil, map[string]string{"updated_since": "2025-01-03T00:00:00Z"}},
		{"--full-refresh ignores the cursor", []string{"--full-refresh"}, map[string]string{"updated_since": ""}},
		{"--since/--until set the window", []string{"--since", "2024-12-01", "--until", "2024-12-08T00:00:00Z"},
			map[string]string{"from": "2024-12-01", "to": "2024-12-08"}},
	}
	for _, s := range steps {
		out, stderr, code := cli(t, append([]string{"run", "--config", cfg}, s.args...)...)
		if code != pipeline.ExitOK {
			t.Fatalf("%s: exit %d\n%s%s", s.name, code, out, stderr)
		}
		q := api.last()
		for k, want := range s.wantQuery {
			if got := q.Get(k); got != want {
				t.Errorf("%s: %s=%q, want %q (query %v)", s.name, k, got, want, q)
			}
		}
	}
}

// Window flags that cannot be honoured are usage errors (exit 2), found
// before anything runs.
func TestRunWindowUsageErrors(t *testing.T) {
	dir := t.TempDir()
	noWindow := writeConfig(t, dir, "http://127.0.0.1:1", strings.Replace(sellersConfig, "      window: {since_param: from, until_param: to}\n", "", 1))
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"bad --since", []string{"--since", "yesterday"}, "--since"},
		{"--until alone", []string{"--until", "2025-01-01"}, "--until needs --since"},
		{"--until before --since", []string{"--since", "2025-02-01", "--until", "2025-01-01"}, "is not after"},
		{"no source takes a window", []string{"--config", noWindow, "--since", "2025-01-01"}, "no source takes a backfill window"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, stderr, code := cli(t, append([]string{"run", "--data-dir", dir}, c.args...)...)
			if code != pipeline.ExitUsage || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 mentioning %q", code, stderr, c.want)
			}
		})
	}
}

const normaliseConfig = `pipeline: normalise
warehouse:
  path: DIR/w.duckdb
  exports: DIR/out
  keep_exports: 1
sources:
  - name: eu_listings
    dataset: listings
    kind: file
    file:
      paths: [DIR/listings.csv]
      constants: {marketplace: alibaba.com}
  - name: pk_sailings
    dataset: sailings
    kind: file
    file:
      paths: [DIR/sailings.csv]
      constants: {carrier: PNSC}
`

// What the config declares reaches the transforms: reference FX files
// convert prices (without being loaded into core.fx_rates), a source's time
// zone reads its naive times, and the exports go where warehouse.exports
// says. Without the declarations the same rows are rejected with reasons.
func TestNormaliseConfigReachesTransforms(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"listings.csv": "listing_id,seller_id,title,category,price,moq,updated_at\n" +
			"L1,S1,Cotton towels,home_textiles,€10.00,100 Pieces,2025-01-02T00:00:00Z\n",
		"sailings.csv": "sailing_id,vessel,imo,voyage,origin,destination,etd,eta,ata,updated_at\n" +
			"P1,PNSC Lahore,9394894,V1,PKKHI,NLRTM,2025-01-02 10:00,2025-01-30 08:00,,2025-01-02T00:00:00Z\n",
		"ecb.csv": "Date,USD,PKR,\n2025-01-02,1.0350,290.00,\n2024-12-31,1.0389,N/A,\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	snap := filepath.Join(dir, "analytics.duckdb")

	// Without them every row is rejected: a night that loads nothing is a
	// failed night (exit 5), with the rejects kept in the working warehouse.
	bare := writeConfig(t, dir, "", normaliseConfig)
	if out, stderr, code := cli(t, "run", "--config", bare); code != pipeline.ExitDataTests {
		t.Fatalf("run without declarations: exit %d, want %d\n%s%s", code, pipeline.ExitDataTests, out, stderr)
	}
	rejects := query(t, filepath.Join(dir, "w.duckdb"), "SELECT string_agg(reason, ',' ORDER BY dataset) FROM meta.rejects")
	if !strings.Contains(rejects[0][0], "no_fx_rate") || !strings.Contains(rejects[0][0], "no_zone") {
		t.Fatalf("without declarations the rows should be rejected for no_fx_rate and no_zone; reasons: %s", rejects[0][0])
	}

	declared := writeConfig(t, dir, "", normaliseConfig+`    transform: {time_zone: Asia/Karachi, date_order: dmy}
normalise:
  reference:
    fx: [{layout: ecb, path: DIR/ecb.csv}]
`)
	out, stderr, code := cli(t, "run", "--config", declared)
	if code != pipeline.ExitOK {
		t.Fatalf("run with declarations: exit %d\n%s%s", code, out, stderr)
	}
	price := query(t, snap, "SELECT currency, round(price_min_usd, 4) FROM core.listings")
	if price[0][0] != "EUR" || price[0][1] != "10.35" {
		t.Errorf("listing price %v, want EUR converted at the ECB rate to 10.35 USD", price[0])
	}
	if n := query(t, snap, "SELECT count(*) FROM core.fx_rates"); n[0][0] != "0" {
		t.Errorf("core.fx_rates has %s rows; reference rates convert but are not loaded", n[0][0])
	}
	etd := query(t, snap, "SELECT strftime(etd AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M') FROM core.sailings")
	if etd[0][0] != "2025-01-02 05:00" {
		t.Errorf("etd %s UTC, want 10:00 in Karachi = 05:00 UTC", etd[0][0])
	}
	exports := filepath.Join(dir, "out")
	for _, want := range []string{"mart exports       " + exports, "export manifest    " + filepath.Join(exports, "run_id=")} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(exports, "latest.json")); err != nil {
		t.Errorf("exports not written to warehouse.exports: %v", err)
	}
}

// A reference file that cannot be read is a config error (exit 3) that
// names the file, found before the warehouse is opened.
func TestMissingReferenceFileIsConfigError(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, dir, "", normaliseConfig+`normalise:
  reference: {unlocode: DIR/nope.csv}
`)
	_, stderr, code := cli(t, "run", "--config", cfg)
	if code != pipeline.ExitConfig || !strings.Contains(stderr, "nope.csv") {
		t.Errorf("exit %d, stderr %q; want exit 3 naming the file", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "w.duckdb")); err == nil {
		t.Errorf("the warehouse was created although the config is unusable")
	}
}

// query prints a result as a table, CSV or JSON; runs reads the working
// warehouse and falls back to the snapshot while a run holds it; dictionary
// prints the snapshot's Markdown data dictionary.
func TestQueryRunsAndDictionary(t *testing.T) {
	srv := httptest.NewServer(&sellersAPI{})
	defer srv.Close()
	dir := t.TempDir()
	cfg := writeConfig(t, dir, srv.URL, sellersConfig)
	if out, stderr, code := cli(t, "run", "--config", cfg); code != pipeline.ExitOK {
		t.Fatalf("run: exit %d\n%s%s", code, out, stderr)
	}
	snap := filepath.Join(dir, "analytics.duckdb")
	sql := "SELECT seller_id, name, NULL AS note FROM core.sellers ORDER BY 1"

	t.Run("query formats", func(t *testing.T) {
		cases := []struct{ format, want string }{
			{"csv", "seller_id,name,note\nS1,Lahore Looms,\nS2,Karachi Knits,\n"},
			{"json", `[
  {"seller_id": "S1", "name": "Lahore Looms", "note": null},
  {"seller_id": "S2", "name": "Karachi Knits", "note": null}
]
`},
			{"table", "seller_id  name           note\n---------  -------------  ----\nS1         Lahore Looms   NULL\nS2         Karachi Knits  NULL\n"},
		}
		for _, c := range cases {
			out, stderr, code := cli(t, "query", "--db", snap, "--format", c.format, sql)
			if code != pipeline.ExitOK || out != c.want {
				t.Errorf("--format %s: exit %d, stderr %q, got\n%s\nwant\n%s", c.format, code, stderr, out, c.want)
			}
		}
		if _, _, code := cli(t, "query", "--db", snap, "--format", "xml", sql); code != pipeline.ExitUsage {
			t.Errorf("--format xml: exit %d, want 2", code)
		}
	})

	t.Run("runs reads the working warehouse", func(t *testing.T) {
		out, stderr, code := cli(t, "runs", "--config", cfg)
		if code != pipeline.ExitOK || !strings.Contains(out, "test_errors") || !strings.Contains(out, " ok ") || stderr != "" {
			t.Errorf("exit %d, stderr %q, stdout:\n%s", code, stderr, out)
		}
	})

	t.Run("runs falls back to the snapshot while a run holds the warehouse", func(t *testing.T) {
		lock, _, err := acquireRunLock(filepath.Join(dir, "w.duckdb"), "test run", "")
		if err != nil {
			t.Fatal(err)
		}
		defer lock.Release()
		out, stderr, code := cli(t, "runs", "--config", cfg)
		if code != pipeline.ExitOK || !strings.Contains(stderr, "showing the published snapshot "+snap) || !strings.Contains(out, " ok ") {
			t.Errorf("exit %d, stderr %q, stdout:\n%s", code, stderr, out)
		}
		if _, stderr, code := cli(t, "runs", "--config", cfg, "--working"); code != pipeline.ExitLocked {
			t.Errorf("--working while held: exit %d (%s), want 4", code, stderr)
		}
	})

	t.Run("dictionary", func(t *testing.T) {
		out, stderr, code := cli(t, "dictionary", "--config", cfg)
		if code != pipeline.ExitOK || !strings.Contains(out, "sellers") || !strings.Contains(out, "run_overview") || !strings.HasPrefix(out, "#") {
			t.Errorf("exit %d, stderr %q, stdout starts:\n%.300s", code, stderr, out)
		}
		if _, _, code := cli(t, "dictionary", "--db", filepath.Join(dir, "none.duckdb")); code != pipeline.ExitFailed {
			t.Errorf("missing snapshot: exit %d, want 1", code)
		}
	})
}
