package transforms

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// A record the extractor could not read arrives with every field null. Its
// reject says the record was unreadable, with the extractor's note when it
// left one, rather than blaming the first required field.
func TestUnreadableRecordsSayWhy(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rows := []rec{
		{"_error": "row has 3 fields, the header has 7"},
		{},
		sellerRec("S-PK1", "Pakistan"),
	}
	out := apply(t, mem, NewSellers("partner_csv"), pipeline.Sellers, rows)
	defer out.release()
	if out.good.NumRows() != 1 || out.rejects.NumRows() != 2 {
		t.Fatalf("good %d, rejects %d; want 1 and 2", out.good.NumRows(), out.rejects.NumRows())
	}
	reason := out.rejects.Column(4).(*array.String)
	want := []string{
		"[unparseable] record could not be read: row has 3 fields, the header has 7",
		"[unparseable] record could not be read: not a JSON object",
	}
	for i, w := range want {
		if !strings.HasPrefix(reason.Value(i), w) {
			t.Errorf("reject %d reason %q, want it to start with %q", i, reason.Value(i), w)
		}
	}
}
