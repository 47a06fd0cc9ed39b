package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/exportpipe/exportpipe/pipeline"
)

// The deployment examples the README points at stay valid.
func TestDeployExamples(t *testing.T) {
	t.Setenv("EXPORTPIPE_DATA", t.TempDir())
	if _, err := pipeline.LoadConfig("../../configs/deploy/serve.yaml"); err != nil {
		t.Errorf("configs/deploy/serve.yaml: %v", err)
	}
	b, err := os.ReadFile("../../configs/deploy/cronjob.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cj struct {
		Spec struct {
			ConcurrencyPolicy string `yaml:"concurrencyPolicy"`
			JobTemplate       struct {
				Spec struct {
					PodFailurePolicy struct {
						Rules []struct {
							Action      string `yaml:"action"`
							OnExitCodes *struct {
								Values []int `yaml:"values"`
							} `yaml:"onExitCodes"`
						} `yaml:"rules"`
					} `yaml:"podFailurePolicy"`
				} `yaml:"spec"`
			} `yaml:"jobTemplate"`
		} `yaml:"spec"`
	}
	if err := yaml.Unmarshal(b, &cj); err != nil {
		t.Fatal(err)
	}
	if cj.Spec.ConcurrencyPolicy != "Forbid" {
		t.Errorf("concurrencyPolicy %q, want Forbid", cj.Spec.ConcurrencyPolicy)
	}
	failsOn3 := false
	for _, r := range cj.Spec.JobTemplate.Spec.PodFailurePolicy.Rules {
		if r.Action == "FailJob" && r.OnExitCodes != nil && slices.Contains(r.OnExitCodes.Values, pipeline.ExitConfig) {
			failsOn3 = true
		}
	}
	if !failsOn3 {
		t.Error("podFailurePolicy does not fail the Job on exit code 3")
	}
}

// The example configs can be run into one folder without one overwriting
// another's warehouse, snapshot or exports.
func TestExampleConfigsPublishApart(t *testing.T) {
	t.Setenv("EXPORTPIPE_DATA", "data")
	t.Setenv("DARAZ_TOKEN", "t")       // marketplace-api.yaml's credentials
	t.Setenv("SCHEDULES_API_KEY", "k") // are read when it is loaded
	paths, err := filepath.Glob(filepath.Join("..", "..", "configs", "examples", "*.yaml"))
	if err != nil || len(paths) < 3 {
		t.Fatalf("examples: %v %v", paths, err)
	}
	owner := map[string]string{}
	for _, p := range paths {
		cfg, err := pipeline.LoadConfig(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		exports := cfg.Warehouse.Exports
		if exports == "" {
			exports = filepath.Join(filepath.Dir(snapshotPath(cfg)), "exports")
		}
		for _, f := range []string{cfg.Warehouse.Path, snapshotPath(cfg), exports} {
			f = filepath.Clean(f)
			if other, ok := owner[f]; ok {
				t.Errorf("%s and %s both write %s", filepath.Base(other), filepath.Base(p), f)
			}
			owner[f] = p
		}
	}
}
