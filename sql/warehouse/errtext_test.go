//go:build duckdb_arrow

package warehouse

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
)

// DuckDB's own words reach the user only through the debug log; the
// message keeps exportpipe's context and says what the failure means.
func TestUserMessageReplacesDuckDBsText(t *testing.T) {
	t.Parallel()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("SET memory_limit = '4MB'; SET threads = 1"); err != nil {
		t.Fatal(err)
	}
	_, oom := db.Exec("CREATE TABLE big AS SELECT range AS i, repeat('x', 100) AS s FROM range(2000000) ORDER BY s, i")
	_, binder := db.Exec("SELECT no_such_column FROM range(1)")
	for _, c := range []struct {
		err       error
		want      string
		duckdbSaw string
	}{
		{oom, "build marts: DuckDB ran out of memory: raise warehouse.memory_limit", "Out of Memory Error"},
		{binder, "build marts: DuckDB failed (Binder Error); this is likely a bug", "no_such_column"},
	} {
		if c.err == nil {
			t.Fatalf("DuckDB did not fail as the test needs it to (%s)", c.want)
		}
		msg, raw, ok := UserMessage(fmt.Errorf("build marts: %w", c.err))
		if !ok || !strings.HasPrefix(msg, c.want) || !strings.Contains(msg, "--log-level debug") {
			t.Errorf("UserMessage = %q, %v; want it to start %q", msg, ok, c.want)
		}
		if strings.Contains(msg, c.duckdbSaw) || !strings.Contains(raw, c.duckdbSaw) {
			t.Errorf("DuckDB's text %q: in the message %q; apart: %q", c.duckdbSaw, msg, raw)
		}
	}
	if _, _, ok := UserMessage(fmt.Errorf("plain")); ok {
		t.Error("an error without DuckDB's text was rewritten")
	}
}
