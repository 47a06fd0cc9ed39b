package reference

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/exportpipe/exportpipe/internal/httpx"
	"github.com/exportpipe/exportpipe/internal/limitio"
)

// Files names full reference files a deployment points the config at.
// Every field is optional. Each may be a local path or an http(s) URL
// (see Open).
type Files struct {
	UNLOCODE     string      // UN/LOCODE CSV (unlocode_code_list_2022-1.csv layout)
	PortAliases  []AliasFile // carriers' port names, loaded after UNLOCODE so they win
	CountryCodes string      // ISO 3166 CSV (datasets/country-codes layout)
	HS           string      // HS nomenclature CSV (datasets/harmonized-system layout)
	MIDs         string      // ITU MID CSV (MID,Allocated_to)
	FX           []FXFile    // exchange-rate files, loaded in order
}

// AliasFile is one port-alias CSV (see LoadPortAliases).
type AliasFile struct {
	Path       string
	Comma      rune   // field delimiter, e.g. ';'
	CodeColumn string // header of the UN/LOCODE column, e.g. UN_LOCODE
	NameColumn string // header of the name column, e.g. Maersk_name
}

// FXFile is one exchange-rate file and its layout: "ecb" or "fed_h10".
type FXFile struct {
	Layout string
	Path   string
}

// LoadFiles builds a Set from the named files. Each file's rows that
// cannot be used are counted and logged as a warning naming the file; a
// file that yields nothing is an error wrapping ErrNothingUsable.
func LoadFiles(f Files) (*Set, error) {
	s := &Set{}
	type step struct {
		kind, path string
		load       func(io.Reader) (Yield, error)
	}
	steps := []step{{"unlocode", f.UNLOCODE, s.LoadUNLOCODE}}
	for _, a := range f.PortAliases {
		steps = append(steps, step{"port_aliases", a.Path, func(r io.Reader) (Yield, error) {
			return s.LoadPortAliases(r, a.Comma, a.CodeColumn, a.NameColumn)
		}})
	}
	steps = append(steps,
		step{"country_codes", f.CountryCodes, s.LoadCountryCodes},
		step{"hs", f.HS, s.LoadHS},
		step{"mids", f.MIDs, func(r io.Reader) (Yield, error) { return s.LoadMIDs(r, s.Country) }},
	)
	for _, st := range steps {
		if st.path == "" {
			continue
		}
		var y Yield
		err := withFile(st.path, func(r io.Reader) error {
			var err error
			y, err = st.load(r)
			return err
		})
		if err != nil {
			return nil, err
		}
		if err := report(st.kind, st.path, y); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// LoadFXFiles feeds every FX file into add, e.g. an FXTable's Add, and
// returns the rates handed over. As LoadFiles, it warns about each file's
// unusable rows and fails on a file that yields no rate: without its
// rates every price in its currencies would be rejected as no_fx_rate.
func LoadFXFiles(files []FXFile, add AddRate) (rates int, err error) {
	for _, f := range files {
		var y Yield
		err := withFile(f.Path, func(r io.Reader) error {
			var err error
			switch f.Layout {
			case "ecb":
				y, err = LoadECB(r, add)
			case "fed_h10":
				y, err = LoadFedH10(r, nil, add)
			default:
				return fmt.Errorf("fx layout %q: want ecb or fed_h10", f.Layout)
			}
			return err
		})
		rates += y.Used
		if err != nil {
			return rates, err
		}
		if err := report("fx "+f.Layout, f.Path, y); err != nil {
			return rates, err
		}
	}
	return rates, nil
}

// Limits of a reference file fetched over HTTP. Variables so tests can
// lower them; a deployment does not need to.
var (
	// HTTPTimeout bounds one attempt at a download, body included.
	HTTPTimeout = 2 * time.Minute
	// MaxHTTPBytes bounds a downloaded body (the full UN/LOCODE list is
	// about 10 MB, the ECB history about 14 MB).
	MaxHTTPBytes int64 = 256 << 20
	// HTTPMaxRetries is how many more attempts a download gets after a
	// connection error, a timeout, a 429 or a 5xx, with the extractors'
	// backoff (Retry-After honoured). A body that breaks once it is being
	// read is not retried: the loader has taken rows from it already.
	HTTPMaxRetries = 5
	// httpRetryWait is the first backoff wait; zero takes the client's
	// default. Tests shorten it.
	httpRetryWait time.Duration
)

// IsURL reports whether a reference path is an http(s) URL.
func IsURL(path string) bool {
	p := strings.ToLower(path)
	return strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://")
}

// Open opens a reference file: a local path, or an http(s) URL fetched
// with the client every download uses (internal/httpx: retries with
// backoff, TLS verified, credentials redacted), HTTPTimeout per attempt
// and at most MaxHTTPBytes read. A status other than 200, a body cut
// short of its Content-Length, a body over the limit and a timeout are all
// errors (from Open or from Read) that name the URL without its query
// string or user information.
func Open(path string) (io.ReadCloser, error) {
	if !IsURL(path) {
		return os.Open(path)
	}
	safe := httpx.RedactURL(path)
	redact := httpx.NewRedactor().WithURL(path)
	// The counts are not reported: a reference download is not a
	// source's step, and its failure is the run's error.
	var counts httpx.Counters
	retries := HTTPMaxRetries
	if retries <= 0 {
		retries = -1 // Options reads 0 as "the default"
	}
	client := httpx.NewClient(httpx.Options{Timeout: HTTPTimeout, MaxRetries: retries,
		RetryWaitMin: httpRetryWait, RetryWaitMax: 8 * httpRetryWait,
		Section: "normalise.reference", NoInsecureOption: true}, &counts)
	req, err := retryablehttp.NewRequest(http.MethodGet, path, nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", safe, redact.Redact(err))
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", safe, redact.Redact(err))
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("GET %s: HTTP %s", safe, resp.Status)
	}
	limit := MaxHTTPBytes
	body := &limitio.Reader{R: resp.Body, Max: limit, TooLarge: func() error {
		return fmt.Errorf("%w: larger than %d bytes (reference.MaxHTTPBytes)", errTooLarge, limit)
	}}
	return &downloadBody{Reader: body, rc: resp.Body, redact: redact}, nil
}

// downloadBody names a read error (a reset, a timeout, a body shorter
// than its Content-Length) as a cut-short download; withFile names the URL.
type downloadBody struct {
	io.Reader
	rc     io.Closer
	redact httpx.Redactor
}

func (b *downloadBody) Read(p []byte) (int, error) {
	n, err := b.Reader.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, errTooLarge) {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the URL; withFile names it once
		}
		err = fmt.Errorf("download cut short: %w", b.redact.Redact(err))
	}
	return n, err
}

func (b *downloadBody) Close() error { return b.rc.Close() }

var errTooLarge = errors.New("download too large")

func withFile(path string, fn func(io.Reader) error) error {
	f, err := Open(path)
	if err != nil {
		return fmt.Errorf("reference file: %w", err)
	}
	defer f.Close()
	if err := fn(f); err != nil {
		return fmt.Errorf("reference file %s: %w", httpx.RedactURL(path), err)
	}
	return nil
}
