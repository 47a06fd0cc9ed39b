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
	dirty  bool // some series received rates since the last Finalize
}

// fxSeries holds one currency's rates in parallel slices, sorted by day
// (days since the Unix epoch, as in Arrow date32) so lookups binary-search.
type fxSeries struct {
	days     []int32
	rates    []float64
	unsorted bool  // a date arrived out of order since the last sort
	spacing  int32 // median gap between days, in days; 0 with fewer than two
	spacedAt int   // len(days) when spacing was computed
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
		s.unsorted = true
	}
	t.dirty = true
	s.days = append(s.days, day)
	s.rates = append(s.rates, rate)
	return nil
}

// Finalize sorts every series by date (for a date given twice the rate
// added last wins, as a later correction should) and measures how far
// apart each series' dates are. Lookups call it themselves when needed, so
// calling it is optional but lets the cost fall before the transforms
// start.
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
		if s.unsorted {
			s.sortDedupe()
			s.unsorted = false
		}
		if s.spacedAt != len(s.days) {
			s.spacing, s.spacedAt = medianGap(s.days), len(s.days)
		}
	}
	t.dirty = false
}

// medianGap is the median distance between consecutive sorted days. The
// median, not the mean, so that a daily series' weekends and holidays, or
// one missing month in a monthly series, do not change what it is.
func medianGap(days []int32) int32 {
	if len(days) < 2 {
		return 0
	}
	gaps := make([]int32, len(days)-1)
	for i := range gaps {
		gaps[i] = days[i+1] - days[i]
	}
	slices.Sort(gaps)
	return gaps[len(gaps)/2]
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

// Rate implements pipeline.FXLookup. ok is false for an unknown currency
// or a day before the currency's first rate: converting at a later rate
// would silently backdate it. How old a rate may be is the caller's
// policy; Rate reports the rate's day and the series' spacing for it.
func (t *FXTable) Rate(currency string, day time.Time) (pipeline.FXRate, bool) {
	return t.rateDay(currency, dayNumber(day))
}

// UnitsPerUSD is Rate's rate alone, with no regard to its age: for
// crossing rates and for tests, not for converting a record's prices.
func (t *FXTable) UnitsPerUSD(currency string, day time.Time) (float64, bool) {
	r, ok := t.Rate(currency, day)
	return r.UnitsPerUSD, ok
}

func (t *FXTable) rateDay(currency string, day int32) (pipeline.FXRate, bool) {
	if currency == "USD" {
		return pipeline.FXRate{UnitsPerUSD: 1, Day: dayStart(day)}, true
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
		return pipeline.FXRate{}, false
	}
	// The first index after day, minus one, is the nearest prior rate.
	i, _ := slices.BinarySearch(s.days, day+1)
	if i == 0 {
		return pipeline.FXRate{}, false
	}
	return pipeline.FXRate{UnitsPerUSD: s.rates[i-1], Day: dayStart(s.days[i-1]),
		Spacing: time.Duration(s.spacing) * secondsPerDay * time.Second}, true
}

// Default age limits of a rate, by how often its currency is quoted
// (normalise.fx_max_age overrides both). A daily series (ECB, central
// banks) has gaps of up to four days over weekends and holidays, so a rate
// a week old means the feed stopped. A monthly series (Fed H.10 monthly
// averages) is dated the first of the month and published after it ends:
// a month and a half covers the month itself and the wait for the next.
const (
	FXMaxAgeDaily   = 7 * 24 * time.Hour
	FXMaxAgeMonthly = 45 * 24 * time.Hour
	// dailySpacing is the widest median gap still counted as daily.
	dailySpacing = 4 * 24 * time.Hour
)

// fxMaxAgeFor is the default age limit for a series whose dates are
// spacing apart, and the kind of series it takes that for. A currency
// with a single rate has no spacing to judge by and gets the monthly
// limit: a lone rate is more often a monthly figure than a daily one, and
// either way a years-old one is refused.
func fxMaxAgeFor(spacing time.Duration) (time.Duration, string) {
	if spacing > 0 && spacing <= dailySpacing {
		return FXMaxAgeDaily, "daily"
	}
	if spacing == 0 {
		return FXMaxAgeMonthly, "single-rate"
	}
	return FXMaxAgeMonthly, "monthly"
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
