package dashboard

import "time"

// buildShipping answers "does PNSC meet international schedule-reliability
// benchmarks": on-time share by carrier, PNSC (or the chosen carrier)
// beside the others, and every route as the mart has it.
func buildShipping(r *reader) []section {
	return []section{carrierSection(r), onTimeMonthly(r), routesSection(r)}
}

func carrierSection(r *reader) section {
	const id, title = "carriers", "On-time share by carrier"
	t, err := r.query("carrier_performance", nil)
	if err != nil {
		return failed(id, title, err)
	}
	idx, err := t.Index("carrier", "sailings", "arrived", "on_time", "on_time_share")
	if err != nil {
		return failed(id, title, err)
	}
	focus := r.filter.focusCarrier()
	tab := dataTable{ID: "carriers-table", Caption: "Sailings by month of promised arrival in range",
		Head: heads("carrier", "sailings", "arrived", "on time", "on-time share")}
	var bars []bar
	for _, row := range t.Rows {
		name := asString(row[idx[0]])
		c := cell{Text: name}
		if name == focus {
			c.Class = "hl"
		}
		sh, ok := asFloat(row[idx[4]])
		tab.Rows = append(tab.Rows, []cell{c, num(row[idx[1]]), num(row[idx[2]]), num(row[idx[3]]), numF(row[idx[4]], fmtShare)})
		if ok {
			bars = append(bars, bar{Label: name, Value: sh, Text: fmtShare(sh), Highlight: name == focus})
		}
	}
	scope := r.filter.describe("from", "to")
	return section{ID: id, Title: title, Tables: []dataTable{tab}, Exports: r.exports.links("route_performance_monthly"),
		Note: "On time: arrived within one UTC calendar day of the ETA first promised (not a later re-timed one), as schedule-reliability benchmarks measure. " + focus + " is highlighted.",
		Charts: []Chart{newBarChart("carriers-chart", "On-time share by carrier"+scope,
			"Horizontal bars of each carrier's share of arrived sailings that arrived within a day of schedule, "+focus+" highlighted.", bars, 1)}}
}

func onTimeMonthly(r *reader) section {
	focus := r.filter.focusCarrier()
	id, title := "on-time-monthly", "On-time share by month: "+focus+" beside the others"
	t, err := r.query("on_time_monthly", Params{"focus": focus})
	if err != nil {
		return failed(id, title, err)
	}
	idx, err := t.Index("month", "carrier", "arrived", "on_time", "on_time_share")
	if err != nil {
		return failed(id, title, err)
	}
	type pair struct{ focus, others []any }
	byMonth := map[time.Time]*pair{}
	var months []time.Time
	mine, others := series{Name: focus}, series{Name: "others"}
	for _, row := range t.Rows {
		m, _ := asTime(row[idx[0]])
		if byMonth[m] == nil {
			byMonth[m] = &pair{}
			months = append(months, m)
		}
		who := asString(row[idx[1]])
		sh, ok := asFloat(row[idx[4]])
		if who == focus {
			byMonth[m].focus = row
			if ok {
				mine.Points = append(mine.Points, point{At: m, Value: sh})
			}
		} else {
			byMonth[m].others = row
			if ok {
				others.Points = append(others.Points, point{At: m, Value: sh})
			}
		}
	}
	tab := dataTable{ID: "on-time-monthly-table", Caption: "Arrived and on time per month of promised arrival",
		Head: heads("month", focus+" arrived", focus+" on time", focus+" share", "others arrived", "others on time", "others share")}
	for _, m := range months {
		row := []cell{{Text: fmtMonth(m)}}
		for _, side := range [][]any{byMonth[m].focus, byMonth[m].others} {
			if side == nil {
				row = append(row, cell{Num: true}, cell{Num: true}, cell{Num: true})
				continue
			}
			row = append(row, num(side[idx[2]]), num(side[idx[3]]), numF(side[idx[4]], fmtShare))
		}
		tab.Rows = append(tab.Rows, row)
	}
	scope := r.filter.describe("from", "to")
	return section{ID: id, Title: title, Tables: []dataTable{tab}, Exports: r.exports.links("route_performance_monthly"),
		Charts: []Chart{newLineChart("on-time-monthly-chart", "Monthly on-time share, "+focus+" and the others"+scope,
			"Two lines of the monthly on-time share: "+focus+", and all other carriers together.", []series{mine, others}, fmtShare)}}
}

// routesSection shows marts.route_performance with the columns the
// snapshot has, so a column added to the mart appears here unchanged.
func routesSection(r *reader) section {
	const id, title = "routes", "Routes"
	t, err := r.query("route_performance", nil)
	if err != nil {
		return failed(id, title, err)
	}
	tab := dataTable{ID: "routes-table", Caption: "marts.route_performance" + r.filter.describe("carrier")}
	for _, c := range t.Columns {
		tab.Head = append(tab.Head, cell{Text: c.Name})
	}
	focus := r.filter.focusCarrier()
	for _, row := range t.Rows {
		cells := make([]cell, len(row))
		for i, v := range row {
			cells[i] = cellFor(t.Columns[i], v)
			if t.Columns[i].Name == "carrier" && asString(v) == focus {
				cells[i].Class = "hl"
			}
		}
		tab.Rows = append(tab.Rows, cells)
	}
	return section{ID: id, Title: title, Tables: []dataTable{tab}, Exports: r.exports.links("route_performance"),
		Note: "Every sailing over all time per carrier and route, every column of the mart (the date range does not apply)."}
}
