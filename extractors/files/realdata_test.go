package files

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// TestRealFilesThroughExampleConfigs runs the example configs' file
// sources over the real files in ../shared/data, as a user would, and
// checks every row arrives and the key fields are filled. Every source of
// the example configs must have an expectation here, so a file added to a
// config is covered by this test too.
func TestRealFilesThroughExampleConfigs(t *testing.T) {
	t.Parallel()
	shared := sharedData(t)
	want := map[string]struct {
		records int64
		blank   int64    // rows the file leaves empty (the transform rejects them)
		filled  []string // fields every other row must have
	}{
		"alibaba_products_1":     {505, 4, []string{"listing_id", "seller_id", "title", "price", "moq", "sellers.seller_id", "sellers.country"}},
		"alibaba_products_2":     {505, 4, []string{"listing_id", "title", "price", "moq", "sellers.country"}},
		"alibaba_products_3":     {297, 4, []string{"title", "moq"}},     // title, MOQ, years only: the transform rejects every row
		"alibaba_suppliers":      {1805, 0, []string{"name", "country"}}, // one profile URL is on neither subdomain
		"daraz_bd_listings":      {12907, 0, []string{"listing_id", "seller_id", "title", "category", "price", "sellers.seller_id", "sellers.name", "sellers.country"}},
		"maersk_schedules":       {2528, 0, []string{"sailing_id", "origin", "destination", "etd", "eta"}},
		"msc_schedules_v2":       {925, 0, []string{"sailing_id", "vessel", "imo", "voyage", "etd", "eta"}},
		"msc_schedules_v1":       {462, 202, []string{"sailing_id", "vessel", "imo", "etd", "eta"}},
		"routescanner_schedules": {621, 0, []string{"sailing_id", "carrier", "etd", "eta"}},
	}
	// Fields a file does not have at all: null in every row.
	absent := map[string][]string{"alibaba_products_3": {"seller_id", "price"}}
	for _, name := range []string{"alibaba-csv.yaml", "daraz-bd-csv.yaml", "carrier-schedules-csv.yaml"} {
		cfg := exampleConfig(t, name, shared)
		for _, s := range cfg.Sources {
			t.Run(s.Name, func(t *testing.T) {
				t.Parallel()
				w, ok := want[s.Name]
				if !ok {
					t.Fatalf("no expectation for source %s", s.Name)
				}
				filled := extractReal(t, s)
				if filled["_records"] != w.records {
					t.Fatalf("%d records, want %d", filled["_records"], w.records)
				}
				for _, f := range w.filled {
					if filled[f] != w.records-w.blank {
						t.Errorf("field %s filled in %d of %d rows, want %d", f, filled[f], w.records, w.records-w.blank)
					}
				}
				for _, f := range absent[s.Name] {
					if filled[f] != 0 {
						t.Errorf("field %s filled in %d rows of a file that does not have it", f, filled[f])
					}
				}
				t.Logf("%s: %s", s.Name, fillReport(filled))
			})
		}
	}
}

// Every CSV in the Alibaba folder is read by some source of the example
// config, so a file cannot sit in the shared data unextracted.
func TestEveryAlibabaFileIsConfigured(t *testing.T) {
	t.Parallel()
	shared := sharedData(t)
	dir := filepath.Join(shared, "listings", "alibaba-oxygen-concentrators")
	files, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no CSV files in %s (err %v)", dir, err)
	}
	cfg := exampleConfig(t, "alibaba-csv.yaml", shared)
	read := map[string]bool{}
	for _, s := range cfg.Sources {
		in, err := expand(s.Spec.(*Spec).Paths)
		if err != nil {
			t.Fatalf("source %s: %v", s.Name, err)
		}
		for _, p := range in {
			read[filepath.Clean(p)] = true
		}
	}
	for _, f := range files {
		if !read[f] {
			t.Errorf("%s is read by no source of alibaba-csv.yaml", filepath.Base(f))
		}
	}
}

// sharedData is the absolute path of ../shared/data, beside the repo; the
// test is skipped, saying so, when it is not there.
func sharedData(t *testing.T) string {
	t.Helper()
	shared, err := filepath.Abs("../../../shared/data")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("real data not present at %s (it lives beside the repo, not in it): %v", shared, err)
	}
	return shared
}

// exampleConfig parses configs/examples/name with the shared data at shared.
func exampleConfig(t *testing.T, name, shared string) *pipeline.Config {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("../../configs/examples", name))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := pipeline.ParseConfig(src, func(k string) (string, bool) {
		if k == "EXPORTPIPE_SHARED_DATA" {
			return shared, true
		}
		return "", false
	})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return cfg
}

// extractReal extracts one source and counts, per field, the non-null rows.
func extractReal(t *testing.T, s pipeline.SourceConfig) map[string]int64 {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	e, err := s.Spec.Build(s, pipeline.BuildEnv{Lookup: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatal(err)
	}
	filled := map[string]int64{}
	stats, err := e.Extract(context.Background(), mem, func(rec arrow.RecordBatch) error {
		for i, f := range rec.Schema().Fields() {
			filled[f.Name] += rec.NumRows() - int64(rec.Column(i).NullN())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Records != filled[pipeline.RawColumn] {
		t.Fatalf("stats say %d records, batches held %d", stats.Records, filled[pipeline.RawColumn])
	}
	filled["_records"] = stats.Records
	return filled
}

func fillReport(filled map[string]int64) string {
	var parts []string
	for k, v := range filled {
		if !strings.HasPrefix(k, "_") {
			parts = append(parts, fmt.Sprintf("%s=%d", k, v))
		}
	}
	sort.Strings(parts)
	return fmt.Sprintf("%d records; non-null: %s", filled["_records"], strings.Join(parts, " "))
}
