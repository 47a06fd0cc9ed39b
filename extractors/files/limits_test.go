package files

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// One record may not make a reader buffer more than maxLine, whatever the
// format. max_bytes (default 4 GiB) bounds the file; before this bound, a
// gzip bomb with no line break became one CSV field of up to 4 GiB in
// memory, and the run "succeeded" with the bomb as its header.
func TestOneRecordIsBounded(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("x", maxLine+4*guardChunk)
	zeros := gzRepeat(nil, make([]byte, 1<<20), 2*maxLine>>20)
	cases := map[string][]byte{
		"bomb.csv.gz":  zeros, // the header never ends
		"cell.csv":     []byte("seller_id,name\nS-1,\"" + huge + "\"\n"),
		"element.json": []byte(`[{"seller_id":"S-1"},{"seller_id":"` + huge + `"}]`),
		"bomb.json.gz": gzRepeat([]byte(`[{"seller_id":"`), bytes.Repeat([]byte("0"), 1<<20), 2*maxLine>>20),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, _, err := extract(t, Config{Paths: []string{write(t, name, data)}})
			if !errors.Is(err, ErrRecordTooLarge) {
				t.Fatalf("err = %v, want ErrRecordTooLarge", err)
			}
		})
	}
}

// Records just under the bound, and many records in all, still load.
func TestLargeRecordsUnderTheBoundLoad(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("y", maxLine-1024)
	var many strings.Builder
	many.WriteString("seller_id,name\n")
	for range 20000 {
		many.WriteString("S-1,Ali\n")
	}
	cases := map[string][]byte{
		"cell.csv": []byte("seller_id,name\nS-1,\"" + big + "\"\nS-2,b\n"),
		"many.csv": []byte(many.String()),
	}
	want := map[string]int{"cell.csv": 2, "many.csv": 20000}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rows, _, err := extract(t, Config{Paths: []string{write(t, name, data)}})
			if err != nil || len(rows) != want[name] {
				t.Fatalf("%d rows, err %v; want %d", len(rows), err, want[name])
			}
		})
	}
}

// gzRepeat gzips head followed by n copies of chunk, as gzip members that
// readers join into one stream, without compressing n copies.
func gzRepeat(head, chunk []byte, n int) []byte {
	out := gz(head)
	member := gz(chunk)
	for range n {
		out = append(out, member...)
	}
	return out
}

// A gzip file cut short is reported as a file cut short, not as a record
// over the size limit; bytes that are not Parquet are called that.
func TestBrokenFilesSayWhatIsWrong(t *testing.T) {
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	for i := range 5000 {
		fmt.Fprintf(zw, `{"seller_id":"S%d","marketplace":"daraz.pk","name":"n","country":"PK"}`+"\n", i)
	}
	zw.Close()
	cut := filepath.Join(dir, "cut.ndjson.gz")
	if err := os.WriteFile(cut, gz.Bytes()[:gz.Len()/2], 0o644); err != nil {
		t.Fatal(err)
	}
	noise := filepath.Join(dir, "noise.parquet")
	if err := os.WriteFile(noise, bytes.Repeat([]byte{0x9c, 0x01, 0xfe, 0x42}, 64), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		cut:   "the file ends in the middle of record",
		noise: "not a Parquet file, or a damaged one",
	} {
		e, err := New(Config{Name: "s", Dataset: pipeline.Sellers, Paths: []string{path}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Extract(t.Context(), memory.NewGoAllocator(), func(rec arrow.RecordBatch) error { return nil })
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "limited to") || strings.Contains(err.Error(), "parquet: parquet") {
			t.Errorf("%s: %v; want %q", filepath.Base(path), err, want)
		}
	}
}
