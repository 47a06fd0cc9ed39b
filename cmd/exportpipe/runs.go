package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/pipeline/runlock"
	"github.com/exportpipe/exportpipe/sql/warehouse"
)

func newRunsCmd() *cobra.Command {
	var db, configPath string
	var limit int
	var working bool
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "Show recent runs from meta.runs",
		Long: `Runs lists the most recent runs, newest first, from meta.runs of the
published snapshot. The snapshot is replaced only by successful runs, so
failures since the last success are not in it: --working reads the working
warehouse instead (read-only; it cannot while a run is writing it).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, err := runsDB(db, configPath, working)
			if err != nil {
				return err
			}
			q := `SELECT run_id, pipeline, status, date_trunc('second', started_at) AS started_at,
    round(epoch(finished_at) - epoch(started_at), 1) AS seconds, extracted, loaded, rejected, duplicates,
    coalesce(left(error, 100), '') AS error
FROM meta.runs ORDER BY started_at DESC LIMIT ` + strconv.Itoa(limit)
			cols, rows, err := warehouse.QueryReadOnly(cmd.Context(), path, q, 0)
			if err != nil {
				return err
			}
			t := newTable(cols...)
			for _, r := range rows {
				for i := range r {
					r[i] = strings.Join(strings.Fields(secrets.Redact(r[i])), " ")
				}
				t.add(r...)
			}
			t.write(cmd.OutOrStdout())
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&db, "db", "", "DuckDB file to read (default: the config's snapshot, or data/analytics.duckdb)")
	f.StringVarP(&configPath, "config", "c", "", "pipeline config whose snapshot (or, with --working, warehouse) to read")
	f.BoolVar(&working, "working", false, "read the working warehouse instead of the snapshot")
	f.IntVar(&limit, "limit", 20, "show this many runs")
	return cmd
}

func runsDB(db, configPath string, working bool) (string, error) {
	if db != "" {
		return db, nil
	}
	var cfg *pipeline.Config
	var err error
	if configPath != "" {
		cfg, err = pipeline.LoadConfig(configPath)
	} else {
		cfg, err = demoConfig("http://unused", "data")
	}
	if err != nil {
		return "", err
	}
	if !working {
		return snapshotPath(cfg), nil
	}
	if h, held, _ := runlock.Peek(cfg.Warehouse.Path); held {
		return "", pipeline.WithExit(pipeline.ExitLocked, fmt.Errorf("a run is writing %s (%s): read the snapshot (drop --working) or wait", cfg.Warehouse.Path, h))
	}
	return cfg.Warehouse.Path, nil
}
