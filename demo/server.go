package demo

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
)

// Handler serves the simulator's API:
//
//	GET /api/v1/{listings,sellers,sailings,freight-rates,fx-rates}?cursor=&limit=
//	GET /api/v1/truth
//
// Pages are {"data": [...], "next_cursor": "..."}, next_cursor null on the
// last page. Records are rendered while the page is written, so a page
// costs memory for one record, not for the page.
func (s *Sim) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /api/v1/listings", s.pages(pipeline.Listings, recordsOf(s.renderListing)))
	mux.Handle("GET /api/v1/sellers", s.pages(pipeline.Sellers, recordsOf(s.renderSeller)))
	mux.Handle("GET /api/v1/sailings", s.pages(pipeline.Sailings, recordsOf(s.renderSailing)))
	mux.Handle("GET /api/v1/freight-rates", s.pages(pipeline.FreightRates, recordsOf(s.renderFreight)))
	mux.Handle("GET /api/v1/fx-rates", s.pages(pipeline.FXRates, recordsOf(func(_ *rng, e entry, out *fxJSON) {
		s.fx.render(int(e.base), out)
	})))
	mux.HandleFunc("GET /api/v1/truth", s.serveTruth)
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no endpoint %s: try /api/v1/listings, /api/v1/sellers, "+
			"/api/v1/sailings, /api/v1/freight-rates, /api/v1/fx-rates or /api/v1/truth", r.URL.Path))
	})
	return mux
}

// pageFunc writes the records of one page.
type pageFunc func(pw *pageWriter, entries []entry) error

// recordsOf turns a record renderer into a pageFunc that reuses one record
// value and one generator for the whole page.
func recordsOf[T any](render func(*rng, entry, *T)) pageFunc {
	return func(pw *pageWriter, entries []entry) error {
		r := newRNG()
		var rec T
		for _, e := range entries {
			render(r, e, &rec)
			if err := pw.record(&rec); err != nil {
				return err
			}
		}
		return nil
	}
}

// pageWriter streams a JSON array, one encoded record at a time.
type pageWriter struct {
	bw  *bufio.Writer
	enc *json.Encoder
	n   int
}

func (p *pageWriter) record(v any) error {
	if p.n > 0 {
		if err := p.bw.WriteByte(','); err != nil {
			return err
		}
	}
	p.n++
	return p.enc.Encode(v)
}

func (s *Sim) pages(d pipeline.Dataset, write pageFunc) http.Handler {
	entries := s.layouts[d].entries
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		n := s.requests.Add(1)
		if s.throttled(w, n) {
			return
		}
		from, limit, err := s.pageParams(req, d, len(entries))
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		to := min(from+limit, len(entries))
		if s.misbehave(w, req, n) {
			return
		}
		next := "null"
		if to < len(entries) {
			next = strconv.Quote(encodeCursor(d, to))
		}
		if s.cfg.Faults.repeat(n) && from >= limit {
			s.injected.Add(1)
			// A lagging cache: the previous page's records under this
			// page's cursor. A client that fetches again gets the right ones.
			from, to = from-limit, from
		}
		w.Header().Set("Content-Type", "application/json")
		bw := bufio.NewWriterSize(w, 32<<10)
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		bw.WriteString(`{"data":[`)
		if err := write(&pageWriter{bw: bw, enc: enc}, entries[from:to]); err != nil {
			return // the client went away; nobody is left to tell
		}
		bw.WriteString(`],"next_cursor":` + next + "}\n")
		_ = bw.Flush()
	})
}

// throttled answers 429 to every Fail429Every-th page request.
func (s *Sim) throttled(w http.ResponseWriter, n int64) bool {
	if !every(n, s.cfg.Fail429Every) {
		return false
	}
	s.injected.Add(1)
	w.Header().Set("Retry-After", s.cfg.Faults.retryAfter())
	writeError(w, http.StatusTooManyRequests, "rate limited by the demo simulator (Fail429Every): retry")
	return true
}

func (s *Sim) pageParams(req *http.Request, d pipeline.Dataset, total int) (from, limit int, err error) {
	q := req.URL.Query()
	limit = s.cfg.PageLimitDefault
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, 0, fmt.Errorf("bad limit %q: want a positive integer (at most %d is served)", v, s.cfg.PageLimitMax)
		}
		limit = min(n, s.cfg.PageLimitMax)
	}
	if c := q.Get("cursor"); c != "" {
		if from, err = decodeCursor(c, d, total); err != nil {
			return 0, 0, err
		}
	}
	return from, limit, nil
}

// A cursor is the next record's position in the served stream, tagged with
// the dataset so a cursor cannot be replayed against another endpoint.
const cursorVersion = "v1"

func encodeCursor(d pipeline.Dataset, at int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorVersion + ":" + string(d) + ":" + strconv.Itoa(at)))
}

var errBadCursor = errors.New("bad cursor")

// decodeCursor accepts only cursors this server could have issued for d:
// a position strictly inside the stream.
func decodeCursor(c string, d pipeline.Dataset, total int) (int, error) {
	fail := func(why string) (int, error) {
		return 0, fmt.Errorf("%w %q: %s; pass next_cursor from the previous page unchanged", errBadCursor, c, why)
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return fail("not base64url")
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != 3 || parts[0] != cursorVersion {
		return fail("not a cursor of this API")
	}
	if parts[1] != string(d) {
		return fail("issued for " + parts[1])
	}
	at, err := strconv.Atoi(parts[2])
	if err != nil || at <= 0 || at >= total || strconv.Itoa(at) != parts[2] {
		return fail("position out of range")
	}
	return at, nil
}

func (s *Sim) serveTruth(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(s.Truth())
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// Serve listens on listen (a missing host means 127.0.0.1; port 0 picks a
// free one) and serves sim until shutdown is called or ctx ends. addr is
// the host:port actually bound.
func Serve(ctx context.Context, sim *Sim, listen string) (addr string, shutdown func(context.Context) error, err error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", nil, fmt.Errorf("demo server address %q: want host:port, e.g. 127.0.0.1:8089: %w", listen, err)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return "", nil, fmt.Errorf("demo server listen on %s: %w", listen, err)
	}
	srv := &http.Server{Handler: sim.Handler(), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	stop := context.AfterFunc(ctx, func() { _ = srv.Close() })
	var once sync.Once
	var serveErr error
	shutdown = func(sctx context.Context) error {
		stop()
		err := srv.Shutdown(sctx)
		once.Do(func() { serveErr = <-done })
		if err == nil && !errors.Is(serveErr, http.ErrServerClosed) {
			err = serveErr
		}
		return err
	}
	return ln.Addr().String(), shutdown, nil
}
