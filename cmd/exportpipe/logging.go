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
	_ = cmd.RegisterFlagCompletionFunc("log-level", fixedCompletions("debug", "info", "warn", "error"))
	_ = cmd.RegisterFlagCompletionFunc("log-format", fixedCompletions("auto", "text", "json"))
}

// install makes the default slog logger write to stderr, leaving stdout to
// the data a command was asked for. Every record passes the secret
// redactor. On a terminal, log lines share the line discipline of the
// progress bar so neither overwrites the other.
func (l *logFlags) install(w io.Writer) error {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(l.level)); err != nil {
		return usageError{fmt.Errorf("--log-level %q: want debug, info, warn or error", l.level)}
	}
	opts := &slog.HandlerOptions{Level: lvl}
	tty := isTerminal(w)
	if tty {
		w = newTermWriter(w)
	}
	format := l.format
	if format == "auto" {
		format = "json"
		if tty {
			format = "text"
		}
	}
	var h slog.Handler
	switch format {
	case "json":
		h = slog.NewJSONHandler(w, opts)
	case "text":
		h = slog.NewTextHandler(w, opts)
	default:
		return usageError{fmt.Errorf("--log-format %q: want auto, text or json", l.format)}
	}
	slog.SetDefault(slog.New(newRedactHandler(h, secrets)))
	return nil
}

// isTerminal reports whether w is a terminal (and so a person is watching).
func isTerminal(w io.Writer) bool {
	if tw, ok := w.(*termWriter); ok {
		return tw != nil
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
