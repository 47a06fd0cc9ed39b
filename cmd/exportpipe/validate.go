package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/exportpipe/exportpipe/pipeline"
)

func newValidateCmd() *cobra.Command {
	var configPath string
	cmd := &cobra.Command{
		Use:   "validate [--config F]",
		Short: "Check a config and report every problem at once, with line numbers",
		Long: `Validate makes every check that run and serve make before they touch
data, and reports every problem at once, each with its [line:column] and
key path, in file order: unset ${VAR}s and auth.token_env / serve.token_env
variables, unknown keys, values of the wrong kind (a word where a number
goes, a duration without a unit), bad values and ranges, URLs that are not
http(s), local files and globs that do not exist, reference files that do
not load, and bad cron specs. run and serve call the same checks, so a
config validate passes is not refused by them. It exits 0 when the config
is good and 3 when it is not. Without --config it checks the built-in demo
config.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			use := pipeline.ForRun | pipeline.ForServe
			var cfg *pipeline.Config
			var err error
			if configPath != "" {
				cfg, _, err = loadChecked(configPath, use)
			} else if cfg, err = loadForInspection(""); err == nil {
				_, err = prepareRun(cfg, use)
			}
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			name := configPath
			if name == "" {
				name = "built-in demo config"
			}
			fmt.Fprintf(out, "%s: ok: %d sources, %d schedules\n", name, len(cfg.Sources), len(cfg.Schedules))
			for _, s := range cfg.Schedules {
				spec, _ := pipeline.ParseCron(s.Cron)
				fmt.Fprintf(out, "  schedule %s (%s): next run %s\n", s.Name, s.Cron, spec.Next(time.Now()).UTC().Format(time.RFC3339))
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&configPath, "config", "c", "", "pipeline config file (YAML); default: the built-in demo")
	return cmd
}

// loadForInspection loads a config for validate and plan. The demo config
// is filled with port 0 for the simulator's address, since none is started.
func loadForInspection(path string) (*pipeline.Config, error) {
	var cfg *pipeline.Config
	var err error
	if path == "" {
		// The simulator's port is chosen when a run starts it.
		cfg, err = demoConfig("http://127.0.0.1:0", "data")
	} else {
		cfg, err = pipeline.LoadConfig(path)
	}
	if err != nil {
		return nil, err
	}
	secrets.Add(cfg.Secrets()...)
	return cfg, nil
}
