package dashboard

// buildFreight answers "how expensive is shipping from Karachi and Port
// Qasim": the latest quoted rates per lane and container type.
func buildFreight(r *reader) []section {
	const id, title = "freight", "Freight cost by lane"
	t, err := r.query("freight_lanes", nil)
	if err != nil {
		return []section{failed(id, title, err)}
	}
	idx, err := t.Index("origin", "destination", "equipment", "month", "rates", "carriers", "min_usd", "median_usd", "max_usd")
	if err != nil {
		return []section{failed(id, title, err)}
	}
	tab := dataTable{ID: "freight-table", Caption: "Each lane's latest month of validity in range",
		Head: heads("origin", "destination", "container", "month", "rates", "carriers", "lowest", "median", "highest")}
	var bars []bar
	for _, row := range t.Rows {
		month, _ := asTime(row[idx[3]])
		tab.Rows = append(tab.Rows, []cell{text(row[idx[0]]), text(row[idx[1]]), text(row[idx[2]]), {Text: fmtMonth(month)},
			num(row[idx[4]]), num(row[idx[5]]), numF(row[idx[6]], fmtUSD), numF(row[idx[7]], fmtUSD), numF(row[idx[8]], fmtUSD)})
		label := asString(row[idx[0]]) + " → " + asString(row[idx[1]])
		if r.filter.Equipment == "" {
			label += " " + asString(row[idx[2]])
		}
		if v, ok := asFloat(row[idx[7]]); ok {
			bars = append(bars, bar{Label: label, Value: v, Text: fmtUSD(v)})
		}
	}
	scope := r.filter.describe("equipment", "from", "to")
	return []section{{ID: id, Title: title, Tables: []dataTable{tab}, Exports: r.exports.links("freight_cost_monthly"),
		Note: "Median USD rate per container quoted by all carriers on the lane in its latest month (marts.freight_cost_monthly).",
		Charts: []Chart{newBarChart("freight-chart", "Median freight rate per container by lane"+scope,
			"Horizontal bars of the median USD rate per container on each lane, dearest first.", bars, 0)}}}
}

// buildDestinations answers "where do exports go": sailings from Pakistani
// ports per destination country.
func buildDestinations(r *reader) []section {
	const id, title = "destinations", "Exports by destination"
	t, err := r.query("destinations", nil)
	if err != nil {
		return []section{failed(id, title, err)}
	}
	idx, err := t.Index("destination_country", "sailings", "arrived", "on_time", "on_time_share", "rate_usd_40ft", "rate_month")
	if err != nil {
		return []section{failed(id, title, err)}
	}
	tab := dataTable{ID: "destinations-table", Caption: "Sailings from PK ports by month of departure in range",
		Head: heads("destination country", "sailings", "arrived", "on time", "on-time share", "latest 40ft rate", "rate month")}
	var bars []bar
	for _, row := range t.Rows {
		rm := ""
		if m, ok := asTime(row[idx[6]]); ok {
			rm = fmtMonth(m)
		}
		tab.Rows = append(tab.Rows, []cell{text(row[idx[0]]), num(row[idx[1]]), num(row[idx[2]]), num(row[idx[3]]),
			numF(row[idx[4]], fmtShare), numF(row[idx[5]], fmtUSD), {Text: rm}})
		n := asInt(row[idx[1]])
		bars = append(bars, bar{Label: asString(row[idx[0]]), Value: float64(n), Text: fmtInt(n)})
	}
	scope := r.filter.describe("from", "to")
	return []section{{ID: id, Title: title, Tables: []dataTable{tab}, Exports: r.exports.links("exports_by_destination"),
		Note: "Sailings from Karachi and Port Qasim (origin PK…) per destination country, with the latest median 40-foot rate quoted there.",
		Charts: []Chart{newBarChart("destinations-chart", "Sailings from Pakistani ports by destination country"+scope,
			"Horizontal bars of sailings per destination country, most first.", bars, 0)}}}
}

// buildSellers answers "which sellers are growing": new, active and total
// sellers per month.
func buildSellers(r *reader) []section {
	const id, title = "sellers", "Seller growth"
	t, err := r.query("seller_growth", nil)
	if err != nil {
		return []section{failed(id, title, err)}
	}
	idx, err := t.Index("month", "new_sellers", "active_sellers", "total_sellers")
	if err != nil {
		return []section{failed(id, title, err)}
	}
	tab := dataTable{ID: "sellers-table", Caption: "Sellers per month", Head: heads("month", "new", "active", "total")}
	total, active, fresh := series{Name: "total"}, series{Name: "active"}, series{Name: "new"}
	for _, row := range t.Rows {
		m, _ := asTime(row[idx[0]])
		tab.Rows = append(tab.Rows, []cell{{Text: fmtMonth(m)}, num(row[idx[1]]), num(row[idx[2]]), num(row[idx[3]])})
		add := func(s *series, v any) { s.Points = append(s.Points, point{At: m, Value: float64(asInt(v))}) }
		add(&total, row[idx[3]])
		add(&active, row[idx[2]])
		add(&fresh, row[idx[1]])
	}
	scope := r.filter.describe("marketplace", "country", "from", "to")
	return []section{{ID: id, Title: title, Tables: []dataTable{tab}, Exports: r.exports.links("seller_growth_monthly"),
		Note: "New: joined the marketplace in the month. Active: a listing appeared or changed price in the month. Total: joined by then.",
		Charts: []Chart{newLineChart("sellers-chart", "Sellers per month"+scope,
			"Three lines per month: total sellers, active sellers and new sellers.", []series{total, active, fresh}, fmtCount)}}}
}

// buildRejects answers "what did we not load, and why": the commonest
// reasons per source with an example, and rejects per run.
func buildRejects(r *reader) []section {
	return []section{rejectsByRun(r), rejectReasons(r)}
}

func rejectsByRun(r *reader) section {
	const id, title = "rejects-by-run", "Rejects per source over runs"
	t, err := r.query("rejects_by_run", Params{"runs": r.runs})
	if err != nil {
		return failed(id, title, err)
	}
	idx, err := t.Index("run_id", "started_at", "status", "source", "extracted", "rejected")
	if err != nil {
		return failed(id, title, err)
	}
	tab := dataTable{ID: "rejects-by-run-table", Caption: "Rejected rows per run and source (oldest first)",
		Head: heads("run", "started", "status", "source", "extracted", "rejected", "rejected share")}
	var sources []string
	var cols []stack
	var runs []string
	byRun := map[string]map[string]float64{}
	for _, row := range t.Rows {
		run, src := asString(row[idx[0]]), asString(row[idx[3]])
		if byRun[run] == nil {
			byRun[run] = map[string]float64{}
			runs = append(runs, run)
		}
		if indexOf(sources, src) < 0 {
			sources = append(sources, src)
		}
		ext, rej := asInt(row[idx[4]]), asInt(row[idx[5]])
		byRun[run][src] += float64(rej)
		started := ""
		if at, ok := asTime(row[idx[1]]); ok {
			started = fmtTime(at)
		}
		sh := cell{Num: true}
		if ext > 0 {
			sh.Text = fmtShare(float64(rej) / float64(ext))
		}
		tab.Rows = append(tab.Rows, []cell{{Text: run}, {Text: started}, text(row[idx[2]]), {Text: src},
			{Text: fmtInt(ext), Num: true}, {Text: fmtInt(rej), Num: true}, sh})
	}
	names := sources
	if len(names) > maxSeries {
		names = names[:maxSeries]
	}
	for _, run := range runs {
		vals := make([]float64, len(names))
		for i, s := range names {
			vals[i] = byRun[run][s]
		}
		cols = append(cols, stack{Label: shortRun(run), Values: vals})
	}
	return section{ID: id, Title: title, Tables: []dataTable{tab},
		Note: "Runs the snapshot records (meta.run_steps); rejected rows are kept whole in meta.rejects.",
		Charts: []Chart{newStackChart("rejects-by-run-chart", "Rejected rows per run by source",
			"Stacked columns, one per run, of rejected rows by source.", names, cols, fmtCount)}}
}

func rejectReasons(r *reader) section {
	const id, title = "reasons", "Top reasons per source"
	t, err := r.query("reject_reasons", nil)
	if err != nil {
		return failed(id, title, err)
	}
	idx, err := t.Index("source", "dataset", "code", "field", "rejects", "example_value", "example_reason", "example_record")
	if err != nil {
		return failed(id, title, err)
	}
	tab := dataTable{ID: "reasons-table", Caption: "The five commonest reasons of each source, over every run the snapshot records",
		Head: heads("source", "dataset", "reason", "field", "rejects", "example raw value", "example message", "example record")}
	for _, row := range t.Rows {
		tab.Rows = append(tab.Rows, []cell{text(row[idx[0]]), text(row[idx[1]]), text(row[idx[2]]), text(row[idx[3]]),
			num(row[idx[4]]), {Text: asString(row[idx[5]]), Class: "raw"}, {Text: asString(row[idx[6]]), Class: "wrap"}, {Text: asString(row[idx[7]]), Class: "raw record"}})
	}
	return section{ID: id, Title: title, Tables: []dataTable{tab},
		Note: "Raw values exactly as the source sent them (records cut at 300 characters)."}
}
