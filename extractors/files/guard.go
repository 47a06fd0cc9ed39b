package files

import (
	"errors"
	"fmt"
	"io"
)

// ErrRecordTooLarge is returned when one CSV record or JSON array element
// grows past maxLine. max_bytes bounds a whole file on disk; this bounds
// what one record can make the readers buffer, so a gzip bomb without a
// line break cannot become a 4 GiB CSV field in memory.
var ErrRecordTooLarge = errors.New("record too large")

// recordGuard counts the bytes a record reader consumes since the current
// record began (mark) and fails once they pass the limit. Each Read is cut
// to a small chunk, so what the reader buffers ahead of the record stays
// small too.
type recordGuard struct {
	r       io.Reader
	n, mark int64
	limit   int64
}

const guardChunk = 64 << 10

func newRecordGuard(r io.Reader) *recordGuard {
	return &recordGuard{r: r, limit: maxLine + 2*guardChunk}
}

// start marks where the next record begins.
func (g *recordGuard) start(at int64) { g.mark = at }

func (g *recordGuard) Read(p []byte) (int, error) {
	if g.n-g.mark > g.limit {
		return 0, fmt.Errorf("%w: one record is longer than %d bytes; is the file what its name says?", ErrRecordTooLarge, maxLine)
	}
	if len(p) > guardChunk {
		p = p[:guardChunk]
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	return n, err
}
