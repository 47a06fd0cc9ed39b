package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
)

// redacted replaces a secret wherever text leaves the process.
const redacted = "[redacted]"

// minSecretLen skips values too short to be credentials: redacting "1" or
// "on" would mangle every log line and hide nothing.
const minSecretLen = 4

// secretSet holds the secret values known so far. Logging starts before a
// config is read, so the handler consults the set at each record and
// commands add to it once they know their secrets.
type secretSet struct {
	mu   sync.RWMutex
	vals []string
	rep  *strings.Replacer
}

// secrets is the process-wide set; commands Add the config's secrets.
var secrets = &secretSet{}

func (s *secretSet) Add(vals ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range vals {
		if len(v) >= minSecretLen && !contains(s.vals, v) {
			s.vals = append(s.vals, v)
		}
	}
	pairs := make([]string, 0, 2*len(s.vals))
	for _, v := range s.vals {
		pairs = append(pairs, v, redacted)
	}
	s.rep = strings.NewReplacer(pairs...)
}

func contains(vals []string, v string) bool {
	for _, x := range vals {
		if x == v {
			return true
		}
	}
	return false
}

// Redact returns str with every known secret replaced.
func (s *secretSet) Redact(str string) string {
	s.mu.RLock()
	rep := s.rep
	s.mu.RUnlock()
	if rep == nil {
		return str
	}
	return rep.Replace(str)
}

// redactHandler wraps a slog.Handler and removes secrets from the message
// and from every string, error and Stringer attribute, nested groups too.
type redactHandler struct {
	next    slog.Handler
	secrets *secretSet
}

func newRedactHandler(next slog.Handler, s *secretSet) slog.Handler {
	return &redactHandler{next: next, secrets: s}
}

func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.secrets.Redact(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs redacts with the secrets known now; loggers are derived after
// the config is loaded, so this covers run-scoped attributes.
func (h *redactHandler) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = h.attr(a)
	}
	return &redactHandler{next: h.next.WithAttrs(clean), secrets: h.secrets}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{next: h.next.WithGroup(name), secrets: h.secrets}
}

func (h *redactHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.secrets.Redact(v.String()))
	case slog.KindGroup:
		g := v.Group()
		clean := make([]any, len(g))
		for i, ga := range g {
			clean[i] = h.attr(ga)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindAny:
		var text string
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, h.secrets.Redact(x.Error()))
		case fmt.Stringer:
			return slog.String(a.Key, h.secrets.Redact(x.String()))
		default:
			text = fmt.Sprint(x)
		}
		// Other values keep their shape unless their text shows a secret.
		if red := h.secrets.Redact(text); red != text {
			return slog.String(a.Key, red)
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
