package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
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
		Short: "Show recent runs from meta.run_overview",
		Long: `Runs lists the most recent runs, newest first, from meta.run_overview:
status, duration, counts, failed data tests (errors and warnings) and the
error. It reads the working warehouse read-only, which has every run,
failures included. While a run is writing it, runs reads the published
snapshot instead and says so on stderr; the snapshot is replaced only by
successful runs, so it lacks the failures since the last success.

--working insists on the working warehouse (exit 4 while a run writes it).
--db reads the named DuckDB file and nothing else.`,
		Args: cobra.NoArgs,
		PreRunE: func(*cobra.Command, []string) error {
			if limit < 0 {
				return usageError{fmt.Errorf("--limit %d: want the number of runs to show, or 0 for every run", limit)}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			src, err := runsSource(db, configPath, working)
			if err != nil {
				return err
			}
			q := `SELECT run_id, pipeline, status, date_trunc('second', started_at) AS started_at,
    round(duration_s, 1) AS seconds, extracted, loaded, rejected, duplicates,
    data_test_errors AS test_errors, data_test_warnings AS test_warnings,
    coalesce(left(error, 100), '') AS error
FROM meta.run_overview ORDER BY started_at DESC`
			if limit > 0 {
				q += " LIMIT " + strconv.Itoa(limit)
			}
			cols, rows, err := src.query(cmd.Context(), cmd.ErrOrStderr(), q)
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
	f.StringVar(&db, "db", "", "DuckDB file to read (default: the config's working warehouse, or its snapshot while a run writes it)")
	f.StringVarP(&configPath, "config", "c", "", "pipeline config whose warehouse to read (default: the demo's, under data/)")
	f.BoolVar(&working, "working", false, "read only the working warehouse: fail with exit 4 instead of reading the snapshot while a run writes it")
	f.IntVar(&limit, "limit", 20, "show this many runs, newest first (0: every run)")
	return cmd
}

// runsFrom says where `runs` reads: a file given with --db, or a working
// warehouse with its snapshot to fall back on.
type runsFrom struct {
	db       string // --db: read this file only
	working  string // the working warehouse
	snapshot string // read when the working warehouse is being written
	strict   bool   // --working: never fall back
}

func runsSource(db, configPath string, working bool) (runsFrom, error) {
	if db != "" {
		return runsFrom{db: db}, nil
	}
	var cfg *pipeline.Config
	var err error
	if configPath != "" {
		cfg, err = pipeline.LoadConfig(configPath)
	} else {
		cfg, err = demoConfig("http://unused", "data")
	}
	if err != nil {
		return runsFrom{}, err
	}
	return runsFrom{working: cfg.Warehouse.Path, snapshot: snapshotPath(cfg), strict: working}, nil
}

// query reads the working warehouse while holding its run lock, so no run
// starts (and finds the file held) mid-read. When a run holds the lock, or
// DuckDB reports the file locked, it reads the snapshot instead, unless
// strict.
func (s runsFrom) query(ctx context.Context, stderr io.Writer, q string) ([]string, [][]string, error) {
	if s.db != "" {
		return warehouse.QueryReadOnly(ctx, s.db, q, 0)
	}
	lock, err := runlock.Acquire(s.working, runlock.Me("", "exportpipe runs"))
	var held *runlock.HeldError
	switch {
	case errors.As(err, &held):
		if s.strict {
			return nil, nil, pipeline.WithExit(pipeline.ExitLocked, fmt.Errorf("a run is writing %s (%s): read the snapshot (drop --working) or wait", s.working, held.Holder))
		}
		return s.fromSnapshot(ctx, stderr, q, "a run is writing it")
	case err != nil:
		slog.Debug("could not take the run lock to read the working warehouse", "err", err)
	default:
		defer lock.Release()
	}
	if _, err := os.Stat(s.working); err != nil && !s.strict {
		return s.fromSnapshot(ctx, stderr, q, "it does not exist")
	}
	cols, rows, err := warehouse.QueryReadOnly(ctx, s.working, q, 0)
	if errors.Is(err, warehouse.ErrLocked) {
		if s.strict {
			return nil, nil, pipeline.WithExit(pipeline.ExitLocked, err)
		}
		return s.fromSnapshot(ctx, stderr, q, "another process holds it")
	}
	return cols, rows, err
}

func (s runsFrom) fromSnapshot(ctx context.Context, stderr io.Writer, q, why string) ([]string, [][]string, error) {
	fmt.Fprintf(stderr, "(%s: %s; showing the published snapshot %s, which lacks failed runs since the last success)\n", s.working, why, s.snapshot)
	return warehouse.QueryReadOnly(ctx, s.snapshot, q, 0)
}
