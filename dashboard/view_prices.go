package dashboard

import (
	"sort"
	"strconv"
	"time"
)

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
	type chapter struct {
		num        int64
		categories string
		points     []point
		first      time.Time
		latest     []any
	}
	var chapters []*chapter
	for _, row := range t.Rows {
		n := asInt(row[idx[0]])
		if len(chapters) == 0 || chapters[len(chapters)-1].num != n {
			chapters = append(chapters, &chapter{num: n, categories: asString(row[idx[1]])})
		}
		c := chapters[len(chapters)-1]
		month, _ := asTime(row[idx[2]])
		if c.first.IsZero() {
			c.first = month
		}
		if v, ok := asFloat(row[idx[7]]); ok {
			c.points = append(c.points, point{At: month, Value: v})
		}
		c.latest = row
	}
	summary := dataTable{ID: "price-index-table", Caption: "Each chapter's latest month in range",
		Head: heads("HS chapter", "categories", "first month", "latest month", "index", "change on month", "listings", "matched", "median price")}
	for _, c := range chapters {
		l := c.latest
		month, _ := asTime(l[idx[2]])
		summary.Rows = append(summary.Rows, []cell{{Text: strconv.FormatInt(c.num, 10), Num: true}, {Text: c.categories, Class: "wrap"},
			{Text: fmtMonth(c.first)}, {Text: fmtMonth(month)}, numF(l[idx[7]], fmtIndex), numF(l[idx[6]], fmtShare),
			num(l[idx[3]]), num(l[idx[4]]), numF(l[idx[5]], fmtUSD)})
	}
	// The chart draws the chapters with the most listings; the tables have
	// them all.
	plotted := append([]*chapter{}, chapters...)
	sort.SliceStable(plotted, func(i, j int) bool {
		return asInt(plotted[i].latest[idx[3]]) > asInt(plotted[j].latest[idx[3]])
	})
	if len(plotted) > maxSeries {
		plotted = plotted[:maxSeries]
	}
	sort.Slice(plotted, func(i, j int) bool { return plotted[i].num < plotted[j].num })
	var ss []series
	for _, c := range plotted {
		ss = append(ss, series{Name: "HS " + strconv.FormatInt(c.num, 10) + " " + clip(c.categories, 24), Points: c.points})
	}
	series := dataTable{ID: "price-series-table", Caption: "Index per month of the charted chapters",
		Head: heads("month")}
	months := map[time.Time]map[int]float64{}
	var order []time.Time
	for i, c := range plotted {
		series.Head = append(series.Head, cell{Text: "HS " + strconv.FormatInt(c.num, 10)})
		for _, p := range c.points {
			if months[p.At] == nil {
				months[p.At] = map[int]float64{}
				order = append(order, p.At)
			}
			months[p.At][i] = p.Value
		}
	}
	sort.Slice(order, func(i, j int) bool { return order[i].Before(order[j]) })
	for _, m := range order {
		row := []cell{{Text: fmtMonth(m)}}
		for i := range plotted {
			v, ok := months[m][i]
			c := cell{Num: true}
			if ok {
				c.Text = fmtIndex(v)
			}
			row = append(row, c)
		}
		series.Rows = append(series.Rows, row)
	}
	scope := r.filter.describe("category", "from", "to")
	return []section{{ID: id, Title: title, Tables: []dataTable{summary, series},
		Exports: r.exports.links("price_index_monthly"),
		Note: "A chained matched-listing index: 100 in the chapter's first month, moved only by price changes of the same listings " +
			"(marts.price_index_monthly). The median price also moves with the mix of listings.",
		Charts: []Chart{newLineChart("price-index-chart", "USD price index by HS chapter"+scope,
			"Lines of the monthly price index, one per HS chapter (the eight with the most listings).", ss, fmtIndex)}}}
}
