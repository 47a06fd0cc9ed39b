//go:build duckdb_arrow

package warehouse

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	sqlfiles "github.com/exportpipe/exportpipe/sql"

	"github.com/exportpipe/exportpipe/pipeline"
)

// sqlFile is one embedded .sql file.
type sqlFile struct {
	name string // file name without directory or .sql
	body string
}

// readSQLDir returns dir/*.sql of fsys in file name order, which for marts
// is dependency order (NN_ prefixes).
func readSQLDir(fsys fs.FS, dir string) ([]sqlFile, error) {
	names, err := fs.Glob(fsys, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	files := make([]sqlFile, 0, len(names))
	for _, n := range names { // fs.Glob returns names sorted
		body, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		files = append(files, sqlFile{name: strings.TrimSuffix(path.Base(n), ".sql"), body: string(body)})
	}
	return files, nil
}

// BuildMarts rebuilds every mart of sql/marts from core in one transaction,
// so a failed mart leaves the previous marts in place.
func (w *Warehouse) BuildMarts(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.ready("build marts"); err != nil {
		return err
	}
	files, err := readSQLDir(sqlfiles.Marts, "marts")
	if err != nil {
		return fmt.Errorf("build marts: read sql/marts: %w", err)
	}
	err = w.inTx(ctx, func(q execer) error {
		for _, f := range files {
			start := time.Now()
			if _, err := q.ExecContext(ctx, f.body); err != nil {
				return fmt.Errorf("build mart sql/marts/%s.sql: %w", f.name, err)
			}
			w.log.Debug("built mart", "mart", f.name, "duration_seconds", pipeline.Seconds(time.Since(start)))
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.log.Info("built marts", "marts", len(files))
	return nil
}
