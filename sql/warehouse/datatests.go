//go:build duckdb_arrow

package warehouse

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/exportpipe/exportpipe/pipeline"
	sqlfiles "github.com/exportpipe/exportpipe/sql"
)

// DataTestResult is the outcome of one data test of sql/tests.
type DataTestResult = pipeline.DataTestResult

// dataTest is one file of sql/tests: a query returning the rows that
// violate the test, and how much a violation matters.
type dataTest struct {
	name     string
	severity string
	query    string
}

// loadDataTests reads sql/tests. A file declares its severity in its leading
// comment block with a line "-- severity: warn" (or error, the default).
func loadDataTests() ([]dataTest, error) {
	files, err := readSQLDir(sqlfiles.Tests, "tests")
	if err != nil {
		return nil, fmt.Errorf("read sql/tests: %w", err)
	}
	tests := make([]dataTest, 0, len(files))
	for _, f := range files {
		sev, err := parseSeverity(f.body)
		if err != nil {
			return nil, fmt.Errorf("sql/tests/%s.sql: %w", f.name, err)
		}
		tests = append(tests, dataTest{name: f.name, severity: sev, query: f.body})
	}
	return tests, nil
}

// parseSeverity finds "-- severity: X" among the comment lines that open a
// test file. An unknown severity is an error rather than a silent default,
// so a typo cannot turn a warning into a run-stopping failure or back.
func parseSeverity(body string) (string, error) {
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		rest, ok := strings.CutPrefix(line, "--")
		if !ok {
			break // the comment block is over
		}
		key, val, ok := strings.Cut(strings.TrimSpace(rest), ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(key), "severity") {
			continue
		}
		switch v := strings.ToLower(strings.TrimSpace(val)); v {
		case pipeline.SeverityError, pipeline.SeverityWarn:
			return v, nil
		default:
			return "", fmt.Errorf("severity %q: want %q or %q", v, pipeline.SeverityWarn, pipeline.SeverityError)
		}
	}
	return pipeline.SeverityError, nil
}

// RunDataTests runs every query of sql/tests against core, marts and meta,
// records the results in meta.data_tests under runID and returns them in
// file name order. A failing test is a result, not an error; the error is
// for tests that could not run.
func (w *Warehouse) RunDataTests(ctx context.Context, runID string) ([]DataTestResult, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.ready("run data tests"); err != nil {
		return nil, err
	}
	tests, err := loadDataTests()
	if err != nil {
		return nil, fmt.Errorf("run data tests: %w", err)
	}
	results := make([]DataTestResult, 0, len(tests))
	for _, t := range tests {
		r := DataTestResult{Name: t.name, Severity: t.severity}
		// A newline before ")" keeps a trailing "--" comment from eating it.
		q := "SELECT count(*) FROM (\n" + strings.TrimRight(strings.TrimSpace(t.query), ";") + "\n)"
		if err := w.conn.QueryRowContext(ctx, q).Scan(&r.Failures); err != nil {
			return nil, fmt.Errorf("run data test sql/tests/%s.sql: %w", t.name, err)
		}
		if err := recordDataTest(ctx, w.conn, runID, r); err != nil {
			return nil, fmt.Errorf("record data test %s in meta.data_tests: %w", t.name, err)
		}
		if !r.Passed() {
			w.log.Warn("data test failed", "test", r.Name, "severity", r.Severity, "failures", r.Failures)
		}
		results = append(results, r)
	}
	if w.inRun {
		// Kept so a rollback can record them again: the rollback undoes
		// these inserts with everything else the run wrote.
		w.tests = results
	}
	return results, nil
}

// recordDataTest writes one result to meta.data_tests.
func recordDataTest(ctx context.Context, q execer, runID string, r DataTestResult) error {
	_, err := q.ExecContext(ctx, `INSERT INTO meta.data_tests (run_id, test, severity, failures, passed, checked_at)
VALUES (?, ?, ?, ?, ?, now())`, runID, r.Name, r.Severity, r.Failures, r.Passed())
	return err
}
