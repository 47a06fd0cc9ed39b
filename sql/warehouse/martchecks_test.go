//go:build duckdb_arrow

package warehouse

import (
	"fmt"
	"strings"
	"testing"

	"github.com/exportpipe/exportpipe/pipeline"
	sqlfiles "github.com/exportpipe/exportpipe/sql"
)

// The uniqueness and not-null data tests are generated from the marts'
// headers, so they cover every mart in sql/marts without a list to keep.
// For each mart in turn, a duplicated row and a NULL in each declared
// column must be caught, naming that mart; the golden fixture, which
// gives every mart rows, passes both.
func TestMartDataTestsCatchEveryMart(t *testing.T) {
	t.Parallel()
	w := loadGoldenFixture(t)
	ctx := t.Context()
	marts, err := sqlfiles.MartFiles()
	if err != nil {
		t.Fatal(err)
	}
	tests, err := loadDataTests()
	if err != nil {
		t.Fatal(err)
	}
	query := map[string]string{}
	for _, dt := range tests {
		query[dt.name] = dt.query
	}
	if query[testMartKeysUnique] == "" || query[testMartNotNull] == "" {
		t.Fatalf("the generated tests are missing from the data tests: %v", query)
	}

	results, err := w.RunDataTests(ctx, "r3")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if (r.Name == testMartKeysUnique || r.Name == testMartNotNull) && (!r.Passed() || r.Severity != pipeline.SeverityError) {
			t.Errorf("%s on the golden fixture: %+v; want a pass, at error level", r.Name, r)
		}
	}

	// failing runs test's query inside a transaction that first makes the
	// change, and rolls it all back, so each case starts from the fixture.
	failing := func(test, change string) []string {
		t.Helper()
		if _, err := w.conn.ExecContext(ctx, "BEGIN"); err != nil {
			t.Fatal(err)
		}
		defer func() {
			if _, err := w.conn.ExecContext(ctx, "ROLLBACK"); err != nil {
				t.Fatal(err)
			}
		}()
		if _, err := w.conn.ExecContext(ctx, change); err != nil {
			t.Fatalf("%s: %v", change, err)
		}
		ex, err := w.testExamples(ctx, strings.TrimSpace(query[test]))
		if err != nil {
			t.Fatalf("%s: %v", test, err)
		}
		return ex
	}
	for _, m := range marts {
		t.Run(m.Name, func(t *testing.T) {
			if n := queryInt(t, w, "SELECT count(*) FROM marts."+m.Name); n == 0 {
				t.Fatalf("marts.%s is empty on the golden fixture, so nothing here tests it: give it rows in goldenRuns", m.Name)
			}
			ex := failing(testMartKeysUnique, fmt.Sprintf("INSERT INTO marts.%s SELECT * FROM marts.%s LIMIT 1", m.Name, m.Name))
			if want := fmt.Sprintf("mart=%s, rows_per_key=2", m.Name); len(ex) != 1 || ex[0] != want {
				t.Errorf("a duplicated row of marts.%s: %s found %q; want [%q]", m.Name, testMartKeysUnique, ex, want)
			}
			for _, c := range m.NotNull {
				ex := failing(testMartNotNull, fmt.Sprintf("UPDATE marts.%s SET %s = NULL WHERE rowid = (SELECT min(rowid) FROM marts.%s)", m.Name, c, m.Name))
				if want := fmt.Sprintf("mart=%s, null_columns=%s", m.Name, c); len(ex) != 1 || ex[0] != want {
					t.Errorf("a NULL %s in marts.%s: %s found %q; want [%q]", c, m.Name, testMartNotNull, ex, want)
				}
			}
		})
	}
}
