package reference

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/exportpipe/exportpipe/internal/httpx"
)

// ErrNothingUsable means a reference file gave the run nothing: every row
// was one it could not use, or it had none. Such a file is the wrong file
// or in the wrong layout, and a run that went on without it would reject
// or misread every record it was meant for (every price no_fx_rate), so
// the run stops instead, naming the file.
var ErrNothingUsable = errors.New("no usable rows")

// Yield is what one reference file gave the run.
type Yield struct {
	// Used counts what the run takes from the file: codes, names,
	// subheadings, MIDs, exchange rates.
	Used int
	// Unusable are rows the file meant to give but the loader could not
	// use, by reason; a run warns about them.
	Unusable []RowsLeft
	// LeftOut are rows left out by design: UN/LOCODE cross-references,
	// HS headings above the subheading level, gaps in a rate series, the
	// series of retired currencies. They are counted, not warned about.
	LeftOut []RowsLeft
}

// RowsLeft is how many rows (for exchange rates, quotes) were left out
// for one reason, with the first line and what it held.
type RowsLeft struct {
	Reason    string
	Rows      int
	FirstLine int
	Example   string
}

// UnusableRows is the sum of Unusable.
func (y Yield) UnusableRows() int { return sumRows(y.Unusable) }

// LeftOutRows is the sum of LeftOut.
func (y Yield) LeftOutRows() int { return sumRows(y.LeftOut) }

func sumRows(rs []RowsLeft) int {
	n := 0
	for _, r := range rs {
		n += r.Rows
	}
	return n
}

// Describe lists rows left for reasons as one line:
// `series not known: 120 (first on line 2: "Pakistan")`.
func Describe(rs []RowsLeft) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("%s: %d (first on line %d: %q)", r.Reason, r.Rows, r.FirstLine, r.Example)
	}
	return strings.Join(parts, "; ")
}

// tally counts a loader's rows as it goes.
type tally struct {
	y Yield
}

func (t *tally) use() { t.y.Used++ }

// unusable counts one row the loader could not use.
func (t *tally) unusable(reason string, line int, example string) {
	t.y.Unusable = count(t.y.Unusable, reason, line, example)
}

// leftOut counts one row the layout leaves out by design.
func (t *tally) leftOut(reason string, line int, example string) {
	t.y.LeftOut = count(t.y.LeftOut, reason, line, example)
}

func count(rs []RowsLeft, reason string, line int, example string) []RowsLeft {
	for i := range rs {
		if rs[i].Reason == reason {
			rs[i].Rows++
			return rs
		}
	}
	// Cloned: the CSV reader reuses its buffers.
	return append(rs, RowsLeft{Reason: reason, Rows: 1, FirstLine: line, Example: strings.Clone(truncate(example, 60))})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
		cut--
	}
	return s[:cut] + "…"
}

// report logs a file's yield, warning about rows it could not use, and
// fails when it yielded nothing.
func report(kind, path string, y Yield) error {
	name := httpx.RedactURL(path)
	if y.Used == 0 {
		why := "the file has no rows"
		if rs := append(append([]RowsLeft(nil), y.Unusable...), y.LeftOut...); len(rs) > 0 {
			why = Describe(rs)
		}
		return fmt.Errorf("reference file %s (%s): %w: %s; check that it is the file and layout the config says", name, kind, ErrNothingUsable, why)
	}
	if len(y.Unusable) > 0 {
		slog.Warn("reference file has rows it cannot use: they are left out of the run's tables",
			"file", name, "kind", kind, "used", y.Used, "unusable", y.UnusableRows(), "reasons", Describe(y.Unusable))
	}
	attrs := []any{"file", name, "kind", kind, "used", y.Used}
	if len(y.LeftOut) > 0 {
		attrs = append(attrs, "left_out", y.LeftOutRows(), "left_out_reasons", Describe(y.LeftOut))
	}
	slog.Info("reference file loaded", attrs...)
	return nil
}
