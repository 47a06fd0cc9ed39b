package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/exportpipe/exportpipe/sql/warehouse"
)

func newQueryCmd() *cobra.Command {
	var db string
	var limit int
	cmd := &cobra.Command{
		Use:   `query "SQL"`,
		Short: "Run SQL against the published snapshot and print the result as a table",
		Long: `Query opens the published snapshot read-only, so it never blocks a run
that is writing the working warehouse, and prints the result on stdout.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{fmt.Errorf("query takes exactly one SQL statement in quotes")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			cols, rows, err := warehouse.QueryReadOnly(cmd.Context(), db, args[0], limit)
			if err != nil {
				return err
			}
			t := newTable(cols...)
			for _, r := range rows {
				t.add(r...)
			}
			t.write(cmd.OutOrStdout())
			if limit > 0 && len(rows) == limit {
				fmt.Fprintf(cmd.ErrOrStderr(), "(showing the first %d rows; raise --limit to see more)\n", limit)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&db, "db", "data/analytics.duckdb", "DuckDB file to query (the published snapshot)")
	cmd.Flags().IntVar(&limit, "limit", 1000, "print at most this many rows (0 for all)")
	return cmd
}
