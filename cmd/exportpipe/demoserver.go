package main

import (
	"fmt"
	"log/slog"
	"time"

	"context"

	"github.com/spf13/cobra"

	"github.com/exportpipe/exportpipe/demo"
)

func newDemoServerCmd() *cobra.Command {
	var listen string
	var listings int
	var seed int64
	cmd := &cobra.Command{
		Use:   "demo-server",
		Short: "Serve the simulated marketplace and shipping APIs until interrupted",
		Long: `demo-server serves the same seeded APIs that "exportpipe run" uses for its
demo, so you can point a config of your own at them, or curl them:
  /api/v1/listings /api/v1/sellers /api/v1/sailings /api/v1/freight-rates
  /api/v1/fx-rates /api/v1/truth (the ground truth a correct run must match)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sim := demo.New(demo.Config{Seed: seed, Listings: listings})
			addr, shutdown, err := demo.Serve(cmd.Context(), sim, listen)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", listen, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "http://%s/api/v1/\n", addr)
			slog.Info("demo server listening", "addr", addr, "listings", listings, "seed", seed)
			<-cmd.Context().Done()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			return shutdown(ctx)
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8089", "address to listen on")
	cmd.Flags().IntVar(&listings, "listings", 300000, "number of listings to serve")
	cmd.Flags().Int64Var(&seed, "seed", 1, "seed: the same seed always serves the same data")
	return cmd
}
