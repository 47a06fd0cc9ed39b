package dashboard

import (
	"context"
	"errors"
	"html/template"
	"io"
	"net/url"
	"path/filepath"
	"strings"
)

// reportPage is the report: every view of one snapshot in one file.
type reportPage struct {
	Info     snapshotInfo
	Pages    []page
	CSS      template.CSS
	CSP      string
	Written  string
	Defaults string
}

// WriteReport renders every view with the default filters into w as one
// self-contained HTML file: inline CSS, inline SVG, no script, and a
// Content-Security-Policy that lets it load nothing. Export links are
// relative to outDir, where the report is written, so they work while the
// report sits beside the exports; "" leaves them out.
func WriteReport(ctx context.Context, w io.Writer, opener Opener, outDir string, opts Options) error {
	snap, err := opener.Open(ctx)
	if err != nil {
		return err
	}
	defer snap.Close()
	exp, err := loadLatest(opts.ExportDir)
	if err != nil {
		opts.logger().Warn("report cannot read the exports; it has no export links", "dir", opts.ExportDir, "err", err)
		exp = nil
	}
	if exp != nil && outDir != "" {
		exp.link = relativeLink(outDir, exp.Root)
	}
	r := &reader{ctx: ctx, snap: snap, filter: defaultFilter, exports: exp, now: opts.now(), runs: opts.runs()}
	rp := reportPage{CSS: template.CSS(css), CSP: reportPolicy(), Written: fmtTime(r.now),
		Defaults: "seller country " + defaultFilter.Country + ", container " + defaultFilter.Equipment + ", PNSC beside the other carriers, all dates"}
	for _, v := range views {
		if err := ctx.Err(); err != nil {
			return err
		}
		rp.Pages = append(rp.Pages, buildPage(r, v))
	}
	// Every view reads the same run; the first one's header stands for all.
	rp.Info = rp.Pages[0].Info
	if rp.Pages[0].Error != "" {
		return errors.New(rp.Pages[0].Error)
	}
	return templates.ExecuteTemplate(w, "report", rp)
}

// relativeLink makes export hrefs relative to the report's folder.
func relativeLink(outDir, root string) func(folder, file string) string {
	return func(folder, file string) string {
		rel, err := filepath.Rel(outDir, filepath.Join(root, folder, file))
		if err != nil {
			abs, _ := filepath.Abs(filepath.Join(root, folder, file))
			return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
		}
		parts := strings.Split(filepath.ToSlash(rel), "/")
		for i, p := range parts {
			parts[i] = url.PathEscape(p)
		}
		return strings.Join(parts, "/")
	}
}
