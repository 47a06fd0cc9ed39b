package rawbatch

import (
	"encoding/json"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"
)

// Scanner reads one JSON object at a time without decoding it into a map:
// a single pass checks the text is JSON and notes where the values of the
// wanted top-level keys lie; every other value is skipped over. Decoding
// each record into a map[string]json.RawMessage allocated a string per key
// and a slice per value for fields nobody maps, and was most of the CPU a
// file or API source cost.
//
// Its answers are those of JSONGetter over the decoded map, by
// construction: anything the pass is not sure of (an escaped or non-ASCII
// key, invalid UTF-8, deep nesting, text that is not JSON) makes Scan
// report false and the caller decodes that record the old way, and a path
// it was not told to expect is looked up in a map decoded on demand. The
// fuzz test FuzzScannerMatchesMap holds the two to each other.
type Scanner struct {
	slots map[string]int // wanted top-level key -> index into vals
	vals  [][]byte       // the raw JSON value of each wanted key, nil if absent
	rec   []byte
	full  map[string]json.RawMessage // decoded on demand for an unexpected path
	dec   bool                       // full has been decoded for rec
}

// maxScanDepth is how deep the pass follows nested arrays and objects
// before handing the record to the decoder instead.
const maxScanDepth = 512

// NewScanner returns a scanner for paths: each path, and each prefix of it
// ending before a dot, is a top-level key it records, since a dotted path
// is first tried as a key of its own ("a.b") and then split ("a" then "b").
func NewScanner(paths []string) *Scanner {
	s := &Scanner{slots: map[string]int{}}
	add := func(k string) {
		if _, ok := s.slots[k]; !ok {
			s.slots[k] = len(s.slots)
		}
	}
	for _, p := range paths {
		add(p)
		for i := 0; i < len(p); i++ {
			if p[i] == '.' {
				add(p[:i])
			}
		}
	}
	s.vals = make([][]byte, len(s.slots))
	return s
}

// Scan reads b, one JSON object with nothing but white space around it.
// It reports false when it could not read b this way; the record must then
// be decoded in full (which also decides whether it is JSON at all).
func (s *Scanner) Scan(b []byte) bool {
	clear(s.vals)
	s.rec, s.full, s.dec = b, nil, false
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return skipSpace(b, i+1) == len(b)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return false
		}
		kEnd, plain := scanString(b, i)
		if kEnd < 0 || !plain {
			// An escaped or non-ASCII key is decoded (and, if invalid
			// UTF-8, repaired) by the decoder; match it there.
			return false
		}
		key := b[i+1 : kEnd-1]
		i = skipSpace(b, kEnd)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		i = skipSpace(b, i+1)
		vEnd := skipValue(b, i, 0)
		if vEnd < 0 {
			return false
		}
		if slot, ok := s.slots[string(key)]; ok {
			s.vals[slot] = b[i:vEnd] // a later duplicate key wins, as in a map
		}
		i = skipSpace(b, vEnd)
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return skipSpace(b, i+1) == len(b)
		default:
			return false
		}
	}
}

// Get answers a path for the record last scanned, as JSONGetter would.
func (s *Scanner) Get(path string) (string, bool) {
	raw, ok := s.lookupRaw(path)
	if !ok {
		return "", false
	}
	return renderJSON(raw)
}

func (s *Scanner) lookupRaw(path string) (json.RawMessage, bool) {
	slot, ok := s.slots[path]
	if !ok {
		return s.fallback(path)
	}
	if v := s.vals[slot]; v != nil {
		return v, true
	}
	for i := 0; i < len(path); i++ {
		if path[i] != '.' {
			continue
		}
		if v := s.vals[s.slots[path[:i]]]; v != nil {
			if out, ok := descend(v, path[i+1:]); ok {
				return out, true
			}
		}
	}
	return nil, false
}

// fallback looks up a path the scanner was not built for in the record
// decoded in full, once per record.
func (s *Scanner) fallback(path string) (json.RawMessage, bool) {
	if !s.dec {
		s.dec = true
		if gojson.Unmarshal(s.rec, &s.full) != nil {
			s.full = nil
		}
	}
	return LookupRaw(s.full, path)
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString reads the JSON string starting at b[i] == '"' and returns the
// index after its closing quote, or -1 when it is not a valid string.
// plain is true when it has no escapes and only ASCII.
func scanString(b []byte, i int) (end int, plain bool) {
	plain = true
	high := false
	start := i
	for i++; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '"':
			if high && !utf8.Valid(b[start:i]) {
				// Invalid UTF-8 is repaired by the decoder; leave it that
				// case rather than copy its rules.
				return -1, false
			}
			return i + 1, plain
		case c == '\\':
			plain = false
			i++
			if i >= len(b) {
				return -1, false
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(b) {
					return -1, false
				}
				for _, h := range b[i+1 : i+5] {
					if !isHex(h) {
						return -1, false
					}
				}
				i += 4
			default:
				return -1, false
			}
		case c < 0x20:
			return -1, false
		case c >= utf8.RuneSelf:
			plain, high = false, true
		}
	}
	return -1, false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// skipValue returns the index after the JSON value at b[i], or -1.
func skipValue(b []byte, i, depth int) int {
	if i >= len(b) {
		return -1
	}
	switch c := b[i]; {
	case c == '"':
		end, _ := scanString(b, i)
		return end
	case c == '{' || c == '[':
		if depth >= maxScanDepth {
			return -1
		}
		return skipContainer(b, i, depth+1)
	case c == 't':
		return literal(b, i, "true")
	case c == 'f':
		return literal(b, i, "false")
	case c == 'n':
		return literal(b, i, "null")
	case c == '-' || '0' <= c && c <= '9':
		return scanNumber(b, i)
	}
	return -1
}

func skipContainer(b []byte, i, depth int) int {
	closer := byte('}')
	if b[i] == '[' {
		closer = ']'
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == closer {
		return i + 1
	}
	for {
		if closer == '}' {
			if i >= len(b) || b[i] != '"' {
				return -1
			}
			if i, _ = scanString(b, i); i < 0 {
				return -1
			}
			i = skipSpace(b, i)
			if i >= len(b) || b[i] != ':' {
				return -1
			}
			i = skipSpace(b, i+1)
		}
		if i = skipValue(b, i, depth); i < 0 {
			return -1
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return -1
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case closer:
			return i + 1
		default:
			return -1
		}
	}
}

func literal(b []byte, i int, word string) int {
	if string(b[i:min(len(b), i+len(word))]) == word {
		return i + len(word)
	}
	return -1
}

// scanNumber checks JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func scanNumber(b []byte, i int) int {
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = digits(b, i)
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		j := digits(b, i+1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(b, i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

func digits(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}
