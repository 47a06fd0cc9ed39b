package httpjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// batcher accumulates records into a raw Arrow batch and emits it when full.
type batcher struct {
	rb     *array.RecordBuilder
	cols   []*array.StringBuilder
	raw    *array.StringBuilder
	paths  [][]string // per canonical field: the JSON path, nil for a constant
	consts []string
	rows   int
	max    int
}

func newBatcher(mem memory.Allocator, cfg Config) *batcher {
	fields := pipeline.RawFields[cfg.Dataset]
	rb := array.NewRecordBuilder(mem, pipeline.RawSchema(cfg.Dataset))
	b := &batcher{rb: rb, max: cfg.BatchSize}
	for i, f := range fields {
		b.cols = append(b.cols, rb.Field(i).(*array.StringBuilder))
		if c, ok := cfg.Constants[f]; ok {
			b.paths = append(b.paths, nil)
			b.consts = append(b.consts, c)
			continue
		}
		p := f
		if m, ok := cfg.Fields[f]; ok {
			p = m
		}
		b.paths = append(b.paths, strings.Split(p, "."))
		b.consts = append(b.consts, "")
	}
	b.raw = rb.Field(len(fields)).(*array.StringBuilder)
	return b
}

func (b *batcher) release() { b.rb.Release() }

// add appends one record. A record that is not a JSON object still gets a
// row, with every field null, so the transform rejects it visibly instead of
// the extractor dropping it.
func (b *batcher) add(rec json.RawMessage) {
	var obj map[string]json.RawMessage
	_ = json.Unmarshal(rec, &obj)
	for i, col := range b.cols {
		if b.paths[i] == nil {
			col.Append(b.consts[i])
			continue
		}
		if v, ok := lookup(obj, b.paths[i]); ok {
			col.Append(v)
		} else {
			col.AppendNull()
		}
	}
	b.raw.Append(string(rec))
	b.rows++
}

func (b *batcher) flush(emit pipeline.Emit) error {
	if b.rows == 0 {
		return nil
	}
	rec := b.rb.NewRecordBatch()
	defer rec.Release()
	b.rows = 0
	return emit(rec)
}

// decodePage adds a page's records to the batcher, emitting full batches,
// and returns the next cursor ("" when there is none).
func (e *Extractor) decodePage(body []byte, b *batcher, emit pipeline.Emit) (string, int64, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return "", 0, fmt.Errorf("response is not a JSON object: %w", err)
	}
	recs, ok := lookupRaw(top, strings.Split(e.cfg.RecordsPath, "."))
	if e.cfg.RecordsPath == "" {
		recs, ok = body, true
	}
	if !ok {
		return "", 0, fmt.Errorf("no records at %q; check records_path", e.cfg.RecordsPath)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(recs, &items); err != nil {
		return "", 0, fmt.Errorf("records at %q are not a JSON array: %w", e.cfg.RecordsPath, err)
	}
	var n int64
	for _, it := range items {
		b.add(it)
		n++
		if b.rows >= b.max {
			if err := b.flush(emit); err != nil {
				return "", n, err
			}
		}
	}
	next, _ := lookup(top, strings.Split(e.cfg.NextPath, "."))
	return next, n, nil
}

// lookup follows a dotted path and renders the value as text: strings
// unquoted, other scalars as their JSON literal, objects and arrays as JSON.
// JSON null and a missing key both report ok=false.
func lookup(obj map[string]json.RawMessage, path []string) (string, bool) {
	raw, ok := lookupRaw(obj, path)
	if !ok {
		return "", false
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", false
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			return s, true
		}
	}
	return string(raw), true
}

func lookupRaw(obj map[string]json.RawMessage, path []string) (json.RawMessage, bool) {
	cur := obj
	for i, key := range path {
		v, ok := cur[key]
		if !ok {
			return nil, false
		}
		if i == len(path)-1 {
			return v, true
		}
		cur = nil
		if err := json.Unmarshal(v, &cur); err != nil || cur == nil {
			return nil, false
		}
	}
	return nil, false
}
