package httpjson

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/exportpipe/exportpipe/extractors/internal/rawbatch"
	"github.com/exportpipe/exportpipe/pipeline"
)

// walk is one extraction in progress: the batcher, the pages seen so far
// (by a hash of their records, to catch an API that repeats a page) and
// the incremental cursor being tracked.
type walk struct {
	e     *Extractor
	b     *rawbatch.Builder
	emit  pipeline.Emit
	seen  map[[32]byte]int
	track *tracker

	pages, records int64
}

// run walks every page of one window (or of the whole source).
func (w *walk) run(ctx context.Context, params url.Values) error {
	switch w.e.cfg.Pagination.Style {
	case "page", "offset":
		return w.numbered(ctx, params)
	default:
		return w.linked(ctx, params)
	}
}

// linked follows a cursor, a next URL or a Link header until there is no
// next. An empty page with a next is followed, not taken as the end. A
// next that was already followed stops the walk with an error, so a
// broken API cannot loop forever.
func (w *walk) linked(ctx context.Context, params url.Values) error {
	target := w.e.pageURL(params, "", "")
	followed := map[string]bool{}
	for n := 1; ; n++ {
		p, err := w.settle(ctx, target, n, false, nil)
		if err != nil {
			return err
		}
		if err := w.accept(p); err != nil {
			return err
		}
		next, err := w.e.next(p, target, params)
		if err != nil || next == "" {
			return err
		}
		if followed[next] {
			return fmt.Errorf("page %d of %s: the API repeated next page %q; stopping so a broken API cannot loop forever", n, w.e.cfg.Name, next)
		}
		followed[next] = true
		target = next
	}
}

// next is the URL of the page after p, or "" at the end.
func (e *Extractor) next(p page, current string, params url.Values) (string, error) {
	pg := e.cfg.Pagination
	var ref string
	switch pg.Style {
	case "none":
		return "", nil
	case "cursor":
		if c := p.str(pg.NextPath); c != "" {
			return e.pageURL(params, pg.CursorParam, c), nil
		}
		return "", nil
	case "next_url":
		ref = p.str(pg.NextPath)
	case "link":
		ref = NextLink(p.resp.header.Values("Link"))
	}
	if ref == "" {
		return "", nil
	}
	cur, _ := url.Parse(current)
	u, err := cur.Parse(ref)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("the API's next page %q is not an http(s) URL", ref)
	}
	return u.String(), nil
}

// accept adds a page's records and counts it.
func (w *walk) accept(p page) error {
	w.pages++
	return w.add(p)
}

// settle decodes a page (fetching it when resp is nil) and fetches it once
// more when it repeats an earlier page or is empty although more records
// are due: a cache or a replica lagging behind, which a second request
// usually gets past. Only a page that passes is emitted, so a repeat never
// becomes duplicate rows.
func (w *walk) settle(ctx context.Context, target string, n int, wantItems bool, resp *response) (page, error) {
	name := w.e.cfg.Name
	for attempt := 0; ; attempt++ {
		if resp == nil {
			r, err := w.e.fetch(ctx, target)
			if err != nil {
				return page{}, fmt.Errorf("fetch page %d of %s: %w", n, name, err)
			}
			resp = &r
		}
		p, err := w.e.decode(*resp)
		resp = nil
		if err != nil {
			return page{}, fmt.Errorf("page %d of %s: %w", n, name, err)
		}
		problem := w.problem(p, wantItems)
		if problem == "" {
			if len(p.items) > 0 {
				w.seen[p.hash] = n
			}
			return p, nil
		}
		if attempt >= 1 {
			return page{}, fmt.Errorf("page %d of %s: %s, twice; stopping so a broken API cannot loop or load duplicates", n, name, problem)
		}
		w.e.stats.Retries.Add(1)
	}
}

func (w *walk) problem(p page, wantItems bool) string {
	if len(p.items) == 0 {
		if wantItems {
			return "the page was empty although the API's total says more records are due"
		}
		return ""
	}
	if prev, dup := w.seen[p.hash]; dup {
		return "the API sent the same records as page " + strconv.Itoa(prev)
	}
	return ""
}
