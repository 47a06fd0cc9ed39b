package dashboard

import (
	"sort"
	"strconv"
)

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
	type mk struct {
		name      string
		byCountry map[string]int64
		focus     float64
		total     int64
	}
	var markets []*mk
	countryTotal := map[string]int64{}
	tab := dataTable{ID: "marketplaces-table", Caption: "Current listings per marketplace and seller country",
		Head: heads("marketplace", "seller country", "listings", "share of marketplace")}
	for _, row := range t.Rows {
		name, country, n := asString(row[idx[0]]), asString(row[idx[1]]), asInt(row[idx[2]])
		sh, _ := asFloat(row[idx[3]])
		if len(markets) == 0 || markets[len(markets)-1].name != name {
			markets = append(markets, &mk{name: name, byCountry: map[string]int64{}})
		}
		m := markets[len(markets)-1]
		if country == "" {
			country = "unknown"
		}
		m.byCountry[country] += n
		m.total += n
		if country == focus {
			m.focus = sh
		}
		countryTotal[country] += n
		c := cell{Text: country}
		if country == focus {
			c.Class = "hl"
		}
		tab.Rows = append(tab.Rows, []cell{{Text: name}, c, {Text: fmtInt(n), Num: true}, {Text: fmtShare(sh), Num: true}})
	}
	// The chart stacks the largest countries, the focus first, and folds
	// the rest into "other"; the table has every country.
	countries := make([]string, 0, len(countryTotal))
	for c := range countryTotal {
		countries = append(countries, c)
	}
	sort.Slice(countries, func(i, j int) bool {
		a, b := countries[i], countries[j]
		if (a == focus) != (b == focus) {
			return a == focus
		}
		if countryTotal[a] != countryTotal[b] {
			return countryTotal[a] > countryTotal[b]
		}
		return a < b
	})
	names := countries
	if len(names) > maxSeries-1 {
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
	scope := r.filter.describe("marketplace", "category")
	return []section{{ID: id, Title: title, Tables: []dataTable{tab},
		Exports: r.exports.links("listings_by_category_country"),
		Note:    "Sellers' countries as the marketplaces report them; " + strconv.Quote(focus) + " is highlighted (choose a seller country to compare another).",
		Charts: []Chart{
			newStackChart("marketplaces-chart", "Listings per marketplace by seller country"+scope,
				"Stacked columns, one per marketplace, of current listings by seller country.", names, cols, fmtCount),
			newBarChart("focus-share-chart", focus+" sellers' share of each marketplace"+scope,
				"Horizontal bars of the share of each marketplace's current listings that "+focus+" sellers hold.", bars, 1),
		}}}
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}
