package pipeline_test

import (
	"strings"
	"testing"

	_ "github.com/exportpipe/exportpipe/extractors" // the built-in source kinds
	"github.com/exportpipe/exportpipe/pipeline"
)

// A value of the wrong kind is reported in the config's terms, at its
// position and key path, and every such value is reported, not only the
// first; the rest of the config is still checked.
func TestWrongKindsAreAllReportedInTheConfigsTerms(t *testing.T) {
	t.Parallel()
	src := `warehouse:
  path: [a, b]
  threads: two
sources:
  - name: api
    dataset: listings
    kind: http_json
    http:
      url: http://h/x
      max_retries: lots
      timeout: 30
      retry_wait_max: soon
      tls_insecure_skip_verify: yes
      rate_limit: {rps: fast, burst: 1.5}
      query: {page: [1, 2]}
      pagination: {start_page: "2", concurrency: 2.0, style: sideways}
    max_reject_share: half
schedules: nightly
`
	_, err := pipeline.ParseConfig([]byte(src), env(nil))
	if err == nil {
		t.Fatal("a config of wrong kinds was accepted")
	}
	want := []string{
		`[2:9] warehouse.path must be a single value, got a list`,
		`[3:12] warehouse.threads must be a whole number, got "two"`,
		`[10:20] sources[0].http.max_retries must be a whole number, got "lots"`,
		`[11:16] sources[0].http.timeout must be a duration such as 30s, 5m or 1h30m, got 30 (a number needs a unit: 30s is 30 seconds)`,
		`[12:23] sources[0].http.retry_wait_max must be a duration such as 30s, 5m or 1h30m, got "soon"`,
		`[13:33] sources[0].http.tls_insecure_skip_verify must be true or false, got "yes"`,
		`[14:25] sources[0].http.rate_limit.rps must be a number, got "fast"`,
		`[14:38] sources[0].http.rate_limit.burst must be a whole number, got 1.5`,
		`[15:21] sources[0].http.query.page must be a single value, got a list`,
		`sources[0].http.pagination.style "sideways"`, // checked although its neighbours were wrong
		`[17:23] sources[0].max_reject_share must be a number, got "half"`,
		`[18:12] schedules must be a list`,
	}
	msg := err.Error()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("report lacks %q:\n%s", w, msg)
		}
	}
	// A key whose value was reported is not reported again as missing.
	if strings.Contains(msg, "warehouse.path is required") {
		t.Errorf("warehouse.path reported twice:\n%s", msg)
	}
	if strings.Contains(msg, "start_page") || strings.Contains(msg, "concurrency must") {
		t.Errorf("a quoted whole number or 2.0 was refused:\n%s", msg)
	}
	if pipeline.GoJargon.MatchString(msg) {
		t.Errorf("the report speaks Go:\n%s", msg)
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	keys := []string{"path", "snapshot", "exports", "keep_exports", "memory_limit", "threads"}
	for word, want := range map[string]string{
		"snapshto": "snapshot", "pth": "path", "thread": "threads", "memorylimit": "memory_limit",
		"colour": "", "path": "", "": "",
	} {
		if got := pipeline.Suggest(word, keys); got != want {
			t.Errorf("pipeline.Suggest(%q) = %q, want %q", word, got, want)
		}
	}
}
