package pipeline

import (
	"encoding"
	"fmt"
	"maps"
	"reflect"
	"sort"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// The YAML decoder's strict mode stops at the first unknown key. To report
// every one, with its line, the parsed document is walked against the
// Config struct's yaml tags before decoding.

var (
	configType        = reflect.TypeFor[Config]()
	textUnmarshalType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

type fieldInfo struct{ typ reflect.Type }

// yamlFields maps a struct's yaml keys to their field types. The keys of
// an ",inline" struct field are the struct's own, as the decoder reads
// them; a source's keys are its common ones and every registered kind's
// block.
func yamlFields(t reflect.Type) map[string]fieldInfo {
	if t == sourceConfigType {
		t = sourceShape()
	}
	out := map[string]fieldInfo{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if opts == "inline" && f.Type.Kind() == reflect.Struct {
			maps.Copy(out, yamlFields(f.Type))
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = fieldInfo{typ: f.Type}
	}
	return out
}

// unknownKeys returns an error for every mapping key under n that type t
// does not have, each with its position.
func unknownKeys(n ast.Node, t reflect.Type, at string) []error {
	n = unwrapNode(n)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n == nil || reflect.PointerTo(t).Implements(textUnmarshalType) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		return unknownStructKeys(n, t, at)
	case reflect.Map:
		var errs []error
		for _, kv := range mappingValues(n) {
			errs = append(errs, unknownKeys(kv.Value, t.Elem(), join(at, keyName(kv)))...)
		}
		return errs
	case reflect.Slice, reflect.Array:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			return nil // the decoder reports the type mismatch
		}
		var errs []error
		for i, v := range seq.Values {
			errs = append(errs, unknownKeys(v, t.Elem(), fmt.Sprintf("%s[%d]", at, i))...)
		}
		return errs
	}
	return nil
}

func unknownStructKeys(n ast.Node, t reflect.Type, at string) []error {
	fields := yamlFields(t)
	var errs []error
	for _, kv := range mappingValues(n) {
		k := keyName(kv)
		if k == "<<" {
			continue // merge key: its anchor was checked where it was defined
		}
		f, ok := fields[k]
		if !ok {
			pos := kv.Key.GetToken().Position
			where := "at the top level"
			if at != "" {
				where = "in " + at
			}
			hint := ""
			if s := Suggest(k, keysOf(fields)); s != "" {
				hint = fmt.Sprintf("did you mean %q? ", s)
			}
			errs = append(errs, errorAtPos(pos, join(at, k), fmt.Sprintf("unknown key %q %s: %sknown keys are %s",
				k, where, hint, sortedKeys(fields))))
			continue
		}
		errs = append(errs, unknownKeys(kv.Value, f.typ, join(at, k))...)
	}
	return errs
}

func unwrapNode(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.AliasNode:
			return nil // checked where the anchor was defined
		default:
			return n
		}
	}
}

// mappingValues returns a mapping's entries; the parser represents a
// one-entry mapping as a bare MappingValueNode.
func mappingValues(n ast.Node) []*ast.MappingValueNode {
	switch v := n.(type) {
	case *ast.MappingNode:
		return v.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{v}
	}
	return nil
}

func keyName(kv *ast.MappingValueNode) string {
	if tok := kv.Key.GetToken(); tok != nil {
		return tok.Value
	}
	return kv.Key.String()
}

func join(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}

func keysOf(m map[string]fieldInfo) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out) // a tie between two suggestions goes the same way every time
	return out
}
