package main

import (
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/sql/warehouse"
)

// printSummary prints what a run did on stdout. Every command it suggests
// runs when pasted into the shell the run was started from (see
// invocation).
func printSummary(w io.Writer, r runResult) {
	s := r.summary
	took := s.FinishedAt.Sub(s.StartedAt).Round(10 * time.Millisecond)
	where := ""
	if s.Status != pipeline.StatusOK && r.run != nil {
		where = ", while " + r.run.where()
	}
	fmt.Fprintf(w, "exportpipe %s run %s: %s after %s%s\n\n", s.Pipeline, s.ID, s.Status, took, where)
	merged := r.run != nil && r.run.mergeDone()
	if s.Status != pipeline.StatusOK && !merged {
		// Nothing was merged, so there is nothing loaded to reconcile:
		// only what was read before the run stopped.
		fmt.Fprintln(w, "Nothing of this run was committed: the warehouse and the published snapshot are as the last")
		fmt.Fprintln(w, "successful run left them, and the next run starts over (incremental sources from their saved cursors).")
		fmt.Fprintln(w)
		t := newTable("dataset", "extracted", "rejected")
		for _, st := range s.Steps {
			t.add(string(st.Dataset), num(st.Extracted), num(st.Rejected))
		}
		if len(s.Steps) > 0 {
			fmt.Fprintln(w, "read before it stopped:")
			t.write(w)
		}
		return
	}
	t := newTable("dataset", "extracted", "loaded", "rejected", "duplicates", "reconciles")
	for _, st := range s.Steps {
		t.add(string(st.Dataset), num(st.Extracted), num(st.Merge.Loaded), num(st.Rejected), num(st.Merge.Duplicates), strconv.FormatBool(st.Reconciles()))
	}
	t.write(w)
	exe := invocation()
	if s.Status != pipeline.StatusOK {
		working := shellQuote(r.cfg.Warehouse.Path)
		if r.run.where() == phaseWords(pipeline.PhasePublish, "") {
			fmt.Fprintf(w, "\nThe run is committed to the working warehouse %s, but the published snapshot %s was not replaced.\n", r.cfg.Warehouse.Path, r.snapshot)
			return
		}
		fmt.Fprintf(w, "\nThe run was rolled back: nothing from it is loaded, and the published snapshot is still the previous one.\n")
		fmt.Fprintf(w, "Its rejects and data test results are kept in the working warehouse:\n")
		fmt.Fprintf(w, "  %s query --db %s %s\n", exe, working, shellQuote(fmt.Sprintf(
			"SELECT source, code, count(*) AS n FROM meta.rejects WHERE run_id = '%s' GROUP BY ALL ORDER BY n DESC", s.ID)))
		fmt.Fprintf(w, "  %s query --db %s %s\n", exe, working, shellQuote(fmt.Sprintf(
			"SELECT test, severity, failures FROM meta.data_tests WHERE run_id = '%s' AND NOT passed", s.ID)))
		return
	}
	fmt.Fprintf(w, "\nworking warehouse  %s (written by runs)\n", r.cfg.Warehouse.Path)
	fmt.Fprintf(w, "published snapshot %s (open this one: read-only, replaced atomically)\n", r.snapshot)
	if r.exports != "" {
		fmt.Fprintf(w, "mart exports       %s (Parquet and CSV of every mart)\n", r.exports)
		if m := manifestPath(r.exports, s.ID); m != "" {
			fmt.Fprintf(w, "export manifest    %s (files, row counts, schemas)\n", m)
		}
	}
	fmt.Fprintln(w, "\nTry:")
	// query reads the demo's snapshot unless told otherwise, so any other
	// snapshot is named with --db.
	db := ""
	if filepath.Clean(r.snapshot) != filepath.Clean(defaultSnapshot) {
		db = " --db " + shellQuote(r.snapshot)
	}
	queries := append(append([]string{}, exampleQueries...),
		fmt.Sprintf("SELECT dataset, code, count(*) AS n, any_value(reason) AS example FROM meta.rejects WHERE run_id = '%s' GROUP BY ALL ORDER BY n DESC", s.ID))
	for _, q := range queries {
		fmt.Fprintf(w, "  %s query%s %s\n", exe, db, shellQuote(q))
	}
}

var exampleQueries = []string{
	"SELECT category_group, listings, round(100*share, 1) AS pct FROM marts.category_share ORDER BY listings DESC",
	"SELECT seller_country, sum(listings) AS listings FROM marts.listings_by_category_country GROUP BY 1 ORDER BY 2 DESC LIMIT 5",
	"SELECT carrier, origin, destination, sailings, round(100*on_time_share) AS on_time_pct, median_transit_days FROM marts.route_performance WHERE carrier = 'PNSC' ORDER BY sailings DESC",
}

// shellQuote quotes s for a POSIX shell, so a printed command can be pasted
// as it is, whatever the path or SQL holds.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@%+,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// runError is the error a run ends with, in the user's terms. An
// interrupted run's error is DuckDB's and the driver's ("stage listings:
// context canceled", "INTERRUPT Error: Interrupted!"), which says nothing
// a user can act on: it is logged at debug level, and the user is told
// where the run stopped and what was kept.
func runError(r runResult, err error) error {
	if err == nil {
		return nil
	}
	if r.summary.Status != pipeline.StatusInterrupted {
		return duckdbInUserTerms(err)
	}
	slog.Debug("the interrupted run's own error", "err", err.Error())
	where := "before it started"
	if r.run != nil {
		where = "while " + r.run.where()
	}
	return pipeline.WithExit(pipeline.ExitInterrupted, fmt.Errorf("run %s interrupted %s: nothing of it was committed; the next run starts over", r.summary.ID, where))
}

// duckdbInUserTerms replaces DuckDB's own text in err with what it means
// for the user (warehouse.UserMessage), logging DuckDB's text at debug
// level, and keeps err's exit code.
func duckdbInUserTerms(err error) error {
	msg, raw, ok := warehouse.UserMessage(err)
	if !ok {
		return err
	}
	slog.Debug("DuckDB's own message", "err", raw)
	return pipeline.WithExit(pipeline.ExitCode(err), &userTermsError{msg: msg, err: err})
}

// userTermsError shows msg and keeps err for errors.Is (ErrLocked and the
// like).
type userTermsError struct {
	msg string
	err error
}

func (e *userTermsError) Error() string { return e.msg }
func (e *userTermsError) Unwrap() error { return e.err }
