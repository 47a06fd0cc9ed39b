package httpx

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
)

var ioEOF = io.EOF

// ReadBody reads a whole response body up to limit bytes. A body cut short
// of its Content-Length, or reset mid-stream, is a BodyError and retried.
func ReadBody(resp *http.Response, limit int64) ([]byte, error) {
	lr := io.LimitReader(resp.Body, limit+1)
	b, err := io.ReadAll(lr)
	if err != nil {
		return nil, &BodyError{err}
	}
	if int64(len(b)) > limit {
		return nil, &PermanentError{fmt.Sprintf("response larger than max_response_bytes (%d); raise the limit or lower the page size", limit)}
	}
	if resp.ContentLength >= 0 && int64(len(b)) != resp.ContentLength {
		return nil, &BodyError{fmt.Errorf("got %d of %d bytes", len(b), resp.ContentLength)}
	}
	return b, nil
}

// Snippet returns a short, printable start of a body for error messages.
// Secrets are redacted by the caller's Redactor.
func Snippet(b []byte) string {
	const n = 200
	s := string(b)
	if len(s) > n {
		s = s[:n] + "…"
	}
	return strconv.Quote(s)
}
