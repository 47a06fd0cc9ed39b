//go:build duckdb_arrow

package warehouse

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/exportpipe/exportpipe/pipeline"
)

// seqColumn numbers staged rows in arrival order, so that two versions of a
// key with the same VersionColumn value resolve to the later one.
const seqColumn = "_seq"

// rejectsTable is the temporary staging table for reject batches.
const rejectsTable = "stage_rejects"

// warehouseColumns are core columns the warehouse keeps itself: no source
// sends them, so they are not in pipeline.TypedSchema and staging, and the
// merge never overwrites them with a staged value.
var warehouseColumns = map[pipeline.Dataset][]string{
	pipeline.Listings: {"delisted_at", "withdrawn_at", "withdrawn_reason"},
	// The promised ETA and the version it came from (migration 0010), set
	// by sql/merges/sailings_after.sql.
	pipeline.Sailings: {"eta_first", "eta_first_version"},
}

// duckType is the DuckDB column type for the Arrow types pipeline schemas use.
// timestamp[us, UTC] becomes TIMESTAMPTZ because DuckDB reads it from Arrow as
// that type: storing it needs no cast, and no session time zone can shift it.
func duckType(t arrow.DataType) (string, error) {
	switch t.ID() {
	case arrow.STRING:
		return "VARCHAR", nil
	case arrow.FLOAT64:
		return "DOUBLE", nil
	case arrow.INT32:
		return "INTEGER", nil
	case arrow.INT64:
		return "BIGINT", nil
	case arrow.BOOL:
		return "BOOLEAN", nil
	case arrow.DATE32:
		return "DATE", nil
	case arrow.TIMESTAMP:
		if ts := t.(*arrow.TimestampType); ts.Unit == arrow.Microsecond && ts.TimeZone == "UTC" {
			return "TIMESTAMP WITH TIME ZONE", nil
		}
	}
	return "", fmt.Errorf("arrow type %s has no warehouse column type", t)
}

// checkSchema reports how got differs from want in column names, order or
// types. Nullability and metadata are not compared: a producer may declare a
// required column nullable, and the NOT NULL constraints of staging still
// catch a null that should not be there.
func checkSchema(got, want *arrow.Schema) error {
	if got.NumFields() != want.NumFields() {
		return fmt.Errorf("got %d columns (%s), want %d (%s)",
			got.NumFields(), fieldNames(got), want.NumFields(), fieldNames(want))
	}
	for i, g := range got.Fields() {
		wf := want.Field(i)
		if g.Name != wf.Name {
			return fmt.Errorf("column %d is %q, want %q", i+1, g.Name, wf.Name)
		}
		if !arrow.TypeEqual(g.Type, wf.Type) {
			return fmt.Errorf("column %q has type %s, want %s", g.Name, g.Type, wf.Type)
		}
	}
	return nil
}

func fieldNames(s *arrow.Schema) string {
	names := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// columnDefs renders the DuckDB column definitions of s, with NOT NULL for
// required fields.
func columnDefs(s *arrow.Schema) ([]string, error) {
	defs := make([]string, 0, s.NumFields())
	for _, f := range s.Fields() {
		typ, err := duckType(f.Type)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", f.Name, err)
		}
		def := ident(f.Name) + " " + typ
		if !f.Nullable {
			def += " NOT NULL"
		}
		defs = append(defs, def)
	}
	return defs, nil
}

func stagingTable(d pipeline.Dataset) string { return "stage_" + string(d) }

func stagingTables() []string {
	tables := make([]string, len(pipeline.LoadOrder()))
	for i, d := range pipeline.LoadOrder() {
		tables[i] = stagingTable(d)
	}
	return tables
}

// stagingDDL creates the temporary staging tables of a run: one per dataset
// with the typed columns and the arrival number, and one for rejects.
func stagingDDL() (string, error) {
	var b strings.Builder
	for _, d := range pipeline.LoadOrder() {
		defs, err := columnDefs(pipeline.TypedSchema(d))
		if err != nil {
			return "", fmt.Errorf("staging table for %s: %w", d, err)
		}
		defs = append(defs, seqColumn+" BIGINT NOT NULL")
		fmt.Fprintf(&b, "CREATE OR REPLACE TEMP TABLE %s (%s);\n", stagingTable(d), strings.Join(defs, ", "))
	}
	defs, err := columnDefs(pipeline.RejectSchema())
	if err != nil {
		return "", fmt.Errorf("staging table for rejects: %w", err)
	}
	fmt.Fprintf(&b, "CREATE OR REPLACE TEMP TABLE %s (%s);\n", rejectsTable, strings.Join(defs, ", "))
	return b.String(), nil
}

// datasetColumns returns the typed column names of d, its natural key and
// the remaining (non-key) columns.
func datasetColumns(d pipeline.Dataset) (cols, keys, rest []string, err error) {
	s := pipeline.TypedSchema(d)
	keys = d.NaturalKey()
	if s == nil || len(keys) == 0 || d.VersionColumn() == "" {
		return nil, nil, nil, errors.New("dataset has no schema, natural key or version column")
	}
	for _, f := range s.Fields() {
		cols = append(cols, f.Name)
		if !slices.Contains(keys, f.Name) {
			rest = append(rest, f.Name)
		}
	}
	return cols, keys, rest, nil
}
