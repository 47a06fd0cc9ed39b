package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/exportpipe/exportpipe/sql/warehouse"
)

// queryFormats are the output formats of `exportpipe query --format`.
var queryFormats = []string{"table", "csv", "json"}

// defaultSnapshot is where the demo publishes, and what query and
// dictionary read when no --db or config names another file.
const defaultSnapshot = "data/analytics.duckdb"

func newQueryCmd() *cobra.Command {
	var db, format string
	var limit int
	cmd := &cobra.Command{
		Use:   `query "SQL"`,
		Short: "Run SQL against the published snapshot and print the result (table, CSV or JSON)",
		Long: `Query opens the published snapshot read-only, so it never blocks a run
that is writing the working warehouse, and prints the result on stdout.

--format table (the default) aligns columns for reading; csv writes RFC 4180
CSV with a header row; json writes an array with one object per row, keyed
by column name. Values are text in every format, exactly as the table shows
them (numbers are JSON strings, so no digit is lost); NULL is the text NULL
in a table, an empty field in CSV and null in JSON.`,
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
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			cols, rows, err := warehouse.QueryReadOnly(cmd.Context(), db, args[0], limit)
			if err != nil {
				return err
			}
			if err := writeResult(cmd.OutOrStdout(), format, cols, rows); err != nil {
				return err
			}
			if limit > 0 && len(rows) == limit {
				fmt.Fprintf(cmd.ErrOrStderr(), "(showing the first %d rows; raise --limit to see more)\n", limit)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&db, "db", defaultSnapshot, "DuckDB file to query (the published snapshot)")
	cmd.Flags().IntVar(&limit, "limit", 1000, "print at most this many rows (0 for all)")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	return cmd
}

// writeResult prints a query result in format (one of queryFormats).
func writeResult(w io.Writer, format string, cols []string, rows [][]string) error {
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(cols); err != nil {
			return err
		}
		for _, r := range rows {
			rec := slices.Clone(r)
			for i, v := range rec {
				if v == "NULL" {
					rec[i] = ""
				}
			}
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("write csv: %w", err)
			}
		}
		cw.Flush()
		return cw.Error()
	case "json":
		return writeJSONRows(w, cols, rows)
	}
	t := newTable(cols...)
	for _, r := range rows {
		t.add(r...)
	}
	t.write(w)
	return nil
}

// writeJSONRows writes an array of objects whose keys keep the column
// order, which a map would lose. NULL becomes null.
func writeJSONRows(w io.Writer, cols []string, rows [][]string) error {
	keys := make([][]byte, len(cols))
	for i, c := range cols {
		k, err := json.Marshal(c)
		if err != nil {
			return err
		}
		keys[i] = k
	}
	var b strings.Builder
	b.WriteString("[")
	for i, r := range rows {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  {")
		for j, v := range r {
			if j > 0 {
				b.WriteString(", ")
			}
			b.Write(keys[j])
			b.WriteString(": ")
			if v == "NULL" {
				b.WriteString("null")
				continue
			}
			val, err := json.Marshal(v)
			if err != nil {
				return err
			}
			b.Write(val)
		}
		b.WriteString("}")
	}
	if len(rows) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	_, err := io.WriteString(w, b.String())
	return err
}
