//go:build duckdb_arrow

package warehouse

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	sqlfiles "github.com/exportpipe/exportpipe/sql"
)

// migration is one file of sql/migrations.
type migration struct {
	version int
	name    string
	body    string
}

func migrationsFS() fs.FS {
	sub, err := fs.Sub(sqlfiles.Migrations, "migrations")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return sub
}

// loadMigrations reads NNNN_name.sql files from fsys in version order.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		prefix, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(prefix)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_description.sql", name)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", name, err)
		}
		ms = append(ms, migration{version: v, name: name, body: string(body)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return cmp.Compare(a.version, b.version) })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share version %d", ms[i-1].name, ms[i].name, ms[i].version)
		}
	}
	return ms, nil
}

// migrate applies, in order, every migration the database has not recorded.
// Each runs in its own transaction with its meta.schema_migrations row, so a
// failed migration leaves the database at the previous version.
func (w *Warehouse) migrate(ctx context.Context, fsys fs.FS) error {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return fmt.Errorf("open warehouse %s: %w", w.opts.Path, err)
	}
	applied, err := w.appliedMigrations(ctx)
	if err != nil {
		return fmt.Errorf("open warehouse %s: read applied migrations: %w", w.opts.Path, err)
	}
	if len(ms) > 0 && len(applied) > 0 {
		if newest := slices.Max(applied); newest > ms[len(ms)-1].version {
			return fmt.Errorf("open warehouse %s: schema version %d is newer than this exportpipe knows (%d): upgrade exportpipe",
				w.opts.Path, newest, ms[len(ms)-1].version)
		}
	}
	for _, m := range ms {
		if slices.Contains(applied, m.version) {
			continue
		}
		if err := w.applyMigration(ctx, m); err != nil {
			return fmt.Errorf("open warehouse %s: apply migration %s: %w", w.opts.Path, m.name, err)
		}
		w.log.Info("applied warehouse migration", "path", w.opts.Path, "migration", m.name)
	}
	return nil
}

func (w *Warehouse) appliedMigrations(ctx context.Context) ([]int, error) {
	var exists bool
	err := w.conn.QueryRowContext(ctx, `SELECT count(*) > 0 FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'meta' AND table_name = 'schema_migrations'`).Scan(&exists)
	if err != nil || !exists {
		return nil, err
	}
	rows, err := w.conn.QueryContext(ctx, "SELECT version FROM meta.schema_migrations ORDER BY version")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var versions []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		versions = append(versions, v)
	}
	return versions, rows.Err()
}

func (w *Warehouse) applyMigration(ctx context.Context, m migration) error {
	tx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if _, err := tx.ExecContext(ctx, m.body); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx,
		"INSERT INTO meta.schema_migrations (version, name, applied_at) VALUES (?, ?, now())",
		m.version, m.name); err != nil {
		return err
	}
	return tx.Commit()
}
