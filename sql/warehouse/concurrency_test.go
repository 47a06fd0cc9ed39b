//go:build duckdb_arrow

package warehouse

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// readerEnv makes the test binary a second process that reads a published
// snapshot in a loop until its stdin closes (see TestReadersDuringPublish).
const (
	readerEnv     = "EXPORTPIPE_TEST_READ_SNAPSHOT"
	readerModeEnv = "EXPORTPIPE_TEST_READ_MODE" // hold: one connection for the whole time; reopen: a new one per query
)

// readerReport is what a reader process prints when it stops.
type readerReport struct {
	Queries  int
	Errors   []string
	Listings []int64 // listing counts seen, in order, consecutive repeats dropped
}

// snapshotState reads, in one query, figures that a consistent snapshot of
// publication k agrees on: 10k listings, marts built from the same core,
// and k runs recorded.
const snapshotState = `SELECT (SELECT count(*) FROM core.listings),
	(SELECT sum(listings) FROM marts.category_share),
	(SELECT count(*) FROM meta.runs)`

func readSnapshotLoop(path, mode string) int {
	ctx := context.Background()
	stop := make(chan struct{})
	go func() { io.Copy(io.Discard, os.Stdin); close(stop) }() //nolint:errcheck // EOF is the signal
	var rep readerReport
	var held *sql.DB
	for ready := false; ; {
		select {
		case <-stop:
			if held != nil {
				held.Close()
			}
			json.NewEncoder(os.Stdout).Encode(rep) //nolint:errcheck // the parent reports a missing report
			return 0
		default:
		}
		db := held
		if db == nil {
			var err error
			if db, err = sql.Open("duckdb", path+"?access_mode=read_only"); err != nil {
				rep.Errors = append(rep.Errors, err.Error())
				continue
			}
		}
		rep.Queries++
		if err := checkSnapshot(ctx, db, &rep); err != nil {
			rep.Errors = append(rep.Errors, err.Error())
		}
		if mode == "hold" {
			held = db
		} else {
			db.Close()
		}
		if !ready {
			fmt.Println("ready")
			ready = true
		}
	}
}

func checkSnapshot(ctx context.Context, db *sql.DB, rep *readerReport) error {
	var listings, inMarts, runs int64
	if err := db.QueryRowContext(ctx, snapshotState).Scan(&listings, &inMarts, &runs); err != nil {
		return err
	}
	if listings != inMarts || listings != 10*runs {
		return fmt.Errorf("mixed snapshot: %d listings, %d in marts, %d runs", listings, inMarts, runs)
	}
	if n := len(rep.Listings); n == 0 || rep.Listings[n-1] != listings {
		rep.Listings = append(rep.Listings, listings)
	}
	return nil
}

// startReader starts a reader process on snap and waits for its first read.
func startReader(t *testing.T, snap, mode string) (io.WriteCloser, func() readerReport) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), readerEnv+"="+snap, readerModeEnv+"="+mode)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out := bufio.NewReader(stdout)
	if line, err := out.ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("%s reader said %q, %v", mode, line, err)
	}
	return stdin, func() readerReport {
		var rep readerReport
		if err := json.NewDecoder(out).Decode(&rep); err != nil {
			t.Errorf("%s reader: no report: %v", mode, err)
		}
		if err := cmd.Wait(); err != nil {
			t.Errorf("%s reader: %v", mode, err)
		}
		return rep
	}
}

// publishGeneration runs one small run (ten more listings) and publishes it.
func publishGeneration(t *testing.T, w *Warehouse, k int) {
	t.Helper()
	mem := w.mem
	id := fmt.Sprintf("r%02d", k)
	beginRun(t, w, id)
	rows := make([]row, 10)
	for i := range rows {
		rows[i] = listing(fmt.Sprintf("%s-%d", id, i), t0, float64(i+1))
	}
	stage(t, w, mem, pipeline.Listings, rows...)
	commit(t, w, id, nil)
	if err := w.BuildMarts(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Publish(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestReadersDuringPublish holds the published snapshot open in two other
// processes while runs publish: one keeps a single connection, one opens a
// new connection for every query. Neither is blocked or errors; the first
// sees only the snapshot it opened, the second only whole publications, in
// order, ending with the last.
func TestReadersDuringPublish(t *testing.T) {
	t.Parallel()
	const publishes = 6
	w := openTest(t, checkedAlloc(t))
	snap := w.opts.SnapshotPath
	publishGeneration(t, w, 1)
	holdIn, holdDone := startReader(t, snap, "hold")
	reopenIn, reopenDone := startReader(t, snap, "reopen")
	for k := 2; k <= publishes; k++ {
		publishGeneration(t, w, k)
	}
	time.Sleep(300 * time.Millisecond) // let the reopening reader see the last publication
	holdIn.Close()
	reopenIn.Close()
	hold, reopen := holdDone(), reopenDone()
	t.Logf("hold: %d queries, saw %v; reopen: %d queries, saw %v", hold.Queries, hold.Listings, reopen.Queries, reopen.Listings)
	for name, rep := range map[string]readerReport{"hold": hold, "reopen": reopen} {
		if len(rep.Errors) > 0 {
			t.Errorf("%s reader: %d errors, first: %s", name, len(rep.Errors), rep.Errors[0])
		}
	}
	if !slices.Equal(hold.Listings, []int64{10}) {
		t.Errorf("reader holding the first snapshot saw %v, want only [10]", hold.Listings)
	}
	if !slices.IsSorted(reopen.Listings) || len(reopen.Listings) == 0 || reopen.Listings[len(reopen.Listings)-1] != 10*publishes {
		t.Errorf("reopening reader saw %v, want increasing publications ending at %d", reopen.Listings, 10*publishes)
	}
}

// TestQueryWorkingWarehouseWhileLocked: an analyst who points a query at the
// working database during a run gets advice, not DuckDB's lock message.
func TestQueryWorkingWarehouseWhileLocked(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdEnv+"="+path)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("holder said %q, %v", line, err)
	}
	_, _, err := QueryReadOnly(t.Context(), path, "SELECT 1", 0)
	stdin.Close()
	if werr := cmd.Wait(); werr != nil {
		t.Errorf("holder: %v", werr)
	}
	t.Logf("analyst sees: %v", err)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("QueryReadOnly on a locked file = %v, want ErrLocked", err)
	}
	for _, duck := range []string{"Could not set lock", "Conflicting lock", "IO Error", "duckdb.org"} {
		if strings.Contains(err.Error(), duck) {
			t.Errorf("error shows DuckDB's %q: %v", duck, err)
		}
	}
	if !strings.Contains(err.Error(), "published snapshot") || !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the file and point at the snapshot", err)
	}
}
