//go:build duckdb_arrow

package warehouse

import (
	"fmt"
	"slices"
	"strings"

	"github.com/exportpipe/exportpipe/pipeline"
	sqlfiles "github.com/exportpipe/exportpipe/sql"
)

// Names of the data tests generated from the marts' declared grains.
const (
	testMartKeysUnique = "marts_keys_unique"
	testMartNotNull    = "marts_not_null"
)

// withMartTests adds the two data tests generated from the headers of
// sql/marts to the tests of sql/tests, keeping name order. They are not
// files so that no list of marts is kept by hand: a new mart file is
// checked for uniqueness and NULLs from its first run.
func withMartTests(tests []dataTest) ([]dataTest, error) {
	marts, err := sqlfiles.MartFiles()
	if err != nil {
		return nil, fmt.Errorf("read sql/marts: %w", err)
	}
	for _, t := range tests {
		if t.name == testMartKeysUnique || t.name == testMartNotNull {
			return nil, fmt.Errorf("sql/tests/%s.sql: this test is generated from the marts' \"-- grain:\" and \"-- not null:\" lines; remove the file", t.name)
		}
	}
	tests = append(tests,
		dataTest{name: testMartKeysUnique, severity: pipeline.SeverityError, query: sqlfiles.KeysUniqueQuery(marts)},
		dataTest{name: testMartNotNull, severity: pipeline.SeverityError, query: sqlfiles.NotNullQuery(marts)})
	slices.SortFunc(tests, func(a, b dataTest) int { return strings.Compare(a.name, b.name) })
	return tests, nil
}
