package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/exportpipe/exportpipe/dashboard"
	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/sql/warehouse"
)

// defaultDashboardAddr is loopback: the dashboard has no login, so it is
// reachable from elsewhere only when --addr says so.
const defaultDashboardAddr = "127.0.0.1:8080"

// snapshotFlags choose the snapshot a dashboard or report reads.
type snapshotFlags struct {
	db, config, exports string
}

func (f *snapshotFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.db, "db", "", "published snapshot to read (default: the demo's, "+defaultSnapshot+")")
	fl.StringVarP(&f.config, "config", "c", "", "pipeline config whose published snapshot to read")
	fl.StringVar(&f.exports, "exports", "", "the snapshot's export folder, for the CSV/Parquet links (default: the config's, or exports/ beside the snapshot)")
}

// resolve returns the snapshot path and its export folder.
func (f *snapshotFlags) resolve() (snapshot, exports string, err error) {
	switch {
	case f.db != "" && f.config != "":
		return "", "", usageError{errors.New("give --db or --config, not both")}
	case f.config != "":
		cfg, err := pipeline.LoadConfig(f.config)
		if err != nil {
			return "", "", err
		}
		snapshot, exports = snapshotPath(cfg), exportDirOf(cfg)
	case f.db != "":
		snapshot = f.db
	default:
		snapshot = defaultSnapshot
	}
	if f.exports != "" {
		exports = f.exports
	}
	if exports == "" {
		exports = filepath.Join(filepath.Dir(snapshot), "exports")
	}
	return snapshot, exports, nil
}

// exportDirOf is where a config's runs publish their exports.
func exportDirOf(cfg *pipeline.Config) string {
	return warehouse.ExportDirFor(snapshotPath(cfg), cfg.Warehouse.Exports)
}

func newDashboardCmd() *cobra.Command {
	var sf snapshotFlags
	var addr string
	cmd := &cobra.Command{
		Use:   "dashboard [--db SNAPSHOT | --config F] [--addr 127.0.0.1:8080]",
		Short: "Serve the dashboard of the published snapshot: runs, marts and rejects in a browser",
		Long: `Dashboard serves the views of the published snapshot over HTTP: an overview
of the runs, one view per question the marts answer, and the rejects, each
chart beside a table of its numbers and links to the mart's CSV and Parquet
exports. Filters live in the URL, so a view can be shared as a link.

It opens the snapshot read-only, so it never blocks a run and a run never
blocks it, and it shows a newly published snapshot on the next page without
a restart. It listens on 127.0.0.1 unless --addr says otherwise; it has no
login, so expose it only behind something that has one.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			snap, exports, err := sf.resolve()
			if err != nil {
				return err
			}
			return serveDashboard(cmd.Context(), snap, exports, addr)
		},
	}
	sf.register(cmd)
	cmd.Flags().StringVar(&addr, "addr", defaultDashboardAddr, "address to listen on")
	return cmd
}

func serveDashboard(ctx context.Context, snap, exports, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() {
		slog.Warn("the dashboard listens beyond this machine and has no login", "addr", ln.Addr().String())
	}
	if _, err := os.Stat(snap); err != nil {
		slog.Warn("no snapshot yet: the dashboard shows it once a run publishes it", "snapshot", snap)
	}
	reader := warehouse.NewSnapshotReader(snap)
	defer reader.Close()
	srv := &http.Server{Handler: dashboard.NewServer(reader, dashboard.Options{ExportDir: exports}), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	slog.Info("dashboard serving", "url", "http://"+ln.Addr().String()+"/", "snapshot", snap, "exports", exports)
	select {
	case err := <-served:
		return fmt.Errorf("dashboard: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	return nil
}

func newReportCmd() *cobra.Command {
	var sf snapshotFlags
	var out string
	cmd := &cobra.Command{
		Use:   "report [--db SNAPSHOT | --config F] --out report.html",
		Short: "Write every dashboard view of the published snapshot as one self-contained HTML file",
		Long: `Report writes the dashboard's views (with their default filters) into one
HTML file to mail or publish: styles and charts are inline, there is no
script, and its Content-Security-Policy lets it load nothing. The links to
the marts' CSV and Parquet exports are relative to the file, so they work
while it sits beside the exports.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			snap, exports, err := sf.resolve()
			if err != nil {
				return err
			}
			if out == "" {
				return usageError{errors.New("report needs --out FILE")}
			}
			n, err := writeReport(cmd.Context(), snap, exports, out)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s (%d bytes) from %s\n", out, n, snap)
			return nil
		},
	}
	sf.register(cmd)
	cmd.Flags().StringVarP(&out, "out", "o", "report.html", "file to write")
	return cmd
}

// writeReport renders the report into a temporary file and renames it into
// place, so a reader never finds half a report.
func writeReport(ctx context.Context, snap, exports, out string) (int64, error) {
	reader := warehouse.NewSnapshotReader(snap)
	defer reader.Close()
	dir := filepath.Dir(out)
	tmp, err := os.CreateTemp(dir, ".report-*.html")
	if err != nil {
		return 0, fmt.Errorf("write report: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := dashboard.WriteReport(ctx, tmp, reader, dir, dashboard.Options{ExportDir: exports}); err != nil {
		tmp.Close()
		return 0, fmt.Errorf("write report from %s: %w", snap, err)
	}
	st, err := tmp.Stat()
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), out)
	}
	if err != nil {
		return 0, fmt.Errorf("write report %s: %w", out, err)
	}
	return st.Size(), nil
}
