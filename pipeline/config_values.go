package pipeline

import (
	"fmt"
	"net/url"
	"strings"
)

// validateValues checks the values that the extractors and the warehouse
// would otherwise refuse only when a run builds them (a URL that is not
// http(s), a negative batch size, a memory limit DuckDB cannot read), so
// that validate and run agree, and every such problem has its line.
func (c *Config) validateValues() []error {
	var errs []error
	bad := func(path, format string, args ...any) { errs = append(errs, ErrorAt(path, format, args...)) }
	errs = append(errs, c.Warehouse.DuckDB.Validate("warehouse")...)
	ref := c.Normalise.Reference
	for key, p := range map[string]string{"unlocode": ref.UNLOCODE, "country_codes": ref.CountryCodes, "hs": ref.HS, "mids": ref.MIDs} {
		if err := CheckLocation(p); err != nil {
			bad(fmt.Sprintf("normalise.reference.%s", key), " %q: %v", p, err)
		}
	}
	for i, a := range ref.PortAliases {
		if err := CheckLocation(a.Path); err != nil {
			bad(fmt.Sprintf("normalise.reference.port_aliases[%d].path", i), " %q: %v", a.Path, err)
		}
	}
	for i, f := range ref.FX {
		if err := CheckLocation(f.Path); err != nil {
			bad(fmt.Sprintf("normalise.reference.fx[%d].path", i), " %q: %v", f.Path, err)
		}
	}
	return errs
}

// CheckHTTPURL accepts an absolute http:// or https:// URL with a host.
func CheckHTTPURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return fmt.Errorf("not a URL: want an absolute http:// or https:// URL such as https://api.example.com/v1/items")
	case u.Scheme == "":
		return fmt.Errorf("not an absolute URL: start it with https:// (or http://) and the host")
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%s:// is not supported: want http:// or https://", u.Scheme)
	case u.Host == "":
		return fmt.Errorf("the URL has no host: want https://host/path")
	}
	return nil
}

// CheckLocation accepts a local path (relative to the working directory)
// or an http(s) URL: anything else that looks like a URL would be read as
// a file name and fail only when the run opens it.
func CheckLocation(p string) error {
	if p == "" || strings.Contains(p, "${") {
		return nil
	}
	if scheme, _, ok := strings.Cut(p, "://"); ok && !strings.ContainsAny(scheme, `/\`) {
		if scheme != "http" && scheme != "https" {
			return fmt.Errorf("%s:// is not supported: give a local path or an http:// or https:// URL", scheme)
		}
		return CheckHTTPURL(p)
	}
	return nil
}
