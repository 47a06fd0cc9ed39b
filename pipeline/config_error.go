package pipeline

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// ConfigError is one problem with a config and where it is, as data: the
// checks that find problems say which key they are about, the file says
// where that key is, and the report sorts and prints by the two without
// reading either back out of the text.
type ConfigError struct {
	// Line and Column are where the problem is in the file, from 1; 0 when
	// it has no place there (a config built in code, a key the file lacks
	// and no parent of which it has).
	Line, Column int
	// Path is the key the problem is about (sources[0].http.url), or ""
	// for the file as a whole.
	Path string
	// Msg says what is wrong and what to do. It starts with Path when
	// there is one, so it reads alone.
	Msg string

	// entry, when set, is a key of the map at Path whose text no key path
	// can spell (a category name with spaces): the problem is found by it.
	entry *string
}

// Error is the problem as users read it: [line:column] and the message.
func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("[%d:%d] %s", e.Line, e.Column, e.Msg)
	}
	return e.Msg
}

// ErrorAt is a problem with the key at path. The message is path followed
// by the formatted text, which starts with its own separator (": needs a
// url", ` "ftp://x": not supported`, " is required").
func ErrorAt(path, format string, args ...any) *ConfigError {
	return &ConfigError{Path: path, Msg: path + fmt.Sprintf(format, args...)}
}

// at is a problem at a known place in the file.
func errorAtPos(pos *token.Position, path, msg string) *ConfigError {
	e := &ConfigError{Path: path, Msg: msg}
	if pos != nil {
		e.Line, e.Column = pos.Line, pos.Column
	}
	return e
}

// asConfigError returns err as a ConfigError. A check written as plain
// text ("sources[0].name \"x\" is used twice") names its key first, so the
// key is read from the start of the message; that is the one place a path
// is taken from text, and only for errors that did not say it as data.
func asConfigError(err error) *ConfigError {
	if ce, ok := err.(*ConfigError); ok {
		return ce
	}
	var ke *KeyError
	if errors.As(err, &ke) {
		key := ke.Key
		return &ConfigError{Path: ke.Map, Msg: err.Error(), entry: &key}
	}
	// A component's own checks (sql/warehouse/settings) name their key as
	// data too, without importing this package.
	var kp interface{ KeyPath() string }
	if errors.As(err, &kp) {
		return &ConfigError{Path: kp.KeyPath(), Msg: err.Error()}
	}
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		// The decoder's own text leads with the position it has as data.
		msg := yaml.FormatError(err, false, true)
		if _, rest, ok := strings.Cut(msg, "] "); ok && strings.HasPrefix(msg, "[") {
			msg = rest
		}
		return errorAtPos(ye.GetToken().Position, "", msg)
	}
	return &ConfigError{Path: leadingPath.FindString(err.Error()), Msg: err.Error()}
}

// locate gives a problem the position of its key in f, or of the nearest
// parent of the key that the file has.
func locate(f *ast.File, err error) error {
	ce := asConfigError(err)
	if ce.Line > 0 || f == nil {
		return ce
	}
	out := *ce
	if ce.entry != nil {
		if pos, ok := mapKeyPosition(f, ce.Path, *ce.entry); ok {
			out.Line, out.Column = pos.Line, pos.Column
			return &out
		}
	}
	for p := ce.Path; p != ""; {
		if path, perr := yaml.PathString("$." + p); perr == nil {
			if n, ferr := path.FilterFile(f); ferr == nil && n != nil && n.GetToken() != nil {
				pos := n.GetToken().Position
				out.Line, out.Column = pos.Line, pos.Column
				return &out
			}
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return &out
}

// sortByPosition orders problems as they appear in the file, so the report
// reads top to bottom; problems without a position go last, in the order
// they were found.
func sortByPosition(errs []error) {
	key := func(e error) [2]int {
		ce, ok := e.(*ConfigError)
		if !ok || ce.Line == 0 {
			return [2]int{1 << 30, 0}
		}
		return [2]int{ce.Line, ce.Column}
	}
	slices.SortStableFunc(errs, func(a, b error) int {
		ka, kb := key(a), key(b)
		if ka[0] != kb[0] {
			return ka[0] - kb[0]
		}
		return ka[1] - kb[1]
	})
}

// coveredBy reports whether err is about a key whose value was already
// reported as the wrong type (or a key inside it).
func coveredBy(err error, paths []string) bool {
	p := asConfigError(err).Path
	for _, b := range paths {
		if p == b || strings.HasPrefix(p, b+".") || strings.HasPrefix(p, b+"[") {
			return true
		}
	}
	return false
}

// ConfigErrors returns the problems a config error holds, each with its
// position and key path, for a program that shows them its own way.
func ConfigErrors(err error) []*ConfigError {
	var out []*ConfigError
	var walk func(error)
	walk = func(e error) {
		if ce, ok := e.(*ConfigError); ok {
			out = append(out, ce)
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	if err != nil {
		walk(err)
	}
	return out
}
