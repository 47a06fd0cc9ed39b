package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/pipeline/metrics"
	"github.com/exportpipe/exportpipe/pipeline/schedule"
	"github.com/exportpipe/exportpipe/sql/warehouse"
)

func newServeCmd() *cobra.Command {
	var configPath, listen string
	cmd := &cobra.Command{
		Use:   "serve --config F",
		Short: "Run the config's schedules as a daemon, with /healthz, /readyz, /metrics and POST /runs",
		Long: `Serve runs the schedules in the config (cron specs, CRON_TZ supported), one
run at a time: a tick that arrives while a run is going is skipped and
logged. It serves the dashboard of the config's published snapshot at /
(see exportpipe dashboard), GET /healthz, GET /readyz, GET /metrics (Prometheus),
GET /runs/current, and POST /runs, which starts a run now; POST /runs needs
"Authorization: Bearer <token>" with the token from the environment variable
named by serve.token_env. SIGTERM or SIGINT stops the current run cleanly
within serve.shutdown_timeout. serve needs --config: the demo runs once
with "exportpipe run".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if configPath == "" {
				return usageError{errors.New(`serve needs --config FILE with schedules (see configs/deploy/serve.yaml); "exportpipe run" runs the demo once`)}
			}
			// The checks validate makes for serve, before listening: a
			// daemon that cannot run its config should not start. Source
			// files are checked by each run, as a drop folder may fill later.
			cfg, _, err := loadChecked(configPath, pipeline.ForServe)
			if err != nil {
				return err
			}
			if !cmd.Flags().Changed("stop-timeout") {
				stopBound.Store(int64(cfg.Serve.Shutdown() + 5*time.Second))
			}
			if listen == "" {
				listen = cfg.Serve.ListenAddr()
			}
			d, err := startDaemon(cmd.Context(), cfg, configPath, listen)
			if err != nil {
				return err
			}
			return d.wait()
		},
	}
	cmd.Flags().StringVarP(&configPath, "config", "c", "", "pipeline config file (YAML) with schedules; required")
	cmd.Flags().StringVar(&listen, "listen", "", "address for the HTTP endpoints (default: serve.listen, or "+pipeline.DefaultListen+")")
	return cmd
}

// daemon is a running `exportpipe serve`.
type daemon struct {
	ctx        context.Context
	cfg        *pipeline.Config
	configName string
	token      string
	metrics    *metrics.Metrics
	sched      *schedule.Scheduler
	srv        *http.Server
	addr       string
	ready      atomic.Bool
	served     chan error
	snapshots  *warehouse.SnapshotReader // the dashboard's (routes sets it)
}

// startDaemon listens, starts the schedules and returns at once. The daemon
// stops when ctx ends; wait returns then.
func startDaemon(ctx context.Context, cfg *pipeline.Config, configName, listen string) (*daemon, error) {
	d := &daemon{ctx: ctx, cfg: cfg, configName: configName, metrics: metrics.New(version), served: make(chan error, 1)}
	if name := cfg.Serve.TokenEnv; name != "" {
		d.token = os.Getenv(name)
		if d.token == "" {
			return nil, pipeline.WithExit(pipeline.ExitConfig, fmt.Errorf("serve.token_env names %s, which is not set: set it, or remove serve.token_env to disable POST /runs", name))
		}
		cfg.AddSecrets(d.token)
	}
	secrets.Add(cfg.Secrets()...)
	sched, err := schedule.New(ctx, cfg.Schedules, d.run, slog.Default())
	if err != nil {
		return nil, pipeline.WithExit(pipeline.ExitConfig, err)
	}
	sched.OnSkip = func(t schedule.Trigger) { d.metrics.Skipped(t.Schedule) }
	d.sched = sched
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", listen, err)
	}
	d.addr = ln.Addr().String()
	d.srv = &http.Server{Handler: d.routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() { d.served <- d.srv.Serve(ln) }()
	sched.Start()
	d.ready.Store(true)
	d.logStart()
	return d, nil
}

func (d *daemon) logStart() {
	next := d.sched.Next()
	for i, s := range d.cfg.Schedules {
		var at string
		if i < len(next) {
			at = next[i].UTC().Format(time.RFC3339)
		}
		slog.Info("schedule", "name", s.Name, "cron", s.Cron, "sources", s.Sources, "next_run_utc", at)
	}
	if len(d.cfg.Schedules) == 0 {
		slog.Warn("the config has no schedules: runs start only through POST /runs")
	}
	slog.Info("serving", "addr", d.addr, "post_runs_enabled", d.token != "")
}

// wait blocks until the daemon's context ends, then stops: no new runs,
// the current run is cancelled with the context and given
// serve.shutdown_timeout to stop cleanly, then the HTTP server closes.
func (d *daemon) wait() error {
	var serveErr error
	select {
	case <-d.ctx.Done():
	case serveErr = <-d.served:
	}
	d.ready.Store(false)
	slog.Info("shutting down", "bound_seconds", pipeline.Seconds(d.cfg.Serve.Shutdown()))
	sctx, cancel := context.WithTimeout(context.Background(), d.cfg.Serve.Shutdown())
	defer cancel()
	stopErr := d.sched.Stop(sctx)
	hctx, hcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer hcancel()
	_ = d.srv.Shutdown(hctx)
	if d.snapshots != nil {
		_ = d.snapshots.Close()
	}
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return fmt.Errorf("http server: %w", serveErr)
	}
	return stopErr
}

// run is one scheduled or requested run. Its outcome, panics included, is
// counted in the metrics; the scheduler logs the error.
func (d *daemon) run(ctx context.Context, t schedule.Trigger) (err error) {
	start := time.Now()
	name := d.cfg.Pipeline
	if name == "" {
		name = "default"
	}
	var res runResult
	d.metrics.RunStarted()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("run panicked: %v", r)
			slog.Error("run panicked", "schedule", t.Schedule, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
		d.metrics.RunFinished(name, res.summary, err, time.Since(start))
	}()
	cfg, err := d.cfg.Select(t.Sources)
	if err != nil {
		return pipeline.WithExit(pipeline.ExitConfig, err)
	}
	res, err = runConfig(ctx, cfg, runSetup{configName: d.configName, command: "exportpipe serve, schedule " + t.Schedule})
	return runError(res, err)
}
