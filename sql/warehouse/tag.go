//go:build !duckdb_arrow

package warehouse

// The warehouse streams Arrow batches into DuckDB through duckdb-go's Arrow
// interface, which exists only with the duckdb_arrow build tag. Without it
// the build stops here, with this name in the error:
//
//	go build -tags duckdb_arrow ./...
var _ = build_with_tag_duckdb_arrow
