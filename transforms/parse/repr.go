package parse

import (
	"fmt"
	"strings"
)

// maxReprDepth bounds nesting so a hostile cell cannot exhaust the stack.
const maxReprDepth = 64

// ParseRepr reads a Python literal as pandas writes it into CSV cells:
// lists [..], tuples (..), dicts {..}, 'single' or "double" quoted
// strings with backslash escapes, ints, floats, True, False and None.
// Lists and tuples become []any, dicts map[string]any (keys rendered as
// text), numbers int64 or float64, None nil. Only literals are accepted:
// nothing is evaluated.
func ParseRepr(s string) (any, error) {
	p := reprParser{s: s}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if p.skip(); p.i != len(p.s) {
		return nil, p.errf("unexpected %q after the value", p.s[p.i:min(p.i+10, len(p.s))])
	}
	return v, nil
}

type reprParser struct {
	s string
	i int
}

func (p *reprParser) errf(format string, args ...any) error {
	return fmt.Errorf("%w at offset %d: %s", ErrBadRepr, p.i, fmt.Sprintf(format, args...))
}

func (p *reprParser) skip() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *reprParser) value(depth int) (any, error) {
	if depth > maxReprDepth {
		return nil, p.errf("nested deeper than %d", maxReprDepth)
	}
	p.skip()
	if p.i == len(p.s) {
		return nil, p.errf("unexpected end")
	}
	switch c := p.s[p.i]; {
	case c == '[':
		return p.seq(']', depth)
	case c == '(':
		return p.seq(')', depth)
	case c == '{':
		return p.dict(depth)
	case c == '\'' || c == '"':
		return p.str()
	case c == '-' || c == '+' || c == '.' || isDigit(c):
		return p.number()
	}
	return p.word()
}

// seq reads the items of a list or tuple up to end; a trailing comma is allowed.
func (p *reprParser) seq(end byte, depth int) (any, error) {
	p.i++
	out := []any{}
	for {
		if p.skip(); p.i < len(p.s) && p.s[p.i] == end {
			p.i++
			return out, nil
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		if err := p.sep(end); err != nil {
			return nil, err
		}
	}
}

// sep consumes a ',' or sees the closing bracket.
func (p *reprParser) sep(end byte) error {
	p.skip()
	switch {
	case p.i < len(p.s) && p.s[p.i] == ',':
		p.i++
		return nil
	case p.i < len(p.s) && p.s[p.i] == end:
		return nil
	}
	return p.errf("want ',' or %q", end)
}

func (p *reprParser) dict(depth int) (any, error) {
	p.i++
	out := map[string]any{}
	for {
		if p.skip(); p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return out, nil
		}
		k, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.skip(); p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, p.errf("want ':' after a dict key")
		}
		p.i++
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		out[fmt.Sprint(k)] = v
		if err := p.sep('}'); err != nil {
			return nil, err
		}
	}
}
