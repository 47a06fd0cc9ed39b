package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/exportpipe/exportpipe/demo"
	"github.com/exportpipe/exportpipe/pipeline"
)

const serveToken = "serve-token-0123456789"

// The daemon runs on demand through POST /runs, refuses a second run while
// one is going, and its /metrics parse with Prometheus's own text parser
// and agree with the run.
func TestServeRunsOnDemandAndExportsMetrics(t *testing.T) {
	t.Setenv("EXPORTPIPE_TEST_TOKEN", serveToken)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sim := demo.New(demo.Config{Seed: 3, Listings: 3000})
	simAddr, stopSim, err := demo.Serve(ctx, sim, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim(context.Background())
	cfg := serveConfig(t, "http://"+simAddr, t.TempDir())
	d, err := startDaemon(ctx, cfg, "serve_test.yaml", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + d.addr

	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200} {
		if code, _ := get(t, base+path); code != want {
			t.Errorf("GET %s: %d, want %d", path, code, want)
		}
	}
	if code := post(t, base+"/runs", "wrong-token", ""); code != http.StatusUnauthorized {
		t.Errorf("POST /runs with a wrong token: %d, want 401", code)
	}
	if code := post(t, base+"/runs", serveToken, `{"sources": ["nope"]}`); code != http.StatusBadRequest {
		t.Errorf("POST /runs naming an unknown source: %d, want 400", code)
	}
	if code := post(t, base+"/runs", serveToken, ""); code != http.StatusAccepted {
		t.Fatalf("POST /runs: %d, want 202", code)
	}
	if code := post(t, base+"/runs", serveToken, ""); code != http.StatusConflict {
		t.Errorf("POST /runs during a run: %d, want 409", code)
	}
	waitIdle(t, base)

	fams := scrape(t, base)
	truth := sim.Truth().Datasets
	checks := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"exportpipe_runs_total", map[string]string{"pipeline": "served", "status": "ok"}, 1},
		{"exportpipe_rows_total", map[string]string{"source": "demo_listings", "outcome": "loaded"}, float64(truth["listings"].Valid)},
		{"exportpipe_rows_total", map[string]string{"source": "demo_listings", "outcome": "rejected"}, float64(truth["listings"].Invalid)},
		{"exportpipe_rows_total", map[string]string{"source": "demo_sellers", "outcome": "duplicate"}, float64(truth["sellers"].Duplicates)},

		{"exportpipe_build_info", map[string]string{"version": version}, 1},
		{"exportpipe_run_in_progress", nil, 0},
	}
	for _, c := range checks {
		if got, ok := value(fams, c.name, c.labels); !ok || got != c.want {
			t.Errorf("%s%v = %v (found %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	if got, _ := value(fams, "exportpipe_http_requests_total", map[string]string{"source": "demo_listings", "code": "200"}); got < 1 {
		t.Errorf("no HTTP requests counted for demo_listings")
	}
	if got, _ := value(fams, "exportpipe_last_success_timestamp_seconds", map[string]string{"pipeline": "served"}); time.Since(time.Unix(int64(got), 0)) > time.Minute {
		t.Errorf("last success timestamp %v is not recent", got)
	}
	if h := fams["exportpipe_run_duration_seconds"]; h == nil || h.GetMetric()[0].GetHistogram().GetSampleCount() != 1 {
		t.Errorf("run duration histogram: %v", h)
	}

	cancel()
	if err := d.wait(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}

func serveConfig(t *testing.T, url, dir string) *pipeline.Config {
	t.Helper()
	src := fmt.Sprintf(`pipeline: served
warehouse: {path: %s}
serve: {token_env: EXPORTPIPE_TEST_TOKEN, shutdown_timeout: 20s}
schedules:
  - {name: nightly, cron: "CRON_TZ=Asia/Karachi 0 2 * * *", jitter: 5m}
sources:
`, filepath.Join(dir, "warehouse.duckdb"))
	for _, s := range []struct{ name, dataset, path string }{
		{"demo_fx_rates", "fx_rates", "fx-rates"}, {"demo_sellers", "sellers", "sellers"},
		{"demo_freight_rates", "freight_rates", "freight-rates"}, {"demo_sailings", "sailings", "sailings"},
		{"demo_listings", "listings", "listings"},
	} {
		src += fmt.Sprintf("  - {name: %s, dataset: %s, kind: http_json, http: {url: %q, records_path: data, pagination: {limit_param: limit, limit: 5000}}}\n",
			s.name, s.dataset, url+"/api/v1/"+s.path)
	}
	src = strings.Replace(src, `"`+url+`/api/v1/listings", records_path: data,`, `"`+url+`/api/v1/listings", records_path: data, fields: {listing_id: id},`, 1)
	cfg, err := pipeline.ParseConfig([]byte(src), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func post(t *testing.T, url, token, body string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func waitIdle(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		if _, body := get(t, base+"/runs/current"); strings.Contains(body, `"running":false`) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the run did not finish within 90s")
}

func scrape(t *testing.T, base string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics is not valid Prometheus text: %v", err)
	}
	return fams
}

// value finds the sample of a counter or gauge whose labels include want.
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.GetMetric() {
		got := map[string]string{}
		for _, l := range m.GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if got[k] != v {
				continue next
			}
		}
		if c := m.GetCounter(); c != nil {
			return c.GetValue(), true
		}
		return m.GetGauge().GetValue(), true
	}
	return 0, false
}
