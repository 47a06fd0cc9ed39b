package pipeline

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// The YAML decoder stops at the first value of the wrong type and names Go
// types ("cannot unmarshal string into Go struct field Config.Sources of
// type int"). Before decoding, the document is walked against the Config
// struct instead: every value that does not fit its key is reported in the
// config's own terms ("max_retries must be a whole number, got "lots""),
// with its position and key path, and replaced by null so the decoder and
// the other checks still see the rest of the file.

var (
	durationType = reflect.TypeFor[Duration]()
	// A kind's block may use time.Duration, which the decoder reads from
	// the same "30s" text.
	stdDurationType = reflect.TypeFor[time.Duration]()
)

// checkTypes reports every value under n that does not fit type t, and
// nulls it out in the tree. It returns the key paths it reported, so the
// checks that run on the decoded config do not report the same key again
// (a nulled warehouse.path is "required" only because it was wrong).
func checkTypes(n ast.Node, t reflect.Type) ([]error, []string) {
	c := &typeChecker{}
	c.node(n, t, "")
	return c.errs, c.paths
}

type typeChecker struct {
	errs  []error
	paths []string
}

func (c *typeChecker) bad(n ast.Node, path, msg string) {
	c.errs = append(c.errs, errorAtPos(n.GetToken().Position, path, path+" "+msg))
	c.paths = append(c.paths, path)
}

// node checks n against t and reports whether n must be replaced by null.
func (c *typeChecker) node(n ast.Node, t reflect.Type, path string) (replace bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch v := n.(type) {
	case nil:
		return false
	case *ast.AnchorNode:
		if c.node(v.Value, t, path) {
			v.Value = nullAt(v.Value)
		}
		return false
	case *ast.TagNode:
		return c.node(v.Value, t, path)
	case *ast.AliasNode, *ast.NullNode:
		return false // an alias is checked where its anchor is defined
	}
	if n.GetToken() == nil {
		return false
	}
	if t == durationType || t == stdDurationType {
		return c.duration(n, path)
	}
	switch t.Kind() {
	case reflect.Struct:
		return c.mapping(n, t, path)
	case reflect.Map:
		return c.mapping(n, t, path)
	case reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			c.bad(n, path, "must be a list ([a, b], or one \"- item\" per line), got "+describe(n))
			return true
		}
		for i, e := range seq.Values {
			if c.node(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)) {
				seq.Values[i] = nullAt(e)
			}
		}
		return false
	case reflect.String:
		if !isScalar(n) {
			c.bad(n, path, "must be a single value, got "+describe(n))
			return true
		}
		return false
	case reflect.Bool:
		if _, ok := n.(*ast.BoolNode); !ok {
			c.bad(n, path, "must be true or false, got "+describe(n))
			return true
		}
		return false
	case reflect.Int, reflect.Int64, reflect.Int32:
		return c.integer(n, t, path)
	case reflect.Float64, reflect.Float32:
		return c.float(n, path)
	}
	return false
}

// mapping checks a struct's known keys or a map's values. Unknown keys are
// reported by unknownKeys, with the list of the keys that are known.
func (c *typeChecker) mapping(n ast.Node, t reflect.Type, path string) bool {
	if !isMapping(n) {
		what := "a section of keys and values"
		if t.Kind() == reflect.Struct {
			if ex := exampleKey(t); ex != "" {
				what = "a section of keys and values (such as " + ex + ": ...)"
			}
		}
		c.bad(n, orTop(path), "must be "+what+", got "+describe(n))
		return true
	}
	var fields map[string]fieldInfo
	if t.Kind() == reflect.Struct {
		fields = yamlFields(t)
	}
	for _, kv := range mappingValues(n) {
		k := keyName(kv)
		if k == "<<" {
			continue
		}
		var ft reflect.Type
		if fields != nil {
			f, ok := fields[k]
			if !ok {
				continue
			}
			ft = f.typ
		} else {
			ft = t.Elem()
		}
		at := join(path, k)
		if fields == nil {
			at = mapEntryPath(path, k)
		}
		if c.node(kv.Value, ft, at) {
			kv.Value = nullAt(kv.Value)
		}
	}
	return false
}

func (c *typeChecker) integer(n ast.Node, t reflect.Type, path string) bool {
	const whole = "must be a whole number, got "
	var f float64
	switch v := n.(type) {
	case *ast.IntegerNode:
		switch x := v.Value.(type) {
		case int64:
			f = float64(x)
		case uint64:
			f = float64(x)
		}
	case *ast.FloatNode:
		f = v.Value
		if f != math.Trunc(f) {
			c.bad(n, path, whole+describe(n))
			return true
		}
	case *ast.StringNode:
		i, err := strconv.ParseInt(strings.TrimSpace(v.Value), 0, 64)
		if err != nil {
			c.bad(n, path, whole+describe(n))
			return true
		}
		f = float64(i)
	default:
		c.bad(n, path, whole+describe(n))
		return true
	}
	limit := math.MaxInt64
	if t.Kind() == reflect.Int32 {
		limit = math.MaxInt32
	}
	if math.Abs(f) > float64(limit) || math.IsInf(f, 0) {
		c.bad(n, path, "is too large: "+n.GetToken().Value)
		return true
	}
	return false
}

func (c *typeChecker) float(n ast.Node, path string) bool {
	switch v := n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		return false
	case *ast.StringNode:
		if _, err := strconv.ParseFloat(strings.TrimSpace(v.Value), 64); err == nil {
			return false
		}
	}
	c.bad(n, path, "must be a number, got "+describe(n))
	return true
}

func (c *typeChecker) duration(n ast.Node, path string) bool {
	const want = "must be a duration such as 30s, 5m or 1h30m, got "
	if !isScalar(n) {
		c.bad(n, path, want+describe(n))
		return true
	}
	text := n.GetToken().Value
	if _, err := time.ParseDuration(text); err == nil {
		return false
	}
	switch n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		c.bad(n, path, want+text+" (a number needs a unit: "+text+"s is "+text+" seconds)")
	default:
		c.bad(n, path, want+describe(n))
	}
	return true
}

// describe names a YAML value for a message: a scalar as written (text
// quoted), anything else by its shape.
func describe(n ast.Node) string {
	switch v := n.(type) {
	case *ast.SequenceNode:
		return "a list"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a section of keys and values"
	case *ast.StringNode:
		return strconv.Quote(v.Value)
	case *ast.LiteralNode:
		return strconv.Quote(v.Value.Value)
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return "a value"
}

func isScalar(n ast.Node) bool {
	_, ok := n.(ast.ScalarNode)
	_, lit := n.(*ast.LiteralNode)
	return ok || lit
}

func isMapping(n ast.Node) bool {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return true
	}
	return false
}

func nullAt(n ast.Node) ast.Node {
	pos := &token.Position{Line: 1, Column: 1}
	if n != nil && n.GetToken() != nil {
		pos = n.GetToken().Position
	}
	return ast.Null(token.New("null", "null", pos))
}

// exampleKey is the first key of a section, to show what one looks like.
func exampleKey(t reflect.Type) string {
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); f.IsExported() && name != "" && name != "-" {
			return name
		}
	}
	return ""
}

func orTop(path string) string {
	if path == "" {
		return "the config"
	}
	return path
}

// mapEntryPath names one entry of a map whose keys are free text: a plain
// key joins with a dot, anything else is quoted in brackets, as KeyError
// writes it.
func mapEntryPath(m, key string) string {
	if leadingPath.FindString(key) == key && key != "" {
		return join(m, key)
	}
	return fmt.Sprintf("%s[%q]", m, key)
}

// textPath is the key path of the first value in the tree whose text
// contains needle, or "".
func textPath(n ast.Node, needle string) string {
	var found string
	var walk func(n ast.Node, path string) bool
	walk = func(n ast.Node, path string) bool {
		switch v := n.(type) {
		case nil:
			return false
		case *ast.AnchorNode:
			return walk(v.Value, path)
		case *ast.TagNode:
			return walk(v.Value, path)
		case *ast.MappingNode, *ast.MappingValueNode:
			for _, kv := range mappingValues(v) {
				k := keyName(kv)
				at := join(path, k)
				if leadingPath.FindString(k) != k {
					at = mapEntryPath(path, k)
				}
				if walk(kv.Value, at) {
					return true
				}
			}
			return false
		case *ast.SequenceNode:
			for i, e := range v.Values {
				if walk(e, fmt.Sprintf("%s[%d]", path, i)) {
					return true
				}
			}
			return false
		}
		if tk := n.GetToken(); tk != nil && strings.Contains(n.String(), needle) {
			found = path
			return true
		}
		return false
	}
	walk(n, "")
	return found
}
