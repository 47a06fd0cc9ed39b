package dashboard

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"io"
	"strconv"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// templates are parsed once; html/template escapes every value by where it
// lands (text, attribute, URL), so data such as a listing title that holds
// markup shows as text.
var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"px":       px,
	"add":      func(a, b float64) float64 { return a + b },
	"sub":      func(a, b float64) float64 { return a - b },
	"fmtInt":   fmtInt,
	"fmtBytes": fmtBytes,
}).ParseFS(templateFS, "templates/*.tmpl"))

// css is the stylesheet, served as /assets/style.css and inlined in the
// report.
var css = mustAsset("assets/style.css")

func mustAsset(name string) []byte {
	b, err := assetFS.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return b
}

// contentSecurityPolicy allows the page its own stylesheet and icon and
// nothing else: no script at all, no inline style, no frames, forms only
// to itself.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// reportPolicy is the report's CSP: its one inline stylesheet by hash, and
// nothing else, so the file loads nothing wherever it is opened.
func reportPolicy() string {
	sum := sha256.Sum256(css)
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; img-src data:; base-uri 'none'; form-action 'none'"
}

func renderPage(w io.Writer, p page) error { return templates.ExecuteTemplate(w, "page", p) }

type problem struct {
	Title   string
	Message string
}

func renderProblem(w io.Writer, title, msg string) error {
	return templates.ExecuteTemplate(w, "problem", problem{Title: title, Message: msg})
}

// fmtBytes renders a file size for the export links' hover text.
func fmtBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " B"
}
