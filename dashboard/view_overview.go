package dashboard

import (
	"fmt"
	"strconv"
)

// buildOverview answers "can I trust this morning's numbers": the run the
// snapshot holds, how fresh each source is, what the recent runs loaded,
// rejected and collapsed, and the data tests.
func buildOverview(r *reader) []section {
	return []section{lastRunSection(r), freshnessSection(r), stepsSection(r), runsSection(r), testsSection(r)}
}

func lastRunSection(r *reader) section {
	i := r.info
	age := cell{Text: i.Age}
	if i.Stale {
		age.Class = "bad"
	}
	tab := dataTable{ID: "lastrun-table", Caption: "The run this snapshot holds",
		Rows: [][]cell{
			{{Text: "last successful run"}, {Text: i.RunID}},
			{{Text: "pipeline"}, {Text: i.Pipeline}},
			{{Text: "finished"}, {Text: i.Finished}},
			{{Text: "age"}, age},
			{{Text: "runs recorded"}, {Text: fmtInt(i.Runs), Num: true}},
			{{Text: "snapshot"}, {Text: i.Path}},
		}}
	return section{ID: "lastrun", Title: "Last successful run", Tables: []dataTable{tab}}
}

func freshnessSection(r *reader) section {
	const id, title = "freshness", "Freshness per source"
	t, err := r.query("freshness", nil)
	if err != nil {
		return failed(id, title, err)
	}
	idx, err := t.Index("dataset", "source", "newest_record", "last_run", "last_run_at", "cursor")
	if err != nil {
		return failed(id, title, err)
	}
	tab := dataTable{ID: "freshness-table", Caption: "Newest record and saved cursor per source",
		Head: heads("dataset", "source", "newest record", "age", "last successful run", "saved cursor")}
	for _, row := range t.Rows {
		newest, age := "", ""
		if at, ok := asTime(row[idx[2]]); ok {
			newest, age = fmtTime(at), fmtAge(r.now, at)
		}
		last := asString(row[idx[3]])
		if at, ok := asTime(row[idx[4]]); ok {
			last += " (" + fmtAge(r.now, at) + ")"
		}
		tab.Rows = append(tab.Rows, []cell{text(row[idx[0]]), text(row[idx[1]]), {Text: newest}, {Text: age}, {Text: last}, text(row[idx[5]])})
	}
	return section{ID: id, Title: title, Tables: []dataTable{tab},
		Note: "The newest record is the latest updated_at core holds from the source (the latest rate date for FX); the cursor is what an incremental source resumes from."}
}

// stepsSection draws, per dataset, the rows each recent run loaded,
// rejected and collapsed as duplicates.
func stepsSection(r *reader) section {
	const id, title = "steps", "Loaded, rejected and collapsed per dataset"
	t, err := r.query("recent_steps", Params{"runs": r.runs})
	if err != nil {
		return failed(id, title, err)
	}
	idx, err := t.Index("run_id", "dataset", "extracted", "loaded", "rejected", "duplicates", "status")
	if err != nil {
		return failed(id, title, err)
	}
	var datasets []string
	cols := map[string][]stack{}
	tab := dataTable{ID: "steps-table", Caption: "Rows per run and dataset (oldest first)",
		Head: heads("run", "status", "dataset", "extracted", "loaded", "rejected", "collapsed")}
	for _, row := range t.Rows {
		ds := asString(row[idx[1]])
		if _, ok := cols[ds]; !ok {
			datasets = append(datasets, ds)
		}
		run := asString(row[idx[0]])
		cols[ds] = append(cols[ds], stack{Label: shortRun(run), Values: []float64{
			float64(asInt(row[idx[3]])), float64(asInt(row[idx[4]])), float64(asInt(row[idx[5]]))}})
		tab.Rows = append(tab.Rows, []cell{{Text: run}, text(row[idx[6]]), {Text: ds}, num(row[idx[2]]), num(row[idx[3]]), num(row[idx[4]]), num(row[idx[5]])})
	}
	s := section{ID: id, Title: title, Tables: []dataTable{tab}, Small: true,
		Note: fmt.Sprintf("The newest %d runs the snapshot records. Every run reconciles: extracted = loaded + rejected + collapsed duplicates.", r.runs)}
	for _, ds := range datasets {
		s.Charts = append(s.Charts, newSmallStackChart("steps-"+ds, ds+": rows per run",
			"Stacked columns, one per run, of the "+ds+" rows loaded, rejected and collapsed as duplicates.",
			[]string{"loaded", "rejected", "collapsed"}, cols[ds], fmtCount))
	}
	return s
}

func runsSection(r *reader) section {
	const id, title = "runs", "Recent runs"
	t, err := r.query("recent_runs", Params{"runs": r.runs})
	if err != nil {
		return failed(id, title, err)
	}
	idx, err := t.Index("run_id", "status", "started_at", "duration_s", "extracted", "loaded", "rejected",
		"duplicates", "data_test_errors", "data_test_warnings", "error")
	if err != nil {
		return failed(id, title, err)
	}
	tab := dataTable{ID: "runs-table", Caption: "Newest first",
		Head: heads("run", "status", "started", "seconds", "extracted", "loaded", "rejected", "collapsed", "test errors", "test warnings", "error")}
	for _, row := range t.Rows {
		started := ""
		if at, ok := asTime(row[idx[2]]); ok {
			started = fmtTime(at)
		}
		status := text(row[idx[1]])
		if status.Text != "ok" {
			status.Class = "bad"
		}
		secs := cell{Num: true}
		if v, ok := asFloat(row[idx[3]]); ok {
			secs.Text = strconv.FormatFloat(v, 'f', 1, 64)
		}
		tab.Rows = append(tab.Rows, []cell{text(row[idx[0]]), status, {Text: started}, secs, num(row[idx[4]]), num(row[idx[5]]),
			num(row[idx[6]]), num(row[idx[7]]), num(row[idx[8]]), num(row[idx[9]]), {Text: asString(row[idx[10]]), Class: "wrap"}})
	}
	return section{ID: id, Title: title, Tables: []dataTable{tab},
		Note: "The snapshot is published by successful runs, so failures after its run are only in the working warehouse (exportpipe runs)."}
}

func testsSection(r *reader) section {
	const id, title = "tests", "Data tests"
	t, err := r.query("data_tests", nil)
	if err != nil {
		return failed(id, title, err)
	}
	idx, err := t.Index("test", "severity", "failures", "passed")
	if err != nil {
		return failed(id, title, err)
	}
	passed, failedN := 0, 0
	tab := dataTable{ID: "tests-table", Caption: "Data tests of the snapshot's run, failures first",
		Head: heads("test", "severity", "failing rows", "result")}
	for _, row := range t.Rows {
		res := cell{Text: "passed", Class: "good"}
		if ok, _ := row[idx[3]].(bool); ok {
			passed++
		} else {
			failedN++
			res = cell{Text: "failed", Class: "bad"}
		}
		tab.Rows = append(tab.Rows, []cell{text(row[idx[0]]), text(row[idx[1]]), num(row[idx[2]]), res})
	}
	return section{ID: id, Title: title, Tables: []dataTable{tab},
		Note: fmt.Sprintf("%d passed, %d failed. A failing error-level test stops a run from publishing; warnings publish.", passed, failedN)}
}

// shortRun shortens a run id (20261128T191010.087Z-576849) to its day and
// time for axis labels; tables keep it whole.
func shortRun(id string) string {
	if len(id) >= 13 && id[8] == 'T' {
		return id[4:6] + "-" + id[6:8] + " " + id[9:11] + ":" + id[11:13]
	}
	return id
}

func heads(names ...string) []cell {
	out := make([]cell, len(names))
	for i, n := range names {
		out[i] = cell{Text: n}
	}
	return out
}

func text(v any) cell { return cell{Text: asString(v)} }

// num is a count cell; NULL stays empty.
func num(v any) cell {
	if v == nil {
		return cell{Num: true}
	}
	return cell{Text: fmtInt(asInt(v)), Num: true}
}

// numF renders a nullable measure with format.
func numF(v any, format func(float64) string) cell {
	f, ok := asFloat(v)
	if !ok {
		return cell{Num: true}
	}
	return cell{Text: format(f), Num: true}
}
