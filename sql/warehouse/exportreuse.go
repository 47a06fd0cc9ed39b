//go:build duckdb_arrow

package warehouse

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// Rewriting every mart's files each night cost time in proportion to the
// marts, not to the night. A mart whose rows did not change since the
// latest published export keeps that export's files: they are hard-linked
// into the new run's folder (copied where the file system cannot link), so
// every run folder stays complete and immutable, and the manifest lists
// every file with the run that wrote it.

// exportReuse is what the latest published export holds, and which run
// last changed each mart (meta.marts.changed_run).
type exportReuse struct {
	dir     string // the latest published run folder; "" when there is none
	prev    map[string][]ManifestFile
	changed map[string]string // mart table name -> changed_run
}

// reusableExports reads the latest published manifest and meta.marts. A
// missing or unreadable manifest only means every mart is written anew.
func (w *Warehouse) reusableExports(ctx context.Context) (exportReuse, error) {
	r := exportReuse{prev: map[string][]ManifestFile{}, changed: map[string]string{}}
	rows, err := w.conn.QueryContext(ctx, "SELECT mart, changed_run FROM meta.marts WHERE changed_run IS NOT NULL")
	if err != nil {
		return r, fmt.Errorf("read meta.marts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var mart, run string
		if err := rows.Scan(&mart, &run); err != nil {
			return r, fmt.Errorf("read meta.marts: %w", err)
		}
		r.changed[mart] = run
	}
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("read meta.marts: %w", err)
	}
	root := w.ExportDir()
	b, err := os.ReadFile(filepath.Join(root, latestPointer))
	if errors.Is(err, fs.ErrNotExist) {
		return r, nil
	}
	var latest LatestExport
	if err == nil {
		err = json.Unmarshal(b, &latest)
	}
	var prev Manifest
	if err == nil {
		if b, err = os.ReadFile(filepath.Join(root, filepath.FromSlash(latest.Manifest))); err == nil {
			err = json.Unmarshal(b, &prev)
		}
	}
	if err != nil || latest.Path == "" {
		w.log.Warn("cannot read the latest export's manifest; writing every mart anew", "exports", root, "err", err)
		return r, nil
	}
	r.dir = filepath.Join(root, filepath.FromSlash(latest.Path))
	for _, f := range prev.Files {
		if f.RunID == "" { // manifests before run_id per file: all the manifest's run's
			f.RunID = prev.RunID
		}
		r.prev[f.Table] = append(r.prev[f.Table], f)
	}
	return r, nil
}

// files links the latest export's files of mt into dir and returns their
// manifest entries, when that export holds the mart as it is now: written
// by the run that last changed it, in every format, with the same columns
// and sizes. Otherwise it returns false and the mart is exported anew.
func (r exportReuse) files(dir string, mt martTable) ([]ManifestFile, bool) {
	prev := r.prev["marts."+mt.name]
	changed := r.changed[mt.name]
	if r.dir == "" || changed == "" || len(prev) != len(exportFormats) {
		return nil, false
	}
	for _, f := range prev {
		if f.RunID != changed || !slices.Equal(f.Schema, mt.columns) {
			return nil, false
		}
		if fi, err := os.Stat(filepath.Join(r.dir, f.Path)); err != nil || fi.Size() != f.Bytes {
			return nil, false
		}
	}
	for _, f := range prev {
		if err := linkOrCopy(filepath.Join(r.dir, f.Path), filepath.Join(dir, f.Path)); err != nil {
			return nil, false
		}
	}
	return prev, true
}

// linkOrCopy hard-links src to dst, or copies it where links fail (another
// file system, or one without them).
func linkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	_ = os.Remove(dst)
	if err := copyFile(src, dst); err != nil {
		return err
	}
	return syncFile(dst)
}
