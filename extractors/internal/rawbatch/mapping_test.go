package rawbatch

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

func TestMapping(t *testing.T) {
	t.Parallel()
	m, err := Compile(pipeline.Sailings, pipeline.Mapping{
		Fields:    map[string]string{"sailing_id": "MSC|{voy}|{{x}}", "imo": "legs", "vessel": "ship.name", "voyage": "voy"},
		Patterns:  map[string]string{"imo": `'(\d{7})'`, "voyage": `^[A-Z]+`},
		Defaults:  map[string]string{"origin": "PKKHI", "destination": "X"},
		Constants: map[string]string{"carrier": "MSC"},
	})
	if err != nil {
		t.Fatal(err)
	}
	obj := map[string]json.RawMessage{}
	json.Unmarshal([]byte(`{"voy":"NA242R","legs":"[{'imo': '9400100'}]","ship":{"name":"MEHUIN"},"destination":"NLRTM","carrier":"ignored","etd":""}`), &obj)
	get := JSONGetter(obj)
	cases := map[string]struct {
		val string
		ok  bool
	}{
		"sailing_id": {"MSC|NA242R|{x}", true}, "imo": {"9400100", true}, "vessel": {"MEHUIN", true},
		"voyage": {"NA", true}, "origin": {"PKKHI", true}, "destination": {"NLRTM", true}, "carrier": {"MSC", true},
		"etd": {"", false}, "ata": {"", false},
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			v, ok := m.Value(m.Index(name), get)
			if v != want.val || ok != want.ok {
				t.Fatalf("%s = %q, %v; want %q, %v", name, v, ok, want.val, want.ok)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	t.Parallel()
	_, err := Compile(pipeline.Sellers, pipeline.Mapping{
		Fields:   map[string]string{"nmae": "x", "name": "{unclosed"},
		Patterns: map[string]string{"country": "("},
	})
	for _, want := range []string{`no field "nmae"`, "unclosed {", "patterns.country"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to mention %q", err, want)
		}
	}
}

func TestMissingTemplatePartIsNull(t *testing.T) {
	t.Parallel()
	m, _ := Compile(pipeline.Sellers, pipeline.Mapping{Fields: map[string]string{"seller_id": "{a}-{b}"}})
	get := func(k string) (string, bool) { return "A", k == "a" }
	if v, ok := m.Value(0, get); ok {
		t.Fatalf("got %q: a half-filled id must be null", v)
	}
}

func FuzzParseTemplate(f *testing.F) {
	for _, s := range []string{"a", "{a}-{b}", "{{lit}}", "x{", "}", "{a}}}", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parts, err := ParseTemplate(s)
		if err != nil {
			return
		}
		// Re-rendering with each key as its own name restores the text,
		// less the braces and escapes.
		var sb strings.Builder
		for _, p := range parts {
			sb.WriteString(p.text)
		}
		plain := strings.NewReplacer("{{", "{", "}}", "}", "{", "", "}", "").Replace(s)
		if len(parts) == 1 && parts[0].isKey && parts[0].text == s {
			return
		}
		if sb.Len() > len(s) || len(plain) > len(s) {
			t.Fatalf("template %q grew into %q", s, sb.String())
		}
	})
}

func FuzzLookup(f *testing.F) {
	f.Add(`{"a":{"b":"x"},"a.b":1}`, "a.b")
	f.Add(`{"a":null}`, "a.c")
	f.Add(`{"cats":["x",["y",{"z":1}]]}`, "cats.1.1.z")
	f.Add(`{"cats":[1,2]}`, "cats.-3")
	f.Fuzz(func(t *testing.T, doc, path string) {
		var obj map[string]json.RawMessage
		if json.Unmarshal([]byte(doc), &obj) != nil {
			return
		}
		if v, ok := Lookup(obj, path); ok && v == "" {
			t.Fatalf("ok with an empty value for %q in %s", path, doc)
		}
	})
}

// A source without dates maps updated_at to the pseudo-field
// _extracted_at, the start of the source's extraction, which a builder
// answers for every record; it is no column a file must have.
func TestExtractedAtPseudoField(t *testing.T) {
	m, err := Compile(pipeline.Sellers, pipeline.Mapping{Fields: map[string]string{"updated_at": "{_extracted_at}", "name": "shop"}})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(m.Keys(), ExtractedAt) {
		t.Errorf("Keys() = %v lists the pseudo-field", m.Keys())
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	before := time.Now().UTC().Truncate(time.Second)
	b := NewBuilder(mem, pipeline.Sellers, m, 10)
	defer b.Release()
	b.Add(func(k string) (string, bool) { return map[string]string{"shop": "Ali"}[k], k == "shop" }, `{"shop":"Ali"}`)
	var got string
	if err := b.Flush(func(rec arrow.RecordBatch) error {
		got = rec.Column(m.Index("updated_at")).(*array.String).Value(0)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	at, err := time.Parse(time.RFC3339, got)
	if err != nil || at.Before(before) || at.After(time.Now()) {
		t.Errorf("updated_at = %q (%v), want the extraction's start in RFC 3339", got, err)
	}
}

// A number in a path indexes an array, from the end when negative, and the
// path goes on through the element; a path that does not fit the record is
// absent, never an error.
func TestLookupIndexesArrays(t *testing.T) {
	var obj map[string]json.RawMessage
	doc := `{"categories": ["10000245", "10000456", "10000789"],
		"variants": [{"sku": "A-1", "price": {"amount": 1299}}, {"sku": "A-2"}],
		"tags": [], "name": "towel", "grid": [[1, 2], [3, 4]], "odd.key": ["dotted"]}`
	if err := json.Unmarshal([]byte(doc), &obj); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"categories.0":              "10000245",
		"categories.2":              "10000789",
		"categories.-1":             "10000789",
		"categories.-3":             "10000245",
		"variants.0.sku":            "A-1",
		"variants.0.price.amount":   "1299",
		"variants.-1.sku":           "A-2",
		"grid.1.0":                  "3",
		"odd.key.0":                 "dotted",
		"categories":                `["10000245", "10000456", "10000789"]`,
		"categories.3":              "",
		"categories.-4":             "",
		"categories.first":          "",
		"tags.0":                    "",
		"name.0":                    "",
		"variants.1.price.amount":   "",
		"variants.0.price.amount.0": "",
	} {
		got, ok := Lookup(obj, path)
		if got != want || ok != (want != "") {
			t.Errorf("Lookup(%q) = %q, %v; want %q", path, got, ok, want)
		}
	}
}

// Keys are what a file reader checks against a header: only the keys the
// config names, not the same-named defaults of every other field.
func TestKeysAreTheConfiguredOnes(t *testing.T) {
	t.Parallel()
	m, err := Compile(pipeline.Sailings, pipeline.Mapping{
		Fields:    map[string]string{"sailing_id": "{Service}-{Voyage}", "imo": "IMO"},
		Constants: map[string]string{"carrier": "Maersk", "imo": "ignored: a constant wins"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(m.Keys(), ",")
	if got != "Service,Voyage" {
		t.Errorf("Keys() = %s, want Service,Voyage (imo is a constant; the rest are not configured)", got)
	}
}
