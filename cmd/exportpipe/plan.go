package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/pipeline/runlock"
	"github.com/exportpipe/exportpipe/sql/warehouse"
)

func newPlanCmd() *cobra.Command {
	var configPath string
	cmd := &cobra.Command{
		Use:   "plan [--config F]",
		Short: "Print what a run would fetch and write, without running it",
		Long: `Plan prints the sources a run would extract (URLs with secrets redacted),
the datasets they feed in load order, the warehouse, snapshot and lock
paths, whether a run holds the lock, the saved incremental cursors, and the
schedules. It writes nothing. Without --config it plans the built-in demo.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadForInspection(configPath)
			if err != nil {
				return err
			}
			printPlan(cmd.Context(), cmd.OutOrStdout(), cfg)
			return nil
		},
	}
	cmd.Flags().StringVarP(&configPath, "config", "c", "", "pipeline config file (YAML); default: the built-in demo")
	return cmd
}

func printPlan(ctx context.Context, w io.Writer, cfg *pipeline.Config) {
	fmt.Fprintf(w, "pipeline   %s\n", cfg.Pipeline)
	fmt.Fprintf(w, "warehouse  %s (%s)\n", cfg.Warehouse.Path, fileState(cfg.Warehouse.Path))
	fmt.Fprintf(w, "snapshot   %s (%s)\n", snapshotPath(cfg), fileState(snapshotPath(cfg)))
	holder, held, err := runlock.Peek(cfg.Warehouse.Path)
	lockState := "free"
	switch {
	case err != nil:
		lockState = "unknown: " + err.Error()
	case held:
		lockState = "held by " + holder.String() + ": a run now would exit 4"
	}
	fmt.Fprintf(w, "run lock   %s (%s)\n\n", runlock.PathFor(cfg.Warehouse.Path), lockState)

	fmt.Fprintln(w, "sources, in load order:")
	t := newTable("dataset", "source", "kind", "request")
	for _, d := range pipeline.LoadOrder() {
		for _, s := range cfg.Sources {
			if s.Dataset == string(d) {
				req := s.Describe()
				if s.TLSVerificationOff() {
					req += " [TLS verification OFF: tls_insecure_skip_verify]"
				}
				t.add(string(d), s.Name, string(s.Kind), secrets.Redact(req))
			}
		}
	}
	t.write(w)
	fmt.Fprintln(w)
	printCursors(ctx, w, cfg, held)
	printSchedules(w, cfg)
}

func fileState(path string) string {
	st, err := os.Stat(path)
	if err != nil {
		return "does not exist yet"
	}
	return fmt.Sprintf("exists, %s bytes, modified %s", num(st.Size()), st.ModTime().UTC().Format(time.RFC3339))
}

// printCursors shows meta.state. It reads the working warehouse read-only
// while holding the run lock, so no run starts against a half-open file;
// when a run holds the lock it reads the snapshot, which has the cursors of
// the last published run.
func printCursors(ctx context.Context, w io.Writer, cfg *pipeline.Config, held bool) {
	db, from := cfg.Warehouse.Path, "working warehouse"
	if held {
		db, from = snapshotPath(cfg), "snapshot (a run holds the warehouse)"
	} else if lock, err := runlock.Acquire(cfg.Warehouse.Path, runlock.Me("", "exportpipe plan")); err == nil {
		defer lock.Release()
	} else {
		db, from = snapshotPath(cfg), "snapshot"
	}
	if _, err := os.Stat(db); err != nil {
		fmt.Fprintln(w, "saved cursors: none (no warehouse yet; the first run starts every source from the beginning)")
		return
	}
	_, rows, err := warehouse.QueryReadOnly(ctx, db, "SELECT key, value, CAST(updated_at AS VARCHAR) FROM meta.state ORDER BY key", 0)
	if err != nil {
		fmt.Fprintf(w, "saved cursors: could not read them from %s: %s\n", from, secrets.Redact(err.Error()))
		return
	}
	if len(rows) == 0 {
		fmt.Fprintf(w, "saved cursors (%s): none\n", from)
		return
	}
	fmt.Fprintf(w, "saved cursors (%s):\n", from)
	t := newTable("key", "cursor", "updated_at")
	for _, r := range rows {
		t.add(r...)
	}
	t.write(w)
}

func printSchedules(w io.Writer, cfg *pipeline.Config) {
	if len(cfg.Schedules) == 0 {
		return
	}
	fmt.Fprintln(w, "\nschedules (exportpipe serve):")
	t := newTable("name", "cron", "sources", "jitter", "next run (UTC)")
	for _, s := range cfg.Schedules {
		spec, _ := pipeline.ParseCron(s.Cron)
		srcs := "all"
		if len(s.Sources) > 0 {
			srcs = strings.Join(s.Sources, ",")
		}
		t.add(s.Name, s.Cron, srcs, time.Duration(s.Jitter).String(), spec.Next(time.Now()).UTC().Format(time.RFC3339))
	}
	t.write(w)
}
