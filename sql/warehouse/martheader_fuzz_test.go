//go:build duckdb_arrow

package warehouse

import (
	"strings"
	"testing"
)

// The header parsers read files anyone may edit: whatever the text, they
// return an error or a mart and scope that hold together, never a panic.
func FuzzParseMartHeader(f *testing.F) {
	marts, err := loadMarts()
	if err != nil {
		f.Fatal(err)
	}
	for _, m := range marts {
		f.Add(m.body)
	}
	f.Add("-- grain: a\n-- reads: listings\n-- maintained: full:\nCREATE OR REPLACE TABLE marts.x AS\nSELECT 1;\n")
	f.Add("-- grain: a,,b\n-- reads: nothing\n")
	f.Add("-- scope: core.listings, core.nope\nSELECT 1")
	f.Fuzz(func(t *testing.T, body string) {
		m, err := parseMart(sqlFile{name: "fuzz", body: body})
		if err == nil {
			if len(m.grain) == 0 || len(m.reads) == 0 || m.table == "" || m.query == "" {
				t.Errorf("parsed a mart without grain, reads, table or query: %+v", m)
			}
			for _, g := range m.grain {
				if g == "" || strings.Contains(g, ",") {
					t.Errorf("grain column %q", g)
				}
			}
		}
		scope, err := parseScope(body)
		if err == nil {
			for _, table := range scope {
				if _, ok := scopeKeys[table]; !ok {
					t.Errorf("scope %q accepted but cannot be scoped", table)
				}
			}
		}
	})
}
