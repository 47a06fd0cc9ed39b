package dashboard

import (
	"sort"
	"time"
)

// textiles is the category group the seed's question singles out.
const textiles = "textiles"

// buildListings answers "how many products do Pakistani sellers list, in
// which categories, and how is that growing", with the textiles share.
func buildListings(r *reader) []section {
	return []section{listingsOverTime(r), listingsByGroup(r), newestListings(r)}
}

// monthEnd is the listings per category group on a month's last day.
type monthEnd struct {
	day     time.Time
	byGroup map[string]int64
	total   int64
}

func listingsOverTime(r *reader) section {
	const id, title = "over-time", "Current listings by category group over time"
	t, err := r.query("listings_monthly", nil)
	if err != nil {
		return failed(id, title, err)
	}
	idx, err := t.Index("month", "day", "category_group", "listings")
	if err != nil {
		return failed(id, title, err)
	}
	months, groups := readMonthEnds(t, idx)
	tab := dataTable{ID: "over-time-table", Caption: "Listings at the end of each month (the last day in range)",
		Head: heads(append(append([]string{"day"}, groups...), "total", "textiles share")...)}
	ss := make([]series, len(groups))
	for i, g := range groups {
		ss[i].Name = g
	}
	share := series{Name: "textiles share"}
	for _, m := range months {
		row := []cell{{Text: fmtDay(m.day)}}
		for i, g := range groups {
			row = append(row, cell{Text: fmtInt(m.byGroup[g]), Num: true})
			ss[i].Points = append(ss[i].Points, point{At: m.day, Value: float64(m.byGroup[g])})
		}
		sh := cell{Num: true}
		if m.total > 0 {
			v := float64(m.byGroup[textiles]) / float64(m.total)
			sh.Text = fmtShare(v)
			share.Points = append(share.Points, point{At: m.day, Value: v})
		}
		tab.Rows = append(tab.Rows, append(row, cell{Text: fmtInt(m.total), Num: true}, sh))
	}
	scope := r.filter.describe("marketplace", "category", "country", "from", "to")
	return section{ID: id, Title: title, Tables: []dataTable{tab}, Exports: r.exports.links("listings_daily"),
		Note: "Listings first seen on or before the day and neither delisted nor withdrawn by then (marts.listings_daily), per seller country " + countryWord(r.filter) + ".",
		Charts: []Chart{
			newLineChart("over-time-chart", "Listings per category group"+scope,
				"Lines of current listings at each month's end, one per category group (the eight largest).", ss, fmtCount),
			newLineChart("textiles-share-chart", "Textiles share of listings"+scope,
				"A line of the textiles group's share of all listings at each month's end.", []series{share}, fmtShare),
		}}
}

// readMonthEnds groups the query's rows (ordered by month) by month, and
// returns the groups largest first by their latest count.
func readMonthEnds(t *Table, idx []int) ([]*monthEnd, []string) {
	var months []*monthEnd
	last := map[string]int64{}
	for _, row := range t.Rows {
		day, _ := asTime(row[idx[1]])
		if len(months) == 0 || !months[len(months)-1].day.Equal(day) {
			months = append(months, &monthEnd{day: day, byGroup: map[string]int64{}})
		}
		m := months[len(months)-1]
		g, n := asString(row[idx[2]]), asInt(row[idx[3]])
		m.byGroup[g] += n
		m.total += n
		last[g] = n
	}
	groups := make([]string, 0, len(last))
	for g := range last {
		groups = append(groups, g)
	}
	sort.Slice(groups, func(i, j int) bool {
		if last[groups[i]] != last[groups[j]] {
			return last[groups[i]] > last[groups[j]]
		}
		return groups[i] < groups[j]
	})
	return months, groups
}

func listingsByGroup(r *reader) section {
	const id, title = "by-group", "Current listings by category group"
	t, err := r.query("category_current", nil)
	if err != nil {
		return failed(id, title, err)
	}
	idx, err := t.Index("category_group", "listings", "share")
	if err != nil {
		return failed(id, title, err)
	}
	tab := dataTable{ID: "by-group-table", Caption: "Current listings per category group", Head: heads("category group", "listings", "share")}
	var bars []bar
	for _, row := range t.Rows {
		g, n := asString(row[idx[0]]), asInt(row[idx[1]])
		sh, _ := asFloat(row[idx[2]])
		tab.Rows = append(tab.Rows, []cell{{Text: g}, {Text: fmtInt(n), Num: true}, {Text: fmtShare(sh), Num: true}})
		bars = append(bars, bar{Label: g, Value: float64(n), Text: fmtInt(n) + " (" + fmtShare(sh) + ")", Highlight: g == textiles})
	}
	scope := r.filter.describe("marketplace", "category", "country")
	return section{ID: id, Title: title, Tables: []dataTable{tab},
		Exports: r.exports.links("listings_by_category_country", "category_share"),
		Note:    "Listings a marketplace shows now (core.current_listings), per seller country " + countryWord(r.filter) + "; textiles highlighted.",
		Charts: []Chart{newBarChart("by-group-chart", "Current listings by category group"+scope,
			"Horizontal bars of current listings per category group, largest first, textiles highlighted.", bars, 0)}}
}

func newestListings(r *reader) section {
	const id, title = "newest", "Newest listings"
	t, err := r.query("newest_listings", nil)
	if err != nil {
		return failed(id, title, err)
	}
	idx, err := t.Index("title", "marketplace", "category", "seller_country", "price_min_usd", "price_max_usd", "updated_at")
	if err != nil {
		return failed(id, title, err)
	}
	tab := dataTable{ID: "newest-table", Caption: "The ten current listings updated last",
		Head: heads("title", "marketplace", "category", "seller country", "price from (USD)", "price to (USD)", "updated")}
	for _, row := range t.Rows {
		upd := ""
		if at, ok := asTime(row[idx[6]]); ok {
			upd = fmtTime(at)
		}
		tab.Rows = append(tab.Rows, []cell{{Text: asString(row[idx[0]]), Class: "wrap"}, text(row[idx[1]]), text(row[idx[2]]), text(row[idx[3]]),
			numF(row[idx[4]], fmtDec), numF(row[idx[5]], fmtDec), {Text: upd}})
	}
	return section{ID: id, Title: title, Tables: []dataTable{tab},
		Note: "Titles exactly as the marketplace lists them."}
}

// countryWord names the seller-country filter in a note.
func countryWord(f Filter) string {
	if f.Country == "" {
		return "any"
	}
	return f.Country
}
