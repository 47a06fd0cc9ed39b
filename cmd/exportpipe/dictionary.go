package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/exportpipe/exportpipe/sql/warehouse"
)

func newDictionaryCmd() *cobra.Command {
	var db, configPath string
	cmd := &cobra.Command{
		Use:   "dictionary",
		Short: "Print the data dictionary of the published snapshot as Markdown",
		Long: `Dictionary prints every schema, table, view and column of the published
snapshot with its type and meaning (the COMMENT ON each carries), as
Markdown on stdout: exportpipe dictionary > DATA_DICTIONARY.md. It opens the
snapshot read-only, so it never blocks a run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, from, err := queryTarget(db, configPath)
			if err != nil {
				return err
			}
			if _, err := os.Stat(path); err != nil {
				return missingSnapshot(path, from)
			}
			md, err := warehouse.DataDictionary(cmd.Context(), path)
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(cmd.OutOrStdout(), md)
			return err
		},
	}
	cmd.Flags().StringVar(&db, "db", "", "DuckDB file to describe (default: the config's snapshot, or data/analytics.duckdb)")
	cmd.Flags().StringVarP(&configPath, "config", "c", "", "pipeline config whose snapshot to describe")
	return cmd
}
