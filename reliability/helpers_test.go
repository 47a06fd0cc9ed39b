//go:build duckdb_arrow

package reliability

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/exportpipe/exportpipe/demo"
	"github.com/exportpipe/exportpipe/internal/testbin"
	"github.com/exportpipe/exportpipe/sql/warehouse"
)

var bin = testbin.New("../cmd/exportpipe")

func TestMain(m *testing.M) { bin.Main(m) }

// result is a finished exportpipe process.
type result struct {
	code           int
	stdout, stderr string
	took           time.Duration
}

// run runs exportpipe to the end with extra environment variables.
func run(t *testing.T, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin.Path(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("exportpipe %s: %v", strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		t.Fatalf("exportpipe %s did not finish within 90s; stderr:\n%s", strings.Join(args, " "), stderr.String())
	}
	return result{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String(), took: time.Since(start)}
}

// serveDemo starts the simulator on loopback and returns its base URL.
func serveDemo(t *testing.T, cfg demo.Config) (string, *demo.Sim) {
	t.Helper()
	sim := demo.New(cfg)
	addr, shutdown, err := demo.Serve(t.Context(), sim, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = shutdown(ctx)
	})
	return "http://" + addr, sim
}

// demoSources is the demo config's sources with small pages (so a fault
// hits several pages of each dataset) and short retry waits.
var demoSources = template.Must(template.New("cfg").Parse(`pipeline: reliability
warehouse:
  path: {{.Dir}}/warehouse.duckdb
  snapshot: {{.Dir}}/analytics.duckdb
sources:
{{- range .Sources}}
  - name: demo_{{.Name}}
    dataset: {{.Dataset}}
    kind: http_json
    http:
      url: {{$.URL}}/api/v1/{{.Path}}
      records_path: data
{{- if eq .Dataset "listings"}}
      fields: {listing_id: id}
{{- end}}
      pagination: {style: cursor, limit_param: limit, limit: {{$.Limit}}}
      timeout: {{$.Timeout}}
      max_retries: {{$.Retries}}
      retry_wait_min: 5ms
      retry_wait_max: 50ms
{{- end}}
`))

type demoSource struct{ Name, Dataset, Path string }

var allDemoSources = []demoSource{
	{"fx_rates", "fx_rates", "fx-rates"}, {"sellers", "sellers", "sellers"},
	{"freight_rates", "freight_rates", "freight-rates"}, {"sailings", "sailings", "sailings"},
	{"listings", "listings", "listings"},
}

type configOpts struct {
	Dir, URL, Timeout string
	Limit, Retries    int
	Sources           []demoSource
}

// writeConfig writes a config reading the simulator at url into dir.
func writeConfig(t *testing.T, o configOpts) string {
	t.Helper()
	if o.Limit == 0 {
		o.Limit = 500
	}
	if o.Timeout == "" {
		o.Timeout = "2s"
	}
	if o.Retries == 0 {
		o.Retries = 4
	}
	if o.Sources == nil {
		o.Sources = allDemoSources
	}
	var b bytes.Buffer
	if err := demoSources.Execute(&b, o); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(o.Dir, fmt.Sprintf("pipeline-%d.yaml", time.Now().UnixNano()))
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// query runs SQL against a DuckDB file opened read-only.
func query(t *testing.T, db, q string) [][]string {
	t.Helper()
	_, rows, err := warehouse.QueryReadOnly(context.Background(), db, q, 0)
	if err != nil {
		t.Fatalf("%s: %s: %v", filepath.Base(db), q, err)
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

// lastOKSteps returns the dataset counts of the newest successful run.
func lastOKSteps(t *testing.T, db string) map[string]demo.DatasetTruth {
	t.Helper()
	out := map[string]demo.DatasetTruth{}
	for _, r := range query(t, db, `SELECT dataset, extracted, loaded, rejected, duplicates FROM meta.run_steps
		WHERE run_id = (SELECT run_id FROM meta.runs WHERE status = 'ok' ORDER BY started_at DESC LIMIT 1)`) {
		out[r[0]] = demo.DatasetTruth{Extracted: atoi(t, r[1]), Valid: atoi(t, r[2]), Invalid: atoi(t, r[3]), Duplicates: atoi(t, r[4])}
	}
	return out
}

// assertTruth checks that the newest successful run in db counted every
// dataset exactly as the simulator says, and that core holds the valid
// records once each.
func assertTruth(t *testing.T, db string, truth demo.Truth) {
	t.Helper()
	got := lastOKSteps(t, db)
	if len(got) != len(truth.Datasets) {
		t.Errorf("last ok run has %d datasets, want %d: %v", len(got), len(truth.Datasets), got)
	}
	for d, want := range truth.Datasets {
		if got[d] != want {
			t.Errorf("%s: run counted %+v, simulator's truth is %+v", d, got[d], want)
		}
		n := atoi(t, query(t, db, "SELECT count(*) FROM core."+d)[0][0])
		if n != want.Valid {
			t.Errorf("core.%s has %d rows, want %d", d, n, want.Valid)
		}
	}
}

// bookkeeping columns say which run wrote a row and when, not what it is.
var bookkeeping = []string{"_first_run", "_last_run", "_loaded_at", "run_id"}

// checksums returns, for every core and marts table, its row count and an
// order-independent hash of its rows without bookkeeping columns (doubles
// at 12 significant digits), as sql/warehouse's idempotency test does.
func checksums(t *testing.T, db string) map[string]string {
	t.Helper()
	cols := map[string][]string{}
	for _, r := range query(t, db, `SELECT schema_name || '.' || table_name, column_name, data_type
		FROM duckdb_columns() WHERE database_name = current_database() AND schema_name IN ('core', 'marts')
		ORDER BY schema_name, table_name, column_index`) {
		if slices.Contains(bookkeeping, r[1]) {
			continue
		}
		expr := `"` + strings.ReplaceAll(r[1], `"`, `""`) + `"`
		if r[2] == "DOUBLE" {
			expr = "printf('%.12g', " + expr + ")"
		}
		cols[r[0]] = append(cols[r[0]], expr)
	}
	var parts []string
	tables := slices.Sorted(maps.Keys(cols))
	for _, table := range tables {
		parts = append(parts, fmt.Sprintf("SELECT '%s', count(*) || ':' || coalesce(sum(hash(%s)), 0) FROM %s",
			table, strings.Join(cols[table], ", "), table))
	}
	sums := map[string]string{}
	for _, r := range query(t, db, strings.Join(parts, " UNION ALL ")) {
		sums[r[0]] = r[1]
	}
	return sums
}

func diffChecksums(want, got map[string]string) []string {
	var diffs []string
	for _, table := range slices.Sorted(maps.Keys(want)) {
		if got[table] != want[table] {
			diffs = append(diffs, fmt.Sprintf("%s: %s, want %s", table, got[table], want[table]))
		}
	}
	for table := range got {
		if _, ok := want[table]; !ok {
			diffs = append(diffs, table+": unexpected table")
		}
	}
	return diffs
}
