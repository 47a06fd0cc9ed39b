package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

type logFlags struct {
	level  string
	format string
}

func (l *logFlags) register(cmd *cobra.Command) {
	cmd.PersistentFlags().StringVar(&l.level, "log-level", "info", "log level: debug, info, warn, error")
	cmd.PersistentFlags().StringVar(&l.format, "log-format", "auto", "log format: auto (text on a terminal, JSON otherwise), text, json")
}

// install makes the default slog logger write to stderr, leaving stdout to
// the data a command was asked for.
func (l *logFlags) install(w io.Writer) error {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(l.level)); err != nil {
		return usageError{fmt.Errorf("--log-level %q: want debug, info, warn or error", l.level)}
	}
	opts := &slog.HandlerOptions{Level: lvl}
	format := l.format
	if format == "auto" {
		format = "json"
		if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			format = "text"
		}
	}
	switch format {
	case "json":
		slog.SetDefault(slog.New(slog.NewJSONHandler(w, opts)))
	case "text":
		slog.SetDefault(slog.New(slog.NewTextHandler(w, opts)))
	default:
		return usageError{fmt.Errorf("--log-format %q: want auto, text or json", l.format)}
	}
	return nil
}
