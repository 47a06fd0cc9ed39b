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

// LoadFedH10 reads Fed H.10 rates in the long layout "Date,Country,Exchange
// rate" (daily, monthly or annual files). series maps the Country column
// to a currency and quote direction; nil means FedSeriesDefault. A
// monthly or annual figure is dated the first day of its period, so the
// nearest-prior lookup uses it from that day on.
func LoadFedH10(r io.Reader, series map[string]FedSeries, add AddRate) (FXStats, error) {
	var st FXStats
	if series == nil {
		series = FedSeriesDefault
	}
	t, err := newTable(r, ',', "Date", "Country", "Exchange rate")
	if err != nil {
		return st, fmt.Errorf("fed h10 fx: %w", err)
	}
	err = t.each(func(f []string) error {
		s, known := series[strings.TrimSpace(f[1])]
		v, ok := rate(f[2])
		if !known || !ok {
			st.Skipped++
			return nil
		}
		day, err := time.Parse(time.DateOnly, strings.TrimSpace(f[0]))
		if err != nil {
			return fmt.Errorf("%w: date %q", ErrLayout, f[0])
		}
		if s.USDPerUnit {
			v = 1 / v
		}
		st.Rates++
		return add(s.Currency, day, v)
	})
	if err != nil {
		return st, fmt.Errorf("fed h10 fx: %w", err)
	}
	return st, nil
}
