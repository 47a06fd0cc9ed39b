package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/spf13/cobra"

	"github.com/exportpipe/exportpipe/configs"
	"github.com/exportpipe/exportpipe/demo"
	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/sql/warehouse"
)

type runOpts struct {
	config      string
	dataDir     string
	listings    int
	seed        int64
	fullRefresh bool
	since       string // --since, as given; parsed by window
	until       string
	// allowRejects lets this one run pass the sources' reject and
	// delisting guards (run --allow-rejects).
	allowRejects bool
	// rebuildMarts rebuilds every mart from core (run --rebuild-marts);
	// fullTests runs every data test over the whole warehouse (run
	// --full-tests).
	rebuildMarts, fullTests bool
}

// window parses --since and --until. A zero since means no backfill.
func (o runOpts) window() (since, until time.Time, err error) {
	if o.since == "" {
		if o.until != "" {
			return since, until, usageError{fmt.Errorf("--until needs --since: give the start of the backfill window")}
		}
		return since, until, nil
	}
	if since, err = pipeline.ParseWindowTime(o.since); err != nil {
		return since, until, usageError{fmt.Errorf("--since %w", err)}
	}
	if o.until != "" {
		if until, err = pipeline.ParseWindowTime(o.until); err != nil {
			return since, until, usageError{fmt.Errorf("--until %w", err)}
		}
		if !until.After(since) {
			return since, until, usageError{fmt.Errorf("--until %s is not after --since %s", o.until, o.since)}
		}
	}
	return since, until, nil
}

func newRunCmd() *cobra.Command {
	var o runOpts
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run the pipeline once (the built-in demo when no --config is given)",
		Long: `Run extracts every source, normalises it, merges it into the warehouse,
rebuilds the marts and publishes a read-only snapshot. Without --config it
starts the built-in demo marketplace and shipping APIs on loopback and runs
against them.

--full-refresh ignores the saved incremental cursors (meta.state), so every
incremental source starts from the beginning; the cursors saved at the end
are the new ones. --since and --until (a date such as 2025-01-01, or an
RFC 3339 time; --until is exclusive and defaults to now) backfill a window:
they override the window of every source that has one (http.window) and
leave the other sources as they are. It is a usage error (exit 2) when no
source takes a window.

A source whose rejects pass its max_reject_share (default 0.5), or that
loads nothing of what it extracted, fails the run with exit 5: nothing is
loaded, the previous snapshot stays published, and meta.rejects says why.
--allow-rejects loads such a night anyway, for this run only.

A night does work in proportion to what changed: records whose content
repeats the stored one are skipped, marts recompute only the groups the
changes touch (or are left alone), data tests that can be checked on the
changed keys read only those, and unchanged marts keep their exported
files. --rebuild-marts rebuilds every mart from core (after a repair, or to
check the incremental marts); --full-tests runs every data test over the
whole warehouse (run it on a schedule, e.g. weekly).

Exit codes: 0 ok, 1 failed, 2 usage, 3 invalid config,
4 warehouse locked, 5 data tests failed, 75 source unavailable, 130/143 interrupted.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, _, err := o.window(); err != nil {
				return err
			}
			res, err := runOnce(cmd.Context(), o)
			if res.summary.ID != "" {
				printSummary(cmd.OutOrStdout(), res)
			}
			return runError(res, err)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.config, "config", "c", "", "pipeline config file (YAML); default: the built-in demo")
	f.StringVar(&o.dataDir, "data-dir", "data", "demo only: where the warehouse and snapshot are written")
	f.IntVar(&o.listings, "demo-listings", 300000, "demo only: number of listings the simulator serves")
	f.Int64Var(&o.seed, "demo-seed", 1, "demo only: simulator seed (same seed, same data)")
	f.BoolVar(&o.fullRefresh, "full-refresh", false, "ignore saved incremental cursors: incremental sources start from the beginning")
	f.StringVar(&o.since, "since", "", "backfill from this date or RFC 3339 time, for sources with a window")
	f.StringVar(&o.until, "until", "", "backfill up to (not including) this date or time; default now (needs --since)")
	f.BoolVar(&o.allowRejects, "allow-rejects", false, "load this run even when a source passes its reject or delisting guard")
	f.BoolVar(&o.rebuildMarts, "rebuild-marts", false, "rebuild every mart from core instead of only what this run changed")
	f.BoolVar(&o.fullTests, "full-tests", false, "run every data test over the whole warehouse instead of over what this run changed")
	return cmd
}

type runResult struct {
	summary  pipeline.RunSummary
	run      *tracker // the phases the run went through; nil if it never started
	cfg      *pipeline.Config
	demo     bool
	snapshot string
	exports  string // the export folder (warehouse.ExportDir)
}

// runSetup is what a run needs besides its config.
type runSetup struct {
	configName string                     // recorded in meta.runs: the file, or "demo"
	demo       bool                       // the built-in demo (changes the summary's advice)
	totals     map[pipeline.Dataset]int64 // expected records per dataset, for the ETA; nil if unknown
	command    string                     // what holds the run lock, for the message a second run sees
	// fullRefresh ignores saved cursors (run --full-refresh).
	fullRefresh bool
	// allowRejects passes over the sources' guards (run --allow-rejects).
	allowRejects bool
	// rebuildMarts and fullTests are run --rebuild-marts and --full-tests.
	rebuildMarts, fullTests bool
	// since and until are a backfill window (run --since/--until); a zero
	// since leaves every source's own window.
	since, until time.Time
	// lock is the warehouse's run lock when the caller took it already
	// (the demo takes it before starting its simulator); nil: runConfig
	// takes it.
	lock *heldLock
	// inputs are the run's extractors and transforms when the caller has
	// built them while checking the config; nil: runConfig builds them.
	inputs *runInputs
}

// runOnce loads the config (or starts the demo), opens the warehouse and
// runs the pipeline a single time.
func runOnce(ctx context.Context, o runOpts) (runResult, error) {
	since, until, err := o.window()
	if err != nil {
		return runResult{}, err
	}
	setup := runSetup{configName: configName(o), demo: o.config == "", command: "exportpipe run",
		fullRefresh: o.fullRefresh, allowRejects: o.allowRejects, since: since, until: until,
		rebuildMarts: o.rebuildMarts, fullTests: o.fullTests}
	if o.config == "" {
		return runDemo(ctx, o, setup)
	}
	cfg, in, err := loadChecked(o.config, pipeline.ForRun)
	if err != nil {
		return runResult{}, err
	}
	setup.inputs = &in
	return runConfig(ctx, cfg, setup)
}

// runDemo runs the built-in demo against a simulator started for it. The
// run lock is taken before the simulator starts, so a second demo run
// exits 4 at once instead of starting one it cannot use.
func runDemo(ctx context.Context, o runOpts, setup runSetup) (runResult, error) {
	cfg, err := demoConfig("http://127.0.0.1:0", o.dataDir)
	if err != nil {
		return runResult{}, err
	}
	lock, err := lockWarehouse(cfg, setup.command)
	if err != nil {
		return runResult{}, err
	}
	defer lock.Release()
	sim := demo.New(demo.Config{Seed: o.seed, Listings: o.listings})
	addr, shutdown, err := demo.Serve(ctx, sim, "127.0.0.1:0")
	if err != nil {
		return runResult{}, fmt.Errorf("start demo simulator: %w", err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = shutdown(sctx)
	}()
	slog.Info("demo simulator listening", "addr", addr, "listings", o.listings, "seed", o.seed)
	if cfg, err = demoConfig("http://"+addr, o.dataDir); err != nil {
		return runResult{}, err
	}
	setup.lock = lock
	setup.totals = map[pipeline.Dataset]int64{}
	for name, t := range sim.Truth().Datasets {
		setup.totals[pipeline.Dataset(name)] = t.Extracted
	}
	return runConfig(ctx, cfg, setup)
}

// lockWarehouse creates the warehouse's folder and takes its run lock (exit
// 4 naming the holder when a run has it).
func lockWarehouse(cfg *pipeline.Config, command string) (*heldLock, error) {
	if err := os.MkdirAll(filepath.Dir(cfg.Warehouse.Path), 0o755); err != nil {
		return nil, fmt.Errorf("create the warehouse folder %s: %w", filepath.Dir(cfg.Warehouse.Path), err)
	}
	lock, holder, err := acquireRunLock(cfg.Warehouse.Path, command, snapshotPath(cfg))
	if err != nil {
		return nil, err
	}
	return &heldLock{Lock: lock, holder: holder}, nil
}

// runConfig runs cfg once under the warehouse's run lock. Both the one-shot
// run and the daemon's scheduled runs come through here. Every check comes
// before the lock and the warehouse, so a bad config changes nothing.
func runConfig(ctx context.Context, cfg *pipeline.Config, setup runSetup) (runResult, error) {
	res := runResult{cfg: cfg, demo: setup.demo, snapshot: snapshotPath(cfg)}
	secrets.Add(cfg.Secrets()...)
	var err error
	var in runInputs
	if setup.inputs != nil {
		in = *setup.inputs
	} else if in, err = prepareRun(cfg, pipeline.ForRun); err != nil {
		return res, err
	}
	if err := applyWindow(in.extractors, setup.since, setup.until); err != nil {
		return res, err
	}
	lock := setup.lock
	if lock == nil {
		if lock, err = lockWarehouse(cfg, setup.command); err != nil {
			return res, err
		}
		defer lock.Release()
	}
	wh, err := warehouse.Open(ctx, warehouse.Options{Path: cfg.Warehouse.Path, SnapshotPath: res.snapshot,
		ExportDir: cfg.Warehouse.Exports, KeepExports: cfg.Warehouse.KeepExports, Logger: slog.Default(),
		MemoryLimit: cfg.Warehouse.MemoryLimit, Threads: cfg.Warehouse.Threads, Checks: cfg.Checks,
		RebuildMarts: setup.rebuildMarts, FullTests: setup.fullTests})
	if errors.Is(err, warehouse.ErrLocked) {
		return res, pipeline.WithExit(pipeline.ExitLocked, err)
	}
	if err != nil {
		return res, err
	}
	defer wh.Close()
	res.exports = wh.ExportDir()
	res.run = &tracker{}
	prog := newProgress(res.run, setup.totals)
	defer prog.Close()
	runner := &pipeline.Runner{
		Warehouse: lockedWarehouse{Warehouse: wh, lock: lock.Lock, holder: lock.holder}, Extractors: in.extractors,
		Transforms: in.transforms, FX: in.fx, FullRefresh: setup.fullRefresh,
		Policies: cfg.Policies(), AllowRejects: setup.allowRejects,
		Mem: memory.NewGoAllocator(), Logger: slog.Default(), Pipeline: cfg.Pipeline, Config: setup.configName,
	}
	runner.Observe, runner.OnPhase = res.run.Observe, res.run.OnPhase
	res.summary, err = runner.Run(ctx)
	prog.Close() // the run is over: no bar while the summary is printed
	return res, err
}

// demoConfig is the embedded demo config with its variables filled in.
func demoConfig(url, dataDir string) (*pipeline.Config, error) {
	vars := map[string]string{"DEMO_URL": url, "EXPORTPIPE_DATA": dataDir}
	return pipeline.ParseConfig(configs.Demo, func(k string) (string, bool) { v, ok := vars[k]; return v, ok })
}

func snapshotPath(cfg *pipeline.Config) string {
	if cfg.Warehouse.Snapshot != "" {
		return cfg.Warehouse.Snapshot
	}
	return filepath.Join(filepath.Dir(cfg.Warehouse.Path), "analytics.duckdb")
}

func configName(o runOpts) string {
	if o.config == "" {
		return "demo"
	}
	return o.config
}

// manifestPath is the manifest of run runID's exports, as exports/latest.json
// points at it; "" when that run published no exports.
func manifestPath(exportDir, runID string) string {
	b, err := os.ReadFile(filepath.Join(exportDir, "latest.json"))
	if err != nil {
		return ""
	}
	var l warehouse.LatestExport
	if json.Unmarshal(b, &l) != nil || l.RunID != runID || l.Manifest == "" {
		return ""
	}
	return filepath.Join(exportDir, filepath.FromSlash(l.Manifest))
}
