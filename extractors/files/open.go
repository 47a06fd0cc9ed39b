package files

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/exportpipe/exportpipe/internal/httpx"
	"github.com/exportpipe/exportpipe/internal/limitio"
)

// expand turns paths and globs into the inputs to read. A path or glob
// that matches nothing is an error: a nightly run that silently reads no
// file is worse than one that fails.
func expand(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		if isURL(p) {
			out = append(out, p)
			continue
		}
		if !strings.ContainsAny(p, "*?[") {
			if _, err := os.Stat(p); err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			out = append(out, p)
			continue
		}
		m, err := filepath.Glob(p)
		if err != nil {
			return nil, fmt.Errorf("glob %q: %w", p, err)
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("glob %q matches no file; check the path (relative paths start at the working directory)", p)
		}
		sort.Strings(m)
		out = append(out, m...)
	}
	return out, nil
}

func isURL(p string) bool {
	return strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://")
}

// source is an opened input: text for the streaming formats, or a file
// with random access for Parquet.
type source struct {
	text    io.Reader
	file    io.ReaderAt
	size    int64
	closers []func() error
}

func (s *source) Close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i]())
	}
	return errors.Join(errs...)
}

// open opens an input, undoes gzip (found by its magic bytes, not the
// name) under the size limit, and drops a UTF-8 byte order mark.
func (e *Extractor) open(ctx context.Context, in string, random bool) (*source, error) {
	raw, err := e.openRaw(ctx, in)
	if err != nil {
		return nil, err
	}
	s := &source{closers: []func() error{raw.Close}}
	counted := &counter{r: raw, n: &e.stats.Bytes}
	br := bufio.NewReaderSize(counted, 1<<16)
	var r io.Reader = br
	gz := false
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("gzip: %w", err)
		}
		s.closers = append(s.closers, zr.Close)
		r, gz = zr, true
	}
	r = &limitio.Reader{R: r, Max: e.cfg.MaxBytes, TooLarge: tooLarge(e.cfg.MaxBytes)}
	if random {
		return e.spoolIfNeeded(s, raw, r, gz)
	}
	tb := bufio.NewReaderSize(r, 1<<16)
	if bom, _ := tb.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		tb.Discard(3)
	}
	s.text = tb
	return s, nil
}

// spoolIfNeeded gives Parquet the random access it needs: a plain local
// file is read in place; a download or a gzipped file is first copied to
// a temporary file (bounded by MaxBytes), never into memory.
func (e *Extractor) spoolIfNeeded(s *source, raw io.ReadCloser, r io.Reader, gz bool) (*source, error) {
	if f, ok := raw.(*os.File); ok && !gz {
		st, err := f.Stat()
		if err != nil {
			s.Close()
			return nil, err
		}
		s.file, s.size = f, st.Size()
		return s, nil
	}
	tmp, err := os.CreateTemp("", "exportpipe-*.parquet")
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("spool parquet: %w", err)
	}
	s.closers = append(s.closers, func() error { tmp.Close(); return os.Remove(tmp.Name()) })
	n, err := io.Copy(tmp, r)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("spool parquet: %w", err)
	}
	s.file, s.size = tmp, n
	return s, nil
}

func (e *Extractor) openRaw(ctx context.Context, in string) (io.ReadCloser, error) {
	if !isURL(in) {
		return os.Open(in)
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, in, nil)
	if err != nil {
		return nil, err
	}
	for k, v := range e.cfg.Headers {
		req.Header.Set(k, v)
	}
	e.cfg.Auth.Apply(req.Request)
	resp, err := e.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		resp.Body.Close()
		return nil, &httpx.PermanentError{Msg: fmt.Sprintf("status %d: %s", resp.StatusCode, httpx.Snippet(b))}
	}
	// The body streams into batches as it arrives, so a transfer that
	// breaks halfway cannot be retried without emitting rows twice; it
	// fails the run, which then commits nothing.
	return resp.Body, nil
}

// ErrTooLarge is returned when a file grows past MaxBytes.
var ErrTooLarge = errors.New("file larger than max_bytes after decompression")

// tooLarge says which limit the file broke and what to do. Nothing
// retries it: a download would bring the same bytes again.
func tooLarge(max int64) func() error {
	return func() error {
		return fmt.Errorf("%w (%d bytes); raise file.max_bytes for this source if the file is genuine", ErrTooLarge, max)
	}
}

// counter adds the bytes read from the source (compressed, as stored or
// sent) to the figures.
type counter struct {
	r interface{ Read([]byte) (int, error) }
	n interface{ Add(int64) int64 }
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
