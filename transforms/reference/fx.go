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

// FXStats counts what a loader did, for logs and coverage tests.
type FXStats struct {
	Rates   int // rates handed to AddRate
	Skipped int // gaps ("N/A", blanks) and series of retired currencies
}

// LoadECB reads the ECB reference-rate CSV (eurofxref-hist.csv): one row
// per day, a Date column and one column per currency quoted as units per
// EUR. Rates are crossed through USD: units per USD = (units per EUR) /
// (USD per EUR), and EUR itself is 1 / (USD per EUR). Days without a USD
// quote are skipped whole, since nothing on them can be crossed.
func LoadECB(r io.Reader, add AddRate) (FXStats, error) {
	var st FXStats
	t, err := newTable(r, ',', "Date", "USD")
	if err != nil {
		return st, fmt.Errorf("ecb fx: %w", err)
	}
	head := t.header()
	err = t.eachRaw(func(rec []string) error {
		return ecbRow(head, rec, add, &st)
	})
	if err != nil {
		return st, fmt.Errorf("ecb fx: %w", err)
	}
	return st, nil
}

func ecbRow(head, rec []string, add AddRate, st *FXStats) error {
	day, err := time.Parse(time.DateOnly, strings.TrimSpace(rec[0]))
	if err != nil {
		return fmt.Errorf("%w: date %q", ErrLayout, rec[0])
	}
	usdPerEUR, ok := rate(field(rec, slicesIndex(head, "USD")))
	if !ok {
		for _, h := range head[1:] {
			if strings.TrimSpace(h) != "" {
				st.Skipped++ // the whole day, USD included
			}
		}
		return nil
	}
	if err := add("EUR", day, 1/usdPerEUR); err != nil {
		return err
	}
	st.Rates++
	for i := 1; i < len(head); i++ {
		cur := strings.TrimSpace(head[i])
		if cur == "" || cur == "USD" {
			continue
		}
		perEUR, ok := rate(field(rec, i))
		if !ok {
			st.Skipped++
			continue
		}
		if err := add(cur, day, perEUR/usdPerEUR); err != nil {
			return err
		}
		st.Rates++
	}
	return nil
}

// rate reads a positive quote; "N/A" and blanks are gaps.
func rate(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return v, err == nil && v > 0
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
