package rawbatch

import (
	"bytes"
	"encoding/json"
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
// {"a.b": 1} answers "a.b".
func LookupRaw(obj map[string]json.RawMessage, path string) (json.RawMessage, bool) {
	if v, ok := obj[path]; ok {
		return v, true
	}
	head, rest, found := strings.Cut(path, ".")
	if !found {
		return nil, false
	}
	v, ok := obj[head]
	if !ok {
		return nil, false
	}
	var inner map[string]json.RawMessage
	if err := json.Unmarshal(v, &inner); err != nil || inner == nil {
		return nil, false
	}
	return LookupRaw(inner, rest)
}
