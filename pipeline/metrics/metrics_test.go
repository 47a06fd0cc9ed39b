package metrics

import (
	"context"
	"errors"
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
		Extract: pipeline.ExtractStats{Requests: 5, Status429: 2, Retries: 2},
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
	if got := value(m.requests.WithLabelValues("daraz", "other")); got != 3 {
		t.Errorf("non-429 requests = %v, want 3", got)
	}
	if got := value(m.runs.WithLabelValues("nightly", "ok")); got != 1 {
		t.Errorf("runs ok = %v", got)
	}
}

func value(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		panic(err)
	}
	return m.GetCounter().GetValue()
}
