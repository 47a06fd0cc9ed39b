package reference

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// FedSeries says which currency a Fed H.10 "Country" series quotes and in
// which direction.
type FedSeries struct {
	Currency string
	// USDPerUnit is true for series quoted as US dollars per unit of the
	// currency (the pound, euro, Australian and New Zealand dollars);
	// the rest are units per US dollar.
	USDPerUnit bool
}

// FedSeriesDefault covers the live currencies of the H.10 release as the
// datasets/exchange-rates files name them. Those files are units per USD
// for every series, the pound and euro included (UK 2019-07 is 0.8025,
// which the ECB file confirms), although their README says five series
// are USD per unit; raw FRED series such as DEXUSUK are, and take
// USDPerUnit in a custom map. Series of currencies replaced
// by the euro (Austria, France, Ireland, ...) and Venezuela's redenominated
// bolívar are left out on purpose: their rates would be wrong for any
// price in the current currency.
var FedSeriesDefault = map[string]FedSeries{
	"Australia": {"AUD", false}, "Euro": {"EUR", false}, "New Zealand": {"NZD", false}, "United Kingdom": {"GBP", false},
	"Brazil": {"BRL", false}, "Canada": {"CAD", false}, "China": {"CNY", false}, "Denmark": {"DKK", false},
	"Hong Kong": {"HKD", false}, "India": {"INR", false}, "Japan": {"JPY", false}, "Malaysia": {"MYR", false},
	"Mexico": {"MXN", false}, "Norway": {"NOK", false}, "Singapore": {"SGD", false}, "South Africa": {"ZAR", false},
	"South Korea": {"KRW", false}, "Sri Lanka": {"LKR", false}, "Sweden": {"SEK", false},
	"Switzerland": {"CHF", false}, "Taiwan": {"TWD", false}, "Thailand": {"THB", false},
}

// FedSeriesRetired are the H.10 series FedSeriesDefault leaves out on
// purpose: currencies replaced by the euro, and Venezuela's bolívar,
// redenominated since. Their rows are left out by design, not unusable.
var FedSeriesRetired = map[string]bool{
	"Austria": true, "Belgium": true, "Finland": true, "France": true, "Germany": true, "Greece": true,
	"Ireland": true, "Italy": true, "Netherlands": true, "Portugal": true, "Spain": true, "Venezuela": true,
}

// LoadFedH10 reads Fed H.10 rates in the long layout "Date,Country,Exchange
// rate" (daily, monthly or annual files). series maps the Country column
// to a currency and quote direction; nil means FedSeriesDefault (and its
// FedSeriesRetired left out). A monthly or annual figure is dated the
// first day of its period, so the nearest-prior lookup uses it from that
// day on.
//
// A row of a Country no series names is unusable, counted by that name:
// a file of a currency this loader does not know ("Pakistan") would
// otherwise load nothing for it, and every price in it would be rejected
// as no_fx_rate without a word about why. Gaps (blank, N/A, ".") are left
// out by design; any other value that is not a positive number is
// unusable.
func LoadFedH10(r io.Reader, series map[string]FedSeries, add AddRate) (Yield, error) {
	var y tally
	retired := map[string]bool{}
	if series == nil {
		series, retired = FedSeriesDefault, FedSeriesRetired
	}
	t, err := newTable(r, ',', "Date", "Country", "Exchange rate")
	if err != nil {
		return y.y, fmt.Errorf("fed h10 fx: %w", err)
	}
	err = t.each(func(f []string) error {
		country := strings.TrimSpace(f[1])
		s, known := series[country]
		switch {
		case retired[country]:
			y.leftOut("series of a retired currency", t.line, country)
			return nil
		case !known:
			y.unusable(fmt.Sprintf("Country %q is no series this loader maps to a currency", country), t.line, f[0]+","+f[1]+","+f[2])
			return nil
		}
		v, ok := rate(f[2])
		if !ok {
			if gap(f[2]) {
				y.leftOut("gaps (blank, N/A or .)", t.line, country)
			} else {
				y.unusable("rate is not a positive number", t.line, f[2])
			}
			return nil
		}
		day, err := time.Parse(time.DateOnly, strings.TrimSpace(f[0]))
		if err != nil {
			return fmt.Errorf("%w: date %q", ErrLayout, f[0])
		}
		if s.USDPerUnit {
			v = 1 / v
		}
		y.use()
		return add(s.Currency, day, v)
	})
	if err != nil {
		return y.y, fmt.Errorf("fed h10 fx: %w", err)
	}
	return y.y, nil
}
