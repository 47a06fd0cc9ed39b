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
// A body over the limit is a PermanentError: the same request would bring
// the same body, so retrying would only fetch it again, up to max_retries
// times, and then report a size problem as an outage (exit 75).
//
// The limit counts the bytes the caller gets, which for a gzip-encoded
// response are the decompressed ones (net/http undoes the encoding it asked
// for), so a small compressed bomb cannot slip past it.
func ReadBody(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		// Announced too large: refuse before downloading any of it.
		return nil, &PermanentError{tooLarge(fmt.Sprintf("the server announced %d bytes", resp.ContentLength), limit)}
	}
	lr := io.LimitReader(resp.Body, limit+1)
	b, err := io.ReadAll(lr)
	if err != nil {
		return nil, &BodyError{err}
	}
	if int64(len(b)) > limit {
		return nil, &PermanentError{tooLarge("the body went past it", limit)}
	}
	if resp.ContentLength >= 0 && int64(len(b)) != resp.ContentLength {
		return nil, &BodyError{fmt.Errorf("got %d of %d bytes", len(b), resp.ContentLength)}
	}
	return b, nil
}

// tooLarge says which limit a response broke and what to change. The
// caller adds the source and the page.
func tooLarge(what string, limit int64) string {
	return fmt.Sprintf("response larger than http.max_response_bytes (%d bytes; %s); not retried, since the same request would get the same response: "+
		"raise http.max_response_bytes for this source if responses this large are expected, or ask for smaller pages (pagination.limit)", limit, what)
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
