//go:build duckdb_arrow

package warehouse

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/exportpipe/exportpipe/pipeline"
)

// holdEnv makes the test binary a second process that holds a warehouse
// open until its stdin closes (see TestOpenLockedWarehouse).
const holdEnv = "EXPORTPIPE_TEST_HOLD_WAREHOUSE"

func TestMain(m *testing.M) {
	if path := os.Getenv(holdEnv); path != "" {
		os.Exit(holdWarehouse(path))
	}
	if path := os.Getenv(readerEnv); path != "" {
		os.Exit(readSnapshotLoop(path, os.Getenv(readerModeEnv)))
	}
	os.Exit(m.Run())
}

func holdWarehouse(path string) int {
	w, err := Open(context.Background(), Options{Path: path})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n') //nolint:errcheck // EOF is the signal
	if err := w.Close(); err != nil {
		return 1
	}
	return 0
}

func TestOpenLockedWarehouse(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdEnv+"="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("holder said %q, %v", line, err)
	}
	_, err = Open(t.Context(), Options{Path: path})
	t.Logf("locked: %v", err)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), path) {
		t.Errorf("Open of a locked warehouse = %v, want ErrLocked naming %s", err, path)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Errorf("holder: %v", err)
	}
	w, err := Open(t.Context(), Options{Path: path})
	if err != nil {
		t.Fatalf("Open after the holder exited: %v", err)
	}
	w.Close()
}

func TestFinishRunAndState(t *testing.T) {
	t.Parallel()
	w := openTest(t, nil)
	beginRun(t, w, "r1")
	commit(t, w, "r1", map[string]string{"alibaba": "page-7", "daraz": "page-2"})
	sum := pipeline.RunSummary{
		RunInfo:    pipeline.RunInfo{ID: "r1", Pipeline: "test", StartedAt: t0, Config: "demo"},
		FinishedAt: t0.Add(90 * time.Second),
		Status:     "ok",
		Steps: []pipeline.StepSummary{
			{Dataset: pipeline.Listings, Source: "alibaba", Extracted: 10, Rejected: 2,
				Merge:    pipeline.MergeCounts{Staged: 8, Loaded: 7, Duplicates: 1, Inserted: 7},
				Extract:  pipeline.ExtractStats{Requests: 3, Retries: 1, Status429: 1, Bytes: 1000, Pages: 2},
				Duration: 1500 * time.Millisecond},
			{Dataset: pipeline.Sellers, Source: "alibaba_sellers", Extracted: 4, Error: "boom"},
		},
	}
	for range 2 { // finishing twice keeps one set of steps
		if err := w.FinishRun(t.Context(), sum); err != nil {
			t.Fatal(err)
		}
	}
	runs := dump(t, w, "SELECT run_id, status, error IS NULL, extracted, loaded, rejected, duplicates, epoch(finished_at - started_at) FROM meta.runs")
	if want := []string{"[r1 ok true 14 7 2 1 90]"}; !slices.Equal(runs, want) {
		t.Errorf("meta.runs = %v, want %v", runs, want)
	}
	steps := dump(t, w, "SELECT dataset, extracted, loaded, inserted, requests, status_429, duration_ms, error FROM meta.run_steps ORDER BY dataset")
	want := []string{"[listings 10 7 7 3 1 1500 <nil>]", "[sellers 4 0 0 0 0 0 boom]"}
	if !slices.Equal(steps, want) {
		t.Errorf("meta.run_steps = %v, want %v", steps, want)
	}
	state, err := w.State(t.Context())
	if err != nil || len(state) != 2 || state["alibaba"] != "page-7" {
		t.Errorf("State = %v, %v", state, err)
	}
	// A run whose BeginRun never happened is still recorded.
	if err := w.FinishRun(t.Context(), pipeline.RunSummary{RunInfo: pipeline.RunInfo{ID: "r0", StartedAt: t0},
		FinishedAt: t0, Status: "failed", Error: "config"}); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, w, "SELECT count(*) FROM meta.runs WHERE run_id = 'r0' AND status = 'failed'"); n != 1 {
		t.Errorf("failed run not recorded")
	}
}

// TestTimestampsRoundTrip pins the decision to store Arrow timestamp[us, UTC]
// as TIMESTAMPTZ: values come back to the microsecond, through database/sql
// and through Arrow, whatever zone the input time was written in.
func TestTimestampsRoundTrip(t *testing.T) {
	t.Parallel()
	mem := checkedAlloc(t)
	w := openTest(t, mem)
	karachi := time.FixedZone("PKT", 5*3600)
	etd := time.Date(2025, 6, 1, 23, 30, 0, 123456000, karachi)
	r := sailing("s", "PNSC", -1, 0)
	r["etd"] = etd
	beginRun(t, w, "r1")
	stage(t, w, mem, pipeline.Sailings, r)
	commit(t, w, "r1", nil)

	var got time.Time
	var day string
	if err := w.conn.QueryRowContext(t.Context(),
		"SELECT etd, CAST(timezone('UTC', etd) AS DATE)::VARCHAR FROM core.sailings").Scan(&got, &day); err != nil {
		t.Fatal(err)
	}
	if !got.Equal(etd) || day != "2025-06-01" {
		t.Errorf("etd = %v (UTC day %s), want %v (2025-06-01)", got, day, etd.UTC())
	}
	ts := arrowEtd(t, w)
	if want := (&arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}); !arrow.TypeEqual(ts.DataType(), want) {
		t.Errorf("arrow type = %s, want %s", ts.DataType(), want)
	}
	if ts.Value(0) != arrow.Timestamp(etd.UnixMicro()) {
		t.Errorf("arrow value = %d, want %d", ts.Value(0), etd.UnixMicro())
	}
	ts.Release()
}

func arrowEtd(t *testing.T, w *Warehouse) *array.Timestamp {
	var out *array.Timestamp
	err := w.conn.Raw(func(dc any) error {
		a, err := duckdb.NewArrowFromConn(dc.(*duckdb.Conn))
		if err != nil {
			return err
		}
		rdr, err := a.QueryContext(t.Context(), "SELECT etd FROM core.sailings")
		if err != nil {
			return err
		}
		defer rdr.Release()
		for rdr.Next() {
			col := rdr.RecordBatch().Column(0).(*array.Timestamp)
			col.Retain()
			out = col
		}
		return rdr.Err()
	})
	if err != nil || out == nil {
		t.Fatalf("arrow query: %v", err)
	}
	return out
}
