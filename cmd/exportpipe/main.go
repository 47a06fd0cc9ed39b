// Command exportpipe is the one binary of the exportpipe ETL pipeline: it
// runs the pipeline once or on schedules, serves the demo APIs, and queries
// the published snapshot.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	_ "time/tzdata" // CRON_TZ zones must resolve in minimal containers too

	"github.com/spf13/cobra"

	"github.com/exportpipe/exportpipe/pipeline"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:]))
}

// run is main without os.Exit, so tests can drive the whole CLI.
func run(args []string) int {
	ctx, stop, caught := signalContext()
	defer stop()
	root := newRoot()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return pipeline.ExitOK
	}
	code := exitCode(err)
	// Once a signal has arrived, whatever failed failed because of it: a
	// DuckDB statement interrupted mid-way reports its own error, not
	// context.Canceled, and the scheduler should still see 130/143.
	if sig := caught(); sig != nil {
		code = signalCode(sig)
	}
	if errors.As(err, new(usageError)) {
		code = pipeline.ExitUsage
	}
	fmt.Fprintln(os.Stderr, "exportpipe:", secrets.Redact(err.Error()))
	return code
}

// exitCode is the documented exit code of a command's error, signals aside.
func exitCode(err error) int {
	if errors.As(err, new(usageError)) {
		return pipeline.ExitUsage
	}
	return pipeline.ExitCode(err)
}

func signalCode(sig os.Signal) int {
	if sig == syscall.SIGTERM {
		return pipeline.ExitTerminated
	}
	return pipeline.ExitInterrupted
}

// stopBound is how long a signalled process may take to stop cleanly
// before it exits anyway. --stop-timeout sets it; serve raises it to its
// configured shutdown_timeout.
var stopBound atomic.Int64

func init() { stopBound.Store(int64(30 * time.Second)) }

// usageError marks command-line mistakes (exit code 2).
type usageError struct{ error }

func newRoot() *cobra.Command {
	var lf logFlags
	var stop time.Duration
	root := &cobra.Command{
		Use:           "exportpipe",
		Version:       version,
		Short:         "ETL for Pakistan's digital export analytics: marketplaces and shipping into DuckDB",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if stop <= 0 {
				return usageError{fmt.Errorf("--stop-timeout must be positive")}
			}
			stopBound.Store(int64(stop))
			return lf.install(cmd.ErrOrStderr())
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	lf.register(root)
	root.PersistentFlags().DurationVar(&stop, "stop-timeout", 30*time.Second,
		"after SIGINT/SIGTERM, exit anyway if the current step has not stopped within this time")
	root.AddCommand(newRunCmd(), newServeCmd(), newValidateCmd(), newPlanCmd(), newRunsCmd(),
		newQueryCmd(), newDictionaryCmd(), newDemoServerCmd(), newVersionCmd(), newPreviewCmd())
	root.SetVersionTemplate("exportpipe {{.Version}}\n")
	root.AddCommand(newDashboardCmd(), newReportCmd())
	// A wrong number of arguments is a command-line mistake like a bad flag,
	// so it exits 2 and not 1; a scheduler must not retry it.
	root.Args = usageArgs(unknownCommand)
	root.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	for _, c := range root.Commands() {
		if c.Args != nil {
			c.Args = usageArgs(c.Args)
		}
	}
	return root
}

func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			var u usageError
			if errors.As(err, &u) {
				return err
			}
			return usageError{err}
		}
		return nil
	}
}

// signalContext cancels on the first SIGINT or SIGTERM, so the current step
// can stop cleanly, and exits at once on the second, or when the step has
// not stopped within stopBound. The DuckDB transaction of an unfinished run
// is never committed, so a forced exit leaves the warehouse as it was.
func signalContext() (context.Context, func(), func() os.Signal) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	var mu sync.Mutex
	var got os.Signal
	done := make(chan struct{})
	go func() {
		var sig os.Signal
		select {
		case sig = <-ch:
			mu.Lock()
			got = sig
			mu.Unlock()
			cancel()
		case <-done:
			return
		}
		bound := time.Duration(stopBound.Load())
		timer := time.NewTimer(bound)
		defer timer.Stop()
		select {
		case <-ch:
			fmt.Fprintln(os.Stderr, "exportpipe: second signal, exiting now")
			os.Exit(signalCode(sig))
		case <-timer.C:
			fmt.Fprintf(os.Stderr, "exportpipe: did not stop within %s of %s, exiting now\n", bound, sig)
			os.Exit(signalCode(sig))
		case <-done:
		}
	}()
	stop := func() { close(done); signal.Stop(ch); cancel() }
	caught := func() os.Signal {
		mu.Lock()
		defer mu.Unlock()
		return got
	}
	return ctx, stop, caught
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), "exportpipe", version)
			return nil
		},
	}
}

// unknownCommand refuses a word that is no command, suggesting the command
// it is closest to (`exportpipe rn`: did you mean "run"?).
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	hint := "see exportpipe --help for the commands"
	if s := pipeline.Suggest(args[0], names); s != "" {
		hint = fmt.Sprintf("did you mean %q?", s)
	} else if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		hint = fmt.Sprintf("did you mean %q?", s[0])
	}
	return usageError{fmt.Errorf("unknown command %q: %s", args[0], hint)}
}
