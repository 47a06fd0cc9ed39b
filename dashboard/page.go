package dashboard

import (
	"context"
	"fmt"
	"time"
)

// view is one page of the dashboard.
type view struct {
	Path    string
	Name    string // the report's anchor and the nav's key
	Title   string
	Filters []string // the filter keys its form offers
	build   func(r *reader) []section
}

// views are the dashboard's pages, in the order the nav and the report
// list them.
var views = []view{
	{Path: "/", Name: "overview", Title: "Overview", build: buildOverview},
	{Path: "/listings", Name: "listings", Title: "Listings by category",
		Filters: []string{"marketplace", "category", "country", "from", "to"}, build: buildListings},
	{Path: "/marketplaces", Name: "marketplaces", Title: "Marketplaces and seller countries",
		Filters: []string{"marketplace", "category", "country"}, build: buildMarketplaces},
	{Path: "/prices", Name: "prices", Title: "Price index by HS chapter",
		Filters: []string{"category", "from", "to"}, build: buildPrices},
	{Path: "/shipping", Name: "shipping", Title: "Route performance by carrier",
		Filters: []string{"carrier", "from", "to"}, build: buildShipping},
	{Path: "/freight", Name: "freight", Title: "Freight cost by lane",
		Filters: []string{"equipment", "from", "to"}, build: buildFreight},
	{Path: "/destinations", Name: "destinations", Title: "Exports by destination",
		Filters: []string{"from", "to"}, build: buildDestinations},
	{Path: "/sellers", Name: "sellers", Title: "Seller growth",
		Filters: []string{"marketplace", "country", "from", "to"}, build: buildSellers},
	{Path: "/rejects", Name: "rejects", Title: "Rejects", build: buildRejects},
}

// page is what the templates render: one view, or (in a report) a section
// list of every view.
type page struct {
	View     view
	Nav      []navItem
	Filter   Filter
	Controls []control
	Info     snapshotInfo
	Sections []section
	Error    string
}

type navItem struct {
	Href    string
	Title   string
	Current bool
}

// section is one question answered: its charts, the tables of their
// numbers, and links to the marts it reads.
type section struct {
	ID     string
	Title  string
	Note   string
	Charts []Chart
	// Small lays the charts out as small multiples.
	Small   bool
	Tables  []dataTable
	Exports []exportLink
	Err     string
}

type dataTable struct {
	ID      string
	Caption string
	Head    []cell
	Rows    [][]cell
}

type cell struct {
	Text  string
	Num   bool
	Class string
}

// reader runs a page's queries against one snapshot with the page's filter.
type reader struct {
	ctx     context.Context
	snap    Snapshot
	filter  Filter
	exports *exportSet
	now     time.Time
	// runs is how many recent runs the overview and rejects show.
	runs int
	info snapshotInfo
}

func (r *reader) query(name string, extra Params) (*Table, error) {
	p := r.filter.params()
	for k, v := range extra {
		p[k] = v
	}
	t, err := r.snap.Query(r.ctx, name, p)
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", name, err)
	}
	return t, nil
}

// failed is a section that could not be built; the page still shows the
// others.
func failed(id, title string, err error) section {
	return section{ID: id, Title: title, Err: err.Error()}
}

// snapshotInfo heads every page: which run the numbers come from.
type snapshotInfo struct {
	Path     string
	RunID    string
	Pipeline string
	Finished string
	Age      string
	Stale    bool
	Runs     int64
	Exports  string // which run's exports the links open, when not the snapshot's
}

// staleAfter is how old a snapshot may be before the header warns: a
// nightly pipeline with a couple of hours of slack.
const staleAfter = 26 * time.Hour

func readInfo(r *reader) (snapshotInfo, error) {
	info := snapshotInfo{Path: r.snap.Path()}
	t, err := r.query("snapshot_info", nil)
	if err != nil {
		return info, err
	}
	idx, err := t.Index("run_id", "pipeline", "finished_at", "runs")
	if err != nil {
		return info, err
	}
	if len(t.Rows) == 0 {
		return info, fmt.Errorf("the snapshot records no successful run")
	}
	row := t.Rows[0]
	info.RunID, info.Pipeline, info.Runs = asString(row[idx[0]]), asString(row[idx[1]]), asInt(row[idx[3]])
	if at, ok := asTime(row[idx[2]]); ok {
		info.Finished, info.Age, info.Stale = fmtTime(at), fmtAge(r.now, at), r.now.Sub(at) > staleAfter
	}
	if r.exports != nil && r.exports.RunID != "" && r.exports.RunID != info.RunID {
		info.Exports = r.exports.RunID
	}
	return info, nil
}

// buildPage runs a view's queries and lays out its page.
func buildPage(r *reader, v view) page {
	p := page{View: v, Filter: r.filter, Nav: nav(v, r.filter)}
	info, err := readInfo(r)
	p.Info, r.info = info, info
	if err != nil {
		p.Error = err.Error()
		return p
	}
	p.Controls = controls(r, v)
	p.Sections = v.build(r)
	return p
}

func nav(current view, f Filter) []navItem {
	out := make([]navItem, len(views))
	for i, v := range views {
		out[i] = navItem{Href: v.Path + f.Query(), Title: v.Title, Current: v.Path == current.Path}
	}
	return out
}
