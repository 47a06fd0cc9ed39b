package metrics

import (
	"context"
	"errors"
	"maps"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/exportpipe/exportpipe/pipeline"
)

func TestStatusFromExitCode(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err  error
		sum  pipeline.RunSummary
		want string
	}{
		{nil, pipeline.RunSummary{Status: "ok"}, "ok"},
		{pipeline.WithExit(pipeline.ExitLocked, errors.New("held")), pipeline.RunSummary{}, "locked"},
		{pipeline.WithExit(pipeline.ExitDataTests, errors.New("x")), pipeline.RunSummary{Status: "failed"}, "data_tests_failed"},
		{pipeline.WithExit(pipeline.ExitUnavailable, errors.New("x")), pipeline.RunSummary{}, "unavailable"},
		{context.Canceled, pipeline.RunSummary{Status: "interrupted"}, "interrupted"},
		{errors.New("boom"), pipeline.RunSummary{}, "failed"},
	}
	for _, c := range cases {
		if got := Status(c.sum, c.err); got != c.want {
			t.Errorf("Status(%v) = %s, want %s", c.err, got, c.want)
		}
	}
}

func TestRunFinishedCountsRows(t *testing.T) {
	t.Parallel()
	m := New("test")
	sum := pipeline.RunSummary{Steps: []pipeline.StepSummary{{
		Source: "daraz", Extracted: 10, Rejected: 2,
		Merge:   pipeline.MergeCounts{Loaded: 7, Duplicates: 1},
		Extract: pipeline.ExtractStats{Requests: 5, Status429: 2, Retries: 2, StatusCodes: map[int]int64{200: 3, 429: 2}},
	}}}
	m.RunFinished("nightly", sum, nil, 0)
	for _, c := range []struct {
		outcome string
		want    float64
	}{{"loaded", 7}, {"rejected", 2}, {"duplicate", 1}} {
		if got := value(m.rows.WithLabelValues("daraz", c.outcome)); got != c.want {
			t.Errorf("rows %s = %v, want %v", c.outcome, got, c.want)
		}
	}
	if got := value(m.runs.WithLabelValues("nightly", "ok")); got != 1 {
		t.Errorf("runs ok = %v", got)
	}
}

// Requests are labelled with the status code that answered them; attempts
// that got no response at all (connection refused, timeout) are "error".
func TestHTTPRequestsByStatusCode(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		stats pipeline.ExtractStats
		want  map[string]float64
	}{
		{"every response has its code", pipeline.ExtractStats{Requests: 6, StatusCodes: map[int]int64{200: 3, 429: 2, 503: 1}},
			map[string]float64{"200": 3, "429": 2, "503": 1}},
		{"attempts without a response are error", pipeline.ExtractStats{Requests: 4, StatusCodes: map[int]int64{200: 1}},
			map[string]float64{"200": 1, "error": 3}},
		{"a file source makes no request", pipeline.ExtractStats{}, map[string]float64{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := New("test")
			m.RunFinished("p", pipeline.RunSummary{Steps: []pipeline.StepSummary{{Source: "src", Extract: c.stats}}}, nil, 0)
			got := map[string]float64{}
			fams, err := m.Registry.Gather()
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fams {
				if f.GetName() != "exportpipe_http_requests_total" {
					continue
				}
				for _, mt := range f.GetMetric() {
					for _, l := range mt.GetLabel() {
						if l.GetName() == "code" {
							got[l.GetValue()] = mt.GetCounter().GetValue()
						}
					}
				}
			}
			if !maps.Equal(got, c.want) {
				t.Errorf("requests by code = %v, want %v", got, c.want)
			}
		})
	}
}

func value(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		panic(err)
	}
	return m.GetCounter().GetValue()
}
