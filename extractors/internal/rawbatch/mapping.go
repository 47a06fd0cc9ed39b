// Package rawbatch turns source records into raw Arrow batches
// (pipeline.RawSchema): it maps each canonical field from a JSON path, a
// column or a template, applies patterns, defaults and constants, and
// builds batches of a bounded size. Every extractor kind shares it so a
// file and an API feeding one dataset are mapped alike.
package rawbatch

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/exportpipe/exportpipe/pipeline"
)

// Getter returns the value a record holds under key (a dotted JSON path or
// a column name). ok is false for a missing, null or empty value.
type Getter func(key string) (string, bool)

// Mapping is a compiled pipeline.Mapping for one dataset, one entry per
// canonical field in RawFields order.
type Mapping struct {
	names  []string
	fields []field
	// usesExtractedAt is true when a field reads ExtractedAt, so only
	// those sources pay for answering it.
	usesExtractedAt bool
	// keep names the fields stored as a JSON object in the attributes
	// field (at position attrs); keepAll keeps every field no mapping
	// reads (read keys in mapped).
	keep    []string
	keepAll bool
	attrs   int
	mapped  map[string]bool
	// sellers is the compiled sellers: mapping of a listings source that
	// reads its sellers from the same records; nil otherwise.
	sellers *Mapping
}

// ExtractedAt is a pseudo-field every source answers: when the source's
// extraction started in this run, UTC, RFC 3339 (e.g. 2026-12-07T21:00:00Z).
// A source with no dates maps it to updated_at, so a version is "as seen
// tonight" rather than an invented constant.
const ExtractedAt = "_extracted_at"

type field struct {
	constant, def      string
	isConstant, hasDef bool
	explicit           bool   // named in the config's fields, not read from the same-named key
	absent             bool   // a sellers field sellers: does not name: always null
	parts              []part // the template; one key part for a plain key
	pattern            *regexp.Regexp
}

// part is a literal or a key reference in a template.
type part struct {
	text  string
	isKey bool
}

// Compile checks m against d's canonical fields.
func Compile(d pipeline.Dataset, m pipeline.Mapping) (*Mapping, error) {
	names := d.RawFields()
	ok := names != nil
	if !ok {
		return nil, fmt.Errorf("unknown dataset %q", d)
	}
	var errs []error
	for _, sec := range []map[string]string{m.Fields, m.Patterns, m.Defaults, m.Constants} {
		for k := range sec {
			if _, seller := strings.CutPrefix(k, pipeline.SellerColumnPrefix); seller && d == pipeline.Listings && len(m.Sellers) > 0 {
				continue // compileSellers reads it
			}
			if !has(names, k) {
				errs = append(errs, fmt.Errorf("%s has no field %q: its fields are %s", d, k, strings.Join(names, ", ")))
			}
		}
	}
	out := &Mapping{names: names}
	for _, n := range names {
		f, err := compileField(n, m)
		if err != nil {
			errs = append(errs, err)
		}
		out.fields = append(out.fields, f)
		for _, p := range f.parts {
			if p.isKey && p.text == ExtractedAt {
				out.usesExtractedAt = true
			}
		}
	}
	if d == pipeline.Listings && len(m.Sellers) > 0 {
		sm, err := compileSellers(m)
		if err != nil {
			errs = append(errs, err)
		} else {
			out.sellers = sm
			out.usesExtractedAt = out.usesExtractedAt || sm.usesExtractedAt
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out.compileKeep(m.Keep)
	return out, nil
}

// compileSellers compiles a listings source's sellers: mapping. A sellers
// field it does not name is null rather than read from the key of its own
// name, since a listing's "name" is the product's, not the seller's. The
// seller's marketplace and updated_at follow the listing's own mapping
// unless sellers: names them: the seller is as of the listing that showed
// it.
func compileSellers(m pipeline.Mapping) (*Mapping, error) {
	sm := pipeline.Mapping{Fields: map[string]string{}, Patterns: map[string]string{},
		Defaults: map[string]string{}, Constants: map[string]string{}}
	for k, v := range m.Sellers {
		sm.Fields[k] = v
		// A seller field read from the same place as the listing's field
		// of that name (seller_id) is cut and defaulted the same way, so
		// the listing's seller_id and the seller's agree and join.
		listingSrc, ok := m.Fields[k]
		if !ok {
			listingSrc = k
		}
		if v == listingSrc {
			if p, ok := m.Patterns[k]; ok {
				sm.Patterns[k] = p
			}
			if d, ok := m.Defaults[k]; ok {
				sm.Defaults[k] = d
			}
		}
	}
	// Rules written for the seller (patterns: {sellers.country: ...}) win.
	for _, sec := range [][2]map[string]string{{m.Patterns, sm.Patterns}, {m.Defaults, sm.Defaults}, {m.Constants, sm.Constants}} {
		for k, v := range sec[0] {
			if sk, ok := strings.CutPrefix(k, pipeline.SellerColumnPrefix); ok {
				sec[1][sk] = v
			}
		}
	}
	for _, k := range []string{"marketplace", "updated_at"} {
		if _, named := m.Sellers[k]; named || sm.Constants[k] != "" {
			continue
		}
		sm.Fields[k] = k
		if v, ok := m.Fields[k]; ok {
			sm.Fields[k] = v
		}
		for _, sec := range [][2]map[string]string{{m.Patterns, sm.Patterns}, {m.Defaults, sm.Defaults}, {m.Constants, sm.Constants}} {
			if _, set := sec[1][k]; !set {
				if v, ok := sec[0][k]; ok {
					sec[1][k] = v
				}
			}
		}
	}
	c, err := Compile(pipeline.Sellers, sm)
	if err != nil {
		return nil, fmt.Errorf("sellers: %w", err)
	}
	for i, n := range c.names {
		if _, ok := sm.Fields[n]; !ok && !c.fields[i].isConstant && !c.fields[i].hasDef {
			c.fields[i].absent = true
		}
	}
	return c, nil
}

// NamesSellers reports whether records also carry their seller (sellers:).
func (m *Mapping) NamesSellers() bool { return m.sellers != nil }

// compileKeep prepares keep: the attributes field is computed from the
// kept fields unless the config maps it itself.
func (m *Mapping) compileKeep(keep []string) {
	m.attrs = m.Index("attributes")
	if len(keep) == 0 || m.attrs < 0 {
		return
	}
	if slices.Contains(keep, pipeline.KeepAll) {
		m.keepAll = true
		m.mapped = map[string]bool{}
		m.markMapped(m)
		if m.sellers != nil {
			m.markMapped(m.sellers) // a seller's fields are not the listing's extras
		}
		return
	}
	m.keep = keep
}

// markMapped records in m.mapped every key from's fields read.
func (m *Mapping) markMapped(from *Mapping) {
	for i, f := range from.fields {
		if f.absent {
			continue
		}
		m.mapped[from.names[i]] = true // read from the same-named key by default
		for _, p := range f.parts {
			if p.isKey {
				// A path reads its top-level key: categories.0 maps
				// categories.
				head, _, _ := strings.Cut(p.text, ".")
				m.mapped[p.text], m.mapped[head] = true, true
			}
		}
	}
}

// keeps reports whether the attributes field is computed from keep:.
func (m *Mapping) keeps() bool { return m.keepAll || len(m.keep) > 0 }

// attributes renders the kept fields of one record as a JSON object of
// strings, in the order keep: names them (keys sorted for keep: "*"), or
// reports false when the record has none of them. Values are text as the
// source wrote them: CSV has no types, and one rule for every source keeps
// a query's casts the same.
func (m *Mapping) attributes(get Getter, raw string) (string, bool) {
	keys := m.keep
	if m.keepAll {
		keys = m.unmappedKeys(raw)
	}
	obj := make([]byte, 0, 128)
	obj = append(obj, '{')
	n := 0
	for _, k := range keys {
		v, ok := get(k)
		if !ok {
			continue
		}
		if n > 0 {
			obj = append(obj, ',')
		}
		obj = appendJSONString(obj, k)
		obj = append(obj, ':')
		obj = appendJSONString(obj, v)
		n++
	}
	if n == 0 {
		return "", false
	}
	return string(append(obj, '}')), true
}

// unmappedKeys lists the top-level keys of the record as sent (JSON, or a
// CSV row re-encoded as JSON) that no field mapping reads, sorted.
func (m *Mapping) unmappedKeys(raw string) []string {
	var obj map[string]json.RawMessage
	if json.Unmarshal([]byte(raw), &obj) != nil {
		return nil
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		if !m.mapped[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

func appendJSONString(buf []byte, s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return append(buf, b...)
}

func compileField(name string, m pipeline.Mapping) (field, error) {
	var f field
	f.constant, f.isConstant = m.Constants[name]
	f.def, f.hasDef = m.Defaults[name]
	src := name
	if s, ok := m.Fields[name]; ok {
		src, f.explicit = s, true
	}
	parts, err := ParseTemplate(src)
	if err != nil {
		return f, fmt.Errorf("fields.%s: %w", name, err)
	}
	f.parts = parts
	if p, ok := m.Patterns[name]; ok {
		re, err := regexp.Compile(p)
		if err != nil {
			return f, fmt.Errorf("patterns.%s: %w", name, err)
		}
		f.pattern = re
	}
	return f, nil
}

// Names are the canonical fields in order.
func (m *Mapping) Names() []string { return m.names }

// Index is the position of a canonical field, or -1.
func (m *Mapping) Index(name string) int {
	for i, n := range m.names {
		if n == name {
			return i
		}
	}
	return -1
}

// Keys lists the keys the config's fields name, so a file reader can warn
// about columns the file does not have. A field the config does not name is
// read from the key of its own name when a file has one; a file without it
// (most files have no hs_code or mmsi) is normal, not worth a warning.
func (m *Mapping) Keys() []string {
	var out []string
	if m.sellers != nil {
		out = m.sellers.Keys()
	}
	for _, f := range m.fields {
		if f.isConstant || !f.explicit {
			continue
		}
		for _, p := range f.parts {
			if p.isKey && p.text != ExtractedAt {
				out = append(out, p.text)
			}
		}
	}
	return out
}

// Paths lists every key or dotted path Add can ask a record's Getter for:
// the keys of every template (the sellers: mapping's too) and the keep:
// names. With keep: "*" it also asks for each key a record has that no
// field maps, which no list can name; a Scanner built from Paths answers
// those from a full decode.
func (m *Mapping) Paths() []string {
	var out []string
	if m.sellers != nil {
		out = m.sellers.Paths()
	}
	for _, f := range m.fields {
		if f.isConstant || f.absent {
			continue
		}
		for _, p := range f.parts {
			if p.isKey && p.text != ExtractedAt {
				out = append(out, p.text)
			}
		}
	}
	if m.keeps() {
		out = append(out, m.keep...)
	}
	return out
}

// Value computes canonical field i of one record.
func (m *Mapping) Value(i int, get Getter) (string, bool) {
	f := &m.fields[i]
	if f.isConstant {
		return f.constant, true
	}
	if f.absent {
		return "", false
	}
	v, ok := render(f.parts, get)
	if ok && f.pattern != nil {
		v, ok = cut(f.pattern, v)
	}
	if !ok && f.hasDef {
		return f.def, true
	}
	return v, ok
}

// render fills a template. Any missing key makes the whole value missing:
// a half-filled identifier could collide with another record's, whereas a
// null one is rejected visibly by the transform.
func render(parts []part, get Getter) (string, bool) {
	if len(parts) == 1 && parts[0].isKey {
		return get(parts[0].text)
	}
	var sb strings.Builder
	for _, p := range parts {
		if !p.isKey {
			sb.WriteString(p.text)
			continue
		}
		v, ok := get(p.text)
		if !ok {
			return "", false
		}
		sb.WriteString(v)
	}
	return sb.String(), true
}

func cut(re *regexp.Regexp, v string) (string, bool) {
	m := re.FindStringSubmatch(v)
	switch {
	case m == nil:
		return "", false
	case len(m) > 1:
		return m[1], m[1] != ""
	default:
		return m[0], m[0] != ""
	}
}

// ParseTemplate reads a field source. Text without braces is one key (so
// a column named "Departure time" needs no quoting); "{a}-{b}" mixes keys
// and literals; "{{" and "}}" are literal braces.
func ParseTemplate(s string) ([]part, error) {
	if !strings.ContainsAny(s, "{}") {
		return []part{{text: s, isKey: true}}, nil
	}
	var parts []part
	var lit strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "{{") || strings.HasPrefix(s[i:], "}}"):
			lit.WriteByte(s[i])
			i++
		case s[i] == '{':
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return nil, fmt.Errorf("template %q: unclosed {", s)
			}
			if lit.Len() > 0 {
				parts = append(parts, part{text: lit.String()})
				lit.Reset()
			}
			parts = append(parts, part{text: s[i+1 : i+end], isKey: true})
			i += end
		case s[i] == '}':
			return nil, fmt.Errorf("template %q: } without {; write }} for a literal brace", s)
		default:
			lit.WriteByte(s[i])
		}
	}
	if lit.Len() > 0 {
		parts = append(parts, part{text: lit.String()})
	}
	return parts, nil
}

func has(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
