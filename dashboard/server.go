package dashboard

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultRuns is how many recent runs the overview and the rejects view
// show.
const DefaultRuns = 14

// Options configure a Server and a report.
type Options struct {
	// ExportDir is the run's export folder (exports/ beside the snapshot by
	// default); "" shows no export links.
	ExportDir string
	// Runs is how many recent runs to show; 0 means DefaultRuns.
	Runs int
	// Now is the clock for ages; nil means time.Now.
	Now func() time.Time
	// Logger logs failed pages; nil means slog.Default().
	Logger *slog.Logger
	// QueryTimeout bounds one page's queries; 0 means 30 seconds.
	QueryTimeout time.Duration
}

func (o Options) runs() int {
	if o.Runs > 0 {
		return o.Runs
	}
	return DefaultRuns
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now().UTC()
	}
	return time.Now().UTC()
}

func (o Options) logger() *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.Default()
}

// Server serves the dashboard's views, its assets and the exports of the
// published run. It opens the snapshot per page, so a newly published one
// shows on the next request, and holds nothing open that a run needs.
type Server struct {
	opener Opener
	opts   Options
	mux    *http.ServeMux
}

// NewServer returns the dashboard's HTTP handler over opener.
func NewServer(opener Opener, opts Options) *Server {
	s := &Server{opener: opener, opts: opts, mux: http.NewServeMux()}
	for _, v := range views {
		pattern := "GET " + v.Path
		if v.Path == "/" {
			pattern = "GET /{$}"
		}
		s.mux.HandleFunc(pattern, s.viewHandler(v))
	}
	s.mux.HandleFunc("GET /assets/style.css", asset("text/css; charset=utf-8", css))
	s.mux.HandleFunc("GET /assets/icon.svg", asset("image/svg+xml", mustAsset("assets/icon.svg")))
	s.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/assets/icon.svg", http.StatusMovedPermanently)
	})
	s.mux.HandleFunc("GET /exports/{folder}/{file}", s.exportFile)
	return s
}

// ServeHTTP sets the security headers every answer carries, then routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	if _, pattern := s.mux.Handler(r); pattern == "" {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			s.problem(w, http.StatusMethodNotAllowed, "Read-only", "The dashboard only reads: it answers GET and HEAD.")
			return
		}
		s.problem(w, http.StatusNotFound, "Not found", "There is no page at "+r.URL.Path+". The views are listed at /.")
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) viewHandler(v view) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, err := ParseFilter(r.URL.Query())
		if err != nil {
			s.problem(w, http.StatusBadRequest, "Bad filter", err.Error()+". Change the address, or start again from "+v.Path+".")
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.timeout())
		defer cancel()
		var buf bytes.Buffer
		code, err := s.render(ctx, &buf, v, f)
		if err != nil {
			s.opts.logger().Warn("dashboard page failed", "path", r.URL.Path, "err", err)
			s.problem(w, code, "No data to show", err.Error())
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		_, _ = w.Write(buf.Bytes())
	}
}

func (s *Server) timeout() time.Duration {
	if s.opts.QueryTimeout > 0 {
		return s.opts.QueryTimeout
	}
	return 30 * time.Second
}

// render builds one view into buf: it opens the snapshot, runs the view's
// queries and closes it again.
func (s *Server) render(ctx context.Context, buf *bytes.Buffer, v view, f Filter) (int, error) {
	snap, err := s.opener.Open(ctx)
	if errors.Is(err, ErrNoSnapshot) {
		return http.StatusServiceUnavailable, err
	}
	if err != nil {
		return http.StatusInternalServerError, err
	}
	defer snap.Close()
	exp, err := loadLatest(s.opts.ExportDir)
	if err != nil {
		s.opts.logger().Warn("dashboard cannot read the exports; pages show no export links", "dir", s.opts.ExportDir, "err", err)
		exp = nil
	}
	if exp != nil {
		exp.link = func(folder, file string) string {
			return "/exports/" + url.PathEscape(folder) + "/" + url.PathEscape(file)
		}
	}
	r := &reader{ctx: ctx, snap: snap, filter: f, exports: exp, now: s.opts.now(), runs: s.opts.runs()}
	p := buildPage(r, v)
	if err := renderPage(buf, p); err != nil {
		return http.StatusInternalServerError, err
	}
	if p.Error != "" {
		return http.StatusInternalServerError, nil
	}
	return http.StatusOK, nil
}

// RenderView renders one view by its path with a filter query such as
// "country=PK", as the server would answer it; benchmarks and tools use it.
func (s *Server) RenderView(ctx context.Context, path, query string) ([]byte, error) {
	for _, v := range views {
		if v.Path != path {
			continue
		}
		q, err := url.ParseQuery(query)
		if err != nil {
			return nil, err
		}
		f, err := ParseFilter(q)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if _, err := s.render(ctx, &buf, v, f); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	return nil, errors.New("no view at " + path)
}

// ViewPaths lists the views' paths in nav order.
func ViewPaths() []string {
	out := make([]string, len(views))
	for i, v := range views {
		out[i] = v.Path
	}
	return out
}

// exportFile serves a file a run exported: only a run folder's name and a
// file its manifest lists are accepted, so no other path can be reached.
func (s *Server) exportFile(w http.ResponseWriter, r *http.Request) {
	folder, file := r.PathValue("folder"), r.PathValue("file")
	if s.opts.ExportDir == "" {
		s.problem(w, http.StatusNotFound, "No exports", "This dashboard was started without an export folder.")
		return
	}
	set, err := loadRun(s.opts.ExportDir, folder)
	if err != nil {
		s.problem(w, http.StatusNotFound, "Not found", "No export folder "+folder+" (runs keep only their newest exports).")
		return
	}
	mf, ok := set.file(file)
	if !ok {
		s.problem(w, http.StatusNotFound, "Not found", "Run "+set.RunID+" exported no file "+file+".")
		return
	}
	f, err := os.Open(filepath.Join(set.Root, set.Folder, mf.Path))
	if err != nil {
		s.problem(w, http.StatusNotFound, "Not found", "The export "+file+" is gone: a newer run may have replaced it.")
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		s.problem(w, http.StatusInternalServerError, "Cannot read the export", err.Error())
		return
	}
	ctype := "application/vnd.apache.parquet"
	if strings.HasSuffix(mf.Path, ".csv") {
		ctype = "text/csv; charset=utf-8"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment",
		map[string]string{"filename": strings.TrimPrefix(set.Folder, "run_id=") + "-" + mf.Path}))
	http.ServeContent(w, r, "", st.ModTime(), f)
}

func (s *Server) problem(w http.ResponseWriter, code int, title, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = renderProblem(w, title, msg)
}

func asset(ctype string, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Cache-Control", "public, max-age=3600")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	}
}
