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
	"syscall"

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
	code := pipeline.ExitCode(err)
	if sig := caught(); sig != nil && errors.Is(err, context.Canceled) {
		code = pipeline.ExitInterrupted
		if sig == syscall.SIGTERM {
			code = pipeline.ExitTerminated
		}
	}
	var usage usageError
	if errors.As(err, &usage) {
		code = pipeline.ExitUsage
	}
	fmt.Fprintln(os.Stderr, "exportpipe:", err)
	return code
}

// usageError marks command-line mistakes (exit code 2).
type usageError struct{ error }

func newRoot() *cobra.Command {
	var lf logFlags
	root := &cobra.Command{
		Use:           "exportpipe",
		Short:         "ETL for Pakistan's digital export analytics: marketplaces and shipping into DuckDB",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return lf.install(cmd.ErrOrStderr())
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	lf.register(root)
	root.AddCommand(newRunCmd(), newQueryCmd(), newDemoServerCmd(), newVersionCmd())
	return root
}

// signalContext cancels on the first SIGINT or SIGTERM, so the current step
// can stop cleanly, and exits at once on the second.
func signalContext() (context.Context, func(), func() os.Signal) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	var got os.Signal
	done := make(chan struct{})
	go func() {
		select {
		case got = <-ch:
			cancel()
		case <-done:
			return
		}
		select {
		case <-ch:
			fmt.Fprintln(os.Stderr, "exportpipe: second signal, exiting now")
			os.Exit(pipeline.ExitInterrupted)
		case <-done:
		}
	}()
	stop := func() { close(done); signal.Stop(ch); cancel() }
	caught := func() os.Signal {
		if ctx.Err() == nil {
			return nil
		}
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
