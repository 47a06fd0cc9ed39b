package parse

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// str reads a quoted string. Python escapes \n \t \\ \' \" \xNN \uNNNN
// are decoded; an unknown escape is kept as written, as Python does.
func (p *reprParser) str() (any, error) {
	q := p.s[p.i]
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == q:
			p.i++
			return b.String(), nil
		case c == '\\' && p.i+1 < len(p.s):
			p.escape(&b)
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return nil, p.errf("unterminated string")
}

func (p *reprParser) escape(b *strings.Builder) {
	e := p.s[p.i+1]
	simple := map[byte]byte{'n': '\n', 't': '\t', 'r': '\r', '\\': '\\', '\'': '\'', '"': '"', '0': 0}
	if r, ok := simple[e]; ok {
		b.WriteByte(r)
		p.i += 2
		return
	}
	width := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
	if width > 0 && p.i+2+width <= len(p.s) {
		if v, err := strconv.ParseUint(p.s[p.i+2:p.i+2+width], 16, 32); err == nil && utf8.ValidRune(rune(v)) {
			b.WriteRune(rune(v))
			p.i += 2 + width
			return
		}
	}
	b.WriteByte('\\')
	p.i++
}

// number reads an int or float, including Python's inf and nan spellings
// only as errors: they are not literals a data file should carry.
func (p *reprParser) number() (any, error) {
	start := p.i
	for p.i < len(p.s) && strings.IndexByte("+-.0123456789eE_", p.s[p.i]) >= 0 {
		p.i++
	}
	text := strings.ReplaceAll(p.s[start:p.i], "_", "")
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		p.i = start
		return nil, p.errf("bad number %q", text)
	}
	return f, nil
}

func (p *reprParser) word() (any, error) {
	start := p.i
	for p.i < len(p.s) && (p.s[p.i] >= 'A' && p.s[p.i] <= 'Z' || p.s[p.i] >= 'a' && p.s[p.i] <= 'z') {
		p.i++
	}
	switch p.s[start:p.i] {
	case "True":
		return true, nil
	case "False":
		return false, nil
	case "None":
		return nil, nil
	}
	p.i = start
	return nil, p.errf("unexpected %q", p.s[start:min(start+10, len(p.s))])
}
