package files

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/extractors/internal/rawbatch"
	"github.com/exportpipe/exportpipe/pipeline"
)

// reader streams one file's records into the batcher.
type reader struct {
	e       *Extractor
	b       *rawbatch.Builder
	emit    pipeline.Emit
	file    string
	ctx     context.Context
	mem     memory.Allocator
	records int64
	scan    *rawbatch.Scanner // JSON records: made on first use
	// CSV: the row being added, and the buffer its _raw JSON is built in.
	csvRec []string
	csvRow int64
	rawBuf []byte
}

// maxBadRows stops a file that is not CSV at all (or has the wrong
// delimiter) from turning into millions of rejects.
const maxBadRows = 10000

// csv reads a CSV file. A row is kept whatever its shape: a ragged or
// unparseable row becomes a row with every field null and the row itself,
// with the problem, in _raw, so the transform rejects it visibly.
func (r *reader) csv(in io.Reader, delim rune) error {
	opt := r.e.cfg.CSV
	guard := newRecordGuard(in)
	cr := csv.NewReader(guard)
	cr.Comma, cr.Comment, cr.LazyQuotes = delim, opt.Comment, opt.LazyQuotes
	cr.FieldsPerRecord = -1 // ragged rows are ours to report, not a fatal error
	cr.ReuseRecord = true
	header, err := r.header(cr)
	if err != nil || header == nil {
		return err
	}
	r.warnMissing(header)
	index := map[string]int{}
	for i, h := range header {
		index[h] = i
	}
	get := r.csvGetter(index)
	bad := 0
	for row := int64(1); ; row++ {
		guard.start(cr.InputOffset())
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if errors.Is(err, ErrRecordTooLarge) {
			return fmt.Errorf("row %d: %w", row, err)
		}
		line, _ := cr.FieldPos(0)
		switch {
		case err != nil:
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return err
			}
			if bad++; bad > maxBadRows {
				return fmt.Errorf("more than %d unreadable rows; is the delimiter right? last: %w", maxBadRows, err)
			}
			r.b.AddInvalid(problemJSON(pe.Error(), pe.Line, nil, nil))
		case len(rec) != len(header) && !(opt.Ragged == "pad" && len(rec) < len(header)):
			r.e.ragged.Add(1)
			msg := fmt.Sprintf("row has %d fields, the header has %d", len(rec), len(header))
			r.b.AddInvalid(problemJSON(msg, line, header, rec))
		default:
			if len(rec) != len(header) {
				r.e.ragged.Add(1)
			}
			// One getter and one JSON buffer serve every row of the file:
			// a closure and a buffer per row were a tenth of a CSV
			// source's allocations.
			r.csvRec, r.csvRow = rec, row
			r.rawBuf = appendRowJSON(r.rawBuf[:0], header, rec)
			r.b.Add(get, string(r.rawBuf))
		}
		if err := r.next(); err != nil {
			return err
		}
	}
}

// next counts a record and emits a full batch; it also notices a
// cancelled run between batches.
func (r *reader) next() error {
	r.records++
	if !r.b.Full() {
		return nil
	}
	if err := r.ctx.Err(); err != nil {
		return err
	}
	return r.b.Flush(r.emit)
}

// header reads (or names) the columns and makes them unique, so _raw is
// a JSON object without repeated keys.
func (r *reader) header(cr *csv.Reader) ([]string, error) {
	opt := r.e.cfg.CSV
	var names []string
	if !opt.NoHeader {
		h, err := cr.Read()
		if err == io.EOF {
			return nil, nil // an empty file has no records
		}
		if err != nil {
			return nil, fmt.Errorf("read header: %w", err)
		}
		names = append(names, h...)
	}
	if len(opt.Columns) > 0 {
		names = append([]string(nil), opt.Columns...)
	}
	seen := map[string]int{}
	for i, n := range names {
		if c := seen[n]; c > 0 {
			names[i] = n + "#" + strconv.Itoa(c+1)
		}
		seen[n]++
	}
	return names, nil
}

func (r *reader) warnMissing(header []string) {
	have := map[string]bool{"_file": true, "_row": true}
	for _, h := range header {
		have[h] = true
	}
	for _, k := range r.e.mapping.Keys() {
		if !have[k] {
			r.e.cfg.Logger.Warn("mapped column not in file; its field will be null", "source", r.e.cfg.Name, "file", r.file, "column", k)
		}
	}
}

// csvGetter reads the current row (csvRec, csvRow) by column name. An
// empty cell is null: CSV cannot tell "" from missing, and a null lets
// defaults apply. _file and _row name the record's origin, for
// identifiers in files that have none.
func (r *reader) csvGetter(index map[string]int) rawbatch.Getter {
	return func(key string) (string, bool) {
		if i, ok := index[key]; ok {
			if i < len(r.csvRec) && r.csvRec[i] != "" {
				return r.csvRec[i], true
			}
			return "", false
		}
		return r.pseudo(key, r.csvRow)
	}
}

func (r *reader) pseudo(key string, row int64) (string, bool) {
	switch key {
	case "_file":
		return r.file, true
	case "_row":
		return strconv.FormatInt(row, 10), true
	}
	return "", false
}

// RowJSON encodes a CSV row as a JSON object of header -> value, in
// header order, so a reject keeps the row exactly as sent.
func RowJSON(header, rec []string) string {
	return string(appendRowJSON(make([]byte, 0, 256), header, rec))
}

// appendRowJSON appends RowJSON's object to buf.
func appendRowJSON(buf []byte, header, rec []string) []byte {
	buf = append(buf, '{')
	for i, h := range header {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendJSONString(buf, h)
		buf = append(buf, ':')
		if i < len(rec) {
			buf = appendJSONString(buf, rec[i])
		} else {
			buf = append(buf, "null"...)
		}
	}
	return append(buf, '}')
}

// problemJSON is the _raw of a row that could not be read as the header
// says: the problem, the line, and the fields as found.
func problemJSON(msg string, line int, header, rec []string) string {
	buf := []byte(`{"_error":`)
	buf = appendJSONString(buf, msg)
	buf = append(buf, `,"_line":`...)
	buf = strconv.AppendInt(buf, int64(line), 10)
	if rec != nil {
		buf = append(buf, `,"_fields":[`...)
		for i, v := range rec {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendJSONString(buf, v)
		}
		buf = append(buf, ']')
	}
	return string(append(buf, '}'))
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as a JSON string. Invalid UTF-8 becomes
// U+FFFD, as encoding/json does, so the result is always valid JSON.
func appendJSONString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				buf = append(buf, '\\', c)
			case c < 0x20:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			default:
				buf = append(buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, `\ufffd`...)
		} else {
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return append(buf, '"')
}
