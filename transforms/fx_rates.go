package transforms

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/transforms/parse"
)

var _ pipeline.Transform = (*FXRates)(nil)

// Raw field positions of an FX rate.
var (
	xDate     = fieldIndex(pipeline.FXRates, "date")
	xCurrency = fieldIndex(pipeline.FXRates, "currency")
	xRate     = fieldIndex(pipeline.FXRates, "units_per_usd")
)

// FXRates normalises daily exchange rates (units of a currency per USD).
// Its typed batches feed both core.fx_rates and an FXTable via AddBatch.
type FXRates struct {
	source string
	env    *env
}

// NewFXRates returns the fx_rates transform for one source.
func NewFXRates(source string) *FXRates { return &FXRates{source: source, env: defaultEnv.forRun()} }

// Apply implements pipeline.Transform.
func (t *FXRates) Apply(ctx context.Context, mem memory.Allocator, raw arrow.RecordBatch) (good, rejects arrow.RecordBatch, err error) {
	return run(ctx, mem, raw, pipeline.FXRates, t.source, t.env, func(b *array.RecordBuilder) rowFunc {
		dates := d32B(b, typedIndex(b, "date"))
		curs := strB(b, typedIndex(b, "currency"))
		rates := f64B(b, typedIndex(b, "units_per_usd"))
		return func(r *row) {
			day := date(r, xDate)
			cur := currency(r, xCurrency)
			rate := unitsPerUSD(r, xRate)
			if r.failed() {
				return
			}
			dates.Append(arrow.Date32(dayNumber(day)))
			curs.Append(cur)
			rates.Append(rate)
		}
	})
}

// currency reads a required ISO 4217 code, in any case.
func currency(r *row, c int) string {
	s := r.need(c)
	if s == "" {
		return ""
	}
	code := strings.ToUpper(s)
	if !parse.KnownCurrency(code) {
		r.bad(c, s, parse.ErrUnknownCurrency)
		return ""
	}
	return code
}

// unitsPerUSD reads a required positive, finite rate. USD must be 1: any
// other USD rate means the feed is quoting something else.
func unitsPerUSD(r *row, c int) float64 {
	s := r.need(c)
	if s == "" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil:
		r.bad(c, s, parse.ErrUnparseable)
	case v <= 0 || math.IsNaN(v) || math.IsInf(v, 0):
		r.fail(c, CodeBadRate, fmt.Sprintf("units_per_usd %q: not a positive number", s))
	case r.text(xCurrency) != "" && strings.EqualFold(r.text(xCurrency), "USD") && v != 1:
		r.fail(c, CodeBadRate, fmt.Sprintf("units_per_usd %q: USD must be 1", s))
	}
	return v
}
