//go:build duckdb_arrow

package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// queryer is what both a read-only *sql.DB and the warehouse connection offer.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// DataDictionary renders the data dictionary of a DuckDB file (normally the
// published snapshot, opened read-only) as Markdown, from the COMMENT ON of
// every schema, table, view and column, via meta.catalog.
func DataDictionary(ctx context.Context, path string) (string, error) {
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		return "", readOnlyError(path, err)
	}
	defer db.Close()
	md, err := dataDictionary(ctx, db)
	if err != nil {
		return "", readOnlyError(path, err)
	}
	return md, nil
}

// dictSchemas says what each schema is for, in the order they are listed.
var dictSchemas = []struct{ name, about string }{
	{"core", "The normalised truth: one row per natural key, prices in the original currency and USD, ISO countries, UN/LOCODE ports, UTC timestamps."},
	{"marts", "Aggregates rebuilt from core by every run (sql/marts); each is also exported as Parquet and CSV."},
	{"meta", "The pipeline's own bookkeeping: runs, steps, rejects, cursors, migrations and data tests."},
	{"raw", "Landed records as extracted, for replay (optional)."},
}

func dataDictionary(ctx context.Context, q queryer) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT schema_name, table_name, kind, coalesce(table_comment, ''),
	column_name, data_type, is_nullable, coalesce(column_comment, '')
FROM meta.catalog ORDER BY schema_name, table_name, column_index`)
	if err != nil {
		return "", fmt.Errorf("read meta.catalog: %w", err)
	}
	defer rows.Close()
	bySchema := map[string]*strings.Builder{}
	var lastTable string
	for rows.Next() {
		var schema, table, kind, tcomment, col, typ, ccomment string
		var nullable bool
		if err := rows.Scan(&schema, &table, &kind, &tcomment, &col, &typ, &nullable, &ccomment); err != nil {
			return "", err
		}
		b := bySchema[schema]
		if b == nil {
			b = &strings.Builder{}
			bySchema[schema] = b
		}
		if full := schema + "." + table; full != lastTable {
			lastTable = full
			fmt.Fprintf(b, "\n### `%s` (%s)\n\n%s\n\n| column | type | null | meaning |\n|---|---|---|---|\n", full, kind, tcomment)
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %s |\n", col, typ, yesNo(nullable), mdCell(ccomment))
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	return renderDictionary(bySchema), nil
}

func renderDictionary(bySchema map[string]*strings.Builder) string {
	var out strings.Builder
	// What `exportpipe dictionary` prints for a user: how the repository
	// keeps its own copy is no concern of theirs (see the golden test).
	out.WriteString("# exportpipe data dictionary\n\n" +
		"Generated from the warehouse's COMMENT ON statements (`SELECT * FROM meta.catalog`) by `exportpipe dictionary`.\n")
	for _, s := range dictSchemas {
		b := bySchema[s.name]
		if b == nil {
			continue
		}
		fmt.Fprintf(&out, "\n## Schema `%s`\n\n%s\n%s", s.name, s.about, b.String())
	}
	return out.String()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// mdCell keeps a comment inside its table cell.
func mdCell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
}
