package main

import (
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
