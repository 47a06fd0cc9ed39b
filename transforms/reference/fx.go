package reference

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// AddRate receives one rate: units of currency per USD on day. It has the
// signature of (*transforms.FXTable).Add, so a table can be filled directly.
type AddRate func(currency string, day time.Time, unitsPerUSD float64) error

// LoadECB reads the ECB reference-rate CSV (eurofxref-hist.csv): one row
// per day, a Date column and one column per currency quoted as units per
// EUR. Rates are crossed through USD: units per USD = (units per EUR) /
// (USD per EUR), and EUR itself is 1 / (USD per EUR). A day without a USD
// quote is unusable whole, since nothing on it can be crossed. In the
// Yield, Used counts rates and the rest count quotes: "N/A" and blank
// cells are gaps (left out by design: a currency not quoted that day),
// anything else that is not a positive number is unusable.
func LoadECB(r io.Reader, add AddRate) (Yield, error) {
	var y tally
	t, err := newTable(r, ',', "Date", "USD")
	if err != nil {
		return y.y, fmt.Errorf("ecb fx: %w", err)
	}
	head := t.header()
	usd := slicesIndex(head, "USD")
	err = t.eachRaw(func(rec []string) error {
		return ecbRow(head, usd, rec, add, &y, t.line)
	})
	if err != nil {
		return y.y, fmt.Errorf("ecb fx: %w", err)
	}
	return y.y, nil
}

func ecbRow(head []string, usd int, rec []string, add AddRate, y *tally, line int) error {
	day, err := time.Parse(time.DateOnly, strings.TrimSpace(rec[0]))
	if err != nil {
		return fmt.Errorf("%w: date %q", ErrLayout, rec[0])
	}
	usdPerEUR, ok := rate(field(rec, usd))
	if !ok {
		y.unusable("day without a USD rate: nothing on it can be crossed to USD", line, rec[0])
		return nil
	}
	if err := add("EUR", day, 1/usdPerEUR); err != nil {
		return err
	}
	y.use()
	for i := 1; i < len(head); i++ {
		cur := strings.TrimSpace(head[i])
		if cur == "" || cur == "USD" {
			continue
		}
		cell := field(rec, i)
		perEUR, ok := rate(cell)
		if !ok {
			if gap(cell) {
				y.leftOut("gaps (N/A or blank: not quoted that day)", line, cur)
			} else {
				y.unusable("rate is not a positive number", line, cur+" "+cell)
			}
			continue
		}
		if err := add(cur, day, perEUR/usdPerEUR); err != nil {
			return err
		}
		y.use()
	}
	return nil
}

// rate reads a positive quote.
func rate(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return v, err == nil && v > 0
}

// gap reports whether a cell is how rate files write "no quote".
func gap(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || strings.EqualFold(s, "N/A") || s == "."
}

func field(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return rec[i]
}

func slicesIndex(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}
