package main

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/exportpipe/exportpipe/demo"
	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/sql/warehouse"
)

// The demo run at a small size must match the simulator's ground truth
// exactly: every dataset reconciles, and the marts answer what the
// simulator knows to be true.
func TestDemoRunMatchesGroundTruth(t *testing.T) {
	dir := t.TempDir()
	opts := runOpts{dataDir: dir, listings: 3000, seed: 7}
	truth := demo.New(demo.Config{Seed: opts.seed, Listings: opts.listings}).Truth()

	res, err := runOnce(context.Background(), opts)
	if err != nil {
		t.Fatalf("demo run failed: %v", err)
	}
	if len(res.summary.Steps) != len(pipeline.LoadOrder()) {
		t.Fatalf("got %d steps, want one per dataset", len(res.summary.Steps))
	}
	for _, s := range res.summary.Steps {
		want := truth.Datasets[string(s.Dataset)]
		got := demo.DatasetTruth{Extracted: s.Extracted, Valid: s.Merge.Loaded, Invalid: s.Rejected, Duplicates: s.Merge.Duplicates}
		if got != want {
			t.Errorf("%s: pipeline counted %+v, simulator says %+v", s.Dataset, got, want)
		}
	}
	snap := filepath.Join(dir, "analytics.duckdb")

	t.Run("meta.run_steps reconcile", func(t *testing.T) {
		rows := query(t, snap, "SELECT count(*) FROM meta.run_steps WHERE extracted <> loaded + rejected + duplicates")
		if rows[0][0] != "0" {
			t.Fatalf("%s steps do not reconcile", rows[0][0])
		}
	})
	t.Run("listings by seller country", func(t *testing.T) {
		rows := query(t, snap, "SELECT seller_country, sum(listings) FROM marts.listings_by_category_country GROUP BY 1")
		got := map[string]int64{}
		for _, r := range rows {
			got[r[0]] = atoi(t, r[1])
		}
		if got["PK"] == 0 || got["PK"] != truth.ListingsBySellerCountry["PK"] {
			t.Errorf("Pakistani listings: mart %d, truth %d", got["PK"], truth.ListingsBySellerCountry["PK"])
		}
		for c, n := range truth.ListingsBySellerCountry {
			if got[c] != n {
				t.Errorf("%s: mart %d, truth %d", c, got[c], n)
			}
		}
	})
	t.Run("textiles have the largest share", func(t *testing.T) {
		rows := query(t, snap, "SELECT category_group, listings FROM marts.category_share ORDER BY listings DESC")
		if rows[0][0] != pipeline.TextilesGroup {
			t.Errorf("top group %q, want textiles", rows[0][0])
		}
		for _, r := range rows {
			if atoi(t, r[1]) != truth.ListingsByGroup[r[0]] {
				t.Errorf("%s: mart %s, truth %d", r[0], r[1], truth.ListingsByGroup[r[0]])
			}
		}
	})
	t.Run("route performance", func(t *testing.T) {
		rows := query(t, snap, `SELECT carrier, origin, destination, sailings, arrived, on_time, coalesce(median_transit_days, 0)
			FROM marts.route_performance`)
		got := map[[3]string][]string{}
		for _, r := range rows {
			got[[3]string{r[0], r[1], r[2]}] = r[3:]
		}
		if len(got) != len(truth.Routes) {
			t.Errorf("%d routes in the mart, %d in the truth", len(got), len(truth.Routes))
		}
		for _, rt := range truth.Routes {
			g, ok := got[[3]string{rt.Carrier, rt.Origin, rt.Destination}]
			if !ok {
				t.Errorf("route %s %s-%s missing", rt.Carrier, rt.Origin, rt.Destination)
				continue
			}
			med, _ := strconv.ParseFloat(g[3], 64)
			if atoi(t, g[0]) != rt.Sailings || atoi(t, g[1]) != rt.Arrived || atoi(t, g[2]) != rt.OnTime || math.Abs(med-rt.MedianTransitDays) > 1e-6 {
				t.Errorf("route %s %s-%s: mart %v, truth %+v", rt.Carrier, rt.Origin, rt.Destination, g, rt)
			}
		}
	})
	t.Run("exports manifest matches the snapshot's marts", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join(dir, "exports", "latest", "manifest.json"))
		if err != nil {
			t.Fatalf("exports/latest/manifest.json after the demo run: %v", err)
		}
		var m warehouse.Manifest
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("manifest.json: %v", err)
		}
		if m.RunID != res.summary.ID {
			t.Errorf("manifest run_id %s, want this run's %s", m.RunID, res.summary.ID)
		}
		// Each mart is exported once per format, with the snapshot's row count.
		listed := map[string]map[string]int64{} // table -> format -> rows
		for _, f := range m.Files {
			if listed[f.Table] == nil {
				listed[f.Table] = map[string]int64{}
			}
			listed[f.Table][f.Format] = f.Rows
		}
		marts := query(t, snap, "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'marts' ORDER BY 1")
		if len(listed) != len(marts) {
			t.Errorf("manifest lists %d tables, the snapshot has %d marts", len(listed), len(marts))
		}
		for _, r := range marts {
			table := "marts." + r[0]
			want := atoi(t, query(t, snap, "SELECT count(*) FROM "+table)[0][0])
			for _, format := range []string{"parquet", "csv"} {
				got, ok := listed[table][format]
				if !ok || got != want {
					t.Errorf("%s.%s: manifest says %d rows (listed %v), snapshot has %d", table, format, got, ok, want)
				}
			}
		}
	})

	t.Run("Parquet exports are zstd-compressed", func(t *testing.T) {
		files := filepath.Join(dir, "exports", "latest", "*.parquet")
		codecs := query(t, snap, "SELECT DISTINCT compression FROM parquet_metadata('"+files+"')")
		if len(codecs) != 1 || codecs[0][0] != "ZSTD" {
			t.Errorf("column chunk codecs %v, want only ZSTD", codecs)
		}
	})

	t.Run("the example queries in the summary work when pasted", func(t *testing.T) {
		var out strings.Builder
		printSummary(&out, res)
		exe := bin.Path(t)
		var pasted int
		for line := range strings.Lines(out.String()) {
			// In this test process the command is the test binary; the
			// hints as a shell sees them are TestPastedHintsRun's.
			cmd, ok := strings.CutPrefix(strings.TrimSpace(line), invocation()+" query ")
			if !ok {
				continue
			}
			pasted++
			// From another folder, as an analyst would: the snapshot is
			// not at the default data/analytics.duckdb there.
			sh := exec.Command("sh", "-c", shellQuote(exe)+" query "+cmd)
			sh.Dir = t.TempDir()
			got, err := sh.CombinedOutput()
			if err != nil || len(strings.TrimSpace(string(got))) == 0 {
				t.Errorf("pasting %q: %v\n%s", strings.TrimSpace(line), err, got)
			}
		}
		if pasted == 0 {
			t.Fatalf("the summary suggests no query:\n%s", out.String())
		}
	})

	// A second run over the same data changes nothing in core.
	again, err := runOnce(context.Background(), opts)
	if err != nil {
		t.Fatalf("second run failed: %v", err)
	}
	for _, s := range again.summary.Steps {
		if s.Merge.Inserted != 0 || s.Merge.Updated != 0 {
			t.Errorf("%s: re-run inserted %d and updated %d rows, want none", s.Dataset, s.Merge.Inserted, s.Merge.Updated)
		}
	}
}

func query(t *testing.T, db, q string) [][]string {
	t.Helper()
	_, rows, err := warehouse.QueryReadOnly(context.Background(), db, q, 0)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s: no rows", q)
	}
	return rows
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("not an integer: %q", s)
	}
	return n
}
