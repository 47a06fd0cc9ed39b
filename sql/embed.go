// Package sql holds exportpipe's SQL as plain .sql files, embedded so the
// binary carries them: schema migrations, the listing history merge, the marts
// and the data tests. It has no DuckDB dependency, so any package may list or
// print these files; only sql/warehouse executes them.
//
// The package name clashes with database/sql, so importers alias it:
//
//	sqlfiles "github.com/exportpipe/exportpipe/sql"
package sql

import "embed"

// Migrations holds migrations/NNNN_name.sql, applied once each in version
// order when the warehouse opens.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// Merges holds dataset-specific steps of the merge into core that are not
// generated from the schemas: merges/<dataset>.sql runs before the
// generated MERGE (the listing price history), merges/<dataset>_after.sql
// after it (the sailings' promised ETA).
//
//go:embed merges/*.sql
var Merges embed.FS

// Marts holds marts/NN_name.sql, run in file name order; a mart may read the
// marts whose prefix is smaller. Each file opens with the header lines
// "-- grain: col, col" and, optionally, "-- not null: col, col", from
// which the marts' data tests are generated (see Mart).
// marts/touched/NN_name.sql names the groups of an incrementally
// maintained mart that a run's changes touch (sql/warehouse/marts.go reads
// the lines "-- reads:" and "-- maintained:" of the same header).
//
//go:embed marts/*.sql marts/touched/*.sql
var Marts embed.FS

// Tests holds tests/name.sql: each is a query returning the rows that violate
// the test, so a passing test returns nothing. A file whose leading comment
// has the line "-- severity: warn" only warns; any other test fails the run.
//
//go:embed tests/*.sql
var Tests embed.FS

// Dashboard holds dashboard/name.sql: the named queries the dashboard's
// views read from the published snapshot. Parameters are $name (filters as
// text, empty for all; dates as 'YYYY-MM-DD'), bound by sql/warehouse, never
// spliced into the text.
//
//go:embed dashboard/*.sql
var Dashboard embed.FS
