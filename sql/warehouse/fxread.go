//go:build duckdb_arrow

package warehouse

import (
	"context"
	"fmt"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/exportpipe/exportpipe/pipeline"
)

// ReadFXRates streams core.fx_rates as typed fx_rates batches through
// DuckDB's Arrow interface, so a run that extracts only listings still
// converts prices with the rates earlier runs loaded.
func (w *Warehouse) ReadFXRates(ctx context.Context, emit pipeline.Emit) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.ready("read fx rates"); err != nil {
		return err
	}
	return w.conn.Raw(func(dc any) error {
		conn, ok := dc.(*duckdb.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		ar, err := duckdb.NewArrowFromConn(conn)
		if err != nil {
			return err
		}
		rdr, err := ar.QueryContext(ctx, "SELECT date, currency, units_per_usd FROM core.fx_rates ORDER BY currency, date")
		if err != nil {
			return fmt.Errorf("read core.fx_rates: %w", err)
		}
		defer rdr.Release()
		for rdr.Next() {
			if err := emit(rdr.RecordBatch()); err != nil {
				return err
			}
		}
		return rdr.Err()
	})
}
