package rawbatch

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// JSONGetter reads dotted paths from one decoded JSON object. Strings come
// back unquoted, other scalars as their JSON literal (so numbers keep their
// exact text), objects and arrays as JSON. Null, missing and "" are absent.
func JSONGetter(obj map[string]json.RawMessage) Getter {
	return func(path string) (string, bool) { return Lookup(obj, path) }
}

// Lookup follows a dotted path in obj and renders the value as text.
func Lookup(obj map[string]json.RawMessage, path string) (string, bool) {
	raw, ok := LookupRaw(obj, path)
	if !ok {
		return "", false
	}
	return renderJSON(raw)
}

// renderJSON turns one JSON value into a field's text: a string unquoted,
// any other value as written; null and "" are absent.
func renderJSON(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", false
	}
	if raw[0] == '"' {
		// Most strings have no escapes: slice them instead of decoding,
		// which is most of the cost of mapping a record.
		if len(raw) >= 2 && raw[len(raw)-1] == '"' && bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
			s := string(raw[1 : len(raw)-1])
			return s, s != ""
		}
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			return s, s != ""
		}
	}
	return string(raw), true
}

// LookupRaw follows a dotted path and returns the JSON found there. A key
// that itself contains dots is found too, tried before descending, so
// {"a.b": 1} answers "a.b". A segment that is a whole number indexes an
// array: "categories.0" is the first element, "categories.-1" the last, and
// paths go on through the element ("variants.0.price").
func LookupRaw(obj map[string]json.RawMessage, path string) (json.RawMessage, bool) {
	if v, ok := obj[path]; ok {
		return v, true
	}
	// Keys with dots of their own ("odd.key.0"): try each split, the
	// shortest key first.
	for i := 0; i < len(path); i++ {
		if path[i] != '.' {
			continue
		}
		if v, ok := obj[path[:i]]; ok {
			if out, ok := descend(v, path[i+1:]); ok {
				return out, true
			}
		}
	}
	return nil, false
}

// descend follows path into the JSON value v: into an object by key, into
// an array by index. Anything else (a scalar, a bad index) is absent.
func descend(v json.RawMessage, path string) (json.RawMessage, bool) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return nil, false
	}
	switch v[0] {
	case '{':
		var inner map[string]json.RawMessage
		if err := json.Unmarshal(v, &inner); err != nil || inner == nil {
			return nil, false
		}
		return LookupRaw(inner, path)
	case '[':
		head, rest, more := strings.Cut(path, ".")
		i, err := strconv.Atoi(head)
		if err != nil {
			return nil, false
		}
		var items []json.RawMessage
		if err := json.Unmarshal(v, &items); err != nil {
			return nil, false
		}
		if i < 0 {
			i += len(items)
		}
		if i < 0 || i >= len(items) {
			return nil, false
		}
		if !more {
			return items[i], true
		}
		return descend(items[i], rest)
	}
	return nil, false
}
