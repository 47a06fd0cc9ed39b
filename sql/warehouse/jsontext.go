//go:build duckdb_arrow

package warehouse

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// jsonNonFinite makes DuckDB's to_json text valid JSON. to_json writes a
// NaN or infinite double as the bare words NaN, Infinity and -Infinity,
// which JSON does not have; they become the strings "nan", "inf" and
// "-inf", as DuckDB writes them as text. Everything else, strings
// included, is copied as it is.
func jsonNonFinite(s string) string {
	if !strings.ContainsAny(s, "NI") {
		return s
	}
	var b strings.Builder
	inString := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inString {
			b.WriteByte(c)
			switch c {
			case '\\':
				if i+1 < len(s) {
					i++
					b.WriteByte(s[i])
				}
			case '"':
				inString = false
			}
			continue
		}
		switch {
		case c == '"':
			inString = true
			b.WriteByte(c)
		case strings.HasPrefix(s[i:], "NaN"):
			b.WriteString(`"nan"`)
			i += len("NaN") - 1
		case strings.HasPrefix(s[i:], "-Infinity"):
			b.WriteString(`"-inf"`)
			i += len("-Infinity") - 1
		case strings.HasPrefix(s[i:], "Infinity"):
			b.WriteString(`"inf"`)
			i += len("Infinity") - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// plainJSON writes a driver value of a statement that could not be
// wrapped (PRAGMA, EXPLAIN): numbers and booleans as themselves, anything
// else as its text in a JSON string.
func plainJSON(v any) string {
	switch x := v.(type) {
	case bool:
		return strconv.FormatBool(x)
	case int8, int16, int32, int64, int, uint8, uint16, uint32, uint64, uint:
		return render(x)
	case float32, float64:
		f, _ := x.(float64)
		if g, ok := x.(float32); ok {
			f = float64(g)
		}
		switch {
		case math.IsNaN(f):
			return `"nan"`
		case math.IsInf(f, 1):
			return `"inf"`
		case math.IsInf(f, -1):
			return `"-inf"`
		}
		return render(x)
	case time.Time:
		b, _ := json.Marshal(render(x))
		return string(b)
	}
	b, err := json.Marshal(render(v))
	if err != nil {
		return `null`
	}
	return string(b)
}
