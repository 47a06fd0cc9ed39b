//go:build duckdb_arrow

package warehouse

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// snapshotAlias is the name the snapshot file is attached under while it is
// written.
const snapshotAlias = "exportpipe_snapshot"

// Publish writes a complete copy of the working database to SnapshotPath,
// exports every mart as Parquet and CSV with a manifest into ExportDir, and
// returns the snapshot path. Analysts and dashboards open the snapshot
// read-only and never the working file, because DuckDB allows one writer
// process or many readers, never both.
//
// The copy is written to a temporary file beside the snapshot, from the
// checkpointed working file, while the working connection stays open (so its
// file lock is never released in the middle of a run); it is synced and
// renamed over the snapshot. A reader holding the old snapshot keeps its open file and sees
// the old run in full; the next reader to open the path sees the new one.
//
// The exports are written in full before the snapshot is swapped, so a
// failure in either leaves both outputs of the previous run in place.
func (w *Warehouse) Publish(ctx context.Context) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	snap := w.opts.SnapshotPath
	if err := w.ready("publish snapshot " + snap); err != nil {
		return "", err
	}
	if snap == "" {
		return "", errors.New("publish snapshot: no snapshot path configured: set the warehouse snapshot path in the config")
	}
	if same, _ := samePath(snap, w.opts.Path); same {
		return "", fmt.Errorf("publish snapshot %s: it is the working database itself: choose another snapshot path", snap)
	}
	start := time.Now()
	runID := w.publishID()
	clearLeftovers(w.log, snap, w.ExportDir())
	staged := stageExportDir(w.ExportDir(), runID)
	if err := w.stageExports(ctx, staged, runID); err != nil {
		return "", err
	}
	tmp := snap + ".tmp-" + runID
	if err := w.writeSnapshot(ctx, tmp); err != nil {
		return "", errors.Join(fmt.Errorf("publish snapshot %s: %w", snap, err), removeDBFiles(tmp), os.RemoveAll(staged))
	}
	if err := swapIn(tmp, snap); err != nil {
		return "", errors.Join(fmt.Errorf("publish snapshot %s: %w", snap, err), removeDBFiles(tmp), os.RemoveAll(staged))
	}
	if err := w.swapExports(staged, runID); err != nil {
		return "", errors.Join(fmt.Errorf("publish exports to %s: %w", w.ExportDir(), err), os.RemoveAll(staged))
	}
	w.log.Info("published snapshot and exports", "path", snap, "exports", w.ExportDir(),
		"duration_seconds", pipeline.Seconds(time.Since(start)))
	return snap, nil
}

// stageExports writes the run's exports into a fresh staging folder.
func (w *Warehouse) stageExports(ctx context.Context, staged, runID string) error {
	if err := os.RemoveAll(staged); err != nil {
		return fmt.Errorf("publish exports: remove leftover %s: %w", staged, err)
	}
	if _, err := w.writeExports(ctx, staged, runID); err != nil {
		return errors.Join(fmt.Errorf("publish exports to %s: %w", w.ExportDir(), err), os.RemoveAll(staged))
	}
	return nil
}

// publishID names a publication: the run's id, or for a publish outside a
// run (tests, tools) a time-ordered stand-in.
func (w *Warehouse) publishID() string {
	if w.runID != "" {
		return w.runID
	}
	return "publish-" + time.Now().UTC().Format("20060102T150405.000000000Z") + "-" + strconv.Itoa(os.Getpid())
}

// writeSnapshot copies the working database into a fresh file at tmp and
// leaves it closed, checkpointed and synced.
//
// After a CHECKPOINT every committed change is in the main file and the
// write-ahead log is empty; this connection holds the warehouse mutex and
// the run lock, so nothing writes until the copy is done, and the file's
// bytes are a complete database. Copying them costs what the disk costs
// (the kernel's copy_file_range), where COPY FROM DATABASE re-encoded every
// table: on a 1M-listing warehouse that was most of an incremental night.
// If a log is left after the checkpoint, the slower logical copy is used.
func (w *Warehouse) writeSnapshot(ctx context.Context, tmp string) error {
	if err := removeDBFiles(tmp); err != nil {
		return fmt.Errorf("remove leftover temporary snapshot: %w", err)
	}
	if _, err := w.conn.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return fmt.Errorf("checkpoint working database: %w", err)
	}
	if fi, err := os.Stat(w.opts.Path + ".wal"); err == nil && fi.Size() > 0 {
		w.log.Warn("working database still has a write-ahead log after CHECKPOINT; copying table by table", "wal_bytes", fi.Size())
		return w.copyDatabase(ctx, tmp)
	}
	if err := copyFile(w.opts.Path, tmp); err != nil {
		return fmt.Errorf("copy working database to %s: %w", tmp, err)
	}
	return syncFile(tmp)
}

// copyFile copies src to a new file dst.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// copyDatabase is the logical copy: COPY FROM DATABASE into an attached new
// file, which keeps every table, view, constraint and comment.
func (w *Warehouse) copyDatabase(ctx context.Context, tmp string) error {
	var current string
	if err := w.conn.QueryRowContext(ctx, "SELECT current_database()").Scan(&current); err != nil {
		return err
	}
	if _, err := w.conn.ExecContext(ctx, "ATTACH "+sqlString(tmp)+" AS "+snapshotAlias); err != nil {
		return fmt.Errorf("create %s: %w", tmp, err)
	}
	_, copyErr := w.conn.ExecContext(ctx, "COPY FROM DATABASE "+ident(current)+" TO "+snapshotAlias)
	// Detach even after a failed copy: an attached file stays open and locked.
	_, detachErr := w.conn.ExecContext(context.WithoutCancel(ctx), "DETACH "+snapshotAlias)
	if err := errors.Join(copyErr, detachErr); err != nil {
		return fmt.Errorf("copy working database to %s: %w", tmp, err)
	}
	if _, err := os.Stat(tmp + ".wal"); err == nil {
		return fmt.Errorf("%s.wal remains after detaching: the copy is not self-contained", tmp)
	}
	return syncFile(tmp)
}

// swapIn renames tmp over snap and makes the rename durable. A .wal beside
// snap can only be a leftover (readers never write one) and DuckDB would
// replay it into the new file, so it goes first.
func swapIn(tmp, snap string) error {
	if err := os.Remove(snap + ".wal"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove leftover %s.wal: %w", snap, err)
	}
	if err := os.Rename(tmp, snap); err != nil {
		return fmt.Errorf("rename %s into place: %w", tmp, err)
	}
	return syncFile(filepath.Dir(snap))
}

// syncFile flushes a file, or a directory's entries, to stable storage.
func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", name, err)
	}
	return f.Close()
}

// clearLeftovers removes what a publish killed half-way left behind: a
// temporary snapshot (a whole copy of the database) and staged or
// moved-aside export folders. The run lock makes this publish the only
// one, so anything of that shape is a leftover. Failing to remove one is
// only logged: it costs disk, not correctness.
func clearLeftovers(log *slog.Logger, snap, exportDir string) {
	var found []string
	for _, pattern := range []string{
		snap + ".tmp-*",
		filepath.Join(exportDir, ".tmp-"+runDirPrefix+"*"),
		filepath.Join(exportDir, runDirPrefix+"*.old-*"),
	} {
		m, _ := filepath.Glob(pattern)
		found = append(found, m...)
	}
	for _, f := range found {
		if err := os.RemoveAll(f); err != nil {
			log.Warn("could not remove what an interrupted publish left", "path", f, "err", err)
			continue
		}
		log.Info("removed what an interrupted publish left", "path", f)
	}
}

// removeDBFiles removes a DuckDB file and its write-ahead log, if present.
func removeDBFiles(name string) error {
	var errs []error
	for _, n := range []string{name, name + ".wal"} {
		if err := os.Remove(n); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func samePath(a, b string) (bool, error) {
	aa, err := filepath.Abs(a)
	if err != nil {
		return false, err
	}
	bb, err := filepath.Abs(b)
	if err != nil {
		return false, err
	}
	return aa == bb, nil
}
