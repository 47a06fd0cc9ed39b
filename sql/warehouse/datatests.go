//go:build duckdb_arrow

package warehouse

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
	sqlfiles "github.com/exportpipe/exportpipe/sql"
	"github.com/exportpipe/exportpipe/sql/warehouse/settings"
)

// DataTestResult is the outcome of one data test of sql/tests.
type DataTestResult = pipeline.DataTestResult

// dataTest is one file of sql/tests: a query returning the rows that
// violate the test, and how much a violation matters.
type dataTest struct {
	name     string
	severity pipeline.Severity
	query    string
	// scope lists the core tables ("core.listings") whose rows the test
	// can be checked on one key at a time: a violation is about rows of
	// one key, so a run that did not change the key cannot have caused
	// it. A scoped night reads only the changed keys' rows of these.
	scope []string
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
		scope, err := parseScope(f.body)
		if err != nil {
			return nil, fmt.Errorf("sql/tests/%s.sql: %w", f.name, err)
		}
		tests = append(tests, dataTest{name: f.name, severity: sev, query: f.body, scope: scope})
	}
	return withMartTests(tests)
}

// parseSeverity finds "-- severity: X" among the comment lines that open a
// test file. An unknown severity is an error rather than a silent default,
// so a typo cannot turn a warning into a run-stopping failure or back.
func parseSeverity(body string) (pipeline.Severity, error) {
	val, ok := sqlfiles.HeaderValue(body, "severity")
	if !ok {
		return pipeline.SeverityError, nil
	}
	switch v := pipeline.Severity(strings.ToLower(val)); v {
	case pipeline.SeverityError, pipeline.SeverityWarn:
		return v, nil
	default:
		return "", fmt.Errorf("severity %q: want %q or %q", v, pipeline.SeverityWarn, pipeline.SeverityError)
	}
}

// scopeKeys are the tables a test may scope, with the dataset whose
// changed keys select their rows.
var scopeKeys = map[string]pipeline.Dataset{
	"core.listings":              pipeline.Listings,
	"core.listing_price_history": pipeline.Listings,
	"core.sellers":               pipeline.Sellers,
	"core.sailings":              pipeline.Sailings,
	"core.freight_rates":         pipeline.FreightRates,
	"core.fx_rates":              pipeline.FXRates,
}

// parseScope reads "-- scope: core.listings, core.listing_price_history".
func parseScope(body string) ([]string, error) {
	v, ok := sqlfiles.HeaderValue(body, "scope")
	if !ok {
		return nil, nil
	}
	tables := splitList(v)
	for _, t := range tables {
		if _, ok := scopeKeys[t]; !ok {
			return nil, fmt.Errorf("scope: %q cannot be scoped: name tables of %v", t, slices.Sorted(maps.Keys(scopeKeys)))
		}
	}
	return tables, nil
}

// scopedName is the temporary view of a scoped table's rows of the keys
// the run changed.
func scopedName(table string) string {
	return "scoped_" + strings.TrimPrefix(table, "core.")
}

// scopeTables defines the scoped views of every scopable table over the
// run's changed keys (sql/warehouse/changes.go). Views rather than copies:
// each test then reads only the columns it names, and a night that changed
// every key (the first load) copies nothing.
func (w *Warehouse) scopeTables(ctx context.Context) error {
	for _, table := range slices.Sorted(maps.Keys(scopeKeys)) {
		d := scopeKeys[table]
		on := joinEach(d.NaturalKey(), " AND ", "c.%[1]s = t.%[1]s")
		stmt := fmt.Sprintf("CREATE OR REPLACE TEMP VIEW %s AS SELECT t.* FROM %s AS t SEMI JOIN %s AS c ON %s",
			scopedName(table), table, changedTable(d), on)
		if _, err := w.conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("select the rows the run changed in %s: %w", table, err)
		}
	}
	return nil
}

// scopedQuery reads the scoped copies instead of the tables the test
// scopes. A name is replaced only whole: core.listings is not a prefix of
// another table's name here.
func scopedQuery(t dataTest) string {
	q := t.query
	for _, table := range t.scope {
		re := regexp.MustCompile(`\b` + regexp.QuoteMeta(table) + `\b`)
		q = re.ReplaceAllString(q, scopedName(table))
	}
	return q
}

// Scopes of a data test result (meta.data_tests.scope).
const (
	scopeFull    = "full"    // the whole warehouse
	scopeRun     = "run"     // the rows of the keys the run changed
	scopeCarried = "carried" // nothing it reads changed: the last full result
)

// tableRef finds the tables a test names.
var tableRef = regexp.MustCompile(`\b(core|marts|meta)\.([a-z_]+)\b`)

// coreDatasets maps the core tables and views tests read to the dataset
// whose changes change them.
var coreDatasets = map[string]pipeline.Dataset{
	"listings": pipeline.Listings, "current_listings": pipeline.Listings, "listing_price_history": pipeline.Listings,
	"sellers": pipeline.Sellers, "sailings": pipeline.Sailings, "sailing_punctuality": pipeline.Sailings,
	"freight_rates": pipeline.FreightRates, "fx_rates": pipeline.FXRates,
}

// inputsChanged reports whether the run changed anything the test reads,
// as named in its SQL. A table it cannot judge (meta, which every run
// writes, or one it does not know) counts as changed.
func (w *Warehouse) inputsChanged(t dataTest) bool {
	for _, m := range tableRef.FindAllStringSubmatch(t.query, -1) {
		switch m[1] {
		case "core":
			d, ok := coreDatasets[m[2]]
			if !ok || w.changed[d] {
				return true
			}
		case "marts":
			if w.martsChanged[m[2]] {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// fingerprint identifies what a full result depends on besides the data:
// the test's SQL and the thresholds it reads.
func (w *Warehouse) fingerprint(t dataTest) string {
	h := sha256.New()
	h.Write([]byte(t.query))
	for _, v := range testVariables(w.opts.Checks) {
		if v.value != nil {
			fmt.Fprintf(h, "\x00%s=%g", v.name, *v.value)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// carried returns the last committed full result of t when it still
// stands: same fingerprint.
func (w *Warehouse) carried(ctx context.Context, t dataTest, fp string) (DataTestResult, bool, error) {
	r := DataTestResult{Name: t.name, Severity: t.severity}
	var examples sql.NullString
	err := w.conn.QueryRowContext(ctx, "SELECT failures, examples FROM meta.data_test_state WHERE test = ? AND fingerprint = ?",
		t.name, fp).Scan(&r.Failures, &examples)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, err
	}
	if examples.Valid {
		r.Examples = strings.Split(examples.String, "\n")
	}
	return r, true, nil
}

// keepFullResult saves a full result as the one later nights may carry.
func keepFullResult(ctx context.Context, q execer, runID, fp string, r DataTestResult) error {
	_, err := q.ExecContext(ctx, `INSERT INTO meta.data_test_state (test, fingerprint, run_id, failures, examples, updated_at)
VALUES (?, ?, ?, ?, ?, now())
ON CONFLICT (test) DO UPDATE SET fingerprint = excluded.fingerprint, run_id = excluded.run_id,
    failures = excluded.failures, examples = excluded.examples, updated_at = excluded.updated_at`,
		r.Name, fp, runID, r.Failures, nullIfEmpty(strings.Join(r.Examples, "\n")))
	return err
}

// RunDataTests runs every query of sql/tests against core, marts and meta,
// records the results in meta.data_tests under runID and returns them in
// file name order. A failing test is a result, not an error; the error is
// for tests that could not run.
//
// In a run, a test whose file declares a scope ("-- scope: core.listings")
// reads only the rows of those tables whose keys the run changed: every
// row was checked when it was written, so what the run did not touch
// passed before. A warn-level test without a scope whose inputs (the core
// tables and marts its SQL names) the run did not change carries forward
// its last committed full result, when its SQL and thresholds are the
// same. Error-level tests without a scope always read everything: they
// guard what is published, and so also catch a warehouse edited by hand
// between runs, which no change record sees. Options.FullTests (run --full-tests) checks every test
// over the whole warehouse, as do tests outside a run and tests without
// a scope.
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
	scoped := w.changed != nil && !w.opts.FullTests
	if scoped {
		start := time.Now()
		if err := w.scopeTables(ctx); err != nil {
			return nil, fmt.Errorf("run data tests: %w", err)
		}
		w.log.Debug("selected the rows the run changed for scoped data tests", "duration_seconds", pipeline.Seconds(time.Since(start)))
	}
	results := make([]DataTestResult, 0, len(tests))
	w.testScopes = map[string]string{}
	for _, t := range tests {
		start := time.Now()
		r := DataTestResult{Name: t.name, Severity: t.severity}
		query, scope := t.query, scopeFull
		fp := w.fingerprint(t)
		switch {
		case scoped && len(t.scope) > 0:
			query, scope = scopedQuery(t), scopeRun
		case scoped && t.severity == pipeline.SeverityWarn && !w.inputsChanged(t):
			prev, ok, err := w.carried(ctx, t, fp)
			if err != nil {
				return nil, fmt.Errorf("data test sql/tests/%s.sql: read its last result: %w", t.name, err)
			}
			if ok {
				w.testScopes[t.name] = scopeCarried
				if err := recordDataTest(ctx, w.conn, runID, prev, scopeCarried); err != nil {
					return nil, fmt.Errorf("record data test %s in meta.data_tests: %w", t.name, err)
				}
				results = append(results, prev)
				continue
			}
		}
		w.testScopes[t.name] = scope
		// A newline before ")" keeps a trailing "--" comment from eating it.
		body := strings.TrimRight(strings.TrimSpace(query), ";")
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
		if err := recordDataTest(ctx, w.conn, runID, r, scope); err != nil {
			return nil, fmt.Errorf("record data test %s in meta.data_tests: %w", t.name, err)
		}
		if scope == scopeFull && w.inRun {
			// Inside the run's transaction: a night that rolls back keeps
			// the previous result.
			if err := keepFullResult(ctx, w.conn, runID, fp, r); err != nil {
				return nil, fmt.Errorf("keep data test %s's result in meta.data_test_state: %w", t.name, err)
			}
		}
		// The runner logs a failure, with the run id and these examples.
		results = append(results, r)
		w.log.Debug("ran data test", "test", t.name, "scope", scope, "duration_seconds", pipeline.Seconds(time.Since(start)))
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
func recordDataTest(ctx context.Context, q execer, runID string, r DataTestResult, scope string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO meta.data_tests (run_id, test, severity, failures, passed, checked_at, examples, scope)
VALUES (?, ?, ?, ?, ?, now(), ?, ?)`, runID, r.Name, string(r.Severity), r.Failures, r.Passed(), nullIfEmpty(strings.Join(r.Examples, "\n")), scope)
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
func testVariables(c settings.Checks) []testVariable {
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
