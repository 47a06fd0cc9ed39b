//go:build duckdb_arrow

package warehouse

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
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
	severity pipeline.Severity
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
	return withMartTests(tests)
}

// parseSeverity finds "-- severity: X" among the comment lines that open a
// test file. An unknown severity is an error rather than a silent default,
// so a typo cannot turn a warning into a run-stopping failure or back.
func parseSeverity(body string) (pipeline.Severity, error) {
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
		switch v := pipeline.Severity(strings.ToLower(strings.TrimSpace(val))); v {
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
	if err := w.setTestVariables(ctx); err != nil {
		return nil, fmt.Errorf("run data tests: %w", err)
	}
	results := make([]DataTestResult, 0, len(tests))
	for _, t := range tests {
		r := DataTestResult{Name: t.name, Severity: t.severity}
		// A newline before ")" keeps a trailing "--" comment from eating it.
		body := strings.TrimRight(strings.TrimSpace(t.query), ";")
		if err := w.conn.QueryRowContext(ctx, "SELECT count(*) FROM (\n"+body+"\n)").Scan(&r.Failures); err != nil {
			return nil, fmt.Errorf("run data test sql/tests/%s.sql: %w", t.name, err)
		}
		if !r.Passed() {
			// Run again for a few rows only when it failed: a count alone
			// says something is wrong, the rows say what and where.
			var err error
			if r.Examples, err = w.testExamples(ctx, body); err != nil {
				return nil, fmt.Errorf("data test sql/tests/%s.sql: read examples: %w", t.name, err)
			}
		}
		if err := recordDataTest(ctx, w.conn, runID, r); err != nil {
			return nil, fmt.Errorf("record data test %s in meta.data_tests: %w", t.name, err)
		}
		// The runner logs a failure, with the run id and these examples.
		results = append(results, r)
	}
	// The end of the tests phase, in a log: what a crash test needs to
	// tell a kill during the tests from one just after them.
	w.log.Debug("ran data tests", "tests", len(results))
	if w.inRun {
		// Kept so a rollback can record them again: the rollback undoes
		// these inserts with everything else the run wrote.
		w.tests = results
	}
	return results, nil
}

// recordDataTest writes one result to meta.data_tests.
func recordDataTest(ctx context.Context, q execer, runID string, r DataTestResult) error {
	_, err := q.ExecContext(ctx, `INSERT INTO meta.data_tests (run_id, test, severity, failures, passed, checked_at, examples)
VALUES (?, ?, ?, ?, ?, now(), ?)`, runID, r.Name, string(r.Severity), r.Failures, r.Passed(), nullIfEmpty(strings.Join(r.Examples, "\n")))
	return err
}

// maxExamples is how many violating rows a failed data test records, and
// maxExampleLen how many characters of each: enough to name the source and
// show what is wrong, short enough for a log line.
const (
	maxExamples   = 5
	maxExampleLen = 600
)

// testExamples returns the first rows of a failing test's query, each as
// "column=value, column=value" in the test's own column order.
func (w *Warehouse) testExamples(ctx context.Context, body string) ([]string, error) {
	rows, err := w.conn.QueryContext(ctx, fmt.Sprintf("SELECT * FROM (\n%s\n) LIMIT %d", body, maxExamples))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, vals, err := collectRows(rows, maxExamples)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(vals))
	for i, row := range vals {
		parts := make([]string, len(cols))
		for j, c := range cols {
			parts[j] = c + "=" + row[j]
		}
		out[i] = truncateRunes(strings.Join(parts, ", "), maxExampleLen)
	}
	return out, nil
}

// truncateRunes cuts s to at most n characters, marking the cut.
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// testVariable is a DuckDB variable a data test reads with getvariable().
type testVariable struct {
	name  string
	value *float64 // nil: unset, the test's own default applies
}

// testVariables maps the config's checks to the variables the tests in
// sql/tests read; the names are the contract between the two.
func testVariables(c pipeline.ChecksConfig) []testVariable {
	var minListings *float64
	if n := c.Prices.MinListings; n != nil {
		f := float64(*n)
		minListings = &f
	}
	return []testVariable{
		{"price_outlier_ratio", c.Prices.OutlierRatio},
		{"price_min_usd", c.Prices.MinUSD},
		{"price_median_min_listings", minListings},
	}
}

// setTestVariables sets each configured threshold and resets the others,
// so an unset one falls back to the test's default even on a connection
// that ran tests with other settings before.
func (w *Warehouse) setTestVariables(ctx context.Context) error {
	for _, v := range testVariables(w.opts.Checks) {
		q := "RESET VARIABLE " + v.name
		if v.value != nil {
			q = fmt.Sprintf("SET VARIABLE %s = %s", v.name, strconv.FormatFloat(*v.value, 'g', -1, 64))
		}
		if _, err := w.conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}
