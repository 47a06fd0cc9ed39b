// Package metrics keeps exportpipe's Prometheus metrics on a private
// registry, so `exportpipe serve` exposes only what it documents (plus the
// standard Go and process collectors) and tests get a fresh set each time.
// Run outcomes are recorded from the run summary the pipeline already keeps
// for meta.runs, so the numbers on /metrics and in the warehouse agree.
package metrics

import (
	"runtime"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/exportpipe/exportpipe/pipeline"
)

// Metrics are the daemon's collectors.
type Metrics struct {
	Registry *prometheus.Registry

	runs        *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	rows        *prometheus.CounterVec
	requests    *prometheus.CounterVec
	retries     *prometheus.CounterVec
	lastSuccess *prometheus.GaugeVec
	running     prometheus.Gauge
	skipped     *prometheus.CounterVec
}

// New registers every collector on a new registry.
func New(version string) *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry()}
	m.runs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "exportpipe_runs_total", Help: "Runs finished, by pipeline and status (ok, failed, interrupted, locked, data_tests_failed, unavailable, invalid_config).",
	}, []string{"pipeline", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "exportpipe_run_duration_seconds", Help: "Wall time of runs, by pipeline.",
		Buckets: []float64{1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200},
	}, []string{"pipeline"})
	m.rows = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "exportpipe_rows_total", Help: "Records by source and outcome: loaded (distinct keys merged), rejected (see meta.rejects), duplicate (collapsed).",
	}, []string{"source", "outcome"})
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "exportpipe_http_requests_total", Help: `HTTP requests to sources (every attempt, retries included), by source and response status code ("200", "429", "503", ...); "error" counts attempts that got no response (connection error, timeout).`,
	}, []string{"source", "code"})
	m.retries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "exportpipe_http_retries_total", Help: "HTTP requests to sources that were retried.",
	}, []string{"source"})
	m.lastSuccess = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "exportpipe_last_success_timestamp_seconds", Help: "Unix time the last successful run of the pipeline finished.",
	}, []string{"pipeline"})
	m.running = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "exportpipe_run_in_progress", Help: "1 while a run is going.",
	})
	m.skipped = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "exportpipe_schedule_skipped_total", Help: "Schedule ticks skipped because the previous run was still going.",
	}, []string{"schedule"})
	build := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "exportpipe_build_info", Help: "Always 1; labels carry the version and Go version of the binary.",
	}, []string{"version", "goversion"})
	build.WithLabelValues(version, runtime.Version()).Set(1)
	m.Registry.MustRegister(m.runs, m.duration, m.rows, m.requests, m.retries, m.lastSuccess, m.running, m.skipped, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// RunStarted marks a run as going.
func (m *Metrics) RunStarted() { m.running.Set(1) }

// Skipped counts a schedule tick skipped for overlap.
func (m *Metrics) Skipped(schedule string) { m.skipped.WithLabelValues(schedule).Inc() }

// RunFinished records a run's outcome. sum is filled as far as the run got;
// err is what the run returned. took is the wall time including waiting for
// the lock and opening the warehouse.
func (m *Metrics) RunFinished(pipelineName string, sum pipeline.RunSummary, err error, took time.Duration) {
	m.running.Set(0)
	m.runs.WithLabelValues(pipelineName, Status(sum, err)).Inc()
	m.duration.WithLabelValues(pipelineName).Observe(took.Seconds())
	if err == nil {
		end := sum.FinishedAt
		if end.IsZero() {
			end = time.Now()
		}
		m.lastSuccess.WithLabelValues(pipelineName).Set(float64(end.Unix()))
	}
	for _, s := range sum.Steps {
		m.rows.WithLabelValues(s.Source, "loaded").Add(float64(s.Merge.Loaded))
		m.rows.WithLabelValues(s.Source, "rejected").Add(float64(s.Rejected))
		m.rows.WithLabelValues(s.Source, "duplicate").Add(float64(s.Merge.Duplicates))
		for code, n := range requestsByCode(s.Extract) {
			m.requests.WithLabelValues(s.Source, code).Add(float64(n))
		}
		m.retries.WithLabelValues(s.Source).Add(float64(s.Extract.Retries))
	}
}

// requestsByCode splits a step's requests by the code label: each status
// code that answered, and "error" for attempts that got no response.
func requestsByCode(st pipeline.ExtractStats) map[string]int64 {
	out := map[string]int64{}
	var answered int64
	for code, n := range st.StatusCodes {
		out[strconv.Itoa(code)] += n
		answered += n
	}
	if noResponse := st.Requests - answered; noResponse > 0 {
		out["error"] = noResponse
	}
	return out
}

// Status is the runs_total label for a run's outcome, from its exit code.
func Status(sum pipeline.RunSummary, err error) string {
	switch pipeline.ExitCode(err) {
	case pipeline.ExitOK:
		return "ok"
	case pipeline.ExitLocked:
		return "locked"
	case pipeline.ExitConfig:
		return "invalid_config"
	case pipeline.ExitDataTests:
		return "data_tests_failed"
	case pipeline.ExitUnavailable:
		return "unavailable"
	case pipeline.ExitInterrupted, pipeline.ExitTerminated:
		return "interrupted"
	}
	if sum.Status == pipeline.StatusInterrupted {
		return "interrupted"
	}
	return "failed"
}
