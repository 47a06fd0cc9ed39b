package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportpipe/exportpipe/pipeline"
)

// Command-line mistakes exit 2, so a scheduler knows retrying cannot help.
func TestCommandLineMistakesExitTwo(t *testing.T) {
	for name, args := range map[string][]string{
		"unknown command":         {"nosuchcommand"},
		"stray argument":          {"validate", "pipeline.yaml"},
		"unknown flag":            {"run", "--no-such-flag"},
		"query without statement": {"query"},
		"bad log level":           {"version", "--log-level", "loud"},
	} {
		t.Run(name, func(t *testing.T) {
			if got := run(args); got != pipeline.ExitUsage {
				t.Errorf("exportpipe %v exited %d, want %d", args, got, pipeline.ExitUsage)
			}
		})
	}
}

// The small surprises of issue 14, each as a user met it.
func TestSmallSurprises(t *testing.T) {
	if out, _, code := cli(t, "--version"); code != 0 || out != "exportpipe "+version+"\n" {
		t.Errorf("--version: exit %d, %q", code, out)
	}
	for typo, want := range map[string]string{"rn": `did you mean "run"?`, "vaildate": `did you mean "validate"?`, "qeury": `did you mean "query"?`} {
		if _, stderr, code := cli(t, typo); code != pipeline.ExitUsage || !strings.Contains(stderr, want) {
			t.Errorf("exportpipe %s: exit %d, %q; want exit 2 and %s", typo, code, stderr, want)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"__complete", "query", "--format", ""}, "table\ncsv\njson\n"},
		{[]string{"__complete", "run", "--log-level", ""}, "debug\ninfo\nwarn\nerror\n"},
		{[]string{"__complete", "validate", "--log-format", ""}, "auto\ntext\njson\n"},
	} {
		if out, _, _ := cli(t, c.args...); !strings.HasPrefix(out, c.want) {
			t.Errorf("%v completes %q, want %q", c.args, out, c.want)
		}
	}
	if out, stderr, code := cli(t, "runs", "--db", "x.duckdb", "--limit", "-1"); code != pipeline.ExitUsage || out != "" {
		t.Errorf("runs --limit -1: exit %d, stdout %q, stderr %q; want exit 2 and no table", code, out, stderr)
	}
	missing := filepath.Join(t.TempDir(), "typo.duckdb")
	if _, stderr, _ := cli(t, "dictionary", "--db", missing); !strings.Contains(stderr, "no DuckDB file at "+missing) || strings.Contains(stderr, "pass --db") {
		t.Errorf("dictionary --db of a missing file: %s", stderr)
	}
}
