package main

import (
	"testing"
)

// A night does what its changes call for; --rebuild-marts and --full-tests
// make one night do everything, and say so in meta.marts and
// meta.data_tests.
func TestRebuildMartsAndFullTestsFlags(t *testing.T) {
	n := newNights(t, "")
	rows := "A,S1,Cotton towel,home_textiles,US $10.00,100 Pieces,2025-01-02T00:00:00Z\n" +
		"B,S1,Bed sheet,home_textiles,US $20.00,10 Sets,2025-01-02T00:00:00Z\n"
	n.mustNight(rows)
	n.mustNight(rows) // nothing changed: no mart is touched, scoped tests read nothing
	last := "(SELECT max(run_id) FROM meta.runs)"
	wantRows(t, "marts the unchanged night built", n.rows(n.snapshot(),
		"SELECT count(*) FROM meta.marts WHERE built_run = "+last), "0")
	wantRows(t, "scopes of the unchanged night's data tests", n.rows(n.snapshot(),
		"SELECT DISTINCT scope FROM meta.data_tests WHERE run_id = "+last+" ORDER BY 1"),
		"carried", "full", "run")

	n.mustNight(rows, "--rebuild-marts", "--full-tests")
	wantRows(t, "marts rebuilt by --rebuild-marts", n.rows(n.snapshot(),
		"SELECT count(*) FILTER (WHERE built_run = "+last+" AND built_how = 'rebuilt'), count(*) FROM meta.marts"), "9|9")
	wantRows(t, "scopes of the --full-tests night", n.rows(n.snapshot(),
		"SELECT DISTINCT scope FROM meta.data_tests WHERE run_id = "+last), "full")
}
