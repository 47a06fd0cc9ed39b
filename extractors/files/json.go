package files

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	gojson "github.com/goccy/go-json"

	"github.com/exportpipe/exportpipe/extractors/internal/rawbatch"
)

// maxLine bounds one NDJSON record, so a file without newlines cannot
// make a line the size of the file.
const maxLine = 16 << 20

// ndjson reads one JSON object per line. Blank lines are skipped; a line
// that is not a JSON object becomes a row the transform rejects, with the
// line as sent in _raw.
func (r *reader) ndjson(in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 1<<16), maxLine)
	for line := int64(1); sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		r.addJSON(b, line)
		if err := r.next(); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return lineError(r.records+1, err, maxLine)
	}
	return nil
}

// addJSON adds one record given as JSON text. The scanner reads only the
// fields the mapping asks for; a record it cannot vouch for goes through
// the full decoder, which gives the same values and decides what is not
// JSON at all.
func (r *reader) addJSON(b []byte, row int64) {
	if r.scan == nil {
		r.scan = rawbatch.NewScanner(append(r.e.mapping.Paths(), "_file", "_row"))
	}
	if !r.scan.Scan(b) {
		r.addJSONDecoded(b, row)
		return
	}
	r.b.Add(func(key string) (string, bool) {
		if v, ok := r.scan.Get(key); ok {
			return v, true
		}
		return r.pseudo(key, row)
	}, string(b))
}

// addJSONDecoded adds one record by decoding it into a map first.
func (r *reader) addJSONDecoded(b []byte, row int64) {
	var obj map[string]json.RawMessage
	// go-json (already in the build through arrow-go) decodes the same
	// documents as encoding/json, faster.
	if err := gojson.Unmarshal(b, &obj); err != nil || obj == nil {
		r.b.AddInvalid(string(b))
		return
	}
	get := rawbatch.JSONGetter(obj)
	r.b.Add(func(key string) (string, bool) {
		if v, ok := get(key); ok {
			return v, true
		}
		return r.pseudo(key, row)
	}, string(b))
}

// jsonArray streams the elements of a JSON array, either the whole
// document or the array at path inside it, one element at a time.
func (r *reader) jsonArray(in io.Reader, path string) error {
	guard := newRecordGuard(in)
	dec := json.NewDecoder(guard)
	if err := descend(dec, path); err != nil {
		return err
	}
	for row := int64(1); dec.More(); row++ {
		guard.start(dec.InputOffset())
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("record %d: %w", row, err)
		}
		r.addJSON(raw, row)
		if err := r.next(); err != nil {
			return err
		}
	}
	return nil
}

// descend moves the decoder to just inside the array at path, skipping
// (decoding and dropping) the values of other keys on the way.
func descend(dec *json.Decoder, path string) error {
	var keys []string
	if path != "" {
		keys = strings.Split(path, ".")
	}
	for _, k := range keys {
		if err := expectDelim(dec, '{', "an object (records_path "+path+")"); err != nil {
			return err
		}
		if err := seekKey(dec, k); err != nil {
			return fmt.Errorf("records_path %q: %w", path, err)
		}
	}
	return expectDelim(dec, '[', "an array of records; set records_path if they sit inside an object")
}

func expectDelim(dec *json.Decoder, d json.Delim, what string) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("want %s: %w", what, err)
	}
	if got, ok := tok.(json.Delim); !ok || got != d {
		return fmt.Errorf("want %s, found %v", what, tok)
	}
	return nil
}

func seekKey(dec *json.Decoder, key string) error {
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if k, _ := tok.(string); k == key {
			return nil
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	return fmt.Errorf("no key %q", key)
}

// lineError says why reading the record after the last good one failed.
// Only a line over the limit is about the limit; a file that stops in the
// middle (a truncated download or gzip stream) is about the file.
func lineError(record int64, err error, limit int) error {
	switch {
	case errors.Is(err, bufio.ErrTooLong):
		return fmt.Errorf("record %d is longer than %d MiB, the most one record may take: check that the file has one JSON object per line", record, limit>>20)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("the file ends in the middle of record %d: it was cut short (a truncated download or gzip file); fetch it again", record)
	}
	return fmt.Errorf("record %d: %w", record, err)
}
