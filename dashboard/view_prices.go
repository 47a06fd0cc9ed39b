package dashboard

import (
	"sort"
	"strconv"
	"time"
)

// chapter is one HS chapter's series of the price index.
type chapter struct {
	num        int64
	categories string
	first      time.Time
	points     []point
	latest     []any // the last row, in the query's columns
}

func (c *chapter) label() string { return "HS " + strconv.FormatInt(c.num, 10) }

// buildPrices answers "how are prices moving": the chained monthly price
// index per HS chapter.
func buildPrices(r *reader) []section {
	const id, title = "price-index", "Price index by HS chapter"
	t, err := r.query("price_index", nil)
	if err != nil {
		return []section{failed(id, title, err)}
	}
	idx, err := t.Index("hs_chapter", "categories", "month", "listings", "matched_listings", "median_price_usd", "price_change", "price_index")
	if err != nil {
		return []section{failed(id, title, err)}
	}
	chapters := readChapters(t, idx)
	plotted := largestChapters(chapters, idx[3])
	var ss []series
	for _, c := range plotted {
		ss = append(ss, series{Name: c.label() + " " + clip(c.categories, 24), Points: c.points})
	}
	scope := r.filter.describe("category", "from", "to")
	return []section{{ID: id, Title: title, Tables: []dataTable{chapterTable(chapters, idx), seriesTable(plotted)},
		Exports: r.exports.links("price_index_monthly"),
		Note: "A chained matched-listing index: 100 in the chapter's first month, moved only by price changes of the same listings " +
			"(marts.price_index_monthly). The median price also moves with the mix of listings.",
		Charts: []Chart{newLineChart("price-index-chart", "USD price index by HS chapter"+scope,
			"Lines of the monthly price index, one per HS chapter (the eight with the most listings).", ss, fmtIndex)}}}
}

// readChapters groups the query's rows (ordered by chapter and month) into
// one series per chapter.
func readChapters(t *Table, idx []int) []*chapter {
	var out []*chapter
	for _, row := range t.Rows {
		n := asInt(row[idx[0]])
		if len(out) == 0 || out[len(out)-1].num != n {
			out = append(out, &chapter{num: n, categories: asString(row[idx[1]])})
		}
		c := out[len(out)-1]
		m, _ := asTime(row[idx[2]])
		if c.first.IsZero() {
			c.first = m
		}
		if v, ok := asFloat(row[idx[7]]); ok {
			c.points = append(c.points, point{At: m, Value: v})
		}
		c.latest = row
	}
	return out
}

// largestChapters picks the chapters the chart draws: those with the most
// listings in their latest month, in chapter order. The tables have all.
func largestChapters(chapters []*chapter, listingsCol int) []*chapter {
	out := append([]*chapter{}, chapters...)
	sort.SliceStable(out, func(i, j int) bool {
		return asInt(out[i].latest[listingsCol]) > asInt(out[j].latest[listingsCol])
	})
	if len(out) > maxSeries {
		out = out[:maxSeries]
	}
	sort.Slice(out, func(i, j int) bool { return out[i].num < out[j].num })
	return out
}

func chapterTable(chapters []*chapter, idx []int) dataTable {
	tab := dataTable{ID: "price-index-table", Caption: "Each chapter's latest month in range",
		Head: heads("HS chapter", "categories", "first month", "latest month", "index", "change on month", "listings", "matched", "median price")}
	for _, c := range chapters {
		l := c.latest
		m, _ := asTime(l[idx[2]])
		tab.Rows = append(tab.Rows, []cell{{Text: strconv.FormatInt(c.num, 10), Num: true}, {Text: c.categories, Class: "wrap"},
			{Text: fmtMonth(c.first)}, {Text: fmtMonth(m)}, numF(l[idx[7]], fmtIndex), numF(l[idx[6]], fmtShare),
			num(l[idx[3]]), num(l[idx[4]]), numF(l[idx[5]], fmtUSD)})
	}
	return tab
}

// seriesTable is the charted index, one row per month and one column per
// chapter.
func seriesTable(plotted []*chapter) dataTable {
	tab := dataTable{ID: "price-series-table", Caption: "Index per month of the charted chapters", Head: heads("month")}
	byMonth := map[time.Time]map[int]float64{}
	var months []time.Time
	for i, c := range plotted {
		tab.Head = append(tab.Head, cell{Text: c.label()})
		for _, p := range c.points {
			if byMonth[p.At] == nil {
				byMonth[p.At] = map[int]float64{}
				months = append(months, p.At)
			}
			byMonth[p.At][i] = p.Value
		}
	}
	sort.Slice(months, func(i, j int) bool { return months[i].Before(months[j]) })
	for _, m := range months {
		row := []cell{{Text: fmtMonth(m)}}
		for i := range plotted {
			c := cell{Num: true}
			if v, ok := byMonth[m][i]; ok {
				c.Text = fmtIndex(v)
			}
			row = append(row, c)
		}
		tab.Rows = append(tab.Rows, row)
	}
	return tab
}
