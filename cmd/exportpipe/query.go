package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/pipeline/runlock"
	"github.com/exportpipe/exportpipe/sql/warehouse"
)

// queryFormats are the output formats of `exportpipe query --format`.
var queryFormats = []string{"table", "csv", "json"}

// defaultSnapshot is where the demo publishes, and what query and
// dictionary read when no --db or config names another file.
const defaultSnapshot = "data/analytics.duckdb"

// terminalRows is how many rows query prints to a terminal unless told
// otherwise: enough to read, not so many that a stray SELECT * floods it.
const terminalRows = 1000

func newQueryCmd() *cobra.Command {
	var db, configPath, format string
	var limit int
	cmd := &cobra.Command{
		Use:   `query "SQL"`,
		Short: "Run SQL against the published snapshot and print the result (table, CSV or JSON)",
		Long: `Query opens the published snapshot read-only, so it never blocks a run
that is writing the working warehouse, runs exactly one statement and prints
its rows on stdout. The snapshot is the config's (--config), the file named
with --db, or the demo's data/analytics.duckdb.

Values are printed as DuckDB's own CLI prints them: lists [1, 2], structs
{'k': 1, 'j': x} in field order, maps {a=1}, intervals 3 days, decimals
1.50, blobs \xAA, timestamps with their zone (UTC). --format table (the
default) aligns columns, numbers to the right, NULL as NULL; csv writes RFC
4180 CSV with a header row and NULL as an empty field; json writes an array
with one object per row, keys in column order, values with JSON types
(numbers, strings, arrays, objects; NULL is null).

To a terminal, query prints the first 1000 rows and says on stderr when
there were more; to a file or a pipe it prints every row. --limit N sets the
number either way (0: no limit).`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{fmt.Errorf("query takes exactly one SQL statement in quotes")}
			}
			return nil
		},
		PreRunE: func(*cobra.Command, []string) error {
			if !slices.Contains(queryFormats, format) {
				return usageError{fmt.Errorf("--format %q: want %s", format, strings.Join(queryFormats, ", "))}
			}
			if limit < 0 {
				return usageError{fmt.Errorf("--limit %d: want 0 (every row) or more", limit)}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			path, from, err := queryTarget(db, configPath)
			if err != nil {
				return err
			}
			if !cmd.Flags().Changed("limit") {
				limit = 0
				if isTerminal(cmd.OutOrStdout()) {
					limit = terminalRows
				}
			}
			more, err := runQuery(cmd, path, args[0], format, limit)
			if err != nil {
				return queryError(err, path, from)
			}
			if more {
				fmt.Fprintf(cmd.ErrOrStderr(), "(showing the first %s rows; --limit 0 prints them all, and a pipe or file gets them all)\n", num(int64(limit)))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&db, "db", "", "DuckDB file to query (default: the config's snapshot, or "+defaultSnapshot+")")
	cmd.Flags().StringVarP(&configPath, "config", "c", "", "pipeline config whose published snapshot to query")
	cmd.Flags().IntVar(&limit, "limit", terminalRows, "print at most this many rows, 0 for all (default: 1000 to a terminal, all otherwise)")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	_ = cmd.RegisterFlagCompletionFunc("format", fixedCompletions(queryFormats...))
	return cmd
}

// snapshotFrom says how query found its file, for the message when the
// file is not there.
type snapshotFrom int

const (
	fromDefault snapshotFrom = iota
	fromDB
	fromConfig
)

type querySource struct {
	how    snapshotFrom
	config string
}

// queryTarget is the file to query: --db, the config's snapshot, or the
// demo's.
func queryTarget(db, configPath string) (string, querySource, error) {
	switch {
	case db != "":
		return db, querySource{how: fromDB}, nil
	case configPath != "":
		cfg, err := pipeline.LoadConfig(configPath)
		if err != nil {
			return "", querySource{}, err
		}
		return snapshotPath(cfg), querySource{how: fromConfig, config: configPath}, nil
	}
	return defaultSnapshot, querySource{how: fromDefault}, nil
}

// queryError says what went wrong in terms of the command line.
func queryError(err error, path string, from querySource) error {
	switch {
	case errors.Is(err, warehouse.ErrNotOneStatement), errors.Is(err, warehouse.ErrNotAQuery):
		return usageError{err}
	case errors.Is(err, fs.ErrNotExist):
		return missingSnapshot(path, from)
	case errors.Is(err, warehouse.ErrLocked):
		return lockedSnapshot(path)
	}
	return err
}

// missingSnapshot explains a file that is not there, by how it was named.
func missingSnapshot(path string, from querySource) error {
	exe := invocation()
	switch from.how {
	case fromDB:
		return fmt.Errorf("no DuckDB file at %s: check the path given with --db", path)
	case fromConfig:
		return fmt.Errorf("no snapshot at %s yet: a run publishes it when it succeeds; run %s run --config %s first", path, exe, shellQuote(from.config))
	}
	return fmt.Errorf("no snapshot at %s: run %s run first (the demo publishes it there), or name a file with --db or a config with --config", path, exe)
}

// lockedSnapshot is the message for a file a run holds: query was pointed
// at the working warehouse. The run's lock file says which snapshot that
// run publishes, so the message names it.
func lockedSnapshot(path string) error {
	instead := "the published snapshot (the config's warehouse.snapshot; by default analytics.duckdb beside the warehouse)"
	if h, held, err := runlock.Peek(path); err == nil && h.Snapshot != "" {
		instead = h.Snapshot + ": " + invocation() + " query --db " + shellQuote(h.Snapshot) + " ..."
		if held {
			return fmt.Errorf("%s is the working warehouse, and a run is writing it (%s): query its published snapshot instead, %s", path, h, instead)
		}
	}
	return fmt.Errorf("%s is held by another process, most likely an exportpipe run writing it: query the published snapshot instead, %s", path, instead)
}

// runQuery runs the statement and writes its rows in format as they come.
func runQuery(cmd *cobra.Command, path, statement, format string, limit int) (bool, error) {
	out := cmd.OutOrStdout()
	as := warehouse.AsText
	if format == "json" {
		as = warehouse.AsJSON
	}
	var w resultWriter
	switch format {
	case "csv":
		w = &csvResult{w: csv.NewWriter(out)}
	case "json":
		w = &jsonResult{w: out}
	default:
		w = &tableResult{w: out}
	}
	more, err := warehouse.Query(cmd.Context(), path, statement, as, limit, w.columns, w.row)
	if err != nil {
		return false, err
	}
	return more, w.close()
}

// resultWriter writes a query's result in one format.
type resultWriter interface {
	columns([]warehouse.Column) error
	row([]*string) error
	close() error
}

// tableResult aligns columns, so it holds the rows until the end.
type tableResult struct {
	w io.Writer
	t *table
}

func (r *tableResult) columns(cols []warehouse.Column) error {
	names := make([]string, len(cols))
	right := make([]bool, len(cols))
	for i, c := range cols {
		names[i], right[i] = c.Name, c.Numeric
	}
	r.t = newTable(names...)
	r.t.right = right
	return nil
}

// controlChars are shown escaped in a table, where a raw newline or tab
// would break the columns; CSV and JSON carry them as they are.
var controlChars = strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`)

func (r *tableResult) row(cells []*string) error {
	row := make([]string, len(cells))
	for i, c := range cells {
		if c == nil {
			row[i] = "NULL"
		} else {
			row[i] = controlChars.Replace(*c)
		}
	}
	r.t.add(row...)
	return nil
}

func (r *tableResult) close() error {
	if r.t != nil {
		r.t.write(r.w)
	}
	return nil
}

// csvResult streams RFC 4180 CSV; NULL is an empty field.
type csvResult struct{ w *csv.Writer }

func (r *csvResult) columns(cols []warehouse.Column) error {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return r.w.Write(names)
}

func (r *csvResult) row(cells []*string) error {
	rec := make([]string, len(cells))
	for i, c := range cells {
		if c != nil {
			rec[i] = *c
		}
	}
	if err := r.w.Write(rec); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

func (r *csvResult) close() error {
	r.w.Flush()
	return r.w.Error()
}

// jsonResult streams an array of objects whose keys keep the column
// order, which a Go map would lose; each value is DuckDB's JSON text.
type jsonResult struct {
	w    io.Writer
	keys [][]byte
	rows int
}

func (r *jsonResult) columns(cols []warehouse.Column) error {
	r.keys = make([][]byte, len(cols))
	for i, c := range cols {
		k, err := json.Marshal(c.JSONKey)
		if err != nil {
			return err
		}
		r.keys[i] = k
	}
	_, err := io.WriteString(r.w, "[")
	return err
}

func (r *jsonResult) row(cells []*string) error {
	var b strings.Builder
	if r.rows > 0 {
		b.WriteString(",")
	}
	b.WriteString("\n  {")
	for j, c := range cells {
		if j > 0 {
			b.WriteString(", ")
		}
		b.Write(r.keys[j])
		b.WriteString(": ")
		if c == nil {
			b.WriteString("null")
		} else {
			b.WriteString(*c)
		}
	}
	b.WriteString("}")
	r.rows++
	_, err := io.WriteString(r.w, b.String())
	return err
}

func (r *jsonResult) close() error {
	end := "]\n"
	if r.rows > 0 {
		end = "\n]\n"
	}
	_, err := io.WriteString(r.w, end)
	return err
}

// fixedCompletions completes a flag's value from a fixed list.
func fixedCompletions(values ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}
