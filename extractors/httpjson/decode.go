package httpjson

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strconv"

	gojson "github.com/goccy/go-json"

	"github.com/exportpipe/exportpipe/extractors/internal/rawbatch"
)

// page is a decoded response: its records, the top-level object for the
// pagination fields, and a hash of the records to spot a repeated page.
type page struct {
	items []json.RawMessage
	top   map[string]json.RawMessage
	hash  [32]byte
	resp  response
}

func (e *Extractor) decode(resp response) (page, error) {
	p := page{resp: resp}
	recs := json.RawMessage(resp.body)
	if e.cfg.RecordsPath != "" {
		if err := json.Unmarshal(resp.body, &p.top); err != nil {
			return p, fmt.Errorf("response is not a JSON object: %w", err)
		}
		var ok bool
		if recs, ok = rawbatch.LookupRaw(p.top, e.cfg.RecordsPath); !ok {
			return p, fmt.Errorf("no records at %q; check records_path", e.cfg.RecordsPath)
		}
	}
	if bytes.Equal(bytes.TrimSpace(recs), []byte("null")) {
		return p, nil // some APIs send null for an empty page
	}
	if err := json.Unmarshal(recs, &p.items); err != nil {
		return p, fmt.Errorf("records at %q are not a JSON array: %w", e.cfg.RecordsPath, err)
	}
	if len(p.items) > 0 {
		p.hash = sha256.Sum256(recs)
	}
	return p, nil
}

// str reads a pagination field (a cursor, a next URL) from the body.
func (p page) str(path string) string {
	v, _ := rawbatch.Lookup(p.top, path)
	return v
}

// count reads a total from the body; ok is false when it is absent.
func (p page) count(path string) (int64, bool, error) {
	if path == "" {
		return 0, false, nil
	}
	v, ok := rawbatch.Lookup(p.top, path)
	if !ok {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, false, fmt.Errorf("%s is %q, not a count; check total_path/total_pages_path", path, v)
	}
	return n, true, nil
}

// add sends a page's records to the batcher, emitting full batches. A
// record that is not a JSON object still becomes a row (every field null)
// so the transform rejects it visibly instead of it vanishing here.
func (w *walk) add(p page) error {
	for _, it := range p.items {
		var obj map[string]json.RawMessage
		// go-json decodes what encoding/json does, about twice as fast
		// here; per-record decoding is most of an API source's CPU.
		if err := gojson.Unmarshal(it, &obj); err != nil || obj == nil {
			w.b.AddInvalid(string(it))
		} else {
			get := rawbatch.JSONGetter(obj)
			w.b.Add(get, string(it))
			w.track.observe(w.e.mapping, get)
		}
		w.records++
		if err := w.b.FlushIfFull(w.emit); err != nil {
			return err
		}
	}
	return nil
}
