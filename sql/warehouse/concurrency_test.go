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

// readSnapshotLoop queries the snapshot at path without pause until its
// stdin closes, then prints its report. Each line the parent writes on
// stdin is a sync request: once a query that started after the line
// arrived has finished, the reader answers "synced <line> <listings>"
// (-1 for a failed query). The parent thereby knows, without guessing a
// delay, that the reader has read since the parent's last publish, and
// what it saw.
func readSnapshotLoop(path, mode string) int {
	ctx := context.Background()
	requests := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			requests <- sc.Text()
		}
		close(requests) // EOF is the signal to stop
	}()
	var rep readerReport
	var held *sql.DB
	for ready := false; ; {
		var asked []string
	collect:
		for {
			select {
			case r, ok := <-requests:
				if !ok {
					if held != nil {
						held.Close()
					}
					json.NewEncoder(os.Stdout).Encode(rep) //nolint:errcheck // the parent reports a missing report
					return 0
				}
				asked = append(asked, r)
			default:
				break collect
			}
		}
		seen := int64(-1)
		db := held
		if db == nil {
			var err error
			if db, err = sql.Open("duckdb", path+"?access_mode=read_only"); err != nil {
				rep.Errors = append(rep.Errors, err.Error())
				db = nil
			}
		}
		if db != nil {
			rep.Queries++
			n, err := checkSnapshot(ctx, db, &rep)
			if err != nil {
				rep.Errors = append(rep.Errors, err.Error())
			} else {
				seen = n
			}
			if mode == "hold" {
				held = db
			} else {
				db.Close()
			}
		}
		if !ready {
			fmt.Println("ready")
			ready = true
		}
		for _, r := range asked {
			fmt.Printf("synced %s %d\n", r, seen)
		}
	}
}

// checkSnapshot reads the snapshot's state, records the listing count in
// rep and returns it; a mixed snapshot is an error.
func checkSnapshot(ctx context.Context, db *sql.DB, rep *readerReport) (int64, error) {
	var listings, inMarts, runs int64
	if err := db.QueryRowContext(ctx, snapshotState).Scan(&listings, &inMarts, &runs); err != nil {
		return 0, err
	}
	if listings != inMarts || listings != 10*runs {
		return 0, fmt.Errorf("mixed snapshot: %d listings, %d in marts, %d runs", listings, inMarts, runs)
	}
	if n := len(rep.Listings); n == 0 || rep.Listings[n-1] != listings {
		rep.Listings = append(rep.Listings, listings)
	}
	return listings, nil
}

// reader is a reader process as the test drives it.
type reader struct {
	mode  string
	stdin io.WriteCloser
	out   *bufio.Reader
	done  func() readerReport
}

// startReader starts a reader process on snap and waits for its first read.
func startReader(t *testing.T, snap, mode string) *reader {
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
	return &reader{mode: mode, stdin: stdin, out: out, done: func() readerReport {
		var rep readerReport
		if err := json.NewDecoder(out).Decode(&rep); err != nil {
			t.Errorf("%s reader: no report: %v", mode, err)
		}
		if err := cmd.Wait(); err != nil {
			t.Errorf("%s reader: %v", mode, err)
		}
		return rep
	}}
}

// sync waits until the reader has finished a query begun after this call,
// and returns the listings that query saw (-1: it failed).
func (r *reader) sync(t *testing.T, k int) int64 {
	t.Helper()
	if _, err := fmt.Fprintf(r.stdin, "%d\n", k); err != nil {
		t.Fatalf("%s reader: %v", r.mode, err)
	}
	line, err := r.out.ReadString('\n')
	var got int
	var seen int64
	if err != nil {
		t.Fatalf("%s reader: no answer to sync %d: %v", r.mode, k, err)
	}
	if _, err := fmt.Sscanf(line, "synced %d %d\n", &got, &seen); err != nil || got != k {
		t.Fatalf("%s reader answered %q to sync %d", r.mode, line, k)
	}
	return seen
}

// stop closes the reader's stdin and returns its report.
func (r *reader) stop() readerReport {
	r.stdin.Close()
	return r.done()
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
// new connection for every query. Neither is blocked or errors. After each
// publication both are made to read once more before the next (a sync, not
// a delay), so each publication is read while the runs go on: the first
// reader sees only the snapshot it opened, the second each publication in
// turn, whole.
func TestReadersDuringPublish(t *testing.T) {
	t.Parallel()
	const publishes = 6
	w := openTest(t, checkedAlloc(t))
	snap := w.opts.SnapshotPath
	publishGeneration(t, w, 1)
	hold := startReader(t, snap, "hold")
	reopen := startReader(t, snap, "reopen")
	for k := 2; k <= publishes; k++ {
		publishGeneration(t, w, k)
		if got := hold.sync(t, k); got != 10 {
			t.Errorf("after publication %d the reader holding the first snapshot saw %d listings, want its own 10", k, got)
		}
		if got := reopen.sync(t, k); got != int64(10*k) {
			t.Errorf("after publication %d the reopening reader saw %d listings, want %d", k, got, 10*k)
		}
	}
	holdRep, reopenRep := hold.stop(), reopen.stop()
	t.Logf("hold: %d queries, saw %v; reopen: %d queries, saw %v", holdRep.Queries, holdRep.Listings, reopenRep.Queries, reopenRep.Listings)
	for name, rep := range map[string]readerReport{"hold": holdRep, "reopen": reopenRep} {
		if len(rep.Errors) > 0 {
			t.Errorf("%s reader: %d errors, first: %s", name, len(rep.Errors), rep.Errors[0])
		}
	}
	if !slices.Equal(holdRep.Listings, []int64{10}) {
		t.Errorf("reader holding the first snapshot saw %v, want only [10]", holdRep.Listings)
	}
	if want := []int64{10, 20, 30, 40, 50, 60}; !slices.Equal(reopenRep.Listings, want) {
		t.Errorf("reopening reader saw %v, want every publication in order: %v", reopenRep.Listings, want)
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
