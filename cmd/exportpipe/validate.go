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
		Long: `Validate reads the config as a run would: it interpolates ${VAR}, and
reports every unset variable, unknown key, bad value and bad cron spec
together, each with its [line:column]. It exits 0 when the config is good
and 3 when it is not. Without --config it checks the built-in demo config.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadForInspection(configPath)
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
// is filled with a placeholder address, since no simulator is started.
func loadForInspection(path string) (*pipeline.Config, error) {
	var cfg *pipeline.Config
	var err error
	if path == "" {
		cfg, err = demoConfig("http://127.0.0.1:<port>", "data")
	} else {
		cfg, err = pipeline.LoadConfig(path)
	}
	if err != nil {
		return nil, err
	}
	secrets.Add(cfg.Secrets()...)
	return cfg, nil
}
