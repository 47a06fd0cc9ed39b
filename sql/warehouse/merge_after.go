//go:build duckdb_arrow

package warehouse

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"

	"github.com/exportpipe/exportpipe/pipeline"
	sqlfiles "github.com/exportpipe/exportpipe/sql"
)

// afterMerge runs sql/merges/<dataset>_after_merge.sql, when the dataset
// has one, inside the commit after the generated MERGE. Such a step sees
// core with tonight's rows merged and staging still full; it exists for
// columns the warehouse keeps itself that a new key needs on its first
// night, which a step before the MERGE cannot set because the row is not
// there yet (the sailings' promised ETA, migration 0010).
func (w *Warehouse) afterMerge(ctx context.Context, tx *sql.Tx, d pipeline.Dataset) error {
	name := "merges/" + string(d) + "_after_merge.sql"
	step, err := fs.ReadFile(sqlfiles.Merges, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return w.timed(ctx, tx, d, "sql/"+name, string(step))
}
