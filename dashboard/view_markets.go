package dashboard

import (
	"sort"
	"strconv"
)

// market is one marketplace's current listings by seller country.
type market struct {
	name      string
	byCountry map[string]int64
	focus     float64 // the focus country's share
	total     int64
}

// buildMarketplaces answers "where do sellers list": current listings per
// marketplace and seller country.
func buildMarketplaces(r *reader) []section {
	const id, title = "marketplaces", "Current listings by marketplace and seller country"
	t, err := r.query("marketplace_country", nil)
	if err != nil {
		return []section{failed(id, title, err)}
	}
	idx, err := t.Index("marketplace", "seller_country", "listings", "share")
	if err != nil {
		return []section{failed(id, title, err)}
	}
	focus := r.filter.Country
	if focus == "" {
		focus = "PK"
	}
	tab := dataTable{ID: "marketplaces-table", Caption: "Current listings per marketplace and seller country",
		Head: heads("marketplace", "seller country", "listings", "share of marketplace")}
	var markets []*market
	for _, row := range t.Rows {
		name, country, n := asString(row[idx[0]]), asString(row[idx[1]]), asInt(row[idx[2]])
		sh, _ := asFloat(row[idx[3]])
		if country == "" {
			country = "unknown"
		}
		if len(markets) == 0 || markets[len(markets)-1].name != name {
			markets = append(markets, &market{name: name, byCountry: map[string]int64{}})
		}
		m := markets[len(markets)-1]
		m.byCountry[country] += n
		m.total += n
		c := cell{Text: country}
		if country == focus {
			m.focus, c.Class = sh, "hl"
		}
		tab.Rows = append(tab.Rows, []cell{{Text: name}, c, {Text: fmtInt(n), Num: true}, {Text: fmtShare(sh), Num: true}})
	}
	scope := r.filter.describe("marketplace", "category")
	return []section{{ID: id, Title: title, Tables: []dataTable{tab},
		Exports: r.exports.links("listings_by_category_country"),
		Note:    "Sellers' countries as the marketplaces report them; " + strconv.Quote(focus) + " is highlighted (choose a seller country to compare another).",
		Charts:  marketCharts(markets, focus, scope)}}
}

// marketCharts stacks each marketplace's listings by country (the focus
// first, the largest others, the rest as "other"; the table has every
// country), and draws the focus country's share of each.
func marketCharts(markets []*market, focus, scope string) []Chart {
	totals := map[string]int64{}
	for _, m := range markets {
		for c, n := range m.byCountry {
			totals[c] += n
		}
	}
	countries := make([]string, 0, len(totals))
	for c := range totals {
		countries = append(countries, c)
	}
	sort.Slice(countries, func(i, j int) bool {
		a, b := countries[i], countries[j]
		if (a == focus) != (b == focus) {
			return a == focus
		}
		if totals[a] != totals[b] {
			return totals[a] > totals[b]
		}
		return a < b
	})
	names := countries
	if len(names) > maxSeries {
		names = append(append([]string{}, countries[:maxSeries-1]...), "other")
	}
	var cols []stack
	var bars []bar
	for _, m := range markets {
		vals := make([]float64, len(names))
		for c, n := range m.byCountry {
			j := indexOf(names, c)
			if j < 0 {
				j = len(names) - 1
			}
			vals[j] += float64(n)
		}
		cols = append(cols, stack{Label: m.name, Values: vals})
		bars = append(bars, bar{Label: m.name, Value: m.focus, Text: fmtShare(m.focus) + " of " + fmtInt(m.total), Highlight: true})
	}
	return []Chart{
		newStackChart("marketplaces-chart", "Listings per marketplace by seller country"+scope,
			"Stacked columns, one per marketplace, of current listings by seller country.", names, cols, fmtCount),
		newBarChart("focus-share-chart", focus+" sellers' share of each marketplace"+scope,
			"Horizontal bars of the share of each marketplace's current listings that "+focus+" sellers hold.", bars, 1),
	}
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}
