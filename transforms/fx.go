package transforms

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/exportpipe/exportpipe/pipeline"
)

var _ pipeline.FXLookup = (*FXTable)(nil)

// FXTable answers pipeline.FXLookup from typed fx_rates batches: per
// currency, the rate of the nearest date on or before the asked day. USD
// is always 1. It is built incrementally while fx_rates stream through the
// run, then shared read-only by the listings and freight transforms.
type FXTable struct {
	mu     sync.RWMutex
	series map[string]*fxSeries
	dirty  bool // some series received dates out of order since the last sort
}

// fxSeries holds one currency's rates in parallel slices, sorted by day
// (days since the Unix epoch, as in Arrow date32) so lookups binary-search.
type fxSeries struct {
	days  []int32
	rates []float64
}

// NewFXTable returns an empty table.
func NewFXTable() *FXTable {
	return &FXTable{series: make(map[string]*fxSeries)}
}

// AddBatch adds the rows of a typed fx_rates batch
// (pipeline.TypedSchema(pipeline.FXRates)). Columns are found by name and
// type, so a batch read back from the warehouse works too. Rows usually
// arrive in date order; when they do not, the table re-sorts before the
// next lookup.
func (t *FXTable) AddBatch(rec arrow.RecordBatch) error {
	dates, err1 := fxColumn[*array.Date32](rec, "date")
	curs, err2 := fxColumn[*array.String](rec, "currency")
	rates, err3 := fxColumn[*array.Float64](rec, "units_per_usd")
	if err := errors.Join(err1, err2, err3); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := range int(rec.NumRows()) {
		if dates.IsNull(i) || curs.IsNull(i) || rates.IsNull(i) {
			return fmt.Errorf("fx table: row %d has a null", i)
		}
		if err := t.addLocked(curs.Value(i), int32(dates.Value(i)), rates.Value(i)); err != nil {
			return fmt.Errorf("fx table: row %d: %w", i, err)
		}
	}
	return nil
}

// fxColumn finds the single column called name with array type A.
func fxColumn[A arrow.Array](rec arrow.RecordBatch, name string) (A, error) {
	var zero A
	idx := rec.Schema().FieldIndices(name)
	if len(idx) != 1 {
		return zero, fmt.Errorf("fx table: batch has %d columns named %q, want 1 (the typed fx_rates schema)", len(idx), name)
	}
	col, ok := rec.Column(idx[0]).(A)
	if !ok {
		return zero, fmt.Errorf("fx table: column %q is %s, not the typed fx_rates type", name, rec.Column(idx[0]).DataType())
	}
	return col, nil
}

// Add records one rate: units of currency per USD on day (its UTC date).
func (t *FXTable) Add(currency string, day time.Time, unitsPerUSD float64) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.addLocked(currency, dayNumber(day), unitsPerUSD)
}

func (t *FXTable) addLocked(currency string, day int32, rate float64) error {
	if len(currency) != 3 {
		return fmt.Errorf("currency %q is not an ISO 4217 code", currency)
	}
	if rate <= 0 || math.IsNaN(rate) || math.IsInf(rate, 0) {
		return fmt.Errorf("%s rate %v is not a positive number", currency, rate)
	}
	s := t.series[currency]
	if s == nil {
		// Clone: the name may point into an Arrow buffer released later.
		s = &fxSeries{}
		t.series[strings.Clone(currency)] = s
	}
	if n := len(s.days); n > 0 && day <= s.days[n-1] {
		t.dirty = true
	}
	s.days = append(s.days, day)
	s.rates = append(s.rates, rate)
	return nil
}

// Finalize sorts every series by date; for a date given twice the rate
// added last wins, as a later correction should. Lookups call it
// themselves when needed, so calling it is optional but lets the cost
// fall before the transforms start.
func (t *FXTable) Finalize() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.finalizeLocked()
}

func (t *FXTable) finalizeLocked() {
	if !t.dirty {
		return
	}
	for _, s := range t.series {
		s.sortDedupe()
	}
	t.dirty = false
}

func (s *fxSeries) sortDedupe() {
	idx := make([]int, len(s.days))
	for i := range idx {
		idx[i] = i
	}
	// Stable so that, among equal days, the later-added row sorts last.
	sort.SliceStable(idx, func(a, b int) bool { return s.days[idx[a]] < s.days[idx[b]] })
	days := make([]int32, 0, len(idx))
	rates := make([]float64, 0, len(idx))
	for _, i := range idx {
		if n := len(days); n > 0 && days[n-1] == s.days[i] {
			rates[n-1] = s.rates[i]
			continue
		}
		days = append(days, s.days[i])
		rates = append(rates, s.rates[i])
	}
	s.days, s.rates = days, rates
}

// UnitsPerUSD implements pipeline.FXLookup. ok is false for an unknown
// currency or a day before the currency's first rate: converting at a
// later rate would silently backdate it.
func (t *FXTable) UnitsPerUSD(currency string, day time.Time) (float64, bool) {
	return t.unitsPerUSDDay(currency, dayNumber(day))
}

func (t *FXTable) unitsPerUSDDay(currency string, day int32) (float64, bool) {
	if currency == "USD" {
		return 1, true
	}
	t.mu.RLock()
	if t.dirty {
		t.mu.RUnlock()
		t.Finalize()
		t.mu.RLock()
	}
	defer t.mu.RUnlock()
	s := t.series[currency]
	if s == nil {
		return 0, false
	}
	// The first index after day, minus one, is the nearest prior rate.
	i, _ := slices.BinarySearch(s.days, day+1)
	if i == 0 {
		return 0, false
	}
	return s.rates[i-1], true
}

// Currencies lists the currencies with at least one rate, sorted.
func (t *FXTable) Currencies() []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]string, 0, len(t.series))
	for c := range t.series {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// dayNumber is the UTC calendar date of t as days since 1970-01-01.
func dayNumber(t time.Time) int32 {
	sec := t.Unix()
	d := sec / secondsPerDay
	if sec%secondsPerDay < 0 {
		d-- // floor, not truncation, for days before 1970
	}
	return int32(d)
}

const secondsPerDay = 86400

// CrossRate is how many units of to one unit of from buys on day, crossed
// through USD: (to per USD) / (from per USD). Sources such as the ECB
// quote no PKR, so every PKR cross goes through the USD leg.
func (t *FXTable) CrossRate(from, to string, day time.Time) (float64, bool) {
	f, ok1 := t.UnitsPerUSD(from, day)
	u, ok2 := t.UnitsPerUSD(to, day)
	if !ok1 || !ok2 {
		return 0, false
	}
	return u / f, true
}
