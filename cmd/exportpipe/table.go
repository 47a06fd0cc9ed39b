package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/exportpipe/exportpipe/internal/textfmt"
)

// table prints aligned columns; numbers (right-aligned) are told apart from
// text by the caller's choice of column.
type table struct {
	head []string
	rows [][]string
	// right, when set, says per column whether it is right-aligned (the
	// query knows its column types); otherwise cells that look numeric are.
	right []bool
}

func newTable(head ...string) *table { return &table{head: head} }

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer) {
	widths := make([]int, len(t.head))
	for i, h := range t.head {
		widths[i] = utf8.RuneCountInString(h)
	}
	for _, r := range t.rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	line := func(cells []string) {
		parts := make([]string, len(cells))
		for i, c := range cells {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if t.alignRight(i, c) {
				parts[i] = pad + c
			} else {
				parts[i] = c + pad
			}
		}
		fmt.Fprintln(w, strings.TrimRight(strings.Join(parts, "  "), " "))
	}
	line(t.head)
	sep := make([]string, len(widths))
	for i, n := range widths {
		sep[i] = strings.Repeat("-", n)
	}
	fmt.Fprintln(w, strings.Join(sep, "  "))
	for _, r := range t.rows {
		line(r)
	}
}

func (t *table) alignRight(col int, cell string) bool {
	if t.right != nil {
		return col < len(t.right) && t.right[col]
	}
	return col > 0 && looksNumeric(cell)
}

func looksNumeric(s string) bool {
	_, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	return err == nil
}

// num formats an integer with thousands separators for the summary.
func num(n int64) string { return textfmt.Thousands(n) }
