package main

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

type stringer string

func (s stringer) String() string { return string(s) }

// No secret survives into a log line, wherever it is hidden.
func TestRedactHandler(t *testing.T) {
	t.Parallel()
	const tok = "tok-SECRET-123"
	set := &secretSet{}
	set.Add(tok, "ab") // too short to redact: it would mangle every line
	cases := []struct {
		name string
		log  func(*slog.Logger)
	}{
		{"message", func(l *slog.Logger) { l.Info("calling with " + tok) }},
		{"string attr", func(l *slog.Logger) { l.Info("x", "url", "https://h/?key="+tok) }},
		{"error attr", func(l *slog.Logger) { l.Error("x", "err", errors.New("401 for Bearer "+tok)) }},
		{"stringer", func(l *slog.Logger) { l.Info("x", "v", stringer(tok)) }},
		{"group", func(l *slog.Logger) { l.Info("x", slog.Group("req", "auth", tok)) }},
		{"any value", func(l *slog.Logger) { l.Info("x", "headers", map[string]string{"Authorization": tok}) }},
		{"With attrs", func(l *slog.Logger) { l.With("token", tok).Info("x") }},
		{"WithGroup", func(l *slog.Logger) { l.WithGroup("g").Info("x", "t", tok) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, mk := range []func(*bytes.Buffer) slog.Handler{
				func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
				func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
			} {
				var buf bytes.Buffer
				tc.log(slog.New(newRedactHandler(mk(&buf), set)))
				out := buf.String()
				if strings.Contains(out, tok) || !strings.Contains(out, redacted) {
					t.Errorf("not redacted: %s", out)
				}
			}
		})
	}
	var buf bytes.Buffer
	slog.New(newRedactHandler(slog.NewTextHandler(&buf, nil), set)).Info("about a cab", "n", 3, "ids", []string{"a", "b"})
	if strings.Contains(buf.String(), redacted) || !strings.Contains(buf.String(), "about a cab") {
		t.Errorf("harmless values changed: %s", buf.String())
	}
}
