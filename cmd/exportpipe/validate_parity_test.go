package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// validate promises to find what run and serve refuse. Each config below is
// broken in one or more ways; validate must reject it with the same exit
// code as the command it is meant for, and report every problem that
// command reports, each on a line of its own that starts with
// [line:column] and the key path, in the config's terms, never Go's.

// parityBase is a working file source; cases add to it or replace parts.
const parityBase = `pipeline: parity
warehouse:
  path: DIR/w.duckdb
sources:
  - name: sellers_csv
    dataset: sellers
    kind: file
    file:
      paths: [DIR/sellers.csv]
`

// goTypeNames are words that only a Go programmer should see.
var goTypeNames = regexp.MustCompile(`Go struct|Go value|into Go|unmarshal|interface \{\}|\bint64\b|\bfloat64\b|\[\]string|map\[string\]|pipeline\.|reflect|\*[A-Z]\w+Config`)

// errLine is one reported problem: position, then a key path.
var errLine = regexp.MustCompile(`^\[\d+:\d+\] [a-z_]+(\[[^\]]+\])?(\.[a-z_]+(\[[^\]]+\])?)*[ :]`)

type parityCase struct {
	name string
	// yaml is the whole config; DIR is the test's folder.
	yaml string
	// serve: the config is meant for `exportpipe serve`, so validate is
	// compared with serve rather than run.
	serve bool
	// want are the problems, one substring each, every one expected on
	// its own located line.
	want []string
}

func parityCases() []parityCase {
	http := func(extra string) string {
		return `warehouse: {path: DIR/w.duckdb}
sources:
  - name: listings_api
    dataset: listings
    kind: http_json
    http:
      url: http://127.0.0.1:1/listings
` + extra
	}
	file := func(extra string) string { return parityBase + extra }
	return []parityCase{
		{name: "ftp url", yaml: strings.Replace(http(""), "http://127.0.0.1:1/listings", "ftp://files.example/listings", 1),
			want: []string{`sources[0].http.url "ftp://files.example/listings": ftp:// is not supported`}},
		{name: "relative url", yaml: strings.Replace(http(""), "http://127.0.0.1:1/listings", "/v1/listings", 1),
			want: []string{`sources[0].http.url "/v1/listings": not an absolute URL`}},
		{name: "garbage url", yaml: strings.Replace(http(""), "http://127.0.0.1:1/listings", `"::not a url::"`, 1),
			want: []string{`sources[0].http.url "::not a url::": not`}},
		{name: "three bad urls at once", yaml: `warehouse: {path: DIR/w.duckdb}
sources:
  - {name: a, dataset: listings, kind: http_json, http: {url: "ftp://x/a"}}
  - {name: b, dataset: sellers, kind: http_json, http: {url: "v1/sellers"}}
  - {name: c, dataset: sailings, kind: http_json, http: {url: "http://"}}
`, want: []string{`sources[0].http.url "ftp://x/a"`, `sources[1].http.url "v1/sellers"`, `sources[2].http.url "http://": the URL has no host`}},
		{name: "serve token variable unset", serve: true, yaml: file(`serve: {listen: "127.0.0.1:0", token_env: PARITY_UNSET_TOKEN}
`), want: []string{"serve.token_env: environment variable PARITY_UNSET_TOKEN is not set"}},
		{name: "negative batch size", yaml: file("      batch_size: -5\n"),
			want: []string{"sources[0].file.batch_size must not be negative, got -5"}},
		{name: "missing local file", yaml: strings.Replace(parityBase, "sellers.csv", "nope.csv", 1),
			want: []string{`sources[0].file.paths[0] "DIR/nope.csv": no such file`}},
		{name: "glob matching nothing", yaml: strings.Replace(parityBase, "sellers.csv", "drop-*.csv", 1),
			want: []string{`sources[0].file.paths[0] "DIR/drop-*.csv": matches no file`}},
		{name: "a word where a number goes", yaml: file("      max_retries: lots\n"),
			want: []string{`sources[0].file.max_retries must be a whole number, got "lots"`}},
		{name: "four type errors, all reported", yaml: http(`      max_retries: lots
      batch_size: 1.5
      tls_insecure_skip_verify: maybe
      rate_limit: {rps: fast}
`), want: []string{`sources[0].http.max_retries must be a whole number, got "lots"`, `sources[0].http.batch_size must be a whole number, got 1.5`,
			`sources[0].http.tls_insecure_skip_verify must be true or false, got "maybe"`, `sources[0].http.rate_limit.rps must be a number, got "fast"`}},
		{name: "duration without a unit hides nothing", yaml: http(`      timeout: 30
      pagination: {style: sideways}
`), want: []string{`sources[0].http.timeout must be a duration such as 30s, 5m or 1h30m, got 30 (a number needs a unit: 30s is 30 seconds)`,
			`sources[0].http.pagination.style "sideways"`}},
		{name: "misspelt key", yaml: strings.Replace(parityBase, "  path: DIR/w.duckdb", "  path: DIR/w.duckdb\n  snapshto: DIR/a.duckdb", 1),
			want: []string{`warehouse: did you mean "snapshot"?`}},
		{name: "unset variable", yaml: strings.Replace(http(""), "http://127.0.0.1:1", "${PARITY_UNSET_API}", 1),
			want: []string{"sources[0].http.url: environment variable PARITY_UNSET_API is not set"}},
		{name: "unset credential variable", yaml: http("      auth: {type: bearer, token_env: PARITY_UNSET_KEY}\n"),
			want: []string{"sources[0].http.auth.token_env: environment variable PARITY_UNSET_KEY is not set"}},
		{name: "unknown dataset", yaml: strings.Replace(parityBase, "dataset: sellers", "dataset: buyers", 1),
			want: []string{"sources[0].dataset: unknown dataset"}},
		{name: "unknown kind", yaml: strings.Replace(parityBase, "kind: file", "kind: ftp", 1),
			want: []string{`sources[0].kind "ftp": supported kinds are`}},
		{name: "bad source name", yaml: strings.Replace(parityBase, "sellers_csv", "Sellers-CSV", 1),
			want: []string{`sources[0].name "Sellers-CSV": use lowercase letters`}},
		{name: "duplicate source names", yaml: parityBase + `  - {name: sellers_csv, dataset: sellers, kind: file, file: {paths: [DIR/sellers.csv]}}
`, want: []string{`sources[1].name "sellers_csv" is used twice`}},
		{name: "offset without limit and concurrency without total", yaml: http("      pagination: {style: offset, concurrency: 4}\n"),
			want: []string{"sources[0].http.pagination.concurrency: needs total_path", "sources[0].http.pagination.limit: offset pagination needs a page size"}},
		{name: "reject share over 1", yaml: strings.Replace(parityBase, "    kind: file\n", "    kind: file\n    max_reject_share: 1.5\n", 1),
			want: []string{"sources[0].max_reject_share 1.5: want a share between 0 and 1"}},
		{name: "delisting a sellers source", yaml: strings.Replace(parityBase, "    kind: file\n", "    kind: file\n    delist_missing: true\n", 1),
			want: []string{"sources[0].delist_missing: only listings sources can delist"}},
		{name: "csv dialect", yaml: file("      csv: {delimiter: ab, ragged: maybe, comment: '##'}\n      format: xml\n"),
			want: []string{`sources[0].file.csv.delimiter "ab"`, `sources[0].file.csv.ragged "maybe"`, `sources[0].file.csv.comment "##"`, `sources[0].file.format "xml"`}},
		{name: "mapping names no field", yaml: file("      fields: {shoe_size: size}\n      patterns: {seller_id: '(unclosed'}\n"),
			want: []string{`sources[0].file.fields.shoe_size: sellers has no field "shoe_size"`, "sources[0].file.patterns.seller_id: "}},
		{name: "transform declarations", yaml: strings.Replace(parityBase, "    kind: file\n", "    kind: file\n    transform: {time_zone: Mars/Olympus, date_order: ymd}\n", 1),
			want: []string{`sources[0].transform.time_zone "Mars/Olympus"`, `sources[0].transform.date_order "ymd"`}},
		{name: "normalise values", yaml: file(`normalise:
  categories: {Sneakers: shoes}
  hs_chapters: {furniture: 120}
  unknown_category: guess
`), want: []string{`normalise.categories["Sneakers"]: "shoes" is not a category slug`, "normalise.hs_chapters.furniture: 120 is not an HS chapter", `normalise.unknown_category "guess"`}},
		{name: "missing reference file", yaml: file("normalise:\n  reference: {unlocode: DIR/unlocode.csv, fx: [{layout: ecb, path: DIR/fx.csv}]}\n"),
			want: []string{`normalise.reference.unlocode "DIR/unlocode.csv": no such file`, `normalise.reference.fx[0].path "DIR/fx.csv": no such file`}},
		{name: "reference file of the wrong layout", yaml: file("normalise:\n  reference: {unlocode: DIR/sellers.csv}\n"),
			want: []string{"normalise.reference: "}},
		{name: "no warehouse path", yaml: strings.Replace(parityBase, "  path: DIR/w.duckdb\n", "  snapshot: DIR/a.duckdb\n", 1),
			want: []string{"warehouse.path is required"}},
		{name: "warehouse settings", yaml: strings.Replace(parityBase, "  path: DIR/w.duckdb\n", "  path: DIR/w.duckdb\n  memory_limit: lots\n  threads: -1\n  keep_exports: -2\n", 1),
			want: []string{`warehouse.memory_limit "lots"`, "warehouse.threads must not be negative", "warehouse.keep_exports must not be negative"}},
		{name: "bad cron and unknown schedule source", yaml: file(`schedules:
  - {name: nightly, cron: "0 2 * *", sources: [nope]}
`), want: []string{`schedules[0].cron: cron "0 2 * *"`, `schedules[0].sources[0] "nope": no source has that name`}},
		{name: "sources is not a list", yaml: "warehouse: {path: DIR/w.duckdb}\nsources: sellers.csv\n",
			want: []string{`sources must be a list ([a, b], or one "- item" per line), got "sellers.csv"`}},
		{name: "warehouse is not a section", yaml: strings.Replace(parityBase, "warehouse:\n  path: DIR/w.duckdb\n", "warehouse: DIR/w.duckdb\n", 1),
			want: []string{"warehouse must be a section of keys and values (such as path: ...), got "}},
		{name: "retry waits the wrong way round, a method and a window", yaml: http(`      method: DELETE
      retry_wait_min: 1m
      retry_wait_max: 1s
      window: {since_param: from, since: yesterday}
`), want: []string{`sources[0].http.method "DELETE"`, "sources[0].http.retry_wait_min (1m0s) is more than retry_wait_max (1s)", `sources[0].http.window.since: "yesterday"`}},
		{name: "incremental field the dataset lacks", yaml: http("      incremental: {field: modified, param: since}\n"),
			want: []string{`sources[0].http.incremental.field "modified": listings has no such field`}},
		{name: "tls opt-out without https", yaml: http("      tls_insecure_skip_verify: true\n"),
			want: []string{"sources[0].http.tls_insecure_skip_verify: the url is not https"}},
		{name: "a section of the other kind", yaml: parityBase + "    http: {url: http://127.0.0.1:1/x}\n",
			want: []string{"sources[0].http: kind file takes a file section, not http"}},
		{name: "fx and alias files", yaml: file(`normalise:
  reference:
    fx: [{layout: imf, path: DIR/sellers.csv}]
    port_aliases: [{path: "s3://bucket/aliases.csv"}]
`), want: []string{`normalise.reference.fx[0].layout "imf"`, "normalise.reference.port_aliases[0].name_column", `normalise.reference.port_aliases[0].path "s3://bucket/aliases.csv": s3:// is not supported`}},
		{name: "negative durations and sizes", yaml: http("      timeout: -5s\n      max_response_bytes: -1\n"),
			want: []string{"sources[0].http.timeout must not be negative", "sources[0].http.max_response_bytes must not be negative"}},
		{name: "tolerances and plausibility checks", yaml: file(`normalise:
  discount_tolerance: lots
  fx_max_age: forever
checks:
  prices: {outlier_ratio: huge}
`), want: []string{`normalise.discount_tolerance must be a number, got "lots"`, `normalise.fx_max_age "forever"`, `checks.prices.outlier_ratio must be a number, got "huge"`}},
		{name: "a template the extractor cannot read", yaml: file("      fields: {name: \"{Name\"}\n"),
			want: []string{`sources[0].file.fields.name: template "{Name": unclosed {`}},
	}
}

func TestValidateAgreesWithRunAndServe(t *testing.T) {
	cases := parityCases()
	if len(cases) < 30 {
		t.Fatalf("%d cases; the table is meant to hold at least 30", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := writeSellers(dir); err != nil {
				t.Fatal(err)
			}
			cfg := writeConfig(t, dir, "", c.yaml)
			want := make([]string, len(c.want))
			for i, w := range c.want {
				want[i] = strings.ReplaceAll(w, "DIR", dir)
			}
			vout, verr, vcode := cli(t, "validate", "--config", cfg)
			cmd := "run"
			if c.serve {
				cmd = "serve"
			}
			_, rerr, rcode := cliWithin(t, 20*time.Second, cmd, "--config", cfg)
			if vcode != pipeline.ExitConfig || rcode != vcode {
				t.Fatalf("validate exit %d, %s exit %d; want both 3\nvalidate: %s%s\n%s: %s", vcode, cmd, rcode, vout, verr, cmd, rerr)
			}
			checkReport(t, "validate", verr, want)
			checkReport(t, cmd, rerr, want)
			if _, err := os.Stat(filepath.Join(dir, "w.duckdb")); err == nil {
				t.Errorf("%s created the warehouse although the config is refused", cmd)
			}
		})
	}
}

// checkReport checks that every wanted problem is on a located line, and
// that no line speaks Go.
func checkReport(t *testing.T, who, stderr string, want []string) {
	t.Helper()
	lines := strings.Split(stderr, "\n")
	for _, w := range want {
		found := false
		for _, l := range lines {
			if strings.Contains(l, w) {
				found = true
				if !errLine.MatchString(l) {
					t.Errorf("%s: %q is reported without its [line:column] and key path:\n%s", who, l, stderr)
				}
			}
		}
		if !found {
			t.Errorf("%s does not report %q:\n%s", who, w, stderr)
		}
	}
	if m := goTypeNames.FindString(stderr); m != "" {
		t.Errorf("%s speaks Go (%q):\n%s", who, m, stderr)
	}
}

// A config that validate passes, run runs: the agreement goes both ways.
func TestValidatePassesWhatRunRuns(t *testing.T) {
	dir := t.TempDir()
	if err := writeSellers(dir); err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, dir, "", parityBase+"      max_retries: 3\n      timeout: 30s\n")
	if out, stderr, code := cli(t, "validate", "--config", cfg); code != pipeline.ExitOK || !strings.Contains(out, "ok: 1 sources") {
		t.Fatalf("validate: exit %d\n%s%s", code, out, stderr)
	}
	if out, stderr, code := cli(t, "run", "--config", cfg); code != pipeline.ExitOK {
		t.Fatalf("run: exit %d\n%s%s", code, out, stderr)
	}
}

// cliWithin is cli with a deadline, for commands such as serve that run
// until stopped when nothing stops them at once.
func cliWithin(t *testing.T, d time.Duration, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	root := newRoot()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil {
		errb.WriteString("exportpipe: " + err.Error() + "\n")
	}
	return out.String(), errb.String(), exitCode(err)
}

// writeSellers writes the sellers.csv that parityBase reads.
func writeSellers(dir string) error {
	return os.WriteFile(filepath.Join(dir, "sellers.csv"),
		[]byte("seller_id,marketplace,name,country,updated_at\nS1,daraz.pk,Lahore Looms,PK,2025-06-01T10:00:00Z\n"), 0o644)
}
