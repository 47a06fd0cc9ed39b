//go:build duckdb_arrow

package warehouse

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ManifestVersion is the format_version of manifest.json. It changes only
// when a field is removed or changes meaning; new fields keep it.
const ManifestVersion = 1

// Manifest is exports/run_id=<id>/manifest.json: what a run exported, for
// dashboards and tools that read the files without opening DuckDB.
type Manifest struct {
	FormatVersion int            `json:"format_version"`
	RunID         string         `json:"run_id"`
	GeneratedAt   time.Time      `json:"generated_at"`
	Engine        string         `json:"engine"`
	Files         []ManifestFile `json:"files"`
}

// ManifestFile is one exported file. Path is relative to the manifest.
type ManifestFile struct {
	Path   string           `json:"path"`
	Table  string           `json:"table"`
	Format string           `json:"format"`
	Rows   int64            `json:"rows"`
	Bytes  int64            `json:"bytes"`
	SHA256 string           `json:"sha256"`
	Schema []ManifestColumn `json:"schema"`
	// RunID is the run that wrote the file. A mart that did not change
	// since keeps that run's file (hard-linked into the new folder), so
	// this is older than the manifest's run_id then.
	RunID string `json:"run_id"`
}

// ManifestColumn is one column of an exported file, typed as in DuckDB.
type ManifestColumn struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Nullable bool   `json:"nullable"`
	Comment  string `json:"comment,omitempty"`
}

// exportFormats are the COPY options of each output format. Parquet is
// zstd-compressed, and its timestamps are microseconds (see exportQuery).
var exportFormats = []struct{ ext, options string }{
	{"parquet", "FORMAT parquet, COMPRESSION zstd"},
	{"csv", "FORMAT csv, HEADER true"},
}

// writeExports writes every mart in each export format into dir (which must
// not exist yet), then manifest.json, and syncs them all.
func (w *Warehouse) writeExports(ctx context.Context, dir, runID string) (*Manifest, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	m := &Manifest{FormatVersion: ManifestVersion, RunID: runID, GeneratedAt: time.Now().UTC()}
	if err := w.conn.QueryRowContext(ctx, "SELECT 'DuckDB ' || version()").Scan(&m.Engine); err != nil {
		return nil, err
	}
	marts, err := w.martSchemas(ctx)
	if err != nil {
		return nil, fmt.Errorf("list marts: %w", err)
	}
	reuse, err := w.reusableExports(ctx)
	if err != nil {
		return nil, err
	}
	written, kept := 0, 0
	for _, mt := range marts {
		if files, ok := reuse.files(dir, mt); ok {
			m.Files = append(m.Files, files...)
			kept++
			continue
		}
		for _, f := range exportFormats {
			mf, err := w.exportTable(ctx, dir, mt, f.ext, f.options)
			if err != nil {
				return nil, fmt.Errorf("export marts.%s as %s: %w", mt.name, f.ext, err)
			}
			mf.Schema, mf.RunID = mt.columns, runID
			m.Files = append(m.Files, mf)
		}
		written++
	}
	w.log.Debug("exported marts", "run_id", runID, "written", written, "kept_from_earlier_runs", kept)
	if err := writeJSON(filepath.Join(dir, "manifest.json"), m); err != nil {
		return nil, err
	}
	return m, syncFile(dir)
}

// exportTable copies a mart to dir/<name>.<ext>.
func (w *Warehouse) exportTable(ctx context.Context, dir string, mt martTable, ext, options string) (ManifestFile, error) {
	file := mt.name + "." + ext
	mf := ManifestFile{Path: file, Table: "marts." + mt.name, Format: ext}
	path := filepath.Join(dir, file)
	res, err := w.conn.ExecContext(ctx, fmt.Sprintf("COPY (%s) TO %s (%s)", exportQuery(mt), sqlString(path), options))
	if err != nil {
		return mf, err
	}
	if mf.Rows, err = res.RowsAffected(); err != nil {
		return mf, err
	}
	mf.Bytes, mf.SHA256, err = hashFile(path)
	return mf, err
}

// martTable is one mart with its columns, as the manifest describes it.
type martTable struct {
	name    string
	columns []ManifestColumn
	// toMicros are the columns held at another timestamp precision, which
	// are exported as TIMESTAMP (microseconds).
	toMicros []string
	// orderBy is the grain of a mart maintained incrementally: its rows
	// are not stored in order (recomputed groups are appended), so the
	// export sorts them. Marts rebuilt in full keep the order their SQL
	// gives.
	orderBy []string
}

// nonMicroTimestamps are the DuckDB timestamp types that Parquet would store
// at a precision other than microseconds. Nanoseconds in particular are
// read as overflowing or wrong by several dataframe and BI readers, so every
// export holds microseconds, and the manifest says TIMESTAMP.
var nonMicroTimestamps = map[string]bool{"TIMESTAMP_NS": true, "TIMESTAMP_MS": true, "TIMESTAMP_S": true}

// exportQuery selects a mart as it is exported.
func exportQuery(mt martTable) string {
	q := "SELECT * FROM marts." + ident(mt.name)
	if len(mt.toMicros) > 0 {
		casts := make([]string, len(mt.toMicros))
		for i, c := range mt.toMicros {
			casts[i] = fmt.Sprintf("CAST(%s AS TIMESTAMP) AS %s", ident(c), ident(c))
		}
		q = "SELECT * REPLACE (" + strings.Join(casts, ", ") + ") FROM marts." + ident(mt.name)
	}
	if len(mt.orderBy) > 0 {
		q += " ORDER BY " + joinEach(mt.orderBy, ", ", "%s")
	}
	return q
}

func (w *Warehouse) martSchemas(ctx context.Context) ([]martTable, error) {
	rows, err := w.conn.QueryContext(ctx, `SELECT table_name, column_name, data_type, is_nullable, coalesce(comment, '')
FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'marts'
ORDER BY table_name, column_index`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	defs, err := loadMarts()
	if err != nil {
		return nil, err
	}
	var out []martTable
	for rows.Next() {
		var table string
		var c ManifestColumn
		if err := rows.Scan(&table, &c.Name, &c.Type, &c.Nullable, &c.Comment); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].name != table {
			mt := martTable{name: table}
			for _, d := range defs {
				if d.table == table && d.full == "" {
					mt.orderBy = d.grain
				}
			}
			out = append(out, mt)
		}
		mt := &out[len(out)-1]
		if nonMicroTimestamps[c.Type] {
			mt.toMicros = append(mt.toMicros, c.Name)
			c.Type = "TIMESTAMP"
		}
		mt.columns = append(mt.columns, c)
	}
	return out, rows.Err()
}

// hashFile returns the size and SHA-256 of a file and syncs it, since it is
// read back anyway.
func hashFile(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	if err := f.Sync(); err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// writeJSON writes v to path through a temporary file and a rename, so a
// reader sees the old content or the new, never a partial file.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	if err := syncFile(tmp); err != nil {
		return errors.Join(err, os.Remove(tmp))
	}
	return os.Rename(tmp, path)
}
