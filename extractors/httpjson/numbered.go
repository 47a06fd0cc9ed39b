package httpjson

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// totals are what the API says about the whole result, when it says it.
type totals struct {
	records, pages int64
	hasRecords     bool
	hasPages       bool
}

func (t totals) known() bool { return t.hasRecords || t.hasPages }

func (e *Extractor) totalsOf(p page) (totals, error) {
	var t totals
	var err error
	if t.records, t.hasRecords, err = p.count(e.cfg.Pagination.TotalPath); err != nil {
		return t, err
	}
	t.pages, t.hasPages, err = p.count(e.cfg.Pagination.TotalPagesPath)
	return t, err
}

// due reports whether page n should hold records, given received so far.
func (t totals) due(n int, received int64) bool {
	return t.hasRecords && received < t.records || t.hasPages && int64(n) <= t.pages
}

// finished reports whether the walk is over after page n.
func (t totals) finished(n int, received int64, empty bool) bool {
	return empty || t.hasRecords && received >= t.records || t.hasPages && int64(n) >= t.pages
}

// numberedURL addresses page n (1-based) of page or offset pagination.
func (e *Extractor) numberedURL(params url.Values, n int, offset int64) string {
	p := e.cfg.Pagination
	if p.Style == "offset" {
		return e.pageURL(params, p.OffsetParam, strconv.FormatInt(offset, 10))
	}
	return e.pageURL(params, p.PageParam, strconv.Itoa(*p.StartPage+n-1))
}

// numbered walks page-number or offset pagination. It stops at an empty
// page or when the API's total is reached; with a total it treats an
// early empty page as a fault rather than the end.
func (w *walk) numbered(ctx context.Context, params url.Values) error {
	first, err := w.settle(ctx, w.e.numberedURL(params, 1, 0), 1, false, nil)
	if err != nil {
		return err
	}
	tot, err := w.e.totalsOf(first)
	if err != nil {
		return fmt.Errorf("page 1 of %s: %w", w.e.cfg.Name, err)
	}
	if err := w.accept(first); err != nil {
		return err
	}
	received := int64(len(first.items))
	if tot.finished(1, received, len(first.items) == 0) {
		return nil
	}
	n := 2
	if w.e.cfg.Pagination.Concurrency > 1 && tot.known() {
		if n, received, err = w.ahead(ctx, params, tot, received, len(first.items)); err != nil {
			return err
		}
		if tot.finished(n-1, received, false) {
			return nil
		}
	}
	return w.sequential(ctx, params, n, received, tot)
}

func (w *walk) sequential(ctx context.Context, params url.Values, n int, received int64, tot totals) error {
	for ; ; n++ {
		p, err := w.settle(ctx, w.e.numberedURL(params, n, received), n, tot.due(n, received), nil)
		if err != nil {
			return err
		}
		if err := w.accept(p); err != nil {
			return err
		}
		received += int64(len(p.items))
		if t, err := w.e.totalsOf(p); err == nil && t.known() {
			tot = t // a total that moves while we page is the newer truth
		}
		if tot.finished(n, received, len(p.items) == 0) {
			return nil
		}
	}
}

// ahead fetches pages 2..last concurrently (at most Concurrency requests
// in flight, all through the one rate limiter), then decodes and emits
// them strictly in page order, so every record is emitted exactly once and
// in the same order as a sequential walk. It returns the next page number
// and the records received; the caller carries on sequentially if the
// total grew meanwhile.
func (w *walk) ahead(ctx context.Context, params url.Values, tot totals, received int64, perPage int) (int, int64, error) {
	if lim := w.e.cfg.Pagination.Limit; lim > 0 {
		perPage = lim
	}
	last := tot.pages
	if tot.hasRecords && perPage > 0 {
		last = (tot.records + int64(perPage) - 1) / int64(perPage)
	}
	var targets []string
	for n := 2; int64(n) <= last; n++ {
		targets = append(targets, w.e.numberedURL(params, n, int64(n-1)*int64(perPage)))
	}
	err := fetchOrdered(ctx, w.e, targets, w.e.cfg.Pagination.Concurrency, func(i int, resp response) error {
		n := i + 2
		p, err := w.settle(ctx, targets[i], n, tot.due(n, received), &resp)
		if err != nil {
			return err
		}
		received += int64(len(p.items))
		return w.accept(p)
	})
	return len(targets) + 2, received, err
}

// fetchOrdered fetches targets with up to conc requests in flight and
// hands the responses to handle one at a time, in order. It stops at the
// first error and cancels the fetches still running.
func fetchOrdered(ctx context.Context, e *Extractor, targets []string, conc int, handle func(int, response) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		resp response
		err  error
	}
	futures := make(chan chan result, conc-1)
	go func() {
		defer close(futures)
		for _, t := range targets {
			ch := make(chan result, 1)
			select {
			case futures <- ch:
			case <-ctx.Done():
				return
			}
			go func() {
				r, err := e.fetch(ctx, t)
				ch <- result{r, err}
			}()
		}
	}()
	i := 0
	for ch := range futures {
		res := <-ch
		if res.err != nil {
			return fmt.Errorf("fetch page %d of %s: %w", i+2, e.cfg.Name, res.err)
		}
		if err := handle(i, res.resp); err != nil {
			return err
		}
		i++
	}
	return ctx.Err()
}
