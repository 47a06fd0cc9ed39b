package files

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/extractors/internal/rawbatch"
	"github.com/exportpipe/exportpipe/pipeline"
)

// scanMappings are the mappings the scanner is held to the decoder under:
// dotted paths into objects and arrays, keys with dots of their own,
// templates, patterns, defaults, constants, the _file and _row
// pseudo-fields, keep: both as a list and as "*", and sellers: (seller
// columns read from the same record).
var scanMappings = []pipeline.Mapping{
	{
		Fields: map[string]string{"listing_id": "id", "title": "names.0", "seller_id": "seller.id",
			"price": "{p.amount} {p.cur}", "moq": "odd.key", "category": "cats.-1.name", "hs_code": "_row"},
		Patterns:  map[string]string{"price": `^([0-9.]+ [A-Z]+)`},
		Defaults:  map[string]string{"moq": "1 Piece"},
		Constants: map[string]string{"marketplace": "fuzz.example"},
		Keep:      []string{"color", "size.eu", "_file"},
	},
	{
		Fields:  map[string]string{"listing_id": "{_file}:{_row}", "title": "t", "seller_id": "seller.id"},
		Keep:    []string{pipeline.KeepAll},
		Sellers: map[string]string{"seller_id": "seller.id", "name": "seller.name", "country": "seller.addr.0"},
	},
}

// decodeBoth maps line with the scanner and with the map decoder, under
// mapping m, and returns every column of both batches rendered as text.
func decodeBoth(t testing.TB, m pipeline.Mapping, line []byte) (scanned, decoded []string) {
	e, err := New(Config{Name: "fuzz", Dataset: pipeline.Listings, Paths: []string{"x.ndjson"}, Mapping: m})
	if err != nil {
		t.Fatal(err)
	}
	rows := func(add func(*reader, []byte, int64)) []string {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		b := rawbatch.NewBuilder(mem, pipeline.Listings, e.mapping, 10)
		defer b.Release()
		r := &reader{e: e, b: b, file: "x.ndjson", ctx: context.Background(), mem: mem}
		add(r, line, 7)
		var out []string
		b.Flush(func(rec arrow.RecordBatch) error {
			for c, col := range rec.Columns() {
				s := col.(*array.String)
				v := "NULL"
				if s.IsValid(0) {
					v = fmt.Sprintf("%q", s.Value(0))
				}
				out = append(out, rec.ColumnName(c)+"="+v)
			}
			return nil
		})
		return out
	}
	return rows((*reader).addJSON), rows((*reader).addJSONDecoded)
}

func TestScannerMatchesDecoder(t *testing.T) {
	t.Parallel()
	lines := []string{
		`{"id":"L1","names":["Bed sheet","x"],"seller":{"id":"S9"},"p":{"amount":2.5,"cur":"USD"},"odd.key":"3 Sets","cats":[{"name":"a"},{"name":"Towels"}],"color":"red","size":{"eu":42}}`,
		`{"id":"L2","id":"L2b","title":null,"names":[],"p":{"amount":"","cur":"USD"},"extra":[1,{"deep":[true,false,null]}]}`,
		`{"id":"L3","names":"not an array","seller":"not an object","size.eu":"40","t":"caf\u00e9 \"quoted\""}`,
		`{"_file":"from the record","_row":"also","id":1e3,"odd":{"key":"nested wins only without a flat key"}}`,
		`{"ключ":"non-ASCII key","id":"L5"}`,
		`{"id":"L6","bad":"` + "\xff" + `"}`,
		`{"id":"L7"} trailing`,
		`[1,2,3]`,
		`null`,
		`{"id":"L8",}`,
		`{"id":01}`,
		`{}`,
	}
	for _, m := range scanMappings {
		for _, line := range lines {
			got, want := decodeBoth(t, m, []byte(line))
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("keep %v, line %s:\nscanner %v\ndecoder %v", m.Keep, line, got, want)
			}
		}
	}
}

// FuzzScannerMatchesDecoder: on any line, mapping a record with the
// scanner gives exactly the batch row the map decoder gives, valid JSON or
// not.
func FuzzScannerMatchesDecoder(f *testing.F) {
	f.Add([]byte(`{"id":"L1","names":["a"],"seller":{"id":"S"},"p":{"amount":1,"cur":"EUR"},"cats":[{"name":"x"}],"color":"red"}`), false)
	f.Add([]byte(`{"t":"x","a":{"b":[1,2.5e-3,-0,true,null,"\ud83d\ude00"]},"odd.key":"y"}`), true)
	f.Add([]byte(`{"id":"x","id":"y","size":{"eu":"1"},"size.eu":"2"}`), false)
	f.Add([]byte(`{"a":"\u00"}`), true)
	f.Fuzz(func(t *testing.T, line []byte, keepAll bool) {
		m := scanMappings[0]
		if keepAll {
			m = scanMappings[1]
		}
		got, want := decodeBoth(t, m, line)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("line %q:\nscanner %v\ndecoder %v", line, got, want)
		}
	})
}
