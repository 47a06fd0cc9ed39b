//go:build duckdb_arrow

package reliability

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportpipe/exportpipe/demo"
	"github.com/exportpipe/exportpipe/internal/testbin"
	"github.com/exportpipe/exportpipe/pipeline"
)

const (
	plantedToken = "tok-5f1c9a7e-PLANTED-bearer"
	plantedKey   = "key-83d2b4c1-PLANTED-query"
)

// securedDemo serves the simulator only to requests carrying the planted
// bearer token and query key. With echo, it answers the listings endpoint
// 401 and echoes both secrets back, as careless APIs do.
func securedDemo(t *testing.T, echo bool) string {
	t.Helper()
	sim := demo.New(demo.Config{Seed: 5, Listings: 500})
	h := sim.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok := r.Header.Get("Authorization") == "Bearer "+plantedToken && r.URL.Query().Get("api_key") == plantedKey
		if !ok || (echo && strings.HasSuffix(r.URL.Path, "/listings")) {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"error":"bad credentials %s for %s"}`, r.Header.Get("Authorization"), r.URL.String())
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func securedConfig(t *testing.T, dir, url string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "pipeline: secured\nwarehouse:\n  path: %s/warehouse.duckdb\n  snapshot: %s/analytics.duckdb\nsources:\n", dir, dir)
	for _, s := range allDemoSources {
		fields := ""
		if s.Dataset == "listings" {
			fields = "\n      fields: {listing_id: id}"
		}
		fmt.Fprintf(&b, `  - name: demo_%s
    dataset: %s
    kind: http_json
    http:
      url: %s/api/v1/%s
      query: {api_key: "${API_KEY}"}
      auth: {type: bearer, token_env: RELIABILITY_TOKEN}
      records_path: data%s
      pagination: {style: cursor, limit_param: limit, limit: 200}
      max_retries: 1
`, s.Name, s.Dataset, url, s.Path, fields)
	}
	path := filepath.Join(dir, "pipeline.yaml")
	writeFile(t, path, []byte(b.String()))
	return path
}

// TestPlantedSecretsAppearNowhere plants a bearer token (auth.token_env)
// and a query key (${API_KEY}) and looks for them, raw and URL-encoded, in
// everything a run leaves: stderr (JSON logs at debug level), stdout, every
// meta table of the warehouse and the snapshot, every file in the data
// folder (databases, exports, manifest), the error of a run the API
// refused while echoing the secrets back, and plan and validate output.
func TestPlantedSecretsAppearNowhere(t *testing.T) {
	t.Parallel()
	env := []string{"RELIABILITY_TOKEN=" + plantedToken, "API_KEY=" + plantedKey}
	var outputs []string

	dir := t.TempDir()
	conf := securedConfig(t, dir, securedDemo(t, false))
	ok := run(t, env, "--log-level", "debug", "run", "--config", conf)
	if ok.code != 0 {
		t.Fatalf("authenticated run: exit %d\n%s", ok.code, tail(ok.stderr, 3000))
	}
	outputs = append(outputs, ok.stdout, ok.stderr)

	failDir := t.TempDir()
	failed := run(t, env, "--log-level", "debug", "run", "--config", securedConfig(t, failDir, securedDemo(t, true)))
	if failed.code != pipeline.ExitFailed || !strings.Contains(lastLine(failed.stderr), "status 401") {
		t.Fatalf("refused run: exit %d, error %q", failed.code, lastLine(failed.stderr))
	}
	outputs = append(outputs, failed.stdout, failed.stderr)

	for _, args := range [][]string{{"plan", "--config", conf}, {"validate", "--config", conf}, {"runs", "--db", filepath.Join(dir, "analytics.duckdb")}} {
		r := run(t, env, args...)
		outputs = append(outputs, r.stdout, r.stderr)
	}
	for _, db := range []string{filepath.Join(dir, "warehouse.duckdb"), filepath.Join(dir, "analytics.duckdb"), filepath.Join(failDir, "warehouse.duckdb")} {
		outputs = append(outputs, dumpMeta(t, db))
	}
	forms := []string{plantedToken, plantedKey, url.QueryEscape(plantedToken), url.QueryEscape(plantedKey)}
	for i, out := range outputs {
		for _, s := range forms {
			if strings.Contains(out, s) {
				t.Errorf("output %d contains the secret %q:\n%s", i, s, excerpt(out, s))
			}
		}
	}
	for _, d := range []string{dir, failDir} {
		grepFiles(t, d, forms)
	}
	if !strings.Contains(failed.stderr, "[REDACTED]") {
		t.Errorf("the echoed secrets were not shown as [REDACTED]: %q", lastLine(failed.stderr))
	}
}

// dumpMeta renders every table and view of the meta schema as text.
func dumpMeta(t *testing.T, db string) string {
	t.Helper()
	var b strings.Builder
	for _, r := range query(t, db, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'meta' UNION SELECT view_name FROM duckdb_views() WHERE schema_name = 'meta'") {
		for _, row := range query(t, db, "SELECT * FROM meta."+r[0]) {
			fmt.Fprintln(&b, r[0], strings.Join(row, "\t"))
		}
	}
	if b.Len() == 0 {
		t.Fatalf("%s: the meta schema is empty", db)
	}
	return b.String()
}

// grepFiles fails if any file under dir holds a secret's bytes.
func grepFiles(t *testing.T, dir string, forms []string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || filepath.Ext(path) == ".yaml" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range forms {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s contains the secret %q", path, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func excerpt(s, sub string) string {
	i := strings.Index(s, sub)
	return s[max(0, i-200):min(len(s), i+len(sub)+200)]
}

// TestConfigIdentifiersCannotInjectSQL: names from the config reach SQL
// (source names in meta tables, datasets as core table names), so anything
// but a plain identifier is rejected with exit 3 before a database opens.
func TestConfigIdentifiersCannotInjectSQL(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ name, dataset, want string }{
		"source name":  {`x'); DROP TABLE core.listings; --`, "listings", "use lowercase letters, digits and _"},
		"quoted name":  {`"core"."listings"`, "listings", "use lowercase letters, digits and _"},
		"dataset name": {"evil", `listings; DROP SCHEMA core CASCADE`, "unknown dataset"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			conf := fmt.Sprintf("pipeline: p\nwarehouse: {path: %s/w.duckdb}\nsources:\n  - name: '%s'\n    dataset: '%s'\n    kind: file\n    file: {paths: [x.csv]}\n",
				dir, strings.ReplaceAll(tc.name, "'", "''"), tc.dataset)
			path := filepath.Join(dir, "pipeline.yaml")
			writeFile(t, path, []byte(conf))
			for _, cmd := range [][]string{{"run", "--config", path}, {"validate", "--config", path}} {
				r := run(t, nil, cmd...)
				if r.code != pipeline.ExitConfig || !strings.Contains(r.stderr, tc.want) {
					t.Errorf("%s: exit %d, want 3 with %q:\n%s", cmd[0], r.code, tc.want, tail(r.stderr, 1000))
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "w.duckdb")); err == nil {
				t.Errorf("a rejected config created the warehouse")
			}
		})
	}
}

// TestTLSVerifiedUnlessTurnedOffLoudly: certificates are checked unless a
// source says tls_insecure_skip_verify: true. A self-signed server is
// refused with a clear error, exit 1 (not 75: it is not an outage); no other
// spelling of the option exists; and a source that turns checks off loads,
// with a WARN naming it in the run's log.
func TestTLSVerifiedUnlessTurnedOffLoudly(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(`{"data":[{"seller_id":"S1","marketplace":"daraz.pk","name":"Lahore Looms","country":"PK","updated_at":"2025-01-02T00:00:00Z"}]}`))
	}))
	srv.Config.ErrorLog = nil
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	conf := writeConfig(t, configOpts{Dir: dir, URL: srv.URL, Sources: allDemoSources[:1]})
	r := run(t, nil, "run", "--config", conf)
	last := lastLine(r.stderr)
	if r.code != pipeline.ExitFailed || !testbin.ContainsAll(last, "TLS certificate does not verify", "certificate signed by unknown authority", "tls_insecure_skip_verify") {
		t.Fatalf("exit %d, error %q; want 1 and a certificate error that names the option", r.code, last)
	}
	for _, key := range []string{"insecure", "skip_verify", "tls"} {
		conf := filepath.Join(dir, key+".yaml")
		writeFile(t, conf, []byte(fmt.Sprintf("pipeline: p\nwarehouse: {path: %s/w.duckdb}\nsources:\n  - name: s\n    dataset: sellers\n    kind: http_json\n    http: {url: %s, %s: true}\n", dir, srv.URL, key)))
		if r := run(t, nil, "validate", "--config", conf); r.code != pipeline.ExitConfig {
			t.Errorf("http.%s was accepted (exit %d): the one way to skip verification is tls_insecure_skip_verify", key, r.code)
		}
	}

	off := filepath.Join(dir, "off.yaml")
	writeFile(t, off, []byte(fmt.Sprintf("pipeline: p\nwarehouse: {path: %s/off/w.duckdb}\nsources:\n  - name: self_signed_sellers\n    dataset: sellers\n    kind: http_json\n    http: {url: %s, records_path: data, pagination: {style: none}, tls_insecure_skip_verify: true}\n", dir, srv.URL)))
	r = run(t, nil, "run", "--config", off)
	if r.code != pipeline.ExitOK {
		t.Fatalf("run with tls_insecure_skip_verify: exit %d\n%s", r.code, tail(r.stderr, 2000))
	}
	var warned bool
	for line := range strings.Lines(r.stderr) {
		warned = warned || testbin.ContainsAll(line, `"level":"WARN"`, "TLS certificate verification is OFF", `"source":"self_signed_sellers"`)
	}
	if !warned {
		t.Errorf("no WARN naming the source whose TLS checks are off:\n%s", tail(r.stderr, 2000))
	}
	if p := run(t, nil, "plan", "--config", off); p.code != pipeline.ExitOK || !strings.Contains(p.stdout, "TLS verification OFF") {
		t.Errorf("plan (exit %d) does not mark the source whose TLS checks are off:\n%s", p.code, p.stdout)
	}
}
