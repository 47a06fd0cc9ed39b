package extractors

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// normalise.future_tolerance reaches an incremental HTTP source's cursor:
// a record stamped 90 minutes ahead is within the default (15h) and counts
// as now, but beyond a configured 1h it is ignored and the cursor stays
// at the newest believable record.
func TestFutureToleranceReachesTheCursor(t *testing.T) {
	t.Parallel()
	past := time.Now().UTC().Add(-48 * time.Hour).Truncate(time.Second)
	ahead := time.Now().UTC().Add(90 * time.Minute)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"data":[{"seller_id":"S-1","updated_at":%q},{"seller_id":"S-2","updated_at":%q}]}`,
			past.Format(time.RFC3339), ahead.Format(time.RFC3339))
	}))
	defer srv.Close()
	for _, tc := range []struct {
		normalise string
		wantPast  bool // the cursor is the past record's stamp, not now
	}{{"", false}, {"normalise: {future_tolerance: 1h}\n", true}} {
		src := "warehouse: {path: w.duckdb}\n" + tc.normalise + `sources:
  - name: api
    dataset: sellers
    kind: http_json
    http:
      url: ` + srv.URL + `
      records_path: data
      pagination: {style: none}
      incremental: {field: updated_at, param: updated_since}
`
		cfg, err := pipeline.ParseConfig([]byte(src), func(string) (string, bool) { return "", false })
		if err != nil {
			t.Fatal(err)
		}
		ex, err := cfg.BuildSource(0, cfg.BuildEnv(func(string) (string, bool) { return "", false }, slog.New(slog.DiscardHandler)))
		if err != nil {
			t.Fatal(err)
		}
		inc := ex.(pipeline.Incremental)
		start := time.Now().UTC()
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		if _, err := inc.Extract(context.Background(), mem, func(arrow.RecordBatch) error { return nil }); err != nil {
			t.Fatal(err)
		}
		mem.AssertSize(t, 0)
		cur, err := time.Parse(time.RFC3339Nano, inc.Cursor())
		if err != nil {
			t.Fatalf("%q: cursor %q: %v", tc.normalise, inc.Cursor(), err)
		}
		if gotPast := cur.Equal(past); gotPast != tc.wantPast || cur.After(start.Add(time.Minute)) {
			t.Errorf("%q: cursor %s; want the past record's %s: %v, and never past the clock", tc.normalise, cur, past, tc.wantPast)
		}
	}
}
