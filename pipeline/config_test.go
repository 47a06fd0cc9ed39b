package pipeline_test

import (
	"strings"
	"testing"
	"time"

	_ "github.com/exportpipe/exportpipe/extractors" // the built-in source kinds
	"github.com/exportpipe/exportpipe/extractors/httpjson"
	"github.com/exportpipe/exportpipe/pipeline"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

const goodConfig = `
pipeline: nightly
warehouse:
  path: data/warehouse.duckdb
sources:
  - name: daraz_listings
    dataset: listings
    kind: http_json
    http:
      url: ${API_URL}/listings
      headers: {Authorization: "Bearer ${DARAZ_TOKEN}"}
      timeout: 45s
      pagination: {style: cursor, limit: 500}
`

func TestConfigInterpolatesAndRemembersSecrets(t *testing.T) {
	t.Parallel()
	c, err := pipeline.ParseConfig([]byte(goodConfig), env(map[string]string{"API_URL": "http://127.0.0.1:1", "DARAZ_TOKEN": "tok-123456"}))
	if err != nil {
		t.Fatal(err)
	}
	h := c.Sources[0].Spec.(*httpjson.Spec)
	if h.URL != "http://127.0.0.1:1/listings" || time.Duration(h.Timeout) != 45*time.Second || h.Pagination.Limit != 500 {
		t.Fatalf("decoded %+v", h)
	}
	if len(c.Secrets()) != 1 || c.Secrets()[0] != "tok-123456" {
		t.Fatalf("secrets %v", c.Secrets())
	}
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, src string
		env       map[string]string
		want      []string
	}{
		{"missing variable is named", goodConfig, map[string]string{"API_URL": "x"}, []string{"DARAZ_TOKEN"}},
		{"default fills an unset variable", strings.ReplaceAll(goodConfig, "${DARAZ_TOKEN}", "${DARAZ_TOKEN:-anon}"), map[string]string{"API_URL": "http://h"}, nil},
		{"unknown key has its line", "pipeline: x\nwarehouse:\n  path: a\n  pth: b\n", nil, []string{"[4:3]", "pth"}},
		{"a file window is refused rather than ignored",
			"warehouse: {path: w.duckdb}\nsources:\n  - {name: f, dataset: listings, kind: file, file: {paths: [a.csv], window: {since: \"2025-01-01\"}}}\n",
			nil, []string{"window: date windows are supported for http sources only"}},
		{"every problem at once", "warehouse: {}\nsources:\n  - {name: Bad-Name, dataset: nope, kind: ftp}\n", nil,
			[]string{"warehouse.path is required", "Bad-Name", "unknown dataset", "kind \"ftp\""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := pipeline.ParseConfig([]byte(tc.src), env(tc.env))
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || pipeline.ExitCode(err) != pipeline.ExitConfig {
				t.Fatalf("err = %v, want exit code 3", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}
