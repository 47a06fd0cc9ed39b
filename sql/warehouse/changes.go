//go:build duckdb_arrow

package warehouse

import (
	"context"
	"fmt"

	"github.com/exportpipe/exportpipe/pipeline"
)

// A run records what it changed, so that the marts, the data tests and the
// exports after the merge can do work in proportion to the night rather than
// to the warehouse. For every dataset the merge fills two temporary tables,
// inside the run's transaction:
//
//	changed_<dataset>  the natural keys whose core row, price history or
//	                   status the run changed (inserted, updated, backfilled;
//	                   for listings also withdrawn, relisted and delisted)
//	before_<dataset>   core's rows of those keys as they were before the run
//	                   (keys new tonight have none)
//
// A key whose staged content repeats the stored one is in neither. Together
// with core as it is after the merge, the two tables give every state a
// changed key had tonight: sql/marts/touched reads them to name the mart
// groups a key left and the ones it joined.

// changedTable and beforeTable name the two tables of a dataset.
func changedTable(d pipeline.Dataset) string { return "changed_" + string(d) }
func beforeTable(d pipeline.Dataset) string  { return "before_" + string(d) }

// createChangeTables makes the empty change tables of every dataset, so
// that a dataset the run did not stage reads as unchanged.
func createChangeTables(ctx context.Context, q execer) error {
	for _, d := range pipeline.LoadOrder() {
		keys := joinEach(d.NaturalKey(), ", ", "%s")
		stmt := fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE %s AS SELECT %s FROM core.%s LIMIT 0;
CREATE OR REPLACE TEMP TABLE %s AS SELECT * FROM core.%s LIMIT 0;`,
			changedTable(d), keys, d, beforeTable(d), d)
		if _, err := q.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create change tables of %s: %w", d, err)
		}
	}
	return nil
}

// recordChanges notes the keys of d that the merge is about to change, and
// their rows before it, while changesTable holds the merge's plan and core
// is still as it was. A backfill (stale) changes the price history and,
// for sailings, the promised ETA, so it counts as a change.
func recordChanges(ctx context.Context, q execer, d pipeline.Dataset) error {
	keys := d.NaturalKey()
	on := joinEach(keys, " AND ", "t.%[1]s = c.%[1]s")
	stmt := fmt.Sprintf(`INSERT INTO %[1]s SELECT %[2]s FROM %[3]s WHERE _action IN ('insert', 'update', 'stale');
INSERT INTO %[4]s SELECT t.* FROM core.%[5]s AS t
SEMI JOIN %[3]s AS c ON %[6]s AND c._action IN ('update', 'stale');`,
		changedTable(d), joinEach(keys, ", ", "%s"), changesTable, beforeTable(d), d, on)
	if _, err := q.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("record changed keys: %w", err)
	}
	return nil
}

// changedDatasets reads which datasets the run changed at all.
func changedDatasets(ctx context.Context, q execer) (map[pipeline.Dataset]bool, error) {
	out := map[pipeline.Dataset]bool{}
	for _, d := range pipeline.LoadOrder() {
		var n int64
		if err := q.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM "+changedTable(d)+" LIMIT 1)").Scan(&n); err != nil {
			return nil, fmt.Errorf("read changed keys of %s: %w", d, err)
		}
		out[d] = n > 0
	}
	return out, nil
}
