//go:build duckdb_arrow

package warehouse

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The export folder holds one immutable folder per published run, named
// hive-style so every kept run can be read as one partitioned table
// (read_parquet('exports/run_id=*/category_share.parquet',
// hive_partitioning = true)), plus two ways to find the newest one:
//
//	exports/latest       symlink to run_id=<id>, replaced by an atomic rename
//	exports/latest.json  the same as a file (for object stores and Windows)
//	exports/run_id=<id>/manifest.json, <mart>.parquet, <mart>.csv
const (
	runDirPrefix  = "run_id="
	latestLink    = "latest"
	latestPointer = "latest.json"
	// DefaultKeepExports is how many run folders Publish keeps when
	// Options.KeepExports is 0: enough that a dashboard reading the previous
	// run's files while a publish happens never finds them gone.
	DefaultKeepExports = 3
)

// LatestExport is exports/latest.json.
type LatestExport struct {
	RunID       string    `json:"run_id"`
	Path        string    `json:"path"`
	Manifest    string    `json:"manifest"`
	PublishedAt time.Time `json:"published_at"`
}

// ExportDir is the folder Publish exports marts into.
func (w *Warehouse) ExportDir() string {
	return ExportDirFor(w.opts.SnapshotPath, w.opts.ExportDir)
}

// ExportDirFor is the export folder of a warehouse whose snapshot is
// snapshot: exportDir when set, else a folder "exports" beside the
// snapshot. Readers of the exports (the dashboard) find them by it.
func ExportDirFor(snapshot, exportDir string) string {
	if exportDir != "" {
		return exportDir
	}
	return filepath.Join(filepath.Dir(snapshot), "exports")
}

// stageExportDir is where a run's exports are written before the swap; it
// sits in the export folder so the final rename never crosses file systems.
func stageExportDir(root, runID string) string {
	return filepath.Join(root, ".tmp-"+runDirPrefix+runID)
}

// swapExports moves a run's staged exports into place and points latest at
// them. Readers holding files of an earlier run keep them: that folder is
// left alone until it falls out of the kept window.
func (w *Warehouse) swapExports(staged, runID string) error {
	root := w.ExportDir()
	final := filepath.Join(root, runDirPrefix+runID)
	if err := replaceDir(staged, final); err != nil {
		return err
	}
	if err := syncFile(root); err != nil {
		return err
	}
	if err := swapSymlink(root, runDirPrefix+runID); err != nil {
		w.log.Warn("could not point exports/latest at the new run; latest.json still does", "err", err)
	}
	latest := LatestExport{RunID: runID, Path: runDirPrefix + runID,
		Manifest: runDirPrefix + runID + "/manifest.json", PublishedAt: time.Now().UTC()}
	if err := writeJSON(filepath.Join(root, latestPointer), latest); err != nil {
		return fmt.Errorf("write %s: %w", latestPointer, err)
	}
	return w.pruneExports(root, runDirPrefix+runID)
}

// replaceDir renames staged to final. A folder already at final (the same
// run published twice) is moved aside first and removed after.
func replaceDir(staged, final string) error {
	old := ""
	if _, err := os.Stat(final); err == nil {
		old = final + ".old-" + fmt.Sprint(time.Now().UnixNano())
		if err := os.Rename(final, old); err != nil {
			return err
		}
	}
	if err := os.Rename(staged, final); err != nil {
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// swapSymlink points root/latest at target with a new link renamed over the
// old one, which POSIX makes atomic: a reader resolves the old run or the
// new one.
func swapSymlink(root, target string) error {
	tmp := filepath.Join(root, ".latest.tmp")
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Symlink(target, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(root, latestLink)); err != nil {
		return errors.Join(err, os.Remove(tmp))
	}
	return nil
}

// pruneExports removes run folders beyond the newest KeepExports, never
// the one just published. Run ids sort by time, so names order the runs.
func (w *Warehouse) pruneExports(root, current string) error {
	keep := w.opts.KeepExports
	if keep <= 0 {
		keep = DefaultKeepExports
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return err
	}
	var runs []string
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), runDirPrefix) && e.Name() != current {
			runs = append(runs, e.Name())
		}
	}
	slices.Sort(runs)
	var errs []error
	for len(runs) > keep-1 {
		errs = append(errs, os.RemoveAll(filepath.Join(root, runs[0])))
		runs = runs[1:]
	}
	return errors.Join(errs...)
}
