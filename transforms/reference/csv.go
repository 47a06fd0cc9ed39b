package reference

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
)

// table reads a CSV with a header row and hands each record to fn with
// the positions of the wanted columns.
type table struct {
	r    *csv.Reader
	head []string
	cols []int
	line int
}

func newTable(r io.Reader, comma rune, want ...string) (*table, error) {
	cr := csv.NewReader(r)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: read header: %v", ErrLayout, err)
	}
	if len(head) > 0 {
		head[0] = trimBOM(head[0])
	}
	// Copied: ReuseRecord lets the reader overwrite the header's slice.
	t := &table{r: cr, head: slices.Clone(head), cols: make([]int, len(want)), line: 1}
	for i, name := range want {
		if t.cols[i] = slices.Index(head, name); t.cols[i] < 0 {
			return nil, fmt.Errorf("%w: no column %q in header %q", ErrLayout, name, head)
		}
	}
	return t, nil
}

// each calls fn with the wanted fields of every record, in order.
func (t *table) each(fn func(f []string) error) error {
	f := make([]string, len(t.cols))
	for {
		rec, err := t.r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		t.line++
		if err != nil {
			return fmt.Errorf("line %d: %w", t.line, err)
		}
		for i, c := range t.cols {
			f[i] = ""
			if c >= 0 && c < len(rec) {
				f[i] = rec[c]
			}
		}
		if err := fn(f); err != nil {
			return fmt.Errorf("line %d: %w", t.line, err)
		}
	}
}

func trimBOM(s string) string {
	if len(s) >= 3 && s[:3] == "\xef\xbb\xbf" {
		return s[3:]
	}
	return s
}

func (t *table) header() []string { return t.head }

// optional adds a column the layout may lack and reports whether the
// header has it. each passes its field after the wanted ones: "" in every
// record when the header lacks it.
func (t *table) optional(name string) bool {
	c := slices.Index(t.head, name)
	t.cols = append(t.cols, c)
	return c >= 0
}

// eachRaw calls fn with every whole record, for wide layouts.
func (t *table) eachRaw(fn func(rec []string) error) error {
	for {
		rec, err := t.r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		t.line++
		if err != nil {
			return fmt.Errorf("line %d: %w", t.line, err)
		}
		if err := fn(rec); err != nil {
			return fmt.Errorf("line %d: %w", t.line, err)
		}
	}
}
